// Reverse (PTR) lookup of a scanned address, for nmap's "report for NAME (ADDR)".
//
// Goes through getnameinfo so /etc/hosts and nsswitch are honoured exactly as
// for every other program on the host; NI_NAMEREQD makes "no name" a failure
// instead of echoing the address back as text.
#include <netdb.h>
#include <sys/socket.h>

#include <optional>
#include <string>

#include "portolan/targets/target_list.h"

namespace portolan {

std::optional<std::string> reverse_lookup(const IpAddress& address) {
  sockaddr_storage storage{};
  const socklen_t length = address.to_sockaddr(0, storage);
  char host[NI_MAXHOST] = {};
  const int rc = getnameinfo(reinterpret_cast<const sockaddr*>(&storage), length, host, sizeof host,
                             nullptr, 0, NI_NAMEREQD);
  if (rc != 0 || host[0] == '\0') return std::nullopt;
  return std::string(host);
}

}  // namespace portolan
