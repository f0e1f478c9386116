// PortSet: which ports of which protocols a scan covers.
//
// A bitmap per protocol (3 x 8 KiB), so membership, union and exclusion are
// O(1) and -p- costs nothing. Port numbers are host byte order throughout.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "portolan/results/protocol.h"

namespace portolan {

class PortSet {
 public:
  void add(Protocol p, uint16_t port) { bits_[idx(p)].set(port); }
  void add_range(Protocol p, uint16_t lo, uint16_t hi);  // inclusive
  void remove(Protocol p, uint16_t port) { bits_[idx(p)].reset(port); }
  bool contains(Protocol p, uint16_t port) const { return bits_[idx(p)].test(port); }
  size_t count(Protocol p) const { return bits_[idx(p)].count(); }
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
  static size_t idx(Protocol p) { return static_cast<size_t>(p); }
  std::array<std::bitset<65536>, kProtocolCount> bits_{};
};

}  // namespace portolan
