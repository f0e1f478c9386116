// ProbeCookie: stateless validation of replies to raw probes.
//
// A stateless scanner sends millions of probes per second and cannot afford a
// table entry per probe, yet must tell a genuine reply from backscatter,
// another scanner's traffic or a forgery. So, like masscan (syn-cookie.c) and
// ZMap (validate.c), every probe carries a keyed hash of its own 4-tuple in a
// field the target must echo back, and a reply is checked by recomputing the
// hash from the reply's addresses and ports. Nothing is stored per probe: the
// whole state is one 128-bit key.
//
// Where the hash goes:
//   TCP   the SYN's sequence number is the low 32 bits; a SYN-ACK or RST
//         acknowledges seq + 1, so the receiver accepts ack - 1 == tcp_seq().
//   UDP   no field is echoed by the payload, so the hash picks the probe's
//         source port inside a block of ports; the reply comes back to it, and
//         an ICMP port unreachable quotes our header including that port.
//   ICMP  echo and timestamp requests carry it in their id and sequence.
//
// What it buys. An off-path sender that does not know the key has to guess:
// a forged or stray TCP reply passes with probability 2^-32 (one in four
// billion packets), an ICMP one with 2^-32 as well (id and sequence together),
// a UDP one with 1/port_count, which is why UDP replies are also matched on
// the quoted header where there is one. SipHash is a PRF, so watching our
// probes (or replies to them) does not reveal the key or let anyone predict
// the cookie of a tuple we have not probed; a reply cannot claim a port we did
// not ask about. What it cannot stop: anyone on the path sees the probe and
// can answer it, exactly as with nmap; and a genuine reply replayed is still
// genuine (the reply table keeps the first answer, so a replay changes nothing).
//
// The key is random per scan (getrandom), so a second scanner, or a second
// Portolan run against the same hosts, cannot have its replies mistaken for
// ours, and cookies cannot be precomputed. A resumed scan must reuse the key
// from its checkpoint (key0/key1): replies still in flight from probes sent
// before the interruption then validate, and every probe it re-sends is
// byte-identical to the one the first run would have sent.
#pragma once

#include <cstdint>

#include "portolan/net/ip_address.h"

namespace portolan {

class ProbeCookie {
 public:
  static ProbeCookie with_key(uint64_t k0, uint64_t k1) { return ProbeCookie(k0, k1); }
  // A fresh key from the kernel's random pool (getrandom); a key for one scan.
  static ProbeCookie random();

  // The key, to store in a checkpoint and hand back to with_key() on resume.
  uint64_t key0() const { return k0_; }
  uint64_t key1() const { return k1_; }

  // Keyed hash of a probe's 4-tuple as sent: our address and port, the
  // target's address and port (ports in host order), and the IP protocol
  // number. A pure function of its inputs and the key. Both addresses should
  // be of the same family; IPv4 pairs take a faster path than IPv6 ones.
  uint64_t hash(const IpAddress& local, uint16_t local_port, const IpAddress& remote,
                uint16_t remote_port, uint8_t protocol) const;

  // The sequence number of a TCP probe (low 32 bits of its hash, protocol 6).
  uint32_t tcp_seq(const IpAddress& local, uint16_t local_port, const IpAddress& remote,
                   uint16_t remote_port) const {
    return static_cast<uint32_t>(hash(local, local_port, remote, remote_port, kTcp));
  }
  // Whether a SYN-ACK or RST from `remote`:`remote_port` to `local`:`local_port`
  // acknowledging `ack` (host order) answers our probe: ack == tcp_seq() + 1.
  bool tcp_ack_matches(const IpAddress& local, uint16_t local_port, const IpAddress& remote,
                       uint16_t remote_port, uint32_t ack) const {
    return ack - 1u == tcp_seq(local, local_port, remote, remote_port);
  }

  // The source port of a UDP (or other portless-cookie) probe: one of the
  // `port_count` ports starting at `port_first`, chosen by the hash of the
  // tuple without our port. A reply to port p validates if p equals this.
  // port_count == 0 is treated as 1; the block must not pass 65535.
  uint16_t source_port(const IpAddress& local, const IpAddress& remote, uint16_t remote_port,
                       uint8_t protocol, uint16_t port_first, uint16_t port_count) const;

  // Identifier (high 16 bits) and sequence number (low 16 bits), host order,
  // of an ICMP or ICMPv6 echo/timestamp request from `local` to `remote`.
  uint32_t icmp_tag(const IpAddress& local, const IpAddress& remote) const;

  static constexpr uint8_t kIcmp = 1;
  static constexpr uint8_t kTcp = 6;
  static constexpr uint8_t kUdp = 17;
  static constexpr uint8_t kIcmpV6 = 58;

 private:
  ProbeCookie(uint64_t k0, uint64_t k1) : k0_(k0), k1_(k1) {}

  uint64_t k0_;
  uint64_t k1_;
};

}  // namespace portolan
