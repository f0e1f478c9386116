// A minimal rtnetlink conversation over libmnl, shared by the interface,
// route and neighbour readers of this module (not part of its public API).
//
// The one idea: every query here is one request and a stream of replies, so
// the whole conversation is a single call taking a per-message callback; the
// socket lives only as long as the caller needs it and nothing is cached.
#pragma once

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"
#include "portolan/net/mac_address.h"

namespace portolan::rtnl {

class Socket {
 public:
  // Opens and binds a NETLINK_ROUTE socket in the caller's network namespace.
  static Result<Socket> open();

  Socket(Socket&& other) noexcept : nl_(std::exchange(other.nl_, nullptr)), seq_(other.seq_) {}
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();

  // Sends `request` (a message built with mnl_nlmsg_put_header; the sequence
  // number is set here, and NLM_F_ACK for requests that are not dumps, so a
  // single reply also ends with a message the loop can stop on) and calls `on_message(const
  // nlmsghdr*)` for every reply until the dump ends or the kernel acknowledges. `on_message`
  // returns MNL_CB_OK to continue, MNL_CB_STOP to end early. A kernel error
  // reply becomes an Error whose message is `what` + ": " + strerror; its
  // errno is stored in `*kernel_errno` when given.
  template <typename F>
  Result<void> exchange(nlmsghdr* request, const char* what, F&& on_message,
                        int* kernel_errno = nullptr) {
    auto trampoline = [](const nlmsghdr* nlh, void* data) -> int {
      return (*static_cast<std::remove_reference_t<F>*>(data))(nlh);
    };
    return exchange_raw(request, what, trampoline, &on_message, kernel_errno);
  }

 private:
  explicit Socket(mnl_socket* nl) : nl_(nl) {}
  Result<void> exchange_raw(nlmsghdr* request, const char* what, mnl_cb_t cb, void* data,
                            int* kernel_errno);

  mnl_socket* nl_ = nullptr;
  uint32_t seq_ = 0;
};

// Reply buffer large enough for the kernel's biggest dump messages, so no
// reply is ever truncated.
inline constexpr size_t kReceiveBufferSize = 64 * 1024;

// An address attribute (IFA_*, RTA_*, NDA_*) as an IpAddress of `family`
// (AF_INET or AF_INET6); nullopt when its length does not fit the family.
std::optional<IpAddress> attr_address(const nlattr* attr, int family);
// A link-layer address attribute as a MacAddress; nullopt unless 6 bytes.
std::optional<MacAddress> attr_mac(const nlattr* attr);

// Collects the attributes of one message (after its family header of
// `header_size` bytes) into `out`, indexed by type; absent ones and types
// beyond out.size() are left nullptr.
void parse_attributes(const nlmsghdr* nlh, size_t header_size, std::span<const nlattr*> out);

}  // namespace portolan::rtnl
