// Port scan order: a seeded Fisher-Yates shuffle with the most popular ports
// moved to the front (see port_order.h for why).
#include "portolan/ports/port_order.h"

#include <algorithm>
#include <array>
#include <random>

#include "portolan/ports/port_set.h"
#include "portolan/registry/port_registry.h"

namespace portolan {
namespace {

// Uniform in [0, bound) and identical on every standard library, which
// std::uniform_int_distribution is not. Lemire's multiply-and-shift with
// rejection: unbiased, and it avoids a 64-bit division per draw, which
// dominated shuffling the 65535 ports of -p-.
uint64_t uniform_below(std::mt19937_64& rng, uint64_t bound) {
  if (bound > UINT32_MAX) {
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t x = rng();
    while (x >= limit) x = rng();
    return x % bound;
  }
  auto bound32 = static_cast<uint32_t>(bound);
  uint64_t product = (rng() >> 32) * bound32;
  auto low = static_cast<uint32_t>(product);
  if (low < bound32) {
    uint32_t threshold = static_cast<uint32_t>(-bound32) % bound32;
    while (low < threshold) {
      product = (rng() >> 32) * bound32;
      low = static_cast<uint32_t>(product);
    }
  }
  return product >> 32;
}

}  // namespace

std::vector<uint16_t> order_ports(std::vector<uint16_t> ports, PortOrder order, uint64_t seed,
                                  std::span<const uint16_t> early) {
  if (order == PortOrder::kSequential) {
    std::sort(ports.begin(), ports.end());
    return ports;
  }
  std::mt19937_64 rng(seed);
  for (size_t i = ports.size(); i > 1; --i) {
    size_t j = static_cast<size_t>(uniform_below(rng, i));
    std::swap(ports[i - 1], ports[j]);
  }
  if (early.empty()) return ports;

  // Ports in `early` to the front, in `early`'s order; the rest keep their
  // shuffled order. A bitmap makes the membership test O(1): -p- has 65535
  // ports to test.
  std::array<uint64_t, 1024> is_early{};
  for (uint16_t port : early) is_early[port >> 6] |= uint64_t{1} << (port & 63);
  auto mid = std::stable_partition(ports.begin(), ports.end(), [&](uint16_t port) {
    return (is_early[port >> 6] >> (port & 63)) & 1;
  });
  auto rank = [&](uint16_t port) {
    return std::find(early.begin(), early.end(), port) - early.begin();
  };
  std::stable_sort(ports.begin(), mid, [&](uint16_t a, uint16_t b) { return rank(a) < rank(b); });
  return ports;
}

std::vector<uint16_t> scan_order(const PortSet& ports, Protocol protocol, PortOrder order,
                                 uint64_t seed, const PortRegistry& registry) {
  auto top = registry.top_ports(protocol);
  return order_ports(ports.ports(protocol), order, seed,
                     top.first(std::min(kEarlyPortCount, top.size())));
}

}  // namespace portolan
