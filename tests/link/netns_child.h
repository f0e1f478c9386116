// Running a test body in a private network namespace (see shared/LAB.md).
//
// The one idea: every link test that opens packet sockets, adds routes or
// nftables tables runs in a forked child that first moves into a fresh
// network namespace (unshare(CLONE_NEWNET)) holding only its own loopback and
// the veth pairs it creates. Nothing it does can reach the machine's real
// interfaces, and the namespace, with everything in it, vanishes when the
// child exits. The child reports through a pipe: an empty string for
// success, else the first failed check. An alarm bounds its run time.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include <fmt/format.h>

namespace portolan::testing {

// Inside the child: returns a failure message from the body unless `cond`.
#define NS_CHECK(cond)                                                                       \
  do {                                                                                       \
    if (!(cond)) return ::fmt::format("{}:{}: check failed: {}", __FILE__, __LINE__, #cond); \
  } while (0)
#define NS_CHECK_MSG(cond, ...)                                                      \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      return ::fmt::format("{}:{}: check failed: {}: {}", __FILE__, __LINE__, #cond, \
                           ::fmt::format(__VA_ARGS__));                              \
    }                                                                                \
  } while (0)

// Runs `command` with /bin/sh inside the child's namespace; its output goes to
// the test log. Returns the exit status (-1 when it could not run).
inline int sh(const std::string& command) {
  const int rc = std::system(command.c_str());
  return rc >= 0 && WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// Runs `command` and returns its standard output.
inline std::string sh_output(const std::string& command) {
  std::string out;
  std::FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

// Forks; the child unshares its network namespace, brings lo up, runs `body`
// and exits. Returns "" on success, the body's message, or "skip: ..." when
// no namespace could be made.
inline std::string run_in_netns(const std::function<std::string()>& body, int timeout_s = 60) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return "pipe failed";
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    ::close(fds[0]);
    ::alarm(static_cast<unsigned>(timeout_s));
    std::string result;
    if (::unshare(CLONE_NEWNET) != 0) {
      result = "skip: cannot create a network namespace";
    } else {
      ::setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
      result = sh("ip link set lo up") == 0 ? body() : "cannot bring lo up";
    }
    size_t done = 0;
    while (done < result.size()) {
      const ssize_t n = ::write(fds[1], result.data() + done, result.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    ::_exit(0);  // no atexit handlers, no gtest teardown in the child
  }
  ::close(fds[1]);
  std::string result;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
    result.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return fmt::format("child died ({}){}",
                       WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exit",
                       result.empty() ? "" : ": " + result);
  }
  return result;
}

}  // namespace portolan::testing

// Runs a body (a callable returning std::string) in a private namespace and
// fails or skips the current test accordingly. Needs root.
#define RUN_IN_NETNS(...)                                                          \
  do {                                                                             \
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces)";       \
    const std::string ns_result_ = ::portolan::testing::run_in_netns(__VA_ARGS__); \
    if (ns_result_.rfind("skip: ", 0) == 0) GTEST_SKIP() << ns_result_.substr(6);  \
    EXPECT_EQ(ns_result_, "");                                                     \
  } while (0)
