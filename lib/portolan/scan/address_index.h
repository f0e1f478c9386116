// AddressIndex: which host of a sweep an address is, in O(1) without allocation.
//
// The receiver looks up the source of every reply; std::unordered_map would
// allocate per node and chase pointers. This is a fixed open-addressing table
// built once per sweep (load factor <= 1/2, linear probing), keyed by the
// address bytes. Memory: 2 x hosts x (8 + 4) bytes for IPv4.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "portolan/net/ip_address.h"

namespace portolan {

class AddressIndex {
 public:
  static constexpr uint32_t kMissing = UINT32_MAX;

  // `hosts[i]` gets index i; a repeated address keeps its first index.
  explicit AddressIndex(std::span<const IpAddress> hosts);

  uint32_t find(const IpAddress& address) const;

 private:
  struct Slot {
    uint64_t hi = 0, lo = 0;  // the 16 address bytes (IPv4 in the low word)
    uint32_t index = kMissing;
  };
  static void key_of(const IpAddress& a, uint64_t& hi, uint64_t& lo);
  size_t mask_ = 0;
  std::vector<Slot> slots_;
};

}  // namespace portolan
