// Forward resolution of target names; see name_resolver.h.
#include "portolan/targets/name_resolver.h"

#include <netdb.h>
#include <sys/socket.h>

#include <memory>
#include <optional>

namespace portolan {

Result<IpAddress> resolve_host_name(const std::string& name, bool ipv6_only) {
  addrinfo hints{};
  // One AF_UNSPEC query rather than an IPv4 then an IPv6 one: a missing name
  // costs a single resolver round trip. No AI_ADDRCONFIG: on a host whose only
  // interface is loopback it would hide "localhost".
  hints.ai_family = ipv6_only ? AF_INET6 : AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;  // one entry per address instead of three
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(name.c_str(), nullptr, &hints, &list);
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(list, &freeaddrinfo);
  if (rc != 0 || list == nullptr) {
    return fail(ErrorKind::kNotFound, "failed to resolve '" + name + "'");
  }

  std::optional<IpAddress> first_v4;
  std::optional<IpAddress> first_v6;
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_addr == nullptr) continue;
    auto address = IpAddress::from_sockaddr(ai->ai_addr);
    if (!address) continue;
    if (address->is_v4() && !first_v4) first_v4 = *address;
    if (address->is_v6() && !first_v6) first_v6 = *address;
  }
  if (!ipv6_only && first_v4) return *first_v4;
  if (first_v6) return *first_v6;
  return fail(ErrorKind::kNotFound, "failed to resolve '" + name + "'");
}

}  // namespace portolan
