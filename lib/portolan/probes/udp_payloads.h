// UDP probe payloads: the datagram a UDP scan sends so a real service answers.
//
// Most UDP services ignore an empty or malformed datagram, and silence reads as
// open|filtered; a well-formed request of the port's usual protocol draws an
// answer, which proves the port open. Every payload here is a read-only query
// (a status request, a capability or version query, a lookup), written by us
// from the protocol's specification; none changes state on the target. Where
// a protocol has a transaction id it is a fixed value: the engine validates
// replies by their source port, not by the payload. The catalogue (port,
// protocol, what it asks, reference) is the table at the top of
// udp_payloads.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace portolan {

struct UdpPayloadInfo {
  std::span<const uint16_t> ports;  // destination ports, host byte order
  std::string_view name;            // short protocol name: "dns", "ntp", ...
  std::string_view request;         // what it asks, for humans
  std::string_view reference;       // the specification it follows
  std::span<const std::byte> bytes;
};

// The payload for a probe to `port` (host byte order). An empty span means
// "send an empty datagram", as nmap does for ports without a payload. The
// bytes are static and live for the whole program.
std::span<const std::byte> udp_payload_for(uint16_t port);

// Every payload, in port order of its first port. Static storage.
std::span<const UdpPayloadInfo> udp_payloads();

}  // namespace portolan
