// Which interface, next hop and source address a raw probe to a target takes.
//
// The raw-packet engine writes whole Ethernet frames, so it must route each
// target itself, and it looks up every target of a scan (65,536 for a /16)
// before sending. Asking the kernel once per target costs a netlink round
// trip each; instead RouteTable reads the IPv4 and IPv6 routes of the local
// and main tables once and answers from memory.
//
// The one idea: routing prefixes nest or are disjoint, so one sweep over them
// in address order turns a table into a sorted list of address intervals,
// each labelled with the route that wins there (the longest prefix, then the
// lowest metric; the local table entirely before the main table, as the
// kernel's default rules do). A lookup is then one binary search, whatever
// the number of routes or prefix lengths.
//
// Not modelled: policy routing rules beyond the default ones, routes with a
// TOS or a source prefix, and IPv6 link-local destinations on hosts with
// several links (they need a scope id). Routes that name a nexthop object the
// kernel does not expand are answered by asking the kernel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/link/interfaces_linux.h"
#include "portolan/net/ip_address.h"
#include "portolan/net/mac_address.h"

namespace portolan {

// Where a frame to one destination goes.
struct PathInfo {
  int ifindex = 0;
  std::string ifname;
  MacAddress if_mac;  // the outgoing interface's address: the frame's source MAC
  bool loopback = false;
  IpAddress source;  // the probe's source address
  // The next hop, when not on-link. Of the other family for an IPv4 route
  // through an IPv6 neighbour (RFC 8950).
  std::optional<IpAddress> gateway;
  int mtu = 0;  // the route's MTU, else the interface's

  bool operator==(const PathInfo&) const = default;
};

// One route as the kernel reports it. Public so tests can build a table
// without a kernel.
struct RouteEntry {
  enum class Type : uint8_t {
    kUnicast,    // via `ifindex`, through `gateway` when set
    kLocal,      // delivered to this host (also IPv6 anycast)
    kBroadcast,  // sent on `ifindex`, like unicast on-link
    kMulticast,  // likewise
    kReject,     // blackhole, unreachable, prohibit: no route
    kThrow,      // continue in the next table
  };
  IpAddress prefix;
  uint8_t prefix_len = 0;
  uint32_t table = 254;  // 255 local, 254 main; others are ignored
  uint32_t metric = 0;
  Type type = Type::kUnicast;
  int ifindex = 0;  // 0 on a unicast route: ask the kernel (nexthop objects)
  std::optional<IpAddress> gateway;
  std::optional<IpAddress> preferred_source;
  int mtu = 0;  // 0: the interface's
};

class RouteTable {
 public:
  // Reads the interfaces and the IPv4 and IPv6 routes of the caller's network
  // namespace (rtnetlink dumps).
  static Result<RouteTable> load();
  // Builds the table from routes and interfaces already read. Routes of
  // tables other than local and main are ignored; among routes of equal
  // prefix in one table the lowest metric wins, then the earliest.
  static RouteTable build(std::vector<RouteEntry> routes, std::vector<NetInterface> interfaces);

  // The path to `dst`, or the error "no route to <dst>" when no route
  // matches or the matching one rejects (blackhole, unreachable, prohibit,
  // or a throw without a later match). The source address: the route's
  // preferred source, else the interface's (NetInterface::source_for); for a
  // local destination the destination itself, on the loopback interface.
  // Thread-safe: the table is immutable.
  Result<PathInfo> lookup(const IpAddress& dst) const;

  const std::vector<NetInterface>& interfaces() const { return interfaces_; }

 private:
  struct V6Key {
    uint64_t hi = 0;
    uint64_t lo = 0;
    auto operator<=>(const V6Key&) const = default;
  };
  // Interval starts in ascending order, each with the index of the route
  // that wins from there to the next start (-1: no route).
  template <typename Key>
  struct Intervals {
    std::vector<Key> starts;
    std::vector<int32_t> winners;
  };
  template <typename Key>
  static Intervals<Key> flatten(const std::vector<RouteEntry>& routes, bool v6);
  template <typename Key>
  static int32_t find(const Intervals<Key>& intervals, const Key& key);

  // What a route means for a probe, worked out once in build() so a lookup
  // only copies it.
  struct Resolved {
    enum class Kind : uint8_t { kPath, kLocal, kReject, kAskKernel, kNoSource };
    Kind kind = Kind::kReject;
    PathInfo path;  // kPath, kLocal: all but a per-destination source
    // IPv6 without a preferred source: the source depends on the destination.
    bool source_per_destination = false;
  };
  Resolved resolve(const RouteEntry& route) const;
  const NetInterface* interface_by_index(int ifindex) const;
  const NetInterface* loopback_interface() const;

  std::vector<NetInterface> interfaces_;
  std::vector<Resolved> resolved_;  // by route index
  Intervals<uint32_t> v4_;
  Intervals<V6Key> v6_;
};

// The kernel's own answer for `dst` (one RTM_GETROUTE query), in the same
// form and with the same source rule for local destinations as lookup().
// For tests and for routes RouteTable cannot model.
Result<PathInfo> kernel_route(const IpAddress& dst);

}  // namespace portolan
