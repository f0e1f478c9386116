// Opening and checking probe sockets; see probe_socket.h.
#include "portolan/scan/probe_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace portolan {

namespace {

// Linux's default ip_local_port_range, used when /proc cannot be read.
constexpr uint16_t kDefaultLow = 32768;
constexpr uint16_t kDefaultHigh = 60999;

void read_ephemeral_range(uint16_t& low, uint16_t& high) {
  low = kDefaultLow;
  high = kDefaultHigh;
  std::FILE* f = std::fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
  if (f == nullptr) return;
  unsigned lo = 0;
  unsigned hi = 0;
  if (std::fscanf(f, "%u %u", &lo, &hi) == 2 && lo >= 1024 && lo < hi && hi <= 65535) {
    low = static_cast<uint16_t>(lo);
    high = static_cast<uint16_t>(hi);
  }
  std::fclose(f);
}

bool same_endpoint(const sockaddr_storage& a, const sockaddr_storage& b) {
  if (a.ss_family != b.ss_family) return false;
  if (a.ss_family == AF_INET) {
    const auto& x = reinterpret_cast<const sockaddr_in&>(a);
    const auto& y = reinterpret_cast<const sockaddr_in&>(b);
    return x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
  }
  if (a.ss_family == AF_INET6) {
    const auto& x = reinterpret_cast<const sockaddr_in6&>(a);
    const auto& y = reinterpret_cast<const sockaddr_in6&>(b);
    return x.sin6_port == y.sin6_port &&
           std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof x.sin6_addr) == 0;
  }
  return false;
}

}  // namespace

SourcePortPicker::SourcePortPicker(uint64_t seed) : state_(seed | 1) {
  read_ephemeral_range(low_, high_);
}

uint16_t SourcePortPicker::next() {
  // xorshift64*: plenty for spreading ports, no syscalls.
  state_ ^= state_ >> 12;
  state_ ^= state_ << 25;
  state_ ^= state_ >> 27;
  uint64_t r = state_ * 2685821657736338717ull;
  uint32_t span = static_cast<uint32_t>(high_ - low_) + 1;
  return static_cast<uint16_t>(low_ + (r >> 32) % span);
}

int open_probe_socket(const SocketKey& key, SourcePortPicker& ports, bool* pinning_unavailable) {
  int fd = ::socket(key.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) return -errno;
  linger lg{};
  lg.l_onoff = 1;
  lg.l_linger = 0;
  if (::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) != 0) {
    int e = errno;
    ::close(fd);
    return -e;
  }
  if (key.pinned_source_v4 != 0 && key.family == AF_INET) {
    sockaddr_in src{};
    src.sin_family = AF_INET;
    src.sin_addr.s_addr = htonl(key.pinned_source_v4);
    // No SO_REUSEADDR: a port bound by anyone else (another probe socket
    // included) is refused, so each pinned socket has a port of its own.
    for (int attempt = 0; attempt < 16; ++attempt) {
      src.sin_port = htons(ports.next());
      if (::bind(fd, reinterpret_cast<const sockaddr*>(&src), sizeof src) == 0) break;
      if (errno == EADDRNOTAVAIL) {
        if (pinning_unavailable != nullptr) *pinning_unavailable = true;
        break;
      }
      if (errno != EADDRINUSE) break;
    }
  }
  return fd;
}

bool is_self_connected(int fd) {
  sockaddr_storage local{};
  sockaddr_storage peer{};
  socklen_t local_len = sizeof local;
  socklen_t peer_len = sizeof peer;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0) return false;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) return false;
  return same_endpoint(local, peer);
}

}  // namespace portolan
