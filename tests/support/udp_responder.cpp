// udp_responder: a test and benchmark helper that answers on UDP ports.
//
//   portolan_udp_responder ADDRESS PORT...
// Binds each UDP port on ADDRESS and answers every datagram with a short reply:
// the first 64 bytes of the datagram, or "portolan_udp_responder\n" when it is
// empty, so a UDP scanner sees the port open. ADDRESS "::" means both
// families (one IPv4 socket on 0.0.0.0 and one IPv6-only socket on ::).
// The reply leaves from the address the datagram was sent to (IP_PKTINFO /
// IPV6_PKTINFO), which matters where one socket answers for a whole AnyIP
// range: without it the kernel would pick the interface's address and the
// scanner would see a reply from the wrong host.
// Prints "listening P1 P2 ..." for the ports it could bind (in both families
// for "::"), then runs until its standard input closes or it receives SIGTERM.
// Ports it could not bind are reported on standard error and skipped.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "helper_loop.h"
#include "portolan/net/ip_address.h"

namespace {

constexpr size_t kMaxEcho = 64;
constexpr char kEmptyReply[] = "portolan_udp_responder\n";

// Opens a UDP socket bound to `addr`:`port` that reports each datagram's
// destination address; -1 (with a message) on failure.
int open_socket(const portolan::IpAddress& addr, uint16_t port) {
  int family = addr.is_v4() ? AF_INET : AF_INET6;
  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  int one = 1;
  if (family == AF_INET) {
    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
  } else {
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
    // IPv6 refuses a reply source that is not configured on an interface
    // (an AnyIP address) unless the socket may use non-local addresses;
    // IPv4 accepts any address of a local route.
    setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof one);
  }
  sockaddr_storage ss{};
  socklen_t len = addr.to_sockaddr(port, ss);
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    std::fprintf(stderr, "udp_responder: cannot bind %s port %u: %s\n", addr.to_string().c_str(),
                 port, std::strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

// Answers the datagrams waiting on `fd` (at most 256, so one busy port cannot
// starve the others), each from the address it was sent to.
void answer(int fd) {
  for (int k = 0; k < 256; ++k) {
    std::array<char, 2048> buf{};
    sockaddr_storage peer{};
    alignas(cmsghdr) std::array<char, 256> control{};
    iovec iov{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_name = &peer;
    msg.msg_namelen = sizeof peer;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    ssize_t n = recvmsg(fd, &msg, 0);
    if (n < 0) return;

    // The reply's source: the datagram's destination, nothing else.
    alignas(cmsghdr) std::array<char, 256> reply_control{};
    size_t reply_control_len = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        in_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        in_pktinfo out{};
        out.ipi_spec_dst = info.ipi_addr;
        auto* rc = reinterpret_cast<cmsghdr*>(reply_control.data());
        rc->cmsg_level = IPPROTO_IP;
        rc->cmsg_type = IP_PKTINFO;
        rc->cmsg_len = CMSG_LEN(sizeof out);
        std::memcpy(CMSG_DATA(rc), &out, sizeof out);
        reply_control_len = CMSG_SPACE(sizeof out);
      } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
        in6_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        in6_pktinfo out{};
        out.ipi6_addr = info.ipi6_addr;
        auto* rc = reinterpret_cast<cmsghdr*>(reply_control.data());
        rc->cmsg_level = IPPROTO_IPV6;
        rc->cmsg_type = IPV6_PKTINFO;
        rc->cmsg_len = CMSG_LEN(sizeof out);
        std::memcpy(CMSG_DATA(rc), &out, sizeof out);
        reply_control_len = CMSG_SPACE(sizeof out);
      }
    }
    iovec reply{buf.data(), n > static_cast<ssize_t>(kMaxEcho) ? kMaxEcho : static_cast<size_t>(n)};
    if (n == 0) {
      reply = iovec{const_cast<char*>(kEmptyReply), sizeof kEmptyReply - 1};
    }
    msghdr out{};
    out.msg_name = &peer;
    out.msg_namelen = msg.msg_namelen;
    out.msg_iov = &reply;
    out.msg_iovlen = 1;
    out.msg_control = reply_control_len > 0 ? reply_control.data() : nullptr;
    out.msg_controllen = reply_control_len;
    sendmsg(fd, &out, MSG_DONTWAIT);
  }
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ADDRESS PORT...\n", argv[0]);
    return 2;
  }
  auto addr = portolan::IpAddress::parse(argv[1]);
  if (!addr) {
    std::fprintf(stderr, "udp_responder: %s\n", addr.error().message().c_str());
    return 2;
  }
  std::vector<portolan::IpAddress> addresses{*addr};
  if (addr->is_v6() && *addr == portolan::IpAddress::v6({})) {
    addresses = {portolan::IpAddress::v4(0), *addr};
  }
  std::vector<pollfd> fds = portolan::test_support::begin_helper();
  std::string bound;
  for (int i = 2; i < argc; ++i) {
    char* end = nullptr;
    long port = std::strtol(argv[i], &end, 10);
    if (*end != '\0' || port < 1 || port > 65535) {
      std::fprintf(stderr, "udp_responder: bad port '%s'\n", argv[i]);
      return 2;
    }
    std::vector<int> opened;
    for (const auto& a : addresses) {
      int fd = open_socket(a, static_cast<uint16_t>(port));
      if (fd >= 0) opened.push_back(fd);
    }
    if (opened.size() != addresses.size()) {
      for (int fd : opened) close(fd);
      continue;
    }
    for (int fd : opened) fds.push_back({fd, POLLIN, 0});
    bound += " " + std::to_string(port);
  }
  // Bounded by the caller: it closes our stdin or sends SIGTERM.
  portolan::test_support::serve_until_stopped(fds, bound, answer);
  return 0;
}
