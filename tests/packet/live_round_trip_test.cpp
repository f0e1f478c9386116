// Live round trips: probes built by ProbeTemplate, sent through an AF_PACKET
// socket on the loopback device, answered by the real kernel, captured with a
// second AF_PACKET socket and decoded by parse_frame. Golden bytes prove the
// builders match our reading of the RFCs; this proves a real stack agrees.
//
// Safety: each test forks a child that moves into a fresh network namespace
// (unshare(CLONE_NEWNET)) whose only device is its own loopback, brings it up
// and only then opens raw sockets; probes go to 127.0.0.1 and ::1 only. The
// root namespace is never touched, and the child is killed if it overruns.
// Needs root (CAP_NET_ADMIN and CAP_NET_RAW); skipped otherwise.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "portolan/packet/frame_parser.h"
#include "portolan/packet/probe_template.h"

namespace portolan {
namespace {

constexpr auto kChildTimeLimit = std::chrono::seconds(20);
constexpr auto kReplyWait = std::chrono::seconds(3);
constexpr uint16_t kClosedPort = 1;  // nothing listens in a namespace this test just made

std::string errno_text(const char* what) {
  return fmt::format("{}: {}", what, std::strerror(errno));
}

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

// In the child: a new network namespace with its loopback up. Returns an
// error text, or "" once the child is isolated and may send.
std::string enter_private_namespace() {
  if (::unshare(CLONE_NEWNET) != 0) return errno_text("skip: unshare(CLONE_NEWNET)");
  Fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  if (!s.ok() || ::ioctl(s.get(), SIOCGIFFLAGS, &ifr) != 0) return errno_text("SIOCGIFFLAGS lo");
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  if (::ioctl(s.get(), SIOCSIFFLAGS, &ifr) != 0) return errno_text("SIOCSIFFLAGS lo up");
  // A frame injected on lo has no route attached, unlike the kernel's own
  // loopback traffic, so IPv4 routes it as if it came from outside: a
  // 127.0.0.0/8 destination is martian unless route_localnet is on, and a
  // source that is one of our own addresses unless accept_local is. Both are
  // set in this namespace only (/proc/sys/net is the namespace's own).
  for (const char* knob : {"route_localnet", "accept_local"}) {
    const std::string path = fmt::format("/proc/sys/net/ipv4/conf/lo/{}", knob);
    Fd sysctl(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!sysctl.ok() || ::write(sysctl.get(), "1", 1) != 1) return errno_text(path.c_str());
  }
  return "";
}

// Runs `body` in a forked child inside a private network namespace and
// returns what it reported: "" for success, "skip: ..." when the namespace
// could not be made, anything else is a failure.
std::string run_in_private_namespace(const std::function<std::string()>& body) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return errno_text("pipe2");
  const pid_t pid = ::fork();
  if (pid < 0) return errno_text("fork");
  if (pid == 0) {
    ::close(fds[0]);
    std::string message = enter_private_namespace();
    if (message.empty()) message = body();
    const char* p = message.data();
    size_t left = message.size();
    while (left > 0) {
      const ssize_t n = ::write(fds[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<size_t>(n);
    }
    ::_exit(message.empty() ? 0 : 1);
  }
  ::close(fds[1]);
  std::string message;
  const auto deadline = std::chrono::steady_clock::now() + kChildTimeLimit;
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[512];
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) break;  // the child closed its end: it is exiting
    message.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (timed_out) return "the child overran its time limit";
  if (!WIFEXITED(status)) return "the child died";
  if (WEXITSTATUS(status) != 0 && message.empty()) return "the child failed silently";
  return message;
}

void check_child(const std::string& message) {
  if (message.rfind("skip:", 0) == 0) GTEST_SKIP() << message;
  EXPECT_EQ(message, "");
}

// The two raw sockets on the namespace's loopback: one to send frames, one
// to capture every frame that crosses the device.
class LoopbackLink {
 public:
  LoopbackLink()
      : send_(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0)),
        capture_(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL))) {}

  // "" when both sockets are open and bound to lo.
  std::string open() {
    ifindex_ = static_cast<int>(::if_nametoindex("lo"));
    if (ifindex_ == 0) return errno_text("if_nametoindex lo");
    if (!send_.ok() || !capture_.ok()) return errno_text("socket(AF_PACKET)");
    sockaddr_ll addr{};
    addr.sll_family = AF_PACKET;
    addr.sll_protocol = htons(ETH_P_ALL);
    addr.sll_ifindex = ifindex_;
    if (::bind(capture_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return errno_text("bind capture socket");
    }
    timeval tv{0, 100'000};
    ::setsockopt(capture_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return "";
  }

  std::string send(std::span<const std::byte> frame) {
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_ifindex = ifindex_;
    to.sll_halen = 6;
    const ssize_t n = ::sendto(send_.get(), frame.data(), frame.size(), 0,
                               reinterpret_cast<sockaddr*>(&to), sizeof to);
    if (n != static_cast<ssize_t>(frame.size())) return errno_text("sendto(AF_PACKET)");
    return "";
  }

  // Captures frames until `match` accepts one or the wait runs out.
  bool wait_for(const std::function<bool(const ParsedReply&)>& match, ParsedReply& found,
                std::string& seen) {
    std::array<std::byte, 2048> buf;
    const auto deadline = std::chrono::steady_clock::now() + kReplyWait;
    while (std::chrono::steady_clock::now() < deadline) {
      const ssize_t n = ::recv(capture_.get(), buf.data(), buf.size(), 0);
      if (n <= 0) continue;
      ParsedReply reply;
      const ParseStatus status = parse_frame(std::span(buf.data(), static_cast<size_t>(n)), reply);
      seen += fmt::format(" [{} {}]", to_string(status),
                          status == ParseStatus::kOk ? to_string(reply.kind) : "");
      if (status == ParseStatus::kOk && match(reply)) {
        found = reply;
        return true;
      }
    }
    return false;
  }

 private:
  Fd send_;
  Fd capture_;
  int ifindex_ = 0;
};

// A TCP listener on a loopback address, kernel-chosen port.
std::string listen_tcp(const IpAddress& address, Fd& fd, uint16_t& port) {
  sockaddr_storage ss{};
  socklen_t len = address.to_sockaddr(0, ss);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) return errno_text("bind");
  if (::listen(fd.get(), 8) != 0) return errno_text("listen");
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return errno_text("getsockname");
  }
  port = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(ss).sin6_port
                                        : reinterpret_cast<sockaddr_in&>(ss).sin_port);
  return "";
}

