// Reading routes and answering lookups from memory; see route_table_linux.h.
#include "portolan/link/route_table_linux.h"

#include <errno.h>
#include <linux/rtnetlink.h>

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "portolan/link/rtnetlink_linux.h"

namespace portolan {

namespace {

constexpr uint32_t kTableLocal = RT_TABLE_LOCAL;
constexpr uint32_t kTableMain = RT_TABLE_MAIN;

Unexpected no_route(const IpAddress& dst) {
  return fail(ErrorKind::kNotFound, fmt::format("no route to {}", dst.to_string()));
}

Unexpected no_source(const IpAddress& dst, const std::string& ifname) {
  return fail(ErrorKind::kNotFound,
              fmt::format("no source address for {} on {}", dst.to_string(), ifname));
}

uint64_t load_be64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
  return v;
}

// Key arithmetic for the two address sizes: the first and last address of a
// prefix, and the address after one that is not the last of the space.
struct V4Ops {
  using Key = uint32_t;
  static Key key(const IpAddress& a) { return a.v4_host_order(); }
  static Key host_mask(int len) { return len <= 0 ? ~Key{0} : len >= 32 ? 0 : ~Key{0} >> len; }
  static Key first(Key k, int len) { return k & ~host_mask(len); }
  static Key last(Key k, int len) { return k | host_mask(len); }
  static bool is_max(Key k) { return k == ~Key{0}; }
  static Key next(Key k) { return k + 1; }
};

template <typename K>
struct V6Ops {
  using Key = K;
  static Key key(const IpAddress& a) {
    return Key{load_be64(a.bytes().data()), load_be64(a.bytes().data() + 8)};
  }
  static uint64_t mask64(int len) {  // host bits of one half for `len` prefix bits in it
    return len <= 0 ? ~uint64_t{0} : len >= 64 ? 0 : ~uint64_t{0} >> len;
  }
  static Key host_mask(int len) { return Key{mask64(len), mask64(len - 64)}; }
  static Key first(Key k, int len) {
    const Key m = host_mask(len);
    return Key{k.hi & ~m.hi, k.lo & ~m.lo};
  }
  static Key last(Key k, int len) {
    const Key m = host_mask(len);
    return Key{k.hi | m.hi, k.lo | m.lo};
  }
  static bool is_max(Key k) { return k.hi == ~uint64_t{0} && k.lo == ~uint64_t{0}; }
  static Key next(Key k) { return k.lo == ~uint64_t{0} ? Key{k.hi + 1, 0} : Key{k.hi, k.lo + 1}; }
};

// Sorted (start, winner) boundaries of one table; see the file comment.
template <typename Ops>
std::vector<std::pair<typename Ops::Key, int32_t>> sweep_table(
    const std::vector<RouteEntry>& routes, const std::vector<int32_t>& members) {
  using Key = typename Ops::Key;
  struct Span {
    Key first;
    Key last;
    int32_t route;
  };
  std::vector<Span> spans;
  spans.reserve(members.size());
  for (int32_t i : members) {
    const RouteEntry& r = routes[static_cast<size_t>(i)];
    const Key k = Ops::key(r.prefix);
    spans.push_back({Ops::first(k, r.prefix_len), Ops::last(k, r.prefix_len), i});
  }
  // Outer prefixes before the ones they contain; equal prefixes by metric,
  // then in dump order (stable), so the first of a run is the winner.
  std::stable_sort(spans.begin(), spans.end(), [&](const Span& a, const Span& b) {
    if (a.first != b.first) return a.first < b.first;
    if (a.last != b.last) return a.last > b.last;
    return routes[static_cast<size_t>(a.route)].metric <
           routes[static_cast<size_t>(b.route)].metric;
  });

  std::vector<std::pair<Key, int32_t>> out;
  auto emit = [&](Key at, int32_t route) {
    if (!out.empty() && out.back().first == at) {
      out.back().second = route;  // a later boundary at the same address is more specific
    } else {
      out.emplace_back(at, route);
    }
  };
  emit(Key{}, -1);
  std::vector<Span> stack;  // the prefixes containing the sweep position, outermost first
  for (size_t i = 0; i < spans.size(); ++i) {
    const Span& s = spans[i];
    if (i > 0 && spans[i - 1].first == s.first && spans[i - 1].last == s.last) continue;
    while (!stack.empty() && stack.back().last < s.first) {
      const Key after = Ops::next(stack.back().last);  // < s.first <= max: no overflow
      stack.pop_back();
      emit(after, stack.empty() ? -1 : stack.back().route);
    }
    stack.push_back(s);
    emit(s.first, s.route);
  }
  while (!stack.empty()) {
    // Prefixes ending at the last address of the space close nothing after it.
    if (Ops::is_max(stack.back().last)) break;
    const Key after = Ops::next(stack.back().last);
    stack.pop_back();
    emit(after, stack.empty() ? -1 : stack.back().route);
  }
  return out;
}

}  // namespace

