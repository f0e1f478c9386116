// The rtnetlink conversation; see rtnetlink_linux.h.
#include "portolan/link/rtnetlink_linux.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace portolan::rtnl {

namespace {

// The kernel answers every query at once; the timeout only keeps a kernel
// bug from hanging a scan.
constexpr int kReceiveTimeoutSeconds = 5;

std::string errno_text(int err) {
  return std::strerror(err);
}

}  // namespace

Result<Socket> Socket::open() {
  mnl_socket* nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
  if (nl == nullptr) {
    return fail(ErrorKind::kIo, fmt::format("cannot open a netlink socket: {}", errno_text(errno)));
  }
  if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
    const int err = errno;
    mnl_socket_close(nl);
    return fail(ErrorKind::kIo, fmt::format("cannot bind a netlink socket: {}", errno_text(err)));
  }
  timeval tv{};
  tv.tv_sec = kReceiveTimeoutSeconds;
  (void)::setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return Socket(nl);
}

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (nl_ != nullptr) mnl_socket_close(nl_);
    nl_ = std::exchange(other.nl_, nullptr);
    seq_ = other.seq_;
  }
  return *this;
}

Socket::~Socket() {
  if (nl_ != nullptr) mnl_socket_close(nl_);
}

Result<void> Socket::exchange_raw(nlmsghdr* request, const char* what, mnl_cb_t cb, void* data,
                                  int* kernel_errno) {
  request->nlmsg_seq = ++seq_;
  if ((request->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP) request->nlmsg_flags |= NLM_F_ACK;
  if (mnl_socket_sendto(nl_, request, request->nlmsg_len) < 0) {
    return fail(ErrorKind::kIo, fmt::format("{}: {}", what, errno_text(errno)));
  }
  const unsigned portid = mnl_socket_get_portid(nl_);
  std::vector<char> buf(kReceiveBufferSize);
  // Bounded only by the kernel's reply, which always ends in DONE or an ACK.
  for (;;) {
    const ssize_t n = mnl_socket_recvfrom(nl_, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(ErrorKind::kIo, fmt::format("{}: {}", what, errno_text(errno)));
    }
    const int ret =
        mnl_cb_run(buf.data(), static_cast<size_t>(n), request->nlmsg_seq, portid, cb, data);
    if (ret == MNL_CB_ERROR) {
      const int err = errno;
      if (kernel_errno != nullptr) *kernel_errno = err;
      return fail(err == EPERM || err == EACCES ? ErrorKind::kPermission : ErrorKind::kIo,
                  fmt::format("{}: {}", what, errno_text(err)));
    }
    if (ret == MNL_CB_STOP) return {};
  }
}

std::optional<IpAddress> attr_address(const nlattr* attr, int family) {
  if (attr == nullptr) return std::nullopt;
  const uint16_t len = mnl_attr_get_payload_len(attr);
  const auto* p = static_cast<const uint8_t*>(mnl_attr_get_payload(attr));
  if (family == AF_INET && len == 4) {
    return IpAddress::v4(static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
                         static_cast<uint32_t>(p[2]) << 8 | p[3]);
  }
  if (family == AF_INET6 && len == 16) {
    std::array<uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), p, bytes.size());
    return IpAddress::v6(bytes);
  }
  return std::nullopt;
}

std::optional<MacAddress> attr_mac(const nlattr* attr) {
  if (attr == nullptr || mnl_attr_get_payload_len(attr) != 6) return std::nullopt;
  MacAddress mac;
  std::memcpy(mac.bytes.data(), mnl_attr_get_payload(attr), mac.bytes.size());
  return mac;
}

void parse_attributes(const nlmsghdr* nlh, size_t header_size, std::span<const nlattr*> out) {
  std::fill(out.begin(), out.end(), nullptr);
  const char* tail = static_cast<const char*>(mnl_nlmsg_get_payload_tail(nlh));
  // libmnl's mnl_attr_for_each relies on C's implicit void* conversion.
  for (auto* attr = static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(nlh, header_size));
       mnl_attr_ok(attr, static_cast<int>(tail - reinterpret_cast<const char*>(attr)));
       attr = mnl_attr_next(attr)) {
    const uint16_t type = mnl_attr_get_type(attr);
    if (type < out.size()) out[type] = attr;
  }
}

}  // namespace portolan::rtnl
