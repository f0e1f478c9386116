// Time and duration text exactly as nmap's reports print it.
//
// Dates are in the local time zone (TZ), as nmap prints them; tests set
// TZ=UTC. Every function takes the time to print: none reads the clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "portolan/results/scan_result.h"

namespace portolan {

// Seconds since the Unix epoch, as XML "start", "time", "starttime".
int64_t unix_seconds(WallClock::time_point t);

// "Sat Nov 21 10:37:21 2026": the "# ... scan initiated" lines and XML
// startstr/timestr.
std::string report_date(WallClock::time_point t);

// "2026-11-21 10:37 UTC": the terminal's "Starting Portolan ... at" banner.
std::string banner_date(WallClock::time_point t);

// "2026-11-21 10:38:00 UTC": the -vv "Scanned at ..." line.
std::string scanned_at_date(WallClock::time_point t);

// "0.05": elapsed seconds with two decimals ("scanned in 0.05 seconds").
std::string elapsed_seconds(double seconds);

// "0.00015": a latency in seconds to two significant digits, keeping
// trailing zeros ("0.0010"), as "Host is up (0.00015s latency)."
std::string latency_seconds(std::chrono::microseconds latency);

}  // namespace portolan
