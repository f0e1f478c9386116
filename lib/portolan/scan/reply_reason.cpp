#include "portolan/scan/reply_reason.h"

namespace portolan {

std::optional<Reason> icmp4_unreachable_reason(uint8_t code) {
  switch (code) {
    case 0:
      return Reason::kNetUnreach;
    case 1:
      return Reason::kHostUnreach;
    case 2:
      return Reason::kProtoUnreach;
    case 3:
      return Reason::kPortUnreach;
    case 9:
      return Reason::kNetProhibited;
    case 10:
      return Reason::kHostProhibited;
    case 13:
      return Reason::kAdminProhibited;
    default:
      return std::nullopt;
  }
}

std::optional<Reason> icmp6_unreachable_reason(uint8_t code) {
  switch (code) {
    case 0:  // no route to destination
      return Reason::kNetUnreach;
    case 1:  // communication administratively prohibited
    case 5:  // source address failed ingress/egress policy
    case 6:  // reject route to destination
      return Reason::kAdminProhibited;
    case 3:  // address unreachable
      return Reason::kHostUnreach;
    case 4:
      return Reason::kPortUnreach;
    default:
      return std::nullopt;
  }
}

PortState port_state_for(ProbeKind kind, Reason reason) {
  if (kind == ProbeKind::kUdp) {
    switch (reason) {
      case Reason::kUdpResponse:
        return PortState::kOpen;
      case Reason::kPortUnreach:
        return PortState::kClosed;
      case Reason::kNoResponse:
        return PortState::kOpenFiltered;
      default:
        return PortState::kFiltered;
    }
  }
  switch (reason) {
    case Reason::kSynAck:
      return PortState::kOpen;
    case Reason::kReset:
      return PortState::kClosed;
    default:
      return PortState::kFiltered;
  }
}

bool reason_means_up(Reason reason, bool from_target) {
  switch (reason) {
    case Reason::kEchoReply:
    case Reason::kTimestampReply:
    case Reason::kSynAck:
    case Reason::kReset:
    case Reason::kUdpResponse:
    case Reason::kArpResponse:
    case Reason::kNdResponse:
      return true;
    case Reason::kPortUnreach:
    case Reason::kProtoUnreach:
      // Only the host itself says its port or protocol is unreachable.
      return from_target;
    default:
      return false;
  }
}

}  // namespace portolan
