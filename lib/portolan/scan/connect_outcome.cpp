// errno -> port state for the connect scan; see connect_outcome.h.
#include "portolan/scan/connect_outcome.h"

#include <errno.h>

namespace portolan {

ConnectOutcome classify_connect_result(int32_t result) {
  auto final_state = [](PortState s, Reason r, bool reusable = false) {
    return ConnectOutcome{ConnectVerdict::kFinal, s, r, reusable};
  };
  switch (-result) {
    case 0:
      return final_state(PortState::kOpen, Reason::kSynAck);
    case ECONNREFUSED:  // RST to our SYN (or ICMP port unreachable)
      return final_state(PortState::kClosed, Reason::kConnRefused, true);
    case ECONNRESET:
      return final_state(PortState::kClosed, Reason::kReset);
    case EHOSTUNREACH:
    case EHOSTDOWN:
      return final_state(PortState::kFiltered, Reason::kHostUnreach);
    case ENETUNREACH:
    case ENETDOWN:
      return final_state(PortState::kFiltered, Reason::kNetUnreach);
    case EACCES:  // a local firewall rejected or dropped the SYN on output
    case EPERM:
      return final_state(PortState::kFiltered, Reason::kAdminProhibited);
    case ENOPROTOOPT:  // ICMP protocol unreachable
      return final_state(PortState::kFiltered, Reason::kProtoUnreach);
    case EADDRNOTAVAIL:  // no free source port for this destination
    case EADDRINUSE:
    case EAGAIN:
    case ENOBUFS:
    case ENOMEM:
    case EMFILE:
    case ENFILE:
    case EINTR:
      return ConnectOutcome{ConnectVerdict::kBackOff, PortState::kFiltered, Reason::kUnknown,
                            false};
    default:  // ECANCELED (our timeout), ETIMEDOUT (the kernel's), anything unexpected
      return ConnectOutcome{ConnectVerdict::kNoAnswer, PortState::kFiltered, Reason::kNoResponse,
                            false};
  }
}

}  // namespace portolan
