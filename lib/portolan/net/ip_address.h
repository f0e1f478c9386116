// IpAddress: one IPv4 or IPv6 address, value type.
//
// The bytes are held in network byte order (as on the wire and in sockaddr);
// the IPv4 accessors convert explicitly (`v4_host_order`). Parsing accepts
// only literals (no names, no zone-less link-local guessing); resolving names
// is the targets module's job.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "portolan/core/result.h"

namespace portolan {

enum class IpFamily : uint8_t { kV4 = 4, kV6 = 6 };

class IpAddress {
 public:
  IpAddress() = default;  // 0.0.0.0

  static IpAddress v4(uint32_t host_order);
  // `bytes` is the address in network byte order.
  static IpAddress v6(const std::array<uint8_t, 16>& bytes);

  // Parses an IPv4 dotted quad or an IPv6 literal (without brackets or zone).
  static Result<IpAddress> parse(std::string_view text);

  IpFamily family() const { return family_; }
  bool is_v4() const { return family_ == IpFamily::kV4; }
  bool is_v6() const { return family_ == IpFamily::kV6; }

  // IPv4 only: the address as a host-order integer (127.0.0.1 -> 0x7f000001).
  uint32_t v4_host_order() const;
  // Raw bytes in network order: 4 significant bytes for IPv4, 16 for IPv6.
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }

  bool is_loopback() const;

  // Canonical text: dotted quad, or RFC 5952 compressed IPv6.
  std::string to_string() const;

  // Fills a sockaddr_in / sockaddr_in6 for `port` (host order); returns its length.
  socklen_t to_sockaddr(uint16_t port, sockaddr_storage& out) const;
  static Result<IpAddress> from_sockaddr(const sockaddr* sa);

  auto operator<=>(const IpAddress&) const = default;
  bool operator==(const IpAddress&) const = default;

 private:
  IpFamily family_ = IpFamily::kV4;
  std::array<uint8_t, 16> bytes_{};
};

struct IpAddressHash {
  size_t operator()(const IpAddress& a) const noexcept;
};

}  // namespace portolan
