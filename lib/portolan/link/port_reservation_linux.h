// A block of source ports that belongs to the scan while it runs.
//
// Raw probes leave from source ports no socket owns, and the nftables guard
// (kernel_guard_linux.h) drops replies to those ports before the stack sees
// them. Both are safe only if no other program on this host uses the same
// ports meanwhile. The one idea: bind a TCP and a UDP socket to every port of
// the block (without SO_REUSEADDR, never listening, never connecting), so the
// kernel itself refuses the ports to everyone else; and choose the block
// outside the kernel's ephemeral range (ip_local_port_range), so no
// connect() is ever given one of them implicitly either. The block lies in
// 61000-65535, above Linux's default ephemeral range (32768-60999).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"

namespace portolan {

class PortReservation {
 public:
  // Reserves `count` consecutive ports on `local` (a local address of this
  // host), starting at a random port; when a port of a block is taken, it
  // tries other blocks (a bounded number). Errors: count 0 or larger than
  // the room outside the ephemeral range, `local` not an address of this
  // host, or no free block found.
  static Result<PortReservation> create(const IpAddress& local, uint16_t count);
  // The same with the random choice drawn from `seed`, for tests.
  static Result<PortReservation> create(const IpAddress& local, uint16_t count, uint64_t seed);

  PortReservation(PortReservation&& other) noexcept;
  PortReservation& operator=(PortReservation&& other) noexcept;
  PortReservation(const PortReservation&) = delete;
  PortReservation& operator=(const PortReservation&) = delete;
  // Closes the sockets: the ports are free again.
  ~PortReservation();

  uint16_t first() const { return first_; }
  uint16_t last() const { return static_cast<uint16_t>(first_ + count_ - 1); }
  uint16_t count() const { return count_; }

 private:
  PortReservation(std::vector<int> fds, uint16_t first, uint16_t count)
      : fds_(std::move(fds)), first_(first), count_(count) {}
  void release();

  std::vector<int> fds_;
  uint16_t first_ = 0;
  uint16_t count_ = 0;
};

}  // namespace portolan
