// How reports summarise what version detection found on a port.
//
// The normal format's VERSION column and the grepable format's version field
// both print nmap's one-line summary "product version (extra info)"; this is
// that line, raw (escape it for the format it goes into).
#pragma once

#include <string>

#include "portolan/results/scan_result.h"

namespace portolan {

// "SimpleHTTPServer 0.6 (Python 3.11.7)"; empty when nothing was detected.
std::string version_summary(const ServiceInfo& service);

}  // namespace portolan
