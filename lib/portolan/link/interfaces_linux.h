// The host's network interfaces, as the raw-packet engine needs them: index,
// name, hardware address, state, MTU and addresses.
//
// One snapshot per call from the kernel (rtnetlink RTM_GETLINK and RTM_GETADDR
// dumps of the caller's network namespace); nothing is cached, so a scan that
// wants a stable view takes one snapshot at start-up.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"
#include "portolan/net/mac_address.h"

namespace portolan {

struct NetInterface {
  int index = 0;
  std::string name;
  MacAddress mac;  // all zero on loopback and on interfaces without one
  bool loopback = false;
  bool up = false;  // administratively up (IFF_UP)
  int mtu = 0;
  // Addresses with their prefix length, in the kernel's order: for IPv4 the
  // primary address comes first, which is the one the kernel picks as source.
  // Tentative IPv6 addresses (duplicate detection still running) are left
  // out: nothing can be sent from them yet.
  std::vector<std::pair<IpAddress, uint8_t>> addresses;
  // ARPHRD_* link type (1 Ethernet, 772 loopback): the raw engine writes
  // Ethernet headers, so it can only use interfaces of these two types.
  uint16_t link_type = 0;

  bool has_ethernet_framing() const;
  // The source address the kernel would pick on this interface for `dst`
  // (reached via `gateway` when given), nullptr when the interface has no
  // usable address of the family. IPv4: the first (primary) address, one in
  // the gateway's subnet if there is one. IPv6: an address of the same scope
  // class (link-local or not), the longest prefix shared with `dst` first.
  const IpAddress* source_for(const IpAddress& dst, const IpAddress* gateway = nullptr) const;
};

// All interfaces of the caller's network namespace, ordered by index.
Result<std::vector<NetInterface>> list_interfaces();

// The interface called `name` (nmap's -e). Error "no interface named 'x'".
Result<NetInterface> find_interface(std::string_view name);

}  // namespace portolan
