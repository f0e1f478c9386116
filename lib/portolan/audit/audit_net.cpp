// AuditNet: paced, bounded TCP and UDP I/O for active checks; see audit_net.h.
#include "portolan/audit/audit_net.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

#include <fmt/format.h>

namespace portolan::audit {

namespace {

using Clock = std::chrono::steady_clock;

bool stopping(const std::atomic<bool>* stop) {
  return stop != nullptr && stop->load();
}

// Polls `fd` for `events` until `deadline`, in slices so a stop request is
// seen within 100 ms. Returns the revents, 0 on timeout or stop, -1 on error.
int wait_for(int fd, short events, Clock::time_point deadline, const std::atomic<bool>* stop) {
  while (!stopping(stop)) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return 0;
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 100)));
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n > 0) return p.revents;
  }
  return 0;
}

Error io_error(std::string_view what) {
  return Error(ErrorKind::kIo, fmt::format("{}: {}", what, std::strerror(errno)));
}

// The receive loop of TcpStream::read_until and read_some: what arrives on
// `fd` until `done(received)`, the peer closes, max_bytes, the timeout, or,
// with `idle`, a pause that long once something came. An error only for a
// socket error before anything arrived.
Result<std::string> receive(int fd, const AuditNetOptions& options,
                            const std::function<bool(std::string_view)>& done,
                            std::optional<std::chrono::milliseconds> idle) {
  std::string got;
  const auto deadline = Clock::now() + options.timeout;
  char buffer[4096];
  while (got.size() < options.max_bytes) {
    const auto limit = idle && !got.empty() ? std::min(deadline, Clock::now() + *idle) : deadline;
    const int ev = wait_for(fd, POLLIN, limit, options.stop);
    if (ev <= 0) break;
    const size_t want = std::min(sizeof buffer, options.max_bytes - got.size());
    const ssize_t n = ::recv(fd, buffer, want, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      if (got.empty()) return Unexpected(io_error("recv"));
      break;
    }
    got.append(buffer, static_cast<size_t>(n));
    if (done && done(got)) break;
  }
  return got;
}

}  // namespace

Pacer::Pacer(double per_second)
    : per_second_(per_second > 0 ? per_second : 1),
      tokens_(std::max(1.0, per_second_)),
      last_(Clock::now()) {}

bool Pacer::take(const std::atomic<bool>* stop) {
  while (!stopping(stop)) {
    std::chrono::duration<double> wait{};
    {
      std::lock_guard lock(mutex_);
      const auto now = Clock::now();
      // The burst is one second's worth, and at least one connection.
      tokens_ =
          std::min(std::max(1.0, per_second_),
                   tokens_ + std::chrono::duration<double>(now - last_).count() * per_second_);
      last_ = now;
      if (tokens_ >= 1) {
        tokens_ -= 1;
        ++taken_;
        return true;
      }
      wait = std::chrono::duration<double>((1 - tokens_) / per_second_);
    }
    std::this_thread::sleep_for(
        std::min<std::chrono::duration<double>>(wait, std::chrono::milliseconds(100)));
  }
  return false;
}

TcpStream::~TcpStream() {
  if (fd_ >= 0) ::close(fd_);
}

Result<void> TcpStream::send(std::string_view bytes) {
  const auto deadline = Clock::now() + options_.timeout;
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      const int ev = wait_for(fd_, POLLOUT, deadline, options_.stop);
      if (ev <= 0) return fail(ErrorKind::kIo, "send: timed out");
      continue;
    }
    return Unexpected(io_error("send"));
  }
  return {};
}

Result<std::string> TcpStream::read_until(const std::function<bool(std::string_view)>& done) {
  return receive(fd_, options_, done, std::nullopt);
}

Result<std::string> TcpStream::read_line() {
  return read_until([](std::string_view s) { return s.find('\n') != std::string_view::npos; });
}

Result<std::string> TcpStream::read_some(std::chrono::milliseconds idle) {
  return receive(fd_, options_, nullptr, idle);
}

Result<std::unique_ptr<TcpStream>> AuditNet::connect(uint16_t port) {
  if (!pacer_.take(options_.stop)) return fail(ErrorKind::kIo, "stopped");
  ++connections_;
  sockaddr_storage sa{};
  const socklen_t len = address_.to_sockaddr(port, sa);
  const int fd = ::socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) return Unexpected(io_error("socket"));
  auto stream = std::make_unique<TcpStream>(fd, options_);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&sa), len) != 0 && errno != EINPROGRESS) {
    return Unexpected(io_error(fmt::format("connect to port {}", port)));
  }
  const int ev = wait_for(fd, POLLOUT, Clock::now() + options_.timeout, options_.stop);
  if (ev <= 0) return fail(ErrorKind::kIo, fmt::format("connect to port {}: timed out", port));
  int err = 0;
  socklen_t err_len = sizeof err;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len);
  if (err != 0) {
    errno = err;
    return Unexpected(io_error(fmt::format("connect to port {}", port)));
  }
  return stream;
}

Result<std::vector<std::string>> AuditNet::exchange_udp(uint16_t port, std::string_view request,
                                                        size_t max_datagrams) {
  if (!pacer_.take(options_.stop)) return fail(ErrorKind::kIo, "stopped");
  ++connections_;
  sockaddr_storage sa{};
  const socklen_t len = address_.to_sockaddr(port, sa);
  const int fd = ::socket(sa.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) return Unexpected(io_error("socket"));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  // Connected, so only that port's answers arrive and an ICMP port
  // unreachable comes back as ECONNREFUSED.
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&sa), len) != 0) {
    return Unexpected(io_error("connect (udp)"));
  }
  if (::send(fd, request.data(), request.size(), 0) < 0) return Unexpected(io_error("send (udp)"));
  std::vector<std::string> answers;
  const auto deadline = Clock::now() + options_.timeout;
  std::string buffer(std::min<size_t>(options_.max_bytes, 65536), '\0');
  while (answers.size() < max_datagrams) {
    const int ev = wait_for(fd, POLLIN, deadline, options_.stop);
    if (ev <= 0) break;
    const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno == ECONNREFUSED) {
        if (answers.empty()) return fail(ErrorKind::kIo, "port unreachable");
        break;
      }
      return Unexpected(io_error("recv (udp)"));
    }
    answers.emplace_back(buffer.data(), static_cast<size_t>(n));
  }
  return answers;
}

}  // namespace portolan::audit
