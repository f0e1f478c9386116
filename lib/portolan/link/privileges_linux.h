// Whether this process may open packet sockets, and what to tell the user
// when it may not.
//
// The raw engine needs CAP_NET_RAW for its packet sockets (root has it, or a
// binary given it with setcap); its nftables guard also needs CAP_NET_ADMIN,
// but scans without the guard, with a warning, when that one is missing.
#pragma once

#include <string>

namespace portolan {

// True when CAP_NET_RAW is in this thread's effective capability set (capget);
// when capget itself fails, whether the effective user is root.
bool has_raw_capability();

// A short clause for error messages, e.g. "the SYN scan needs root or
// CAP_NET_RAW (...)": what to do about missing privileges.
std::string raw_privilege_hint();

}  // namespace portolan
