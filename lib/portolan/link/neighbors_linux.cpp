// Neighbour lookups over rtnetlink; see neighbors_linux.h.
#include "portolan/link/neighbors_linux.h"

#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <array>

#include <fmt/format.h>

#include "portolan/link/rtnetlink_linux.h"

namespace portolan {

namespace {

constexpr uint16_t kUsableStates =
    NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP;

}  // namespace

Result<std::optional<MacAddress>> lookup_neighbor(int ifindex, const IpAddress& addr) {
  auto nl = rtnl::Socket::open();
  if (!nl) return Unexpected(nl.error());

  // A single-entry get (Linux 5.0+) rather than a dump: a router's table can
  // hold thousands of entries.
  std::array<char, 256> buf{};
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETNEIGH;
  nlh->nlmsg_flags = NLM_F_REQUEST;
  auto* ndm = static_cast<ndmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ndmsg)));
  ndm->ndm_family = addr.is_v4() ? AF_INET : AF_INET6;
  ndm->ndm_ifindex = ifindex;
  mnl_attr_put(nlh, NDA_DST, addr.is_v4() ? 4 : 16, addr.bytes().data());

  std::optional<MacAddress> mac;
  int kernel_errno = 0;
  const std::string what = fmt::format("cannot read the neighbour entry of {}", addr.to_string());
  auto r = nl->exchange(
      nlh, what.c_str(),
      [&](const nlmsghdr* m) {
        if (m->nlmsg_type != RTM_NEWNEIGH) return MNL_CB_OK;
        const auto* reply = static_cast<const ndmsg*>(mnl_nlmsg_get_payload(m));
        if (reply->ndm_ifindex != ifindex || (reply->ndm_state & kUsableStates) == 0) {
          return MNL_CB_OK;
        }
        std::array<const nlattr*, NDA_MAX + 1> attrs{};
        rtnl::parse_attributes(m, sizeof(ndmsg), attrs);
        mac = rtnl::attr_mac(attrs[NDA_LLADDR]);
        return MNL_CB_OK;
      },
      &kernel_errno);
  if (!r) {
    // ENOENT is the kernel's way to say it has no entry.
    if (kernel_errno == ENOENT) return std::optional<MacAddress>{};
    return Unexpected(r.error());
  }
  return mac;
}

}  // namespace portolan
