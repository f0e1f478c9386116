// AuditNet and Pacer: bounded waits, partial answers, UDP port unreachable,
// and the pace of new connections.
#include "portolan/audit/audit_net.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "audit_test_support.h"

namespace portolan::audit {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

AuditNetOptions fast() {
  AuditNetOptions o;
  o.timeout = 300ms;
  o.max_bytes = 1024;
  return o;
}

TEST(AuditNet, ReadsUntilTheAnswerIsCompleteAndBoundsSilence) {
  LoopbackSocket l;
  std::thread server([&] {
    const int c = ::accept(l.fd, nullptr, nullptr);
    char buf[64];
    const ssize_t n = ::recv(c, buf, sizeof buf, 0);
    EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), "PING\r\n");
    const char reply[] = "+PONG\r\n";
    ::send(c, reply, sizeof reply - 1, 0);
    std::this_thread::sleep_for(600ms);  // then silence
    ::close(c);
  });
  Pacer pacer(1000);
  AuditNet net(*IpAddress::parse("127.0.0.1"), pacer, fast());
  auto s = net.connect(l.port);
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_TRUE((*s)->send("PING\r\n"));
  auto line = (*s)->read_line();
  ASSERT_TRUE(line);
  EXPECT_EQ(*line, "+PONG\r\n");
  const auto t0 = Clock::now();
  auto nothing = (*s)->read_line();
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(nothing->empty());
  EXPECT_LT(Clock::now() - t0, 550ms);  // the 300 ms timeout, not the server's 600 ms
  server.join();
  EXPECT_EQ(net.connections(), 1u);
}

TEST(AuditNet, CapsAnEndlessAnswerAtMaxBytes) {
  LoopbackSocket l;
  std::thread server([&] {
    const int c = ::accept(l.fd, nullptr, nullptr);
    const std::string chunk(4096, 'A');
    for (int i = 0; i < 8; ++i) ::send(c, chunk.data(), chunk.size(), MSG_NOSIGNAL);
    ::close(c);
  });
  Pacer pacer(1000);
  AuditNet net(*IpAddress::parse("127.0.0.1"), pacer, fast());
  auto s = net.connect(l.port);
  ASSERT_TRUE(s);
  auto got = (*s)->read_until([](std::string_view) { return false; });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->size(), 1024u);
  server.join();
}

TEST(AuditNet, RefusedConnectionIsAnError) {
  uint16_t port;
  {
    LoopbackSocket l;
    port = l.port;
  }  // closed: nothing listens there now
  Pacer pacer(1000);
  AuditNet net(*IpAddress::parse("127.0.0.1"), pacer, fast());
  auto s = net.connect(port);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("refused"), std::string::npos) << s.error().message();
}

TEST(AuditNet, UdpAnswersAndPortUnreachable) {
  const int u = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(u, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(u, reinterpret_cast<sockaddr*>(&a), &len);
  const uint16_t port = ntohs(a.sin_port);
  std::thread server([&] {
    char buf[64];
    sockaddr_in from{};
    socklen_t fl = sizeof from;
    const ssize_t n = ::recvfrom(u, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &fl);
    for (int i = 0; i < 2; ++i)
      ::sendto(u, buf, static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), fl);
  });
  Pacer pacer(1000);
  AuditNet net(*IpAddress::parse("127.0.0.1"), pacer, fast());
  auto answers = net.exchange_udp(port, "hello", 2);
  server.join();
  ::close(u);
  ASSERT_TRUE(answers) << answers.error().message();
  ASSERT_EQ(answers->size(), 2u);
  EXPECT_EQ((*answers)[0], "hello");
  auto unreachable = net.exchange_udp(port, "hello");  // the socket is closed now
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().message(), "port unreachable");
}

TEST(Pacer, HoldsTheRateAfterTheBurst) {
  Pacer pacer(50);
  const auto t0 = Clock::now();
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(pacer.take(nullptr));
  // 50 come at once (the burst), the next 10 at 50/s: about 200 ms.
  const auto took = Clock::now() - t0;
  EXPECT_GE(took, 150ms);
  EXPECT_LT(took, 1500ms);
  EXPECT_EQ(pacer.taken(), 60u);
}

TEST(Pacer, StopEndsTheWait) {
  Pacer pacer(0.5);
  std::atomic<bool> stop{false};
  ASSERT_TRUE(pacer.take(&stop));  // the one token of the burst
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);
    stop = true;
  });
  const auto t0 = Clock::now();
  EXPECT_FALSE(pacer.take(&stop));
  EXPECT_LT(Clock::now() - t0, 1s);
  stopper.join();
}

}  // namespace
}  // namespace portolan::audit
