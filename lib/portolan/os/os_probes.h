// The probe packets of OS detection: IPv4 frames whose every header field we
// choose (DF, TTL, TCP options, ICMP code), which the scan engine's
// ProbeTemplate deliberately does not offer.
//
// The one idea: a stack reveals itself in how it answers a SYN that offers
// everything (MSS, SACK, timestamps, window scaling): what it echoes back, in
// which order, is its own choice. So the SYN carries all four options, in
// the layout most stacks send, and the other probes are the cheap ones that
// show TTL, DF and error quoting: a SYN to a closed port, an ACK to an open
// one, an ICMP echo with a non-zero code and DF set, and a UDP datagram to a
// closed port. At most a few dozen frames per scan: no template, no hot path.
//
// Every function writes one Ethernet frame to the start of `out` and returns
// its length, or 0 when `out` is too small or an address is not IPv4. Ports,
// numbers and lengths are host order; addresses and MACs wire order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "portolan/net/ip_address.h"
#include "portolan/net/mac_address.h"

namespace portolan {

// Who a frame goes from and to.
struct OsFrameEnds {
  MacAddress src_mac;
  MacAddress dst_mac;  // zero on loopback
  IpAddress src;
  IpAddress dst;
  uint8_t ttl = 64;
};

// The options of our SYNs, 20 bytes: MSS 1460, SACK permitted, timestamps
// (`tsval`, echo 0), NOP, window scale 10.
std::array<std::byte, 20> os_syn_options(uint32_t tsval);

// A TCP segment; `options` (a multiple of 4 bytes, at most 40) follows the
// header. The IPv4 header has DF set when `df`.
size_t write_os_tcp(std::span<std::byte> out, const OsFrameEnds& ends, uint16_t sport,
                    uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t window,
                    std::span<const std::byte> options, uint16_t ip_id, bool df);

// An ICMP echo request with code `code` (RFC 792 says 0; a stack that echoes
// another back is telling us something).
size_t write_os_echo(std::span<std::byte> out, const OsFrameEnds& ends, uint8_t code, uint16_t id,
                     uint16_t seq, std::span<const std::byte> payload, uint16_t ip_id, bool df);

// A UDP datagram.
size_t write_os_udp(std::span<std::byte> out, const OsFrameEnds& ends, uint16_t sport,
                    uint16_t dport, std::span<const std::byte> payload, uint16_t ip_id);

}  // namespace portolan
