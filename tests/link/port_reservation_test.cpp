// Port reservations, in a namespace (so the ephemeral range can be changed):
// the block lies outside ip_local_port_range, nobody else can bind its ports
// while it lives, and they are free again afterwards.
#include "portolan/link/port_reservation_linux.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns_child.h"

namespace portolan {
namespace {

using testing::sh;

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

// Whether another program could bind `port` on `local` (it even asks for
// SO_REUSEADDR, which must not help).
bool can_bind(const IpAddress& local, uint16_t port, int type) {
  sockaddr_storage ss{};
  const socklen_t len = local.to_sockaddr(port, ss);
  const int fd = ::socket(ss.ss_family, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const int one = 1;
  (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const bool ok = ::bind(fd, reinterpret_cast<const sockaddr*>(&ss), len) == 0;
  ::close(fd);
  return ok;
}

std::string check_block(const IpAddress& local, const PortReservation& r, uint16_t count,
                        uint32_t eph_first, uint32_t eph_last) {
  NS_CHECK(r.count() == count);
  NS_CHECK(r.last() == r.first() + count - 1);
  NS_CHECK_MSG(r.first() >= 61000, "{}", r.first());
  NS_CHECK_MSG(r.last() < eph_first || r.first() > eph_last, "{}-{} overlaps {}-{}", r.first(),
               r.last(), eph_first, eph_last);
  for (uint32_t port = r.first(); port <= r.last(); ++port) {
    NS_CHECK_MSG(!can_bind(local, static_cast<uint16_t>(port), SOCK_STREAM), "tcp {}", port);
    NS_CHECK_MSG(!can_bind(local, static_cast<uint16_t>(port), SOCK_DGRAM), "udp {}", port);
  }
  // The wildcard address conflicts too.
  const IpAddress any = local.is_v4() ? IpAddress() : IpAddress::v6({});
  NS_CHECK(!can_bind(any, r.first(), SOCK_STREAM));
  return "";
}

TEST(PortReservation, HoldsABlockOutsideTheEphemeralRange) {
  RUN_IN_NETNS([]() -> std::string {
    const IpAddress lo = ip("127.0.0.1");
    uint16_t first = 0;
    uint16_t last = 0;
    {
      auto r = PortReservation::create(lo, 100);
      NS_CHECK_MSG(r.has_value(), "{}", r.error().message());
      if (auto e = check_block(lo, *r, 100, 32768, 60999); !e.empty()) return e;
      first = r->first();
      last = r->last();
      // Moving keeps the ports held.
      PortReservation moved = std::move(*r);
      NS_CHECK(moved.first() == first);
      NS_CHECK(!can_bind(lo, first, SOCK_STREAM));
    }
    for (uint32_t port = first; port <= last; ++port) {
      NS_CHECK_MSG(can_bind(lo, static_cast<uint16_t>(port), SOCK_STREAM), "tcp {} still held",
                   port);
      NS_CHECK_MSG(can_bind(lo, static_cast<uint16_t>(port), SOCK_DGRAM), "udp {} still held",
                   port);
    }

    auto v6 = PortReservation::create(ip("::1"), 16);
    NS_CHECK_MSG(v6.has_value(), "{}", v6.error().message());
    if (auto e = check_block(ip("::1"), *v6, 16, 32768, 60999); !e.empty()) return e;
    return "";
  });
}

TEST(PortReservation, FollowsTheEphemeralRangeAndSkipsTakenPorts) {
  RUN_IN_NETNS([]() -> std::string {
    const IpAddress lo = ip("127.0.0.1");
    // Only 64000-65535 lie outside this range.
    NS_CHECK(sh("sysctl -qw net.ipv4.ip_local_port_range='32768 63999'") == 0);
    for (uint64_t seed = 1; seed <= 5; ++seed) {
      auto r = PortReservation::create(lo, 200, seed);
      NS_CHECK_MSG(r.has_value(), "{}", r.error().message());
      if (auto e = check_block(lo, *r, 200, 32768, 63999); !e.empty()) return e;
    }
    // The same seed picks the same block; a taken port moves it elsewhere.
    uint16_t first = 0;
    {
      auto r = PortReservation::create(lo, 50, 99);
      NS_CHECK(r.has_value());
      first = r->first();
    }
    const int blocker = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_storage ss{};
    const socklen_t len = lo.to_sockaddr(static_cast<uint16_t>(first + 10), ss);
    NS_CHECK(::bind(blocker, reinterpret_cast<const sockaddr*>(&ss), len) == 0);
    auto moved = PortReservation::create(lo, 50, 99);
    NS_CHECK_MSG(moved.has_value(), "{}", moved.error().message());
    NS_CHECK(moved->first() != first);
    NS_CHECK(first + 10 < moved->first() || first + 10 > moved->last());
    ::close(blocker);

    // A range that leaves no room above 61000.
    NS_CHECK(sh("sysctl -qw net.ipv4.ip_local_port_range='1024 65535'") == 0);
    auto none = PortReservation::create(lo, 10);
    NS_CHECK(!none.has_value());
    NS_CHECK_MSG(none.error().message().starts_with("cannot reserve 10 source ports: ports "
                                                    "61000-65535 outside the ephemeral range "
                                                    "1024-65535"),
                 "{}", none.error().message());
    // A range above the region's start leaves the part below it.
    NS_CHECK(sh("sysctl -qw net.ipv4.ip_local_port_range='62000 65535'") == 0);
    auto below = PortReservation::create(lo, 1000);
    NS_CHECK_MSG(below.has_value(), "{}", below.error().message());
    NS_CHECK(below->first() == 61000 && below->last() == 61999);
    return "";
  });
}

TEST(PortReservation, RejectsBadRequests) {
  RUN_IN_NETNS([]() -> std::string {
    auto zero = PortReservation::create(ip("127.0.0.1"), 0);
    NS_CHECK(!zero.has_value());
    auto huge = PortReservation::create(ip("127.0.0.1"), 5000);
    NS_CHECK(!huge.has_value());
    auto foreign = PortReservation::create(ip("203.0.113.1"), 4);
    NS_CHECK(!foreign.has_value());
    NS_CHECK_MSG(foreign.error().message() ==
                     "cannot reserve 4 source ports on 203.0.113.1: Cannot assign requested "
                     "address (not an address of this host)",
                 "{}", foreign.error().message());
    return "";
  });
}

}  // namespace
}  // namespace portolan
