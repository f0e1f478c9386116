// Reserving source ports by binding them; see port_reservation_linux.h.
#include "portolan/link/port_reservation_linux.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <random>

#include <fmt/format.h>

namespace portolan {

namespace {

constexpr uint32_t kRegionFirst = 61000;
constexpr uint32_t kRegionLast = 65535;
// Blocks tried before giving up; each failed try costs at most `count`
// binds, and a busy host rarely holds more than a few ports up here.
constexpr int kMaxAttempts = 32;

struct PortRange {
  uint32_t first;
  uint32_t last;
};

// Linux's ephemeral range; the default when /proc cannot be read.
PortRange ephemeral_range() {
  PortRange range{32768, 60999};
  std::FILE* f = std::fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
  if (f == nullptr) return range;
  unsigned lo = 0;
  unsigned hi = 0;
  if (std::fscanf(f, "%u %u", &lo, &hi) == 2 && lo <= hi && hi <= 65535) range = {lo, hi};
  std::fclose(f);
  return range;
}

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Binds a socket of `type` to local:port; returns the fd or -errno.
int bind_port(const IpAddress& local, uint16_t port, int type) {
  sockaddr_storage ss{};
  const socklen_t len = local.to_sockaddr(port, ss);
  const int fd = ::socket(ss.ss_family, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&ss), len) != 0) {
    const int err = errno;
    ::close(fd);
    return -err;
  }
  return fd;
}

}  // namespace

Result<PortReservation> PortReservation::create(const IpAddress& local, uint16_t count) {
  return create(local, count, std::random_device{}());
}

Result<PortReservation> PortReservation::create(const IpAddress& local, uint16_t count,
                                                uint64_t seed) {
  const PortRange eph = ephemeral_range();
  // The region minus the ephemeral range: the part below it and the part
  // above it (either may be empty).
  std::vector<PortRange> pieces;
  if (eph.first > kRegionFirst)
    pieces.push_back({kRegionFirst, std::min(eph.first - 1, kRegionLast)});
  if (eph.last < kRegionLast) pieces.push_back({std::max(eph.last + 1, kRegionFirst), kRegionLast});
  uint32_t starts = 0;  // block starts that fit, over all pieces
  for (const auto& p : pieces) {
    if (count > 0 && p.last - p.first + 1 >= count) starts += p.last - p.first + 2 - count;
  }
  if (count == 0 || starts == 0) {
    return fail(ErrorKind::kResource,
                fmt::format("cannot reserve {} source ports: ports {}-{} outside the ephemeral "
                            "range {}-{} (net.ipv4.ip_local_port_range) hold fewer",
                            count, kRegionFirst, kRegionLast, eph.first, eph.last));
  }

  uint64_t state = seed;
  int last_error = EADDRINUSE;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    uint32_t pick = static_cast<uint32_t>(splitmix64(state) % starts);
    uint32_t first = 0;
    for (const auto& p : pieces) {
      const uint32_t here = p.last - p.first + 1 >= count ? p.last - p.first + 2 - count : 0;
      if (pick < here) {
        first = p.first + pick;
        break;
      }
      pick -= here;
    }
    std::vector<int> fds;
    fds.reserve(2 * static_cast<size_t>(count));
    bool ok = true;
    for (uint32_t port = first; port < first + count && ok; ++port) {
      for (int type : {SOCK_STREAM, SOCK_DGRAM}) {
        const int fd = bind_port(local, static_cast<uint16_t>(port), type);
        if (fd < 0) {
          last_error = -fd;
          ok = false;
          break;
        }
        fds.push_back(fd);
      }
    }
    if (ok) return PortReservation(std::move(fds), static_cast<uint16_t>(first), count);
    for (int fd : fds) ::close(fd);
    // Only a taken port is worth another block; anything else fails alike.
    if (last_error != EADDRINUSE) break;
  }
  return fail(last_error == EADDRINUSE ? ErrorKind::kResource : ErrorKind::kIo,
              fmt::format("cannot reserve {} source ports on {}: {}{}", count, local.to_string(),
                          std::strerror(last_error),
                          last_error == EADDRNOTAVAIL ? " (not an address of this host)" : ""));
}

PortReservation::PortReservation(PortReservation&& other) noexcept
    : fds_(std::move(other.fds_)), first_(other.first_), count_(other.count_) {
  other.fds_.clear();
}

PortReservation& PortReservation::operator=(PortReservation&& other) noexcept {
  if (this != &other) {
    release();
    fds_ = std::move(other.fds_);
    other.fds_.clear();
    first_ = other.first_;
    count_ = other.count_;
  }
  return *this;
}

PortReservation::~PortReservation() {
  release();
}

void PortReservation::release() {
  for (int fd : fds_) ::close(fd);
  fds_.clear();
}

}  // namespace portolan
