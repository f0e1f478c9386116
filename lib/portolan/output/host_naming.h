// How a report names a host: which of its hostnames goes where.
//
// nmap shows the name the user typed when there is one ("Nmap scan report for
// localhost (127.0.0.1)") and the reverse-DNS name otherwise, but grepable
// output always shows the PTR name, empty when there is none
// ("Host: 127.0.0.1 ()"). These helpers make that choice once for every
// writer. Returned text is raw: escape it for the format it goes into.
#pragma once

#include <string>

#include "portolan/results/scan_result.h"

namespace portolan {

// The first name of that kind, or null.
const std::string* user_name(const HostResult& host);
const std::string* ptr_name(const HostResult& host);

// "localhost (127.0.0.1)" when the host has a name, else "127.0.0.1"; the
// user's name wins over the PTR name. Control characters are escaped.
std::string report_title(const HostResult& host);

// The PTR name when the user typed a different name, for nmap's
// "rDNS record for 1.2.3.4: name" line; null otherwise.
const std::string* differing_rdns(const HostResult& host);

// "ipv4" or "ipv6", for XML addrtype.
const char* address_type(const IpAddress& address);

}  // namespace portolan
