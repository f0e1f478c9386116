// Traceroute probes: which probe traces a host, how each probe says its TTL,
// and how a reply is tied back to (target, TTL).
//
// The one idea: like the port scan, a trace keeps no table of probes in
// flight. Every probe carries its TTL in a field the reply brings back, next
// to a keyed hash (sweep/probe_cookie.h) of its 4-tuple, so a reply is
// validated and placed by recomputing the hash from the reply alone:
//   TCP   source port = first reserved port + TTL - 1; the SYN's sequence
//         number is the cookie of that 4-tuple. A router's time exceeded
//         quotes the ports and the sequence number (RFC 792's 8 bytes); the
//         target's SYN-ACK or RST comes back to the port and acknowledges
//         seq + 1.
//   UDP   source port as for TCP; the IPv4 ID is the cookie of the 4-tuple,
//         checked in a quoted IPv4 header. A UDP reply from the target is
//         checked on its ports only (as the scan does), and so is a quoted
//         IPv6 probe, which has no ID: 1 in 65,536 for an off-path forger who
//         guesses our port block.
//   ICMP  echo identifier = high half of the cookie of (us, target); sequence
//         = low half + TTL (mod 2^16). Quoted by routers, echoed by the target.
// Sending all TTLs of a host at once is then safe: replies arrive in any
// order and each names its TTL. A retransmission is byte-identical to the
// first probe, so either one's reply counts.
//
// Where the path ends: the target's own answer (SYN-ACK, RST, UDP reply, echo
// reply, or an ICMP unreachable it sends itself), or an ICMP unreachable from
// a router on the way (the path goes no further); the smallest TTL that drew
// one is the last hop.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "portolan/net/ip_address.h"
#include "portolan/net/mac_address.h"
#include "portolan/packet/frame_parser.h"
#include "portolan/packet/probe_template.h"
#include "portolan/results/scan_result.h"
#include "portolan/sweep/probe_cookie.h"

namespace portolan {

// TTLs above this are not traced (the source-port encoding reserves one port
// per TTL).
inline constexpr int kMaxTraceTtl = 64;

enum class TraceProtocol : uint8_t { kTcp, kUdp, kIcmp };
std::string_view to_string(TraceProtocol p);  // "tcp", "udp", "icmp" (nmap's <trace proto>)

struct TraceProbe {
  TraceProtocol protocol = TraceProtocol::kIcmp;
  uint16_t port = 0;  // destination port, host order; 0 for ICMP
  bool operator==(const TraceProbe&) const = default;
};

// The probe that traces `host`, chosen from its scanned ports as nmap does:
// a TCP SYN to an open TCP port, else to a closed one (both draw an answer
// from the target); else UDP to a closed port (port unreachable), else to an
// open one; else an ICMP echo request. Filtered and open|filtered ports are
// never chosen: the target would not answer them. Lowest port first.
TraceProbe choose_trace_probe(std::span<const PortResult> ports);

// How many TTLs the first round should send to a host whose replies arrived
// with `reply_ttl` (0: unknown): the hop count guessed from the nearest
// common initial TTL (32, 64, 128, 255) at or above it, plus 2 for paths that
// differ in the two directions, within [1, max_ttl]. Unknown: max_ttl.
int first_round_ttls(uint8_t reply_ttl, int max_ttl);

// What a reply says about one probe.
struct TraceReply {
  enum class Kind : uint8_t {
    kTimeExceeded,  // a router at `ttl` hops: the path goes on
    kEnd,           // the target answered, or a router said unreachable: the last hop
  };
  Kind kind = Kind::kTimeExceeded;
  IpAddress target;  // whom the probe was sent to
  TraceProbe probe;  // the probe's protocol and destination port
  int ttl = 0;       // the probe's TTL, 1..max_ttl
  IpAddress hop;     // who answered
};

// Writes probes and recognises their replies for one source address and one
// block of reserved source ports. Immutable; the cookie must outlive it.
class TraceProbeCodec {
 public:
  // `port_first`..`port_first + max_ttl - 1` must be ours (PortReservation).
  // max_ttl is clamped to [1, kMaxTraceTtl].
  TraceProbeCodec(const IpAddress& local, uint16_t port_first, int max_ttl,
                  const ProbeCookie& cookie);

  int max_ttl() const { return max_ttl_; }
  uint16_t port_first() const { return port_first_; }

  // Writes the probe with `ttl` (1..max_ttl) to `dst` through a template of
  // the probe's protocol built with that TTL (TCP: a SYN template). Returns
  // the frame's length, 0 when the TTL is out of range or the template
  // refuses (wrong family or protocol, `out` too small).
  size_t write(std::span<std::byte> out, const ProbeTemplate& tmpl, const MacAddress& next_hop,
               const IpAddress& dst, const TraceProbe& probe, int ttl) const;

  // The probe `r` answers, or nullopt for anything that is not a reply to one
  // of our probes (other traffic, forged or stale cookies, TTLs out of range,
  // ICMP errors other than time exceeded in transit and unreachable).
  std::optional<TraceReply> match(const ParsedReply& r) const;

 private:
  uint16_t source_port(int ttl) const { return static_cast<uint16_t>(port_first_ + ttl - 1); }
  // The TTL a source port encodes, 0 when it is not one of ours.
  int ttl_of_port(uint16_t port) const;
  uint16_t udp_ip_id(uint16_t sport, const IpAddress& dst, uint16_t dport) const;
  // The TTL an echo's identifier and sequence encode for `dst`, 0 when none.
  int ttl_of_echo(const IpAddress& dst, uint16_t id, uint16_t seq) const;
  std::optional<TraceReply> match_quoted(const ParsedReply& r) const;

  IpAddress local_;
  uint16_t port_first_;
  int max_ttl_;
  const ProbeCookie& cookie_;
};

}  // namespace portolan
