// Reading interfaces over rtnetlink; see interfaces_linux.h.
#include "portolan/link/interfaces_linux.h"

#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <algorithm>
#include <array>
#include <bit>

#include <fmt/format.h>

#include "portolan/link/rtnetlink_linux.h"

namespace portolan {

namespace {

bool is_link_local(const IpAddress& a) {
  return a.is_v6() && a.bytes()[0] == 0xfe && (a.bytes()[1] & 0xc0) == 0x80;
}

// Number of leading bits `a` and `b` share (same family).
int common_prefix(const IpAddress& a, const IpAddress& b) {
  const int bytes = a.is_v4() ? 4 : 16;
  for (int i = 0; i < bytes; ++i) {
    const unsigned diff = a.bytes()[i] ^ b.bytes()[i];
    if (diff != 0) return i * 8 + std::countl_zero(static_cast<uint8_t>(diff));
  }
  return bytes * 8;
}

bool same_prefix(const IpAddress& a, const IpAddress& b, int prefix_len) {
  return a.family() == b.family() && common_prefix(a, b) >= prefix_len;
}

Result<void> dump_links(rtnl::Socket& nl, std::vector<NetInterface>& out) {
  std::array<char, 512> buf{};
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  return nl.exchange(nlh, "cannot list network interfaces", [&](const nlmsghdr* m) {
    if (m->nlmsg_type != RTM_NEWLINK) return MNL_CB_OK;
    const auto* info = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(m));
    std::array<const nlattr*, IFLA_MAX + 1> attrs{};
    rtnl::parse_attributes(m, sizeof(ifinfomsg), attrs);
    NetInterface itf;
    itf.index = info->ifi_index;
    itf.link_type = info->ifi_type;
    itf.loopback = (info->ifi_flags & IFF_LOOPBACK) != 0;
    itf.up = (info->ifi_flags & IFF_UP) != 0;
    if (attrs[IFLA_IFNAME] != nullptr) itf.name = mnl_attr_get_str(attrs[IFLA_IFNAME]);
    if (attrs[IFLA_MTU] != nullptr) itf.mtu = static_cast<int>(mnl_attr_get_u32(attrs[IFLA_MTU]));
    if (auto mac = rtnl::attr_mac(attrs[IFLA_ADDRESS])) itf.mac = *mac;
    out.push_back(std::move(itf));
    return MNL_CB_OK;
  });
}

Result<void> dump_addresses(rtnl::Socket& nl, std::vector<NetInterface>& interfaces) {
  std::array<char, 512> buf{};
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETADDR;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  ifa->ifa_family = AF_UNSPEC;
  return nl.exchange(nlh, "cannot list interface addresses", [&](const nlmsghdr* m) {
    if (m->nlmsg_type != RTM_NEWADDR) return MNL_CB_OK;
    const auto* msg = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(m));
    std::array<const nlattr*, IFA_MAX + 1> attrs{};
    rtnl::parse_attributes(m, sizeof(ifaddrmsg), attrs);
    // IFA_LOCAL is this host's address; IFA_ADDRESS is the peer's on
    // point-to-point links and equal to IFA_LOCAL elsewhere.
    const nlattr* local = attrs[IFA_LOCAL] != nullptr ? attrs[IFA_LOCAL] : attrs[IFA_ADDRESS];
    auto addr = rtnl::attr_address(local, msg->ifa_family);
    if (!addr) return MNL_CB_OK;
    uint32_t flags = msg->ifa_flags;
    if (attrs[IFA_FLAGS] != nullptr) flags = mnl_attr_get_u32(attrs[IFA_FLAGS]);
    // A tentative address (duplicate detection still running) cannot send yet.
    if ((flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)) != 0) return MNL_CB_OK;
    for (auto& itf : interfaces) {
      if (itf.index == static_cast<int>(msg->ifa_index)) {
        itf.addresses.emplace_back(*addr, msg->ifa_prefixlen);
        break;
      }
    }
    return MNL_CB_OK;
  });
}

}  // namespace

bool NetInterface::has_ethernet_framing() const {
  return link_type == ARPHRD_ETHER || link_type == ARPHRD_LOOPBACK;
}

const IpAddress* NetInterface::source_for(const IpAddress& dst, const IpAddress* gateway) const {
  const IpAddress* best = nullptr;
  int best_score = -1;
  for (const auto& [addr, prefix] : addresses) {
    if (addr.family() != dst.family()) continue;
    int score = 0;
    if (dst.is_v4()) {
      score = gateway != nullptr && same_prefix(addr, *gateway, prefix) ? 1 : 0;
    } else {
      // The kernel never uses a link-local source for a global destination
      // while a global address exists, nor the reverse.
      score = (is_link_local(addr) == is_link_local(dst) ? 256 : 0) + common_prefix(addr, dst);
    }
    if (score > best_score) {
      best = &addr;
      best_score = score;
    }
  }
  // A link-local destination is reachable only from a link-local source.
  if (best != nullptr && is_link_local(dst) && !is_link_local(*best)) return nullptr;
  return best;
}

Result<std::vector<NetInterface>> list_interfaces() {
  auto nl = rtnl::Socket::open();
  if (!nl) return Unexpected(nl.error());
  std::vector<NetInterface> interfaces;
  if (auto r = dump_links(*nl, interfaces); !r) return Unexpected(r.error());
  if (auto r = dump_addresses(*nl, interfaces); !r) return Unexpected(r.error());
  std::sort(interfaces.begin(), interfaces.end(),
            [](const NetInterface& a, const NetInterface& b) { return a.index < b.index; });
  return interfaces;
}

Result<NetInterface> find_interface(std::string_view name) {
  auto all = list_interfaces();
  if (!all) return Unexpected(all.error());
  for (auto& itf : *all) {
    if (itf.name == name) return std::move(itf);
  }
  return fail(ErrorKind::kNotFound, fmt::format("no interface named '{}'", name.substr(0, 64)));
}

}  // namespace portolan