template <typename Key>
RouteTable::Intervals<Key> RouteTable::flatten(const std::vector<RouteEntry>& routes, bool v6) {
  using Ops = std::conditional_t<std::is_same_v<Key, uint32_t>, V4Ops, V6Ops<Key>>;
  std::vector<int32_t> local;
  std::vector<int32_t> main_table;
  for (size_t i = 0; i < routes.size(); ++i) {
    const RouteEntry& r = routes[i];
    if (r.prefix.is_v6() != v6) continue;
    if (r.table == kTableLocal) local.push_back(static_cast<int32_t>(i));
    if (r.table == kTableMain) main_table.push_back(static_cast<int32_t>(i));
  }
  const auto l = sweep_table<Ops>(routes, local);
  const auto m = sweep_table<Ops>(routes, main_table);

  // Both lists start at address 0; walk their union of boundaries.
  auto usable = [&](int32_t r) {
    return r >= 0 && routes[static_cast<size_t>(r)].type != RouteEntry::Type::kThrow;
  };
  Intervals<Key> out;
  size_t i = 0;
  size_t j = 0;
  int32_t lv = -1;
  int32_t mv = -1;
  while (i < l.size() || j < m.size()) {
    Key at{};
    if (j == m.size() || (i < l.size() && l[i].first <= m[j].first)) {
      at = l[i].first;
    } else {
      at = m[j].first;
    }
    if (i < l.size() && l[i].first == at) lv = l[i++].second;
    if (j < m.size() && m[j].first == at) mv = m[j++].second;
    const int32_t winner = usable(lv) ? lv : usable(mv) ? mv : -1;
    if (!out.winners.empty() && out.winners.back() == winner) continue;
    out.starts.push_back(at);
    out.winners.push_back(winner);
  }
  return out;
}

RouteTable RouteTable::build(std::vector<RouteEntry> routes, std::vector<NetInterface> interfaces) {
  RouteTable t;
  t.interfaces_ = std::move(interfaces);
  t.v4_ = flatten<uint32_t>(routes, false);
  t.v6_ = flatten<V6Key>(routes, true);
  t.resolved_.reserve(routes.size());
  for (const auto& r : routes) t.resolved_.push_back(t.resolve(r));
  return t;
}

template <typename Key>
int32_t RouteTable::find(const Intervals<Key>& intervals, const Key& key) {
  // The last interval starting at or before `key`; the first starts at 0.
  const Key* starts = intervals.starts.data();
  size_t len = intervals.starts.size();
  if (len == 0) return -1;
  size_t at = 0;
  while (len > 1) {
    const size_t half = len / 2;
    if (!(key < starts[at + half])) at += half;
    len -= half;
  }
  return intervals.winners[at];
}

const NetInterface* RouteTable::interface_by_index(int ifindex) const {
  for (const auto& itf : interfaces_) {
    if (itf.index == ifindex) return &itf;
  }
  return nullptr;
}

const NetInterface* RouteTable::loopback_interface() const {
  for (const auto& itf : interfaces_) {
    if (itf.loopback) return &itf;
  }
  return nullptr;
}

namespace {

PathInfo path_on(const NetInterface& itf) {
  PathInfo p;
  p.ifindex = itf.index;
  p.ifname = itf.name;
  p.if_mac = itf.mac;
  p.loopback = itf.loopback;
  p.mtu = itf.mtu;
  return p;
}

// 127.0.0.1 or ::1: the source for a non-local destination routed over lo.
IpAddress loopback_source(const IpAddress& dst) {
  std::array<uint8_t, 16> v6{};
  v6[15] = 1;
  return dst.is_v4() ? IpAddress::v4(0x7f000001) : IpAddress::v6(v6);
}

// The local-destination rule shared by lookup() and kernel_route().
Result<PathInfo> local_path(const NetInterface* lo, const IpAddress& dst) {
  if (lo == nullptr) return no_route(dst);
  PathInfo p = path_on(*lo);
  p.source = dst;
  return p;
}

// The interface's source for `dst`, else (as the kernel does for an
// interface without an address of the family) one from any other interface.
std::optional<IpAddress> pick_source(const std::vector<NetInterface>& all, const NetInterface& itf,
                                     const IpAddress& dst, const IpAddress* gateway) {
  if (const IpAddress* s = itf.source_for(dst, gateway)) return *s;
  for (const auto& other : all) {
    if (other.loopback || !other.up) continue;
    if (const IpAddress* s = other.source_for(dst, gateway)) return *s;
  }
  return std::nullopt;
}

}  // namespace

