// listen_ports: a test and benchmark helper that listens on TCP ports.
//
//   portolan_listen_ports ADDRESS PORT...
// Binds each port on ADDRESS (0.0.0.0, 127.0.0.1, ::1 ...), prints
// "listening P1 P2 ..." for the ports it could bind, then accepts and closes
// every connection (so a scanned listener never fills its backlog) until its
// standard input closes or it receives SIGTERM. Ports it could not bind are
// reported on standard error and skipped, so callers learn the true set.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "helper_loop.h"
#include "portolan/net/ip_address.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ADDRESS PORT...\n", argv[0]);
    return 2;
  }
  auto addr = portolan::IpAddress::parse(argv[1]);
  if (!addr) {
    std::fprintf(stderr, "listen_ports: %s\n", addr.error().message().c_str());
    return 2;
  }
  std::vector<pollfd> fds = portolan::test_support::begin_helper();
  std::string bound;
  for (int i = 2; i < argc; ++i) {
    char* end = nullptr;
    long port = std::strtol(argv[i], &end, 10);
    if (*end != '\0' || port < 1 || port > 65535) {
      std::fprintf(stderr, "listen_ports: bad port '%s'\n", argv[i]);
      return 2;
    }
    int fd = socket(addr->is_v4() ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_storage ss{};
    socklen_t len = addr->to_sockaddr(static_cast<uint16_t>(port), ss);
    if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 || listen(fd, 1024) != 0) {
      std::fprintf(stderr, "listen_ports: cannot listen on %ld: %s\n", port, std::strerror(errno));
      close(fd);
      continue;
    }
    fds.push_back({fd, POLLIN, 0});
    bound += " " + std::to_string(port);
  }
  // Bounded by the caller: it closes our stdin or sends SIGTERM.
  portolan::test_support::serve_until_stopped(fds, bound, [](int fd) {
    for (int k = 0; k < 256; ++k) {
      int c = accept4(fd, nullptr, nullptr, SOCK_NONBLOCK);
      if (c < 0) break;
      close(c);
    }
  });
  return 0;
}