// Sends SYNs to an open and a closed port and expects a SYN-ACK and a RST,
// both acknowledging our sequence number + 1.
std::string syn_round_trip(const char* loopback) {
  const IpAddress local = IpAddress::parse(loopback).value();
  LoopbackLink link;
  if (std::string e = link.open(); !e.empty()) return e;
  Fd listener(::socket(local.is_v4() ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
  uint16_t open_port = 0;
  if (std::string e = listen_tcp(local, listener, open_port); !e.empty()) return e;

  const MacAddress lo_mac;  // the loopback device's Ethernet header is all zeros
  const auto syn = ProbeTemplate::tcp(lo_mac, local, TcpFlags::kSyn, 1024, true, 64);
  std::array<std::byte, ProbeTemplate::kMaxFrame> frame;
  const uint16_t sport = 40000;
  const uint32_t seq = 0x5eed1234;

  struct Case {
    uint16_t dport;
    uint8_t flags;
  };
  for (const Case c : {Case{open_port, TcpFlags::kSyn | TcpFlags::kAck},
                       Case{kClosedPort, TcpFlags::kRst | TcpFlags::kAck}}) {
    const size_t n = syn.write_tcp(frame, lo_mac, local, sport, c.dport, seq, 0, 0x4242);
    if (n == 0) return "write_tcp refused";
    if (std::string e = link.send(std::span(frame.data(), n)); !e.empty()) return e;
    ParsedReply reply;
    std::string seen;
    const bool got = link.wait_for(
        [&](const ParsedReply& r) {
          return r.kind == ReplyKind::kTcp && r.src == local && r.sport == c.dport &&
                 r.dport == sport;
        },
        reply, seen);
    if (!got) return fmt::format("{}: no reply from port {}; captured:{}", loopback, c.dport, seen);
    if (reply.tcp_flags != c.flags) {
      return fmt::format("{}: port {} answered flags {:#x}", loopback, c.dport, reply.tcp_flags);
    }
    if (reply.ack != seq + 1) {
      return fmt::format("{}: port {} acknowledged {:#x}, not seq + 1", loopback, c.dport,
                         reply.ack);
    }
    if (reply.dst != local) return fmt::format("{}: reply to {}", loopback, reply.dst.to_string());
  }
  return "";
}

// Sends a UDP probe to a closed port and expects the port unreachable error
// quoting our addresses and ports.
std::string udp_round_trip(const char* loopback) {
  const IpAddress local = IpAddress::parse(loopback).value();
  LoopbackLink link;
  if (std::string e = link.open(); !e.empty()) return e;
  const MacAddress lo_mac;
  const auto udp = ProbeTemplate::udp(lo_mac, local, 64);
  std::array<std::byte, ProbeTemplate::kMaxFrame> frame;
  const std::array<std::byte, 5> payload{std::byte{'h'}, std::byte{'e'}, std::byte{'l'},
                                         std::byte{'l'}, std::byte{'o'}};
  const uint16_t sport = 40001;
  const size_t n = udp.write_udp(frame, lo_mac, local, sport, kClosedPort, payload, 0x4343);
  if (n == 0) return "write_udp refused";
  if (std::string e = link.send(std::span(frame.data(), n)); !e.empty()) return e;
  ParsedReply reply;
  std::string seen;
  const bool got = link.wait_for(
      [&](const ParsedReply& r) { return r.kind == ReplyKind::kIcmpUnreachable; }, reply, seen);
  if (!got) return fmt::format("{}: no ICMP unreachable; captured:{}", loopback, seen);
  const uint8_t port_unreachable = local.is_v4() ? 3 : 4;
  const QuotedPacket& q = reply.quoted;
  if (reply.icmp_code != port_unreachable) {
    return fmt::format("{}: unreachable code {}", loopback, reply.icmp_code);
  }
  if (q.protocol != 17 || !q.has_ports || q.sport != sport || q.dport != kClosedPort ||
      q.src != local || q.dst != local) {
    return fmt::format("{}: quote does not match the probe: proto {} ports {} {}", loopback,
                       q.protocol, q.sport, q.dport);
  }
  if (local.is_v4() && q.ip_id != 0x4343) return fmt::format("quoted IP id {:#x}", q.ip_id);
  return "";
}

class LiveRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root for a network namespace and raw sockets";
  }
};

TEST_F(LiveRoundTrip, SynGetsSynAckFromAnOpenPortAndRstFromAClosedOneOverIpv4) {
  check_child(run_in_private_namespace([] { return syn_round_trip("127.0.0.1"); }));
}

TEST_F(LiveRoundTrip, SynGetsSynAckFromAnOpenPortAndRstFromAClosedOneOverIpv6) {
  check_child(run_in_private_namespace([] { return syn_round_trip("::1"); }));
}

TEST_F(LiveRoundTrip, UdpToAClosedPortGetsPortUnreachableQuotingTheProbeOverIpv4) {
  check_child(run_in_private_namespace([] { return udp_round_trip("127.0.0.1"); }));
}

TEST_F(LiveRoundTrip, UdpToAClosedPortGetsPortUnreachableQuotingTheProbeOverIpv6) {
  check_child(run_in_private_namespace([] { return udp_round_trip("::1"); }));
}

}  // namespace
}  // namespace portolan