RouteTable::Resolved RouteTable::resolve(const RouteEntry& route) const {
  Resolved r;
  switch (route.type) {
    case RouteEntry::Type::kLocal:
      if (const NetInterface* lo = loopback_interface()) {
        r.kind = Resolved::Kind::kLocal;
        r.path = path_on(*lo);
      }
      return r;
    case RouteEntry::Type::kReject:
    case RouteEntry::Type::kThrow:
      return r;
    case RouteEntry::Type::kUnicast:
    case RouteEntry::Type::kBroadcast:
    case RouteEntry::Type::kMulticast:
      break;
  }
  if (route.ifindex == 0) {
    r.kind = Resolved::Kind::kAskKernel;
    return r;
  }
  const NetInterface* itf = interface_by_index(route.ifindex);
  if (itf == nullptr) return r;
  r.kind = Resolved::Kind::kPath;
  r.path = path_on(*itf);
  r.path.gateway = route.gateway;
  if (route.mtu > 0) r.path.mtu = route.mtu;
  if (route.preferred_source) {
    r.path.source = *route.preferred_source;
  } else if (itf->loopback) {
    r.path.source = loopback_source(route.prefix);
  } else if (route.prefix.is_v6()) {
    r.source_per_destination = true;
  } else if (auto source = pick_source(interfaces_, *itf, route.prefix,
                                       route.gateway ? &*route.gateway : nullptr)) {
    // An IPv4 source depends on the interface and gateway only.
    r.path.source = *source;
  } else {
    r.kind = Resolved::Kind::kNoSource;
  }
  return r;
}

Result<PathInfo> RouteTable::lookup(const IpAddress& dst) const {
  const int32_t winner =
      dst.is_v4() ? find(v4_, V4Ops::key(dst)) : find(v6_, V6Ops<V6Key>::key(dst));
  if (winner < 0) return no_route(dst);
  const Resolved& r = resolved_[static_cast<size_t>(winner)];
  switch (r.kind) {
    case Resolved::Kind::kPath:
      break;
    case Resolved::Kind::kLocal: {
      PathInfo p = r.path;
      p.source = dst;
      return p;
    }
    case Resolved::Kind::kReject:
      return no_route(dst);
    case Resolved::Kind::kAskKernel:
      return kernel_route(dst);
    case Resolved::Kind::kNoSource:
      return no_source(dst, r.path.ifname);
  }
  PathInfo p = r.path;
  if (r.source_per_destination) {
    const NetInterface* itf = interface_by_index(p.ifindex);
    auto source = pick_source(interfaces_, *itf, dst, p.gateway ? &*p.gateway : nullptr);
    if (!source) return no_source(dst, p.ifname);
    p.source = *source;
  }
  return p;
}

namespace {

RouteEntry::Type entry_type(uint8_t rtm_type, bool* known) {
  *known = true;
  switch (rtm_type) {
    case RTN_UNICAST:
      return RouteEntry::Type::kUnicast;
    case RTN_LOCAL:
    case RTN_ANYCAST:
      return RouteEntry::Type::kLocal;
    case RTN_BROADCAST:
      return RouteEntry::Type::kBroadcast;
    case RTN_MULTICAST:
      return RouteEntry::Type::kMulticast;
    case RTN_BLACKHOLE:
    case RTN_UNREACHABLE:
    case RTN_PROHIBIT:
      return RouteEntry::Type::kReject;
    case RTN_THROW:
      return RouteEntry::Type::kThrow;
    default:
      *known = false;  // NAT, XRESOLVE and the like: never a path for a probe
      return RouteEntry::Type::kReject;
  }
}

// The route MTU from a nested RTA_METRICS attribute, 0 when not set.
int metrics_mtu(const nlattr* metrics) {
  if (metrics == nullptr) return 0;
  const auto* p = static_cast<const char*>(mnl_attr_get_payload(metrics));
  const auto* end = p + mnl_attr_get_payload_len(metrics);
  // libmnl's mnl_attr_for_each_nested relies on C's implicit void* conversion.
  for (auto* attr = reinterpret_cast<const nlattr*>(p);
       mnl_attr_ok(attr, static_cast<int>(end - reinterpret_cast<const char*>(attr)));
       attr = mnl_attr_next(attr)) {
    if (mnl_attr_get_type(attr) == RTAX_MTU && mnl_attr_get_payload_len(attr) == 4) {
      return static_cast<int>(mnl_attr_get_u32(attr));
    }
  }
  return 0;
}

// An RTA_VIA next hop (an IPv4 route through an IPv6 neighbour, RFC 8950).
std::optional<IpAddress> via_address(const nlattr* via) {
  const uint16_t len = mnl_attr_get_payload_len(via);
  if (len < sizeof(__kernel_sa_family_t)) return std::nullopt;
  const auto* p = static_cast<const uint8_t*>(mnl_attr_get_payload(via));
  __kernel_sa_family_t family;
  std::memcpy(&family, p, sizeof family);
  const size_t addr_len = len - sizeof family;
  std::array<uint8_t, 16> b{};
  if (family == AF_INET6 && addr_len == 16) {
    std::memcpy(b.data(), p + sizeof family, 16);
    return IpAddress::v6(b);
  }
  if (family == AF_INET && addr_len == 4) {
    std::memcpy(b.data(), p + sizeof family, 4);
    return IpAddress::v4(uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3]);
  }
  return std::nullopt;
}

