// What the result of a connect() means for the port it probed.
//
// The one table that turns errno into nmap's port states and reasons, and
// tells the worker whether to retry, back off, and whether the socket can be
// reused. Loopback and remote hosts give the same errors; only ICMP-driven
// ones (unreachable, prohibited) need a router in between.
#pragma once

#include <cstdint>

#include "portolan/results/scan_result.h"

namespace portolan {

enum class ConnectVerdict : uint8_t {
  kFinal,     // the port has its state
  kNoAnswer,  // nothing came back in time: retry, and after the last retry filtered/no-response
  kBackOff,   // a local shortage (ports, descriptors, buffers): try the same probe later
};

struct ConnectOutcome {
  ConnectVerdict verdict;
  PortState state;  // for kFinal
  Reason reason;    // for kFinal
  // Whether the socket is back in the CLOSE state and may connect() again:
  // true only after a refusal, the common case that socket reuse is built on.
  bool socket_reusable;
};

// `result`: 0 for an established connection, otherwise -errno.
ConnectOutcome classify_connect_result(int32_t result);

}  // namespace portolan
