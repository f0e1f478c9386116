// Forward resolution of a hostname through the system resolver.
//
// A target name becomes exactly one address, as in nmap: the first IPv4
// address the resolver returns (falling back to IPv6 when the name has none),
// or with -6 the first IPv6 address. Other addresses of the name are ignored.
#pragma once

#include <string>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"

namespace portolan {

// Resolves `name` with getaddrinfo; may block on DNS. Fails with kNotFound and
// "failed to resolve '<name>'". `name` must already be a syntactically valid
// host name (the caller quotes it verbatim in the error).
Result<IpAddress> resolve_host_name(const std::string& name, bool ipv6_only);

}  // namespace portolan