// Fills the next hop of a multipath route from its first hop: the kernel
// spreads flows over the hops, and any one of them reaches the target.
void first_hop(const nlattr* multipath, int family, RouteEntry& r) {
  const auto len = mnl_attr_get_payload_len(multipath);
  if (len < sizeof(rtnexthop)) return;
  const auto* nh = static_cast<const rtnexthop*>(mnl_attr_get_payload(multipath));
  if (nh->rtnh_len < sizeof(rtnexthop) || nh->rtnh_len > len) return;
  r.ifindex = nh->rtnh_ifindex;
  const auto* p = reinterpret_cast<const char*>(nh) + RTNH_LENGTH(0);
  const auto* end = reinterpret_cast<const char*>(nh) + nh->rtnh_len;
  while (p + sizeof(nlattr) <= end) {
    const auto* attr = reinterpret_cast<const nlattr*>(p);
    if (attr->nla_len < sizeof(nlattr) || p + attr->nla_len > end) break;
    if (mnl_attr_get_type(attr) == RTA_GATEWAY) r.gateway = rtnl::attr_address(attr, family);
    p += MNL_ALIGN(attr->nla_len);
  }
}

// One RTM_NEWROUTE message as a RouteEntry; nullopt for routes a probe can
// never take or that this table does not model (see the header).
std::optional<RouteEntry> parse_route(const nlmsghdr* m) {
  const auto* rtm = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(m));
  if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) return std::nullopt;
  if ((rtm->rtm_flags & RTM_F_CLONED) != 0 || rtm->rtm_tos != 0 || rtm->rtm_src_len != 0) {
    return std::nullopt;
  }
  if ((rtm->rtm_flags & RTNH_F_DEAD) != 0) return std::nullopt;
  std::array<const nlattr*, RTA_MAX + 1> attrs{};
  rtnl::parse_attributes(m, sizeof(rtmsg), attrs);
  RouteEntry r;
  bool known = false;
  r.type = entry_type(rtm->rtm_type, &known);
  if (!known) return std::nullopt;
  r.table = attrs[RTA_TABLE] != nullptr ? mnl_attr_get_u32(attrs[RTA_TABLE]) : rtm->rtm_table;
  r.prefix_len = rtm->rtm_dst_len;
  if (auto dst = rtnl::attr_address(attrs[RTA_DST], rtm->rtm_family)) {
    r.prefix = *dst;
  } else if (rtm->rtm_family == AF_INET6) {
    r.prefix = IpAddress::v6({});
  }
  if (attrs[RTA_PRIORITY] != nullptr) r.metric = mnl_attr_get_u32(attrs[RTA_PRIORITY]);
  if (attrs[RTA_OIF] != nullptr) r.ifindex = static_cast<int>(mnl_attr_get_u32(attrs[RTA_OIF]));
  r.gateway = rtnl::attr_address(attrs[RTA_GATEWAY], rtm->rtm_family);
  if (!r.gateway && attrs[RTA_VIA] != nullptr) r.gateway = via_address(attrs[RTA_VIA]);
  r.preferred_source = rtnl::attr_address(attrs[RTA_PREFSRC], rtm->rtm_family);
  r.mtu = metrics_mtu(attrs[RTA_METRICS]);
  if (attrs[RTA_MULTIPATH] != nullptr && r.ifindex == 0) {
    first_hop(attrs[RTA_MULTIPATH], rtm->rtm_family, r);
  }
  return r;
}

