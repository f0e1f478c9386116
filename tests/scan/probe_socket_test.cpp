#include "portolan/scan/probe_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <unistd.h>

#include <set>

#include "loopback_net.h"

namespace portolan {
namespace {

sockaddr_in loopback(uint32_t host_order, uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(host_order);
  a.sin_port = htons(port);
  return a;
}

uint16_t local_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  return ntohs(a.sin_port);
}

TEST(ProbeSocketTest, PinnedSocketIsBoundToTheLoopbackSourceInTheEphemeralRange) {
  SourcePortPicker ports(1234);
  bool unavailable = false;
  int fd = open_probe_socket(SocketKey{AF_INET, kPinnedLoopbackSource}, ports, &unavailable);
  ASSERT_GE(fd, 0);
  EXPECT_FALSE(unavailable);
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  EXPECT_EQ(ntohl(a.sin_addr.s_addr), kPinnedLoopbackSource);
  EXPECT_GE(ntohs(a.sin_port), 1024);
  linger lg{};
  len = sizeof lg;
  ASSERT_EQ(::getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len), 0);
  EXPECT_EQ(lg.l_onoff, 1);
  EXPECT_EQ(lg.l_linger, 0);
  ::close(fd);
}

TEST(ProbeSocketTest, UnpinnedSocketIsNotBound) {
  SourcePortPicker ports(1);
  int fd = open_probe_socket(SocketKey{AF_INET, 0}, ports, nullptr);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(local_port(fd), 0);
  ::close(fd);
}

TEST(ProbeSocketTest, PickerIsDeterministicAndSpreads) {
  SourcePortPicker a(99);
  SourcePortPicker b(99);
  std::set<uint16_t> seen;
  for (int i = 0; i < 1000; ++i) {
    uint16_t p = a.next();
    EXPECT_EQ(p, b.next());
    EXPECT_GE(p, 1024);
    seen.insert(p);
  }
  EXPECT_GT(seen.size(), 900u);
}

TEST(ProbeSocketTest, DetectsASocketConnectedToItself) {
  testing::run_isolated([](bool) {
    // Bind to a free port, then connect to that very address: TCP's
    // simultaneous open makes the socket its own peer.
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in any = loopback(INADDR_LOOPBACK, 0);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&any), sizeof any), 0);
    sockaddr_in self = loopback(INADDR_LOOPBACK, local_port(fd));
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&self), sizeof self), 0);
    EXPECT_TRUE(is_self_connected(fd));
    ::close(fd);

    testing::Listener l("127.0.0.1");
    ASSERT_TRUE(l.ok());
    int c = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in to = loopback(INADDR_LOOPBACK, l.port());
    ASSERT_EQ(::connect(c, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    EXPECT_FALSE(is_self_connected(c));
    ::close(c);

    int unconnected = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    EXPECT_FALSE(is_self_connected(unconnected));
    ::close(unconnected);
  });
}

TEST(ProbeSocketTest, RefusedSocketCanConnectAgain) {
  // The premise of socket reuse, checked on this kernel.
  testing::run_isolated([](bool) {
    SourcePortPicker ports(5);
    int fd = open_probe_socket(SocketKey{AF_INET, kPinnedLoopbackSource}, ports, nullptr);
    ASSERT_GE(fd, 0);
    testing::Listener l("127.0.0.1");
    ASSERT_TRUE(l.ok());
    for (int i = 0; i < 3; ++i) {
      // A port nobody listens on: 1 (tcpmux) is never bound in the test namespace or
      // almost anywhere; what matters is that a refusal leaves the socket reusable.
      sockaddr_in closed = loopback(INADDR_LOOPBACK, 1);
      int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&closed), sizeof closed);
      if (rc != 0 && errno == EINPROGRESS)
        rc = ::connect(fd, reinterpret_cast<sockaddr*>(&closed), sizeof closed);
      EXPECT_EQ(rc, -1);
      EXPECT_EQ(errno, ECONNREFUSED);
    }
    sockaddr_in open = loopback(INADDR_LOOPBACK, l.port());
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&open), sizeof open);
    if (rc != 0 && errno == EINPROGRESS)
      rc = ::connect(fd, reinterpret_cast<sockaddr*>(&open), sizeof open);
    EXPECT_TRUE(rc == 0 || errno == EISCONN);
    ::close(fd);
  });
}

}  // namespace
}  // namespace portolan
