// What the audit tests share: loading a capture from tests/audit/captures/,
// and small servers on 127.0.0.1 (kernel-chosen ports) that play bytes back
// to a check talking through a real AuditNet. Header-only: tests/audit
// globs *_test.cpp, so this needs no CMake line. Every wait is bounded.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace portolan::audit {

// The bytes of tests/audit/captures/`path` ("ssh/openssh-9.2p1-default.bin").
// A missing file fails the test and reads as empty.
inline std::string load_capture(std::string_view path) {
  const std::string full =
      std::string(PORTOLAN_SOURCE_DIR) + "/tests/audit/captures/" + std::string(path);
  std::ifstream in(full, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing capture " << full;
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// A socket bound to 127.0.0.1 on a kernel-chosen port: listening for TCP
// (SOCK_STREAM) or bound for UDP (SOCK_DGRAM). Owns the descriptor.
struct LoopbackSocket {
  int fd = -1;
  uint16_t port = 0;  // host byte order

  explicit LoopbackSocket(int type = SOCK_STREAM) {
    fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    EXPECT_GE(fd, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    if (type == SOCK_STREAM) {
      EXPECT_EQ(::listen(fd, 16), 0);
    }
    socklen_t len = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    port = ntohs(sa.sin_port);
  }
  ~LoopbackSocket() { ::close(fd); }
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;
};

// Server side: reads from `fd` until `done(received)`, 2 s pass or the peer
// closes.
inline std::string read_until(int fd, const std::function<bool(const std::string&)>& done) {
  std::string got;
  for (int i = 0; i < 40 && !done(got); ++i) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

inline std::function<bool(const std::string&)> at_least(size_t n) {
  return [n](const std::string& s) { return s.size() >= n; };
}

inline void send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

// A server on 127.0.0.1 (TCP or UDP), served by one thread until destroyed.
// TCP: `on_connection(fd)` per accepted connection, one at a time (the
// server closes fd after). UDP: `on_datagram(request)` returns the answers to
// send back.
class PlaybackServer {
 public:
  using OnConnection = std::function<void(int)>;
  using OnDatagram = std::function<std::vector<std::string>(const std::string&)>;

  explicit PlaybackServer(OnConnection on_connection)
      : socket_(SOCK_STREAM), on_connection_(std::move(on_connection)) {
    thread_ = std::thread([this] { serve(); });
  }
  explicit PlaybackServer(OnDatagram on_datagram)
      : socket_(SOCK_DGRAM), on_datagram_(std::move(on_datagram)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~PlaybackServer() {
    stop_ = true;
    thread_.join();
  }
  PlaybackServer(const PlaybackServer&) = delete;
  PlaybackServer& operator=(const PlaybackServer&) = delete;

  uint16_t port() const { return socket_.port; }
  // Connections accepted (TCP) or datagrams received (UDP).
  int served() const { return served_; }
  // True once destruction began: a long on_connection should return.
  bool stopping() const { return stop_; }

 private:
  void serve() {
    const int fd = socket_.fd;
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      if (on_connection_) {
        const int c = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) continue;
        ++served_;
        on_connection_(c);
        ::close(c);
      } else {
        char buf[65536];
        sockaddr_in from{};
        socklen_t len = sizeof from;
        const ssize_t n =
            ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0) continue;
        ++served_;
        for (const auto& a : on_datagram_(std::string(buf, static_cast<size_t>(n)))) {
          ::sendto(fd, a.data(), a.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
        }
      }
    }
  }

  LoopbackSocket socket_;
  OnConnection on_connection_;
  OnDatagram on_datagram_;
  std::atomic<bool> stop_{false};
  std::atomic<int> served_{0};
  std::thread thread_;
};

}  // namespace portolan::audit