Result<void> dump_routes(rtnl::Socket& nl, int family, std::vector<RouteEntry>& out) {
  std::array<char, 512> buf{};
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETROUTE;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  rtm->rtm_family = static_cast<uint8_t>(family);
  return nl.exchange(nlh, "cannot read the routing table", [&](const nlmsghdr* m) {
    if (m->nlmsg_type != RTM_NEWROUTE) return MNL_CB_OK;
    if (auto r = parse_route(m)) {
      if (r->table == kTableLocal || r->table == kTableMain) out.push_back(std::move(*r));
    }
    return MNL_CB_OK;
  });
}

}  // namespace

Result<RouteTable> RouteTable::load() {
  auto interfaces = list_interfaces();
  if (!interfaces) return Unexpected(interfaces.error());
  auto nl = rtnl::Socket::open();
  if (!nl) return Unexpected(nl.error());
  std::vector<RouteEntry> routes;
  for (int family : {AF_INET, AF_INET6}) {
    if (auto r = dump_routes(*nl, family, routes); !r) return Unexpected(r.error());
  }
  return build(std::move(routes), std::move(*interfaces));
}

Result<PathInfo> kernel_route(const IpAddress& dst) {
  auto interfaces = list_interfaces();
  if (!interfaces) return Unexpected(interfaces.error());
  auto nl = rtnl::Socket::open();
  if (!nl) return Unexpected(nl.error());

  std::array<char, 512> buf{};
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETROUTE;
  nlh->nlmsg_flags = NLM_F_REQUEST;
  auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  const int family = dst.is_v4() ? AF_INET : AF_INET6;
  rtm->rtm_family = static_cast<uint8_t>(family);
  rtm->rtm_dst_len = dst.is_v4() ? 32 : 128;
  mnl_attr_put(nlh, RTA_DST, dst.is_v4() ? 4 : 16, dst.bytes().data());

  std::optional<RouteEntry> answer;
  std::optional<IpAddress> kernel_source;
  int kernel_errno = 0;
  const std::string what =
      fmt::format("cannot ask the kernel for the route to {}", dst.to_string());
  auto r = nl->exchange(
      nlh, what.c_str(),
      [&](const nlmsghdr* m) {
        if (m->nlmsg_type != RTM_NEWROUTE) return MNL_CB_OK;
        // A lookup answer is a host route: parse_route's filters do not apply.
        const auto* reply = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(m));
        std::array<const nlattr*, RTA_MAX + 1> attrs{};
        rtnl::parse_attributes(m, sizeof(rtmsg), attrs);
        RouteEntry e;
        bool known = false;
        e.type = entry_type(reply->rtm_type, &known);
        if (attrs[RTA_OIF] != nullptr)
          e.ifindex = static_cast<int>(mnl_attr_get_u32(attrs[RTA_OIF]));
        e.gateway = rtnl::attr_address(attrs[RTA_GATEWAY], family);
        e.mtu = metrics_mtu(attrs[RTA_METRICS]);
        kernel_source = rtnl::attr_address(attrs[RTA_PREFSRC], family);
        answer = e;
        return MNL_CB_OK;
      },
      &kernel_errno);
  if (!r) {
    switch (kernel_errno) {
      case ENETUNREACH:
      case EHOSTUNREACH:
      case EACCES:
      case EINVAL:  // blackhole
        return no_route(dst);
      default:
        return Unexpected(r.error());
    }
  }
  if (!answer) return no_route(dst);

  const NetInterface* lo = nullptr;
  const NetInterface* itf = nullptr;
  for (const auto& i : *interfaces) {
    if (i.loopback && lo == nullptr) lo = &i;
    if (i.index == answer->ifindex) itf = &i;
  }
  switch (answer->type) {
    case RouteEntry::Type::kLocal:
      return local_path(lo, dst);
    case RouteEntry::Type::kReject:
    case RouteEntry::Type::kThrow:
      return no_route(dst);
    default:
      break;
  }
  if (itf == nullptr) return no_route(dst);
  PathInfo p = path_on(*itf);
  p.gateway = answer->gateway;
  if (answer->mtu > 0) p.mtu = answer->mtu;
  if (kernel_source) {
    p.source = *kernel_source;
  } else if (auto s = pick_source(*interfaces, *itf, dst, p.gateway ? &*p.gateway : nullptr)) {
    p.source = *s;
  } else {
    return no_source(dst, itf->name);
  }
  return p;
}

}  // namespace portolan
