// The life of a test helper process (listen_ports, udp_responder): it serves
// its sockets until its standard input closes or it receives SIGTERM/SIGINT,
// so a caller that holds the helper's stdin bounds it, and a test killed by a
// timeout leaves nothing running.
#pragma once

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

namespace portolan::test_support {

inline volatile std::sig_atomic_t g_helper_stop = 0;

extern "C" inline void helper_on_term(int) {
  g_helper_stop = 1;
}

// Installs the stop signals and returns the poll set, standard input first.
inline std::vector<pollfd> begin_helper() {
  std::signal(SIGTERM, helper_on_term);
  std::signal(SIGINT, helper_on_term);
  return {pollfd{STDIN_FILENO, POLLIN, 0}};
}

// Prints "listening<bound>" (bound: " P1 P2 ...") and calls on_ready(fd) for
// every socket of fds[1..] that polls readable, until stdin closes or a stop
// signal arrives.
template <typename OnReady>
void serve_until_stopped(std::vector<pollfd>& fds, const std::string& bound, OnReady on_ready) {
  std::printf("listening%s\n", bound.c_str());
  std::fflush(stdout);
  while (!g_helper_stop) {
    int n = poll(fds.data(), fds.size(), 500);
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      char buf[64];
      ssize_t r = read(STDIN_FILENO, buf, sizeof buf);
      if (r <= 0) break;
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if (fds[i].revents & POLLIN) on_ready(fds[i].fd);
    }
  }
}

}  // namespace portolan::test_support
