// The two ConnectIo backends on their own, on loopback sockets.
//
// Loopback answers inside the connect() call, so the scan tests rarely see a
// connect that is still pending when the backend starts waiting for it; the
// path every real network takes. Here a listener's full accept queue makes
// the kernel drop the SYN, and the answer only comes with its retransmission
// about a second later (one such wait for both backends together).
#include "portolan/scan/connect_io.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "loopback_net.h"

namespace portolan {
namespace {

sockaddr_in loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

int nonblocking_socket() {
  return ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

struct Backend {
  std::unique_ptr<ConnectIo> io;
  int fd = -1;
  bool done = false;
  int32_t result = 1;
};

std::vector<Backend> backends() {
  std::vector<Backend> v;
  auto epoll = make_epoll_connect_io(4);
  EXPECT_TRUE(epoll);
  if (epoll) v.push_back(Backend{std::move(*epoll)});
  if (uring_connect_io_available()) {
    auto uring = make_uring_connect_io(4);
    EXPECT_TRUE(uring);
    if (uring) v.push_back(Backend{std::move(*uring)});
  }
  return v;
}

TEST(ConnectIoTest, ImmediateAnswers) {
  testing::run_isolated([](bool) {
    testing::Listener l("127.0.0.1");
    ASSERT_TRUE(l.ok());
    for (Backend& b : backends()) {
      SCOPED_TRACE(std::string(b.io->name()));
      int refused_fd = nonblocking_socket();
      int open_fd = nonblocking_socket();
      sockaddr_in closed_addr = loopback(1);
      sockaddr_in open_addr = loopback(l.port());
      ConnectRequest reqs[] = {
          {0, refused_fd, reinterpret_cast<sockaddr*>(&closed_addr), sizeof closed_addr},
          {1, open_fd, reinterpret_cast<sockaddr*>(&open_addr), sizeof open_addr}};
      b.io->start(reqs);
      std::vector<ConnectCompletion> out(8);
      std::map<uint32_t, int32_t> results;
      for (int round = 0; round < 50 && results.size() < 2; ++round) {
        size_t n = b.io->wait(Micros(100'000), out);
        for (size_t i = 0; i < n; ++i) results[out[i].slot] = out[i].result;
      }
      EXPECT_EQ(results[0], -ECONNREFUSED);
      EXPECT_EQ(results[1], 0);
      // The refused socket is reusable: connect it again, same backend.
      ConnectRequest again[] = {reqs[0]};
      b.io->start(again);
      results.clear();
      for (int round = 0; round < 50 && results.empty(); ++round) {
        size_t n = b.io->wait(Micros(100'000), out);
        for (size_t i = 0; i < n; ++i) results[out[i].slot] = out[i].result;
      }
      EXPECT_EQ(results[0], -ECONNREFUSED);
      ::close(refused_fd);
      ::close(open_fd);
    }
  });
}

TEST(ConnectIoTest, PendingConnectCanBeCancelled) {
  testing::run_isolated([](bool) {
    testing::Listener l("127.0.0.1", /*backlog=*/0);
    ASSERT_TRUE(l.ok());
    sockaddr_in to = loopback(l.port());
    int filler = nonblocking_socket();
    (void)::connect(filler, reinterpret_cast<sockaddr*>(&to), sizeof to);  // fills the queue
    for (Backend& b : backends()) {
      SCOPED_TRACE(std::string(b.io->name()));
      int fd = nonblocking_socket();
      ConnectRequest req[] = {{3, fd, reinterpret_cast<sockaddr*>(&to), sizeof to}};
      b.io->start(req);
      std::vector<ConnectCompletion> out(8);
      EXPECT_EQ(b.io->wait(Micros(20'000), out), 0u);  // the SYN was dropped
      b.io->cancel(3, fd);
      size_t n = 0;
      for (int round = 0; round < 50 && n == 0; ++round) n = b.io->wait(Micros(100'000), out);
      ASSERT_EQ(n, 1u);
      EXPECT_EQ(out[0].slot, 3u);
      EXPECT_EQ(out[0].result, -ECANCELED);
      ::close(fd);
    }
    ::close(filler);
  });
}

TEST(ConnectIoTest, ConnectThatCompletesLater) {
  testing::run_isolated([](bool) {
    testing::Listener l("127.0.0.1", /*backlog=*/1);
    ASSERT_TRUE(l.ok());
    sockaddr_in to = loopback(l.port());
    // Two connections fill the accept queue (backlog 1 holds two).
    std::vector<int> fillers;
    for (int i = 0; i < 2; ++i) {
      fillers.push_back(nonblocking_socket());
      (void)::connect(fillers.back(), reinterpret_cast<sockaddr*>(&to), sizeof to);
    }
    std::vector<Backend> all = backends();
    for (Backend& b : all) {
      b.fd = nonblocking_socket();
      ConnectRequest req[] = {{0, b.fd, reinterpret_cast<sockaddr*>(&to), sizeof to}};
      b.io->start(req);
    }
    std::vector<ConnectCompletion> out(8);
    for (Backend& b : all) EXPECT_EQ(b.io->wait(Micros(0), out), 0u) << b.io->name();
    // Make room: the probes' SYN retransmissions (about 1 s later) now fit.
    for (int i = 0; i < 2; ++i) {
      int c = ::accept4(l.fd(), nullptr, nullptr, SOCK_CLOEXEC);
      ASSERT_GE(c, 0);
      ::close(c);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (int round = 0; round < 1000 && std::chrono::steady_clock::now() < deadline; ++round) {
      bool all_done = true;
      for (Backend& b : all) {
        if (b.done) continue;
        size_t n = b.io->wait(Micros(10'000), out);
        for (size_t i = 0; i < n; ++i) {
          b.done = true;
          b.result = out[i].result;
        }
        all_done = all_done && b.done;
      }
      if (all_done) break;
    }
    for (Backend& b : all) {
      EXPECT_TRUE(b.done) << b.io->name();
      EXPECT_EQ(b.result, 0) << b.io->name();
      ::close(b.fd);
    }
    for (int fd : fillers) ::close(fd);
  });
}

}  // namespace
}  // namespace portolan
