// PortSet: which ports of which protocols a scan covers.
//
// A bitmap per protocol (3 x 8 KiB), so membership, union and exclusion are
// O(1) and -p- costs nothing. Port numbers are host byte order throughout.
// The bitmap is kept as 64-bit words rather than std::bitset so that walking
// the set (ports(), compressed(), count()) skips empty words and costs what
// the set holds, not 65536 bit tests.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "portolan/results/protocol.h"

namespace portolan {

class PortSet {
 public:
  void add(Protocol p, uint16_t port) { bits_[idx(p)][port >> 6] |= bit(port); }
  void add_range(Protocol p, uint16_t lo, uint16_t hi);  // inclusive; nothing when lo > hi
  void remove(Protocol p, uint16_t port) { bits_[idx(p)][port >> 6] &= ~bit(port); }
  bool contains(Protocol p, uint16_t port) const {
    return (bits_[idx(p)][port >> 6] & bit(port)) != 0;
  }
  size_t count(Protocol p) const;
  size_t count() const;
  bool empty() const { return count() == 0; }

  // Removes every port in `other` (for --exclude-ports).
  void subtract(const PortSet& other);
  void merge(const PortSet& other);

  // Ascending port numbers of one protocol.
  std::vector<uint16_t> ports(Protocol p) const;
  // nmap's <scaninfo services=...> form: "1-1000,8080" (ascending, ranges merged).
  std::string compressed(Protocol p) const;

  bool operator==(const PortSet&) const = default;

 private:
  static constexpr size_t kWords = 65536 / 64;
  using Bitmap = std::array<uint64_t, kWords>;

  static size_t idx(Protocol p) { return static_cast<size_t>(p); }
  static uint64_t bit(uint16_t port) { return uint64_t{1} << (port & 63); }
  std::array<Bitmap, kProtocolCount> bits_{};
};

}  // namespace portolan
