// HostNamer: the PTR names reports show next to an address.
//
// Loopback addresses are named from the hosts file only: no DNS server knows
// better about this machine's loopback, and asking one would send a query off
// the machine for every 127.x address scanned. Other addresses go through the
// system resolver (getnameinfo), as nmap's reverse DNS does; -n turns it off.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "portolan/net/ip_address.h"

namespace portolan {

class HostNamer {
 public:
  // `hosts_file`: where loopback names come from (normally /etc/hosts).
  explicit HostNamer(bool enabled, const std::string& hosts_file = "/etc/hosts");

  std::optional<std::string> name_for(const IpAddress& address) const;

 private:
  bool enabled_;
  std::unordered_map<IpAddress, std::string, IpAddressHash> loopback_names_;
};

}  // namespace portolan
