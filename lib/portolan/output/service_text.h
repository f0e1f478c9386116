// How reports summarise what version detection found on a port.
//
// The normal format's VERSION column and the grepable format's version field
// both print nmap's one-line summary "product version (extra info)"; this is
// that line, raw (escape it for the format it goes into).
#pragma once

#include <string>
#include <vector>

#include "portolan/results/scan_result.h"

namespace portolan {

// "SimpleHTTPServer 0.6 (Python 3.11.7)"; empty when nothing was detected.
std::string version_summary(const ServiceInfo& service);

// What a TLS handshake showed, one fact per line ("Subject: CN=example.org"),
// raw: the normal report prints them as an ssl-cert block, XML as the
// ssl-cert script's output.
std::vector<std::string> tls_lines(const TlsInfo& tls);

}  // namespace portolan
