// Stateless reply validation and probe writing for one sweep.
//
// ProbeWriter puts a keyed hash of each probe's 4-tuple where the reply will
// carry it back (sweep/probe_cookie.h): a SYN's sequence number (a SYN-ACK or
// RST acknowledges seq + 1), an ACK probe's acknowledgment number (the RST
// carries it as its sequence number), a UDP probe's source port, an ICMP
// echo's id and sequence, and every IPv4 ID (quoted back in ICMP errors).
// ReplyClassifier recomputes the hash from the reply alone, or from the
// packet an ICMP error quotes, and names the element (host, spec) it
// answers; anything that does not match is a stray and is dropped. Nothing
// per probe is remembered between sending and receiving.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "portolan/net/ip_address.h"
#include "portolan/net/mac_address.h"
#include "portolan/packet/frame_parser.h"
#include "portolan/packet/probe_template.h"
#include "portolan/results/scan_result.h"
#include "portolan/scan/address_index.h"
#include "portolan/scan/probe_spec.h"
#include "portolan/sweep/probe_cookie.h"

namespace portolan {

class FrameSender;
class FrameReceiver;

// Probe kinds a sweep sends besides the public ProbeSpec ones: ARP and
// neighbour solicitations resolve next hops and discover local hosts.
enum class LinkProbe : uint8_t { kNone, kArp, kNeighborSolicit };

// The sending side of a scanner as a sweep sees it; all of it outlives the sweep.
struct SweepLink {
  FrameSender* sender = nullptr;
  FrameReceiver* receiver = nullptr;
  FrameSender* reset_sender = nullptr;  // the receiver thread's own, for RSTs to SYN-ACKs
  MacAddress local_mac;
  bool loopback = false;                    // frames carry all-zero MAC addresses
  IpAddress local;                          // our address on the wire
  uint16_t port_first = 0, port_count = 1;  // our reserved source ports
  const ProbeCookie* cookie = nullptr;
  const ProbeTemplate* tcp_syn = nullptr;
  const ProbeTemplate* tcp_ack = nullptr;
  const ProbeTemplate* tcp_rst = nullptr;
  const ProbeTemplate* udp = nullptr;
  const ProbeTemplate* icmp_echo = nullptr;
  const ProbeTemplate* icmp_timestamp = nullptr;  // null for IPv6
};

// XORed into an ACK probe's cookie so its replies are told from a SYN's.
inline constexpr uint32_t kAckProbeMask = 0xa5c3e1f7u;

// Per-sweep lookup tables the receiver uses to name a reply's element.
struct ElementIndex {
  ElementIndex(std::span<const IpAddress> host_list, std::span<const ProbeSpec> specs,
               LinkProbe link)
      : hosts(host_list),
        link_probe(link),
        syn(65536, UINT32_MAX),
        ack(65536, UINT32_MAX),
        udp(65536, UINT32_MAX) {
    for (uint32_t s = 0; s < specs.size(); ++s) {
      const auto& spec = specs[s];
      switch (spec.kind) {
        case ProbeKind::kTcpSyn:
          syn[spec.port] = s;
          break;
        case ProbeKind::kTcpAck:
          ack[spec.port] = s;
          break;
        case ProbeKind::kUdp:
          udp[spec.port] = s;
          break;
        case ProbeKind::kIcmpEcho:
          echo = s;
          break;
        case ProbeKind::kIcmpTimestamp:
          timestamp = s;
          break;
      }
    }
  }
  AddressIndex hosts;
  LinkProbe link_probe;
  std::vector<uint32_t> syn, ack, udp;  // port -> spec index
  uint32_t echo = UINT32_MAX, timestamp = UINT32_MAX;
};

struct Classified {
  uint32_t host = UINT32_MAX;
  uint32_t spec = UINT32_MAX;
  Reason reason = Reason::kUnknown;
  uint8_t ttl = 0;
  bool send_reset = false;  // a SYN-ACK: answer it with a RST
};

// The receiver's view of one reply: which element it answers, or nothing.
// Every check is against the cookie recomputed from the reply itself.
class ReplyClassifier {
 public:
  ReplyClassifier(const SweepLink& link, const ElementIndex& index) : link_(link), index_(index) {}

  bool classify(const ParsedReply& r, Classified& out) const;

 private:
  bool ours(const IpAddress& dst, uint16_t dport) const;

  bool tcp(const ParsedReply& r, Classified& out) const;

  bool udp(const ParsedReply& r, Classified& out) const;

  bool icmp_error(const ParsedReply& r, Classified& out) const;

  bool icmp_reply(const ParsedReply& r, Classified& out) const;

  bool link_reply(const ParsedReply& r, Classified& out) const;

  const SweepLink& link_;
  const ElementIndex& index_;
};

// Writes the probe for element (host, spec) into a send slot.
class ProbeWriter {
 public:
  ProbeWriter(const SweepLink& link, std::span<const IpAddress> hosts,
              std::span<const MacAddress> next_hop, std::span<const ProbeSpec> specs,
              LinkProbe link_probe)
      : link_(link), hosts_(hosts), next_hop_(next_hop), specs_(specs), link_probe_(link_probe) {}

  size_t write(std::span<std::byte> out, uint32_t host, uint32_t spec_index) const;

  // TCP probes spread over our reserved ports by the target port, so one
  // target's ports do not all share a 4-tuple prefix; the cookie in the
  // sequence number covers the choice.
  uint16_t tcp_source_port(const IpAddress& dst, uint16_t dport) const;

 private:
  const SweepLink& link_;
  std::span<const IpAddress> hosts_;
  std::span<const MacAddress> next_hop_;
  std::span<const ProbeSpec> specs_;
  LinkProbe link_probe_;
};

}  // namespace portolan
