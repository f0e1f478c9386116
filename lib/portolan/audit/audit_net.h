// AuditNet: the only way an active check talks to a target.
//
// Blocking sockets with deadlines, because a check is a short conversation
// (connect, a request, an answer) and reads best as straight-line code. The
// runner gives each port its own AuditNet on a worker thread. Every new
// connection or datagram first takes a token from the shared Pacer, which is
// how the audit stays polite (--audit-rate, per second, all hosts together);
// every wait is bounded by `timeout`, every answer by `max_bytes`, and a stop
// request (Ctrl-C) ends waits early.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"

namespace portolan::audit {

// A token bucket shared by all AuditNets of one audit: at most `per_second`
// new connections or datagrams, with a burst of the same size (at least 1).
class Pacer {
 public:
  explicit Pacer(double per_second);
  // Waits for a token; false when `stop` was set while waiting.
  bool take(const std::atomic<bool>* stop);
  uint64_t taken() const { return taken_.load(); }

 private:
  std::mutex mutex_;
  double per_second_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
  std::atomic<uint64_t> taken_{0};
};

struct AuditNetOptions {
  std::chrono::milliseconds timeout{3000};  // connect, and each read
  size_t max_bytes = 64 * 1024;             // per read_until / datagram exchange
  const std::atomic<bool>* stop = nullptr;
};

// One TCP connection. Owns its socket.
class TcpStream {
 public:
  TcpStream(int fd, const AuditNetOptions& options) : fd_(fd), options_(options) {}
  ~TcpStream();
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;

  // Sends everything or fails (kIo).
  Result<void> send(std::string_view bytes);
  // Reads until `done(received)` is true, the peer closes, max_bytes, or the
  // timeout; returns what came, possibly empty or partial. An error only for
  // a socket error (a reset) before anything arrived.
  Result<std::string> read_until(const std::function<bool(std::string_view)>& done);
  // read_until a "\n" (one line, or more if they came together).
  Result<std::string> read_line();
  // Reads what arrives until the peer is idle for `idle` or closes.
  Result<std::string> read_some(std::chrono::milliseconds idle = std::chrono::milliseconds(300));
  int fd() const { return fd_; }
  const AuditNetOptions& options() const { return options_; }

 private:
  int fd_;
  AuditNetOptions options_;
};

class AuditNet {
 public:
  AuditNet(IpAddress address, Pacer& pacer, AuditNetOptions options)
      : address_(address), pacer_(pacer), options_(options) {}

  const IpAddress& address() const { return address_; }
  const AuditNetOptions& options() const { return options_; }

  // Connects to the target's TCP `port` (host byte order).
  Result<std::unique_ptr<TcpStream>> connect(uint16_t port);
  // Sends one UDP datagram and collects answers from that port until
  // `max_datagrams` came or the timeout ran out (then what came, maybe none).
  // An ICMP port unreachable is an error (kIo, "port unreachable").
  Result<std::vector<std::string>> exchange_udp(uint16_t port, std::string_view request,
                                                size_t max_datagrams = 1);

  uint64_t connections() const { return connections_; }

 private:
  IpAddress address_;
  Pacer& pacer_;
  AuditNetOptions options_;
  uint64_t connections_ = 0;
};

}  // namespace portolan::audit
