// Helpers for the loopback scan tests: listeners, the kernel's table of
// listening sockets, and a private network namespace.
//
// The one idea: when the tests may create a network namespace (root, or a
// user namespace), scans run in a fresh one whose only listeners are the
// test's own, so the set of open ports must match exactly and no other
// process on the machine can disturb it. Otherwise they run on the host's
// loopback and check against /proc/net/tcp instead.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <thread>

namespace portolan::testing {

// A TCP listener on `address` (an IPv4 or IPv6 literal), kernel-chosen port.
class Listener {
 public:
  explicit Listener(const char* address, int backlog = 128) {
    sockaddr_storage ss{};
    socklen_t len;
    if (std::strchr(address, ':') != nullptr) {
      auto& a = reinterpret_cast<sockaddr_in6&>(ss);
      a.sin6_family = AF_INET6;
      if (inet_pton(AF_INET6, address, &a.sin6_addr) != 1) return;
      len = sizeof a;
    } else {
      auto& a = reinterpret_cast<sockaddr_in&>(ss);
      a.sin_family = AF_INET;
      if (inet_pton(AF_INET, address, &a.sin_addr) != 1) return;
      len = sizeof a;
    }
    fd_ = ::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(fd_, backlog) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
    port_ = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(ss).sin6_port
                                           : reinterpret_cast<sockaddr_in&>(ss).sin_port);
  }
  ~Listener() {
    if (fd_ >= 0) ::close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  bool ok() const { return fd_ >= 0; }
  uint16_t port() const { return port_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// Ports in LISTEN state in /proc/net/tcp and tcp6, any local address.
inline std::set<uint16_t> listening_ports() {
  std::set<uint16_t> ports;
  for (const char* path : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::FILE* f = std::fopen(path, "re");
    if (f == nullptr) continue;
    char line[512];
    bool header = true;
    for (int guard = 0; guard < 1'000'000 && std::fgets(line, sizeof line, f); ++guard) {
      if (header) {
        header = false;
        continue;
      }
      char local[128];
      char remote[128];
      unsigned state = 0;
      if (std::sscanf(line, " %*d: %127s %127s %x", local, remote, &state) != 3) continue;
      if (state != 0x0A) continue;  // TCP_LISTEN
      const char* colon = std::strrchr(local, ':');
      if (colon != nullptr)
        ports.insert(static_cast<uint16_t>(std::strtoul(colon + 1, nullptr, 16)));
    }
    std::fclose(f);
  }
  return ports;
}

// Runs `body` on a thread of its own, in a new network namespace with its
// loopback up when the kernel allows it; `isolated` tells the body which.
// Threads the body starts (the scanner's workers) inherit the namespace.
inline void run_isolated(const std::function<void(bool isolated)>& body) {
  std::thread t([&] {
    bool isolated = false;
    int original = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (original >= 0 && ::unshare(CLONE_NEWNET) == 0) {
      int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      ifreq ifr{};
      std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
      if (fd >= 0 && ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
        isolated = ::ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
      }
      if (fd >= 0) ::close(fd);
      // A namespace without a working loopback is useless: go back.
      if (!isolated) (void)::setns(original, CLONE_NEWNET);
    }
    if (original >= 0) ::close(original);
    body(isolated);
  });
  t.join();
}

}  // namespace portolan::testing
