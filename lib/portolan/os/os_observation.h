// What one host's replies to the OS-detection probes say, reduced to the
// handful of facts a fingerprint is written in.
//
// The one idea: raw replies vary with the path (TTL falls per hop, the MSS
// follows the MTU) and with time (IP ids, timestamps), so the scorer never
// sees them. summarise() turns them into path-independent facts: the
// initial TTL the target chose (the next power-of-two-ish default at or above
// what arrived), the option order, how IP ids and timestamps advance. Every
// fact is optional: a probe that drew no reply leaves its facts unknown, and
// the scorer skips unknown facts rather than counting them against anyone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/os/os_reply.h"

namespace portolan {

// How a host's IP ids advance across our SYN-ACKs (nmap's ipidsequence classes).
enum class IpIdClass : uint8_t {
  kUnknown,            // fewer than three replies
  kZero,               // all zero (Linux for DF packets, FreeBSD 12+)
  kIncremental,        // a counter: every step positive and small
  kBrokenIncremental,  // a counter stored little-endian (steps that are multiples of 256)
  kRandom,
  kConstant,  // the same non-zero id every time
};
std::string_view to_string(IpIdClass c);   // "All zeros", "Incremental", ...
std::string_view short_name(IpIdClass c);  // "Z", "I", "BI", "RD", "C", "U"

// One SYN-ACK from the open port, with when it arrived (ns, any epoch).
struct SynAckSample {
  uint8_t ttl = 0;
  bool df = false;
  uint16_t ip_id = 0;
  uint16_t window = 0;
  TcpOptionsSeen options;
  uint64_t received_ns = 0;
};

// A RST (to the SYN at a closed port, or to the ACK at an open one).
struct RstSample {
  uint8_t ttl = 0;
  bool df = false;
  uint16_t ip_id = 0;
  uint16_t window = 0;
};

struct EchoSample {
  uint8_t ttl = 0;
  bool df = false;
  uint8_t code = 0;  // the ICMP code of the reply; we send a non-zero one
};

struct UnreachableSample {
  uint8_t ttl = 0;
  bool df = false;
  uint16_t body_length = 0;             // bytes after the ICMP header
  uint16_t quoted_ip_total_length = 0;  // as quoted
};

// Everything one host sent back. Samples are in arrival order.
struct OsProbeReplies {
  bool loopback = false;
  std::vector<SynAckSample> syn_acks;
  std::optional<RstSample> closed_rst;
  std::optional<RstSample> ack_rst;
  std::optional<EchoSample> echo;
  std::optional<UnreachableSample> unreachable;
  uint16_t udp_sent_ip_length = 0;  // the IP length of our UDP probe, to judge the quote
};

// OsObservation::ts_hz of a stack whose timestamps start at a random value
// per connection (Linux since 4.10, FreeBSD since 12, OpenBSD).
inline constexpr int kRandomTimestamps = -1;

struct OsObservation {
  // From the SYN-ACKs.
  std::optional<int> ttl;  // the initial TTL: 32, 64, 128 or 255
  int hops = -1;           // hops to the target, 0 on loopback; -1 when unknown
  std::optional<bool> df;
  std::optional<uint16_t> window;
  std::optional<std::string> options;  // option_order() of the first SYN-ACK
  std::optional<int> wscale;           // -1: no window-scale option
  std::optional<uint16_t> mss;         // 0: no MSS option
  std::optional<bool> timestamps;
  IpIdClass ip_id = IpIdClass::kUnknown;
  // Timestamp clock: 0 when timestamps are absent or did not advance;
  // kRandomTimestamps when they jump as offsets drawn per connection do;
  // otherwise the rate rounded to a common clock (2, 10, 100, 200, 250,
  // 1000) or, when it is none of those, the measured Hz. Unknown when the
  // replies were too few or too close together to tell.
  std::optional<int> ts_hz;
  std::optional<uint32_t> tsval;  // the last one seen
  // From the RST of the closed port.
  std::optional<int> rst_ttl;
  std::optional<bool> rst_df;
  std::optional<uint16_t> rst_window;
  // From the RST to the ACK at the open port.
  std::optional<uint16_t> ack_rst_window;
  // From the echo reply.
  std::optional<int> echo_ttl;
  std::optional<bool> echo_df;
  std::optional<bool> echo_code_kept;  // the reply carries our non-zero code
  // From the port unreachable.
  std::optional<int> unreachable_ttl;
  std::optional<bool> unreachable_full_quote;  // quotes our whole datagram
};

// The initial TTL a host most likely used for a packet that arrived with
// `ttl`: the smallest of 32, 64, 128, 255 not below it.
int initial_ttl(uint8_t ttl);

OsObservation summarise(const OsProbeReplies& replies);

// One line per test, for the report when nothing matched and for debugging:
//   SYNACK ttl=64 df=1 win=65160 ops=MSS,SACK,TS,NOP,WS ws=7 mss=1460
//   SEQ ipid=Z ts=1000HZ       (ts: <n>HZ, random, constant, none, unmeasured)
//         (ipid: Z, I, BI, RD, C or U; see short_name)
//   RST ttl=64 df=1 win=0
//   ACKRST win=0
//   ECHO ttl=64 df=0 code=kept
//   UNREACH ttl=64 quote=full
// A test without reply is written "<NAME> none".
std::string describe(const OsObservation& observation);

}  // namespace portolan
