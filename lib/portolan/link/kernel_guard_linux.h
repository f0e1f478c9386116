// How we keep the kernel from disturbing a raw scan.
//
// A raw SYN probe leaves from a source port that no socket of this host owns.
// When the target answers SYN-ACK, the kernel finds no socket for it and
// answers with a RST: that closes the target's half-open connection early
// (harmless to the result, since we read the SYN-ACK from the packet socket
// first, but it doubles our traffic and a SYN/SYN-ACK/RST pattern from a
// host is what intrusion detection systems call a SYN scan). A UDP reply to
// such a port draws an ICMP port unreachable in the same way.
//
// The one idea: packet sockets see a frame before netfilter does, so a
// firewall rule can drop the replies on their way into the stack without
// hiding them from the scan. KernelGuard installs an nftables table
// `inet portolan_<pid>` whose chain on the prerouting hook, at priority raw
// (-300, before connection tracking), drops for our local address
//   - TCP segments to our source ports with SYN and ACK set, and
//   - UDP datagrams to our source ports.
// Only replies to ports in the scan's reserved range (PortReservation) are
// dropped, so no other program loses traffic. RSTs from closed ports are left
// alone: the kernel answers them with nothing anyway.
//
// The table is removed when the guard is destroyed, and it is created with
// the "owner" flag where the kernel has it (Linux 5.12+), which makes the
// kernel remove it when this process exits, even by kill -9. For older
// kernels remove_stale() deletes tables left by processes that are gone.
// Without libnftables or CAP_NET_ADMIN create() fails; the engine then
// warns and scans without the guard.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"

struct nft_ctx;

namespace portolan {

struct GuardSpec {
  // Replies addressed here are dropped. The unspecified address (0.0.0.0 or
  // ::) guards every address of its family: for loopback scans, where
  // replies come back to any 127/8 address.
  IpAddress local;
  uint16_t port_first = 0;  // host order, inclusive
  uint16_t port_last = 0;
  bool tcp = true;  // drop SYN-ACKs
  bool udp = true;  // drop UDP datagrams
};

class KernelGuard {
 public:
  // Installs the table (one atomic nftables transaction). Errors: an empty or
  // inverted port range, neither protocol selected, or nftables refused
  // ("cannot install the nftables guard: ...").
  static Result<std::unique_ptr<KernelGuard>> create(const GuardSpec& spec);
  // Deletes the table.
  ~KernelGuard();
  KernelGuard(const KernelGuard&) = delete;
  KernelGuard& operator=(const KernelGuard&) = delete;

  // "portolan_<pid>", or "portolan_<pid>_<n>" for a second guard of the same
  // process; the table's family is inet.
  const std::string& table_name() const { return table_; }

  // Deletes every inet table named portolan_<pid>[_<n>] whose process no
  // longer exists (left behind by a crash on a kernel without owner tables).
  // Best effort: errors are ignored.
  static void remove_stale();

 private:
  KernelGuard(nft_ctx* ctx, std::string table) : ctx_(ctx), table_(std::move(table)) {}

  nft_ctx* ctx_;
  std::string table_;
};

}  // namespace portolan
