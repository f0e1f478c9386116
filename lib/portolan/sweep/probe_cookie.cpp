// ProbeCookie: the keyed 4-tuple hash; see probe_cookie.h for the design.
#include "portolan/sweep/probe_cookie.h"

#include <sys/random.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <random>

#include "portolan/sweep/siphash.h"

namespace portolan {

ProbeCookie ProbeCookie::random() {
  std::array<uint64_t, 2> key{};
  auto* out = reinterpret_cast<unsigned char*>(key.data());
  size_t got = 0;
  while (got < sizeof key) {
    ssize_t n = getrandom(out + got, sizeof key - got, 0);
    if (n > 0) {
      got += static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      break;
    }
  }
  if (got < sizeof key) {
    // Kernels before 3.17 lack getrandom; random_device reads /dev/urandom.
    std::random_device device;
    for (auto& word : key) word = (uint64_t{device()} << 32) | device();
  }
  return ProbeCookie(key[0], key[1]);
}

uint64_t ProbeCookie::hash(const IpAddress& local, uint16_t local_port, const IpAddress& remote,
                           uint16_t remote_port, uint8_t protocol) const {
  const uint64_t ports_and_protocol =
      uint64_t{local_port} | (uint64_t{remote_port} << 16) | (uint64_t{protocol} << 32);
  if (local.is_v4() && remote.is_v4()) {
    // 16 bytes in two words; the length differs from the IPv6 message, so the
    // two families can never produce the same SipHash input.
    const uint64_t addresses =
        uint64_t{local.v4_host_order()} | (uint64_t{remote.v4_host_order()} << 32);
    return siphash24(k0_, k1_, addresses, ports_and_protocol | (uint64_t{4} << 40));
  }
  // Five words (40 bytes): both addresses' 16 bytes, then ports, protocol
  // and the two families, which tell a v4 address in a 16-byte slot from a
  // v6 one.
  std::array<uint64_t, 5> words;
  std::memcpy(&words[0], local.bytes().data(), 16);
  std::memcpy(&words[2], remote.bytes().data(), 16);
  if constexpr (std::endian::native == std::endian::big) {
    for (size_t i = 0; i < 4; ++i) words[i] = __builtin_bswap64(words[i]);
  }
  words[4] = ports_and_protocol | (uint64_t{static_cast<uint8_t>(local.family())} << 48) |
             (uint64_t{static_cast<uint8_t>(remote.family())} << 56);
  return siphash24(k0_, k1_, words);
}

uint16_t ProbeCookie::source_port(const IpAddress& local, const IpAddress& remote,
                                  uint16_t remote_port, uint8_t protocol, uint16_t port_first,
                                  uint16_t port_count) const {
  if (port_count == 0) port_count = 1;
  // Multiply-shift maps the top 32 hash bits onto [0, port_count) without a
  // division; the bias is below port_count / 2^32.
  const uint64_t top = hash(local, 0, remote, remote_port, protocol) >> 32;
  const uint64_t offset = (top * port_count) >> 32;
  return static_cast<uint16_t>(port_first + offset);
}

uint32_t ProbeCookie::icmp_tag(const IpAddress& local, const IpAddress& remote) const {
  const uint8_t protocol = local.is_v4() ? kIcmp : kIcmpV6;
  return static_cast<uint32_t>(hash(local, 0, remote, 0, protocol));
}

}  // namespace portolan
