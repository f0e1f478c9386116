// What a raw probe's reply means: nmap's reasons and port states.
//
// The engine stores one small code per (host, probe) while a sweep runs (the
// reason plus one, 0 meaning "no reply yet"); these functions turn received
// ICMP types into reasons, and a probe's reason into nmap's port state. The
// state rules are nmap's (nmap's documentation, "Port Scanning Techniques"):
//   SYN scan: SYN-ACK -> open; RST -> closed; ICMP unreachable or silence ->
//   filtered.
//   UDP scan: any UDP reply -> open; ICMP port unreachable -> closed; other
//   ICMP unreachable -> filtered; silence -> open|filtered.
#pragma once

#include <cstdint>
#include <optional>

#include "portolan/results/scan_result.h"
#include "portolan/scan/probe_spec.h"

namespace portolan {

// ICMPv4 destination unreachable (type 3) code -> reason; nullopt for codes
// nmap does not act on (fragmentation needed, source route failed, ...).
std::optional<Reason> icmp4_unreachable_reason(uint8_t code);
// ICMPv6 destination unreachable (type 1) code -> reason.
std::optional<Reason> icmp6_unreachable_reason(uint8_t code);

// The reply code stored in a ReplyTable entry.
inline uint8_t reply_code(Reason r) {
  return static_cast<uint8_t>(static_cast<uint8_t>(r) + 1);
}
inline Reason reason_of_code(uint8_t code) {
  return code == 0 ? Reason::kNoResponse : static_cast<Reason>(code - 1);
}

// The port state of a port-scan probe (SYN or UDP) with this reason.
PortState port_state_for(ProbeKind kind, Reason reason);

// Whether a discovery probe's reply shows the host itself is up (echo reply,
// SYN-ACK, RST, UDP reply, port unreachable from the host); an ICMP error
// from elsewhere on the path does not.
bool reason_means_up(Reason reason, bool from_target);

}  // namespace portolan
