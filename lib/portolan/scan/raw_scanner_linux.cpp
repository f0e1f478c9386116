// RawScanner on Linux: routes, next hops, the link, then sweeps.
//
// Before anything is sent every target is looked up in the routing table
// (one netlink dump, then in-memory longest-prefix match): a target with no
// route, or targets spread over several interfaces or source addresses, stop
// the scan with one line. The next hop's MAC comes from the kernel's
// neighbour table, else from our own ARP / neighbour-discovery sweep; hosts
// on the local segment are discovered that way too (nmap's -PR), routed ones
// by the discovery probes. The link (packet sockets, ring, reserved source
// ports, the kernel guard) is opened once per interface and kept for the
// scanner's life.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "portolan/link/frame_io_linux.h"
#include "portolan/link/kernel_guard_linux.h"
#include "portolan/link/neighbors_linux.h"
#include "portolan/link/port_reservation_linux.h"
#include "portolan/link/privileges_linux.h"
#include "portolan/link/route_table_linux.h"
#include "portolan/scan/raw_scanner.h"
#include "portolan/scan/raw_sweep.h"
#include "portolan/scan/reply_reason.h"

namespace portolan {
namespace {

constexpr uint16_t kSourcePorts = 256;
constexpr uint8_t kProbeTtl = 64;

// Everything opened for one interface and source address.
struct LinkState {
  explicit LinkState(const PathInfo& path)
      : ifindex(path.ifindex),
        ifname(path.ifname),
        loopback(path.loopback),
        source(path.source),
        mac(path.if_mac),
        syn(ProbeTemplate::tcp(path.if_mac, path.source, TcpFlags::kSyn, 1024, true, kProbeTtl)),
        ack(ProbeTemplate::tcp(path.if_mac, path.source, TcpFlags::kAck, 1024, false, kProbeTtl)),
        rst(ProbeTemplate::tcp(path.if_mac, path.source, TcpFlags::kRst, 0, false, kProbeTtl)),
        udp(ProbeTemplate::udp(path.if_mac, path.source, kProbeTtl)),
        echo(ProbeTemplate::icmp_echo(path.if_mac, path.source, kProbeTtl)) {}
  int ifindex = 0;
  std::string ifname;
  bool loopback = false;
  IpAddress source;
  MacAddress mac;
  std::unique_ptr<FrameSender> sender, reset_sender;
  std::unique_ptr<FrameReceiver> receiver;
  std::optional<PortReservation> ports;
  std::unique_ptr<KernelGuard> guard;
  ProbeTemplate syn, ack, rst, udp, echo;
  std::optional<ProbeTemplate> timestamp;
  // Next-hop MAC addresses learned on this link (neighbour table, ARP, ND).
  std::unordered_map<IpAddress, MacAddress, IpAddressHash> neighbours;
  SweepLink link;
};

// Where each host of a batch is reached.
struct Routing {
  LinkState* link = nullptr;
  std::vector<std::optional<IpAddress>> gateway;  // per host; nullopt: on the local segment
};

class LinuxRawScanner final : public RawScanner {
 public:
  explicit LinuxRawScanner(const RawScanOptions& o)
      : options_(o),
        cookie_(o.cookie_k0 || o.cookie_k1 ? ProbeCookie::with_key(o.cookie_k0, o.cookie_k1)
                                           : ProbeCookie::random()),
        pacer_(o.timing) {}

  std::pair<uint64_t, uint64_t> cookie_key() const override {
    return {cookie_.key0(), cookie_.key1()};
  }

  RawScanStats stats() const override {
    RawScanStats s;
    s.frames_sent = counters_.frames_sent.load();
    s.frames_received = counters_.frames_received.load();
    s.replies_valid = counters_.replies_valid.load();
    s.replies_invalid = counters_.replies_invalid.load();
    s.frames_malformed = counters_.frames_malformed.load();
    s.ring_drops = counters_.ring_drops.load();
    s.peak_rate = static_cast<double>(counters_.peak_rate.load());
    return s;
  }

  Result<std::vector<HostResult>> discover(std::span<const Target> hosts,
                                           ScanProgress& progress) override {
    std::vector<HostResult> out(hosts.size());
    std::vector<size_t> remote;  // indexes of hosts that need probes
    for (size_t i = 0; i < hosts.size(); ++i) {
      out[i].address = hosts[i].address;
      out[i].state = HostState::kDown;
      out[i].reason = Reason::kNoResponse;
      if (hosts[i].address.is_loopback()) {
        out[i].state = HostState::kUp;
        out[i].reason = Reason::kLocalhostResponse;
        out[i].latency = std::chrono::microseconds(0);
      } else {
        remote.push_back(i);
      }
    }
    if (!remote.empty()) {
      std::vector<IpAddress> addrs;
      for (size_t i : remote) addrs.push_back(hosts[i].address);
      auto routing = route(addrs);
      if (!routing) return Unexpected(routing.error());
      // Local segment: ARP / ND is the discovery. Routed: the probes.
      std::vector<size_t> local_idx, routed_idx;
      for (size_t k = 0; k < remote.size(); ++k) {
        (routing->gateway[k] || routing->link->loopback ? routed_idx : local_idx).push_back(k);
      }
      if (!local_idx.empty()) {
        std::vector<IpAddress> local_addrs;
        for (size_t k : local_idx) local_addrs.push_back(addrs[k]);
        auto swept = link_sweep(*routing->link, local_addrs, progress);
        if (!swept) return Unexpected(swept.error());
        for (size_t j = 0; j < local_idx.size(); ++j) {
          HostResult& h = out[remote[local_idx[j]]];
          const ReplyEntry e = swept->table.entry(j);
          if (e.code == 0) continue;
          h.state = HostState::kUp;
          h.reason = reason_of_code(e.code);
          set_latency(h, swept->rtt_us[j]);
          routing->link->neighbours[local_addrs[j]] = swept->learned_mac[j];
        }
      }
      if (!routed_idx.empty() && !options_.discovery.empty()) {
        std::vector<IpAddress> routed_addrs;
        std::vector<std::optional<IpAddress>> gws;
        for (size_t k : routed_idx) {
          routed_addrs.push_back(addrs[k]);
          gws.push_back(routing->gateway[k]);
        }
        auto macs = next_hops(*routing->link, routed_addrs, gws, progress);
        if (!macs) return Unexpected(macs.error());
        SweepRequest req = base_request(routed_addrs, *macs);
        req.specs = options_.discovery;
        auto swept = run_sweep(routing->link->link, req, pacer_, counters_, progress);
        if (!swept) return Unexpected(swept.error());
        for (size_t j = 0; j < routed_idx.size(); ++j) {
          HostResult& h = out[remote[routed_idx[j]]];
          for (size_t s = 0; s < req.specs.size(); ++s) {
            const ReplyEntry e = swept->table.entry(s * routed_addrs.size() + j);
            if (e.code == 0) continue;
            const Reason r = reason_of_code(e.code);
            if (!reason_means_up(r, true)) continue;
            h.state = HostState::kUp;
            h.reason = r;
            h.reason_ttl = e.ttl;
            set_latency(h, swept->rtt_us[j]);
            break;
          }
        }
      }
    }
    for (auto& h : out) {
      if (h.state == HostState::kDown) progress.hosts_done.fetch_add(1, std::memory_order_relaxed);
      if (h.state == HostState::kUp) progress.hosts_up.fetch_add(1, std::memory_order_relaxed);
    }
    return out;
  }

  Result<void> scan(std::span<const Target> hosts, std::span<const uint16_t> tcp_ports,
                    std::span<const uint16_t> udp_ports,
                    const std::function<void(HostResult&&)>& on_host,
                    ScanProgress& progress) override {
    if (hosts.empty()) return {};
    std::vector<IpAddress> addrs;
    addrs.reserve(hosts.size());
    for (const auto& t : hosts) addrs.push_back(t.address);
    auto routing = route(addrs);
    if (!routing) return Unexpected(routing.error());
    auto macs = next_hops(*routing->link, addrs, routing->gateway, progress);
    if (!macs) return Unexpected(macs.error());
    SweepRequest req = base_request(addrs, *macs);
    for (uint16_t p : tcp_ports) req.specs.push_back({ProbeKind::kTcpSyn, p});
    for (uint16_t p : udp_ports) req.specs.push_back({ProbeKind::kUdp, p});
    req.count_ports = true;
    const auto started = WallClock::now();
    auto swept = run_sweep(routing->link->link, req, pacer_, counters_, progress);
    if (!swept) return Unexpected(swept.error());
    if (swept->interrupted) return {};  // the caller reports the interruption
    const auto ended = WallClock::now();
    const uint64_t H = addrs.size();
    for (uint64_t h = 0; h < H; ++h) {
      HostResult r;
      r.address = addrs[h];
      r.state = HostState::kUp;
      r.start_time = started;
      r.end_time = ended;
      r.ports.reserve(req.specs.size());
      for (uint64_t s = 0; s < req.specs.size(); ++s) {
        const uint64_t el = s * H + h;
        if (swept->in_shard && !swept->in_shard(el)) continue;
        const ReplyEntry e = swept->table.entry(el);
        PortResult p;
        p.port = req.specs[s].port;
        p.protocol = req.specs[s].kind == ProbeKind::kUdp ? Protocol::kUdp : Protocol::kTcp;
        p.reason = reason_of_code(e.code);
        p.state = port_state_for(req.specs[s].kind, p.reason);
        p.reason_ttl = e.ttl;
        r.ports.push_back(p);
      }
      if (r.ports.empty()) continue;  // another shard's host
      std::sort(r.ports.begin(), r.ports.end(), [](const PortResult& a, const PortResult& b) {
        return a.protocol != b.protocol ? a.protocol < b.protocol : a.port < b.port;
      });
      set_latency(r, swept->rtt_us[h]);
      if (swept->rtt.has_samples()) {
        r.times.rttvar_us = swept->rtt.rttvar().count();
        r.times.timeout_us = swept->rtt.timeout().count();
      }
      progress.hosts_done.fetch_add(1, std::memory_order_relaxed);
      on_host(std::move(r));
    }
    return {};
  }

 private:
  static void set_latency(HostResult& h, uint32_t rtt_us) {
    if (rtt_us == 0) return;
    h.latency = std::chrono::microseconds(rtt_us);
    h.times.srtt_us = rtt_us;
  }

  SweepRequest base_request(std::span<const IpAddress> addrs, std::span<const MacAddress> macs) {
    SweepRequest req;
    req.hosts = addrs;
    req.next_hop = macs;
    req.timing = options_.timing;
    req.seed = options_.seed;
    req.shard = Shard{options_.shard_index, options_.shard_count};
    req.stop = options_.stop;
    if (options_.debug && options_.notice) req.debug = options_.notice;
    return req;
  }

  // Looks every host up; all must leave through one interface and address.
  Result<Routing> route(std::span<const IpAddress> addrs) {
    if (!routes_) {
      auto loaded = RouteTable::load();
      if (!loaded) return Unexpected(loaded.error());
      routes_ = std::move(*loaded);
    }
    Routing r;
    r.gateway.reserve(addrs.size());
    std::optional<PathInfo> first;
    for (const auto& a : addrs) {
      auto path = routes_->lookup(a);
      if (!path) return Unexpected(path.error());
      if (!options_.interface_name.empty() && path->ifname != options_.interface_name) {
        return fail(fmt::format("{} is reached through {}, not through -e {}", a.to_string(),
                                path->ifname, options_.interface_name));
      }
      if (options_.source) {
        path->source = *options_.source;
      } else if (path->loopback && a.is_v4()) {
        path->source = IpAddress::v4(0x7f000001);  // one source for all of 127.0.0.0/8
      }
      if (!first) {
        first = *path;
      } else if (path->ifindex != first->ifindex || path->source != first->source) {
        return fail(fmt::format(
            "targets are reached through different interfaces or source addresses ({} via {}, "
            "{} via {}); scan them in separate runs",
            addrs.front().to_string(), first->ifname, a.to_string(), path->ifname));
      }
      r.gateway.push_back(path->loopback ? std::nullopt : path->gateway);
    }
    auto link = open_link(*first);
    if (!link) return Unexpected(link.error());
    r.link = *link;
    return r;
  }

  Result<LinkState*> open_link(const PathInfo& path) {
    for (auto& l : links_) {
      if (l->ifindex == path.ifindex && l->source == path.source) return l.get();
    }
    if (path.source.is_v6() && path.loopback == false && path.if_mac.is_zero()) {
      return fail(fmt::format("{} has no Ethernet address: the raw engine needs Ethernet framing",
                              path.ifname));
    }
    auto l = std::make_unique<LinkState>(path);
    if (path.source.is_v4()) {
      auto ts = ProbeTemplate::icmp_timestamp(path.if_mac, path.source, kProbeTtl);
      if (ts) l->timestamp = *ts;
    }
    FrameSenderOptions so;
    so.batch_frames = 64;  // one pacer grant: frames leave soon after they are paced
    so.ip_level = path.loopback && path.source.is_v4();
    auto sender = FrameSender::create(path.ifindex, so);
    if (!sender) return Unexpected(sender.error());
    l->sender = std::move(*sender);
    FrameSenderOptions small;
    small.batch_frames = 1;
    small.ip_level = so.ip_level;
    auto resets = FrameSender::create(path.ifindex, small);
    if (!resets) return Unexpected(resets.error());
    l->reset_sender = std::move(*resets);
    FrameReceiverOptions ro;
    ro.filter = fmt::format("dst host {} or arp or icmp6", path.source.to_string());
    ro.block_count = 16;  // 16 MiB: 100 ms of replies at 1 M/s; allocating more costs start-up time
    auto receiver = FrameReceiver::create(path.ifindex, ro);
    if (!receiver) return Unexpected(receiver.error());
    l->receiver = std::move(*receiver);
    auto ports = PortReservation::create(path.source, kSourcePorts);
    if (!ports) return Unexpected(ports.error());
    l->ports.emplace(std::move(*ports));
    GuardSpec guard{path.source, l->ports->first(), l->ports->last(), true, true};
    auto g = KernelGuard::create(guard);
    if (g) {
      l->guard = std::move(*g);
    } else if (options_.notice) {
      options_.notice(fmt::format(
          "warning: {}; this host's kernel will answer targets' SYN-ACKs with RSTs during the scan",
          g.error().message()));
    }
    l->link = SweepLink{
        .sender = l->sender.get(),
        .receiver = l->receiver.get(),
        .reset_sender = l->reset_sender.get(),
        .local_mac = l->mac,
        .loopback = l->loopback,
        .local = l->source,
        .port_first = l->ports->first(),
        .port_count = static_cast<uint16_t>(l->ports->last() - l->ports->first() + 1),
        .cookie = &cookie_,
        .tcp_syn = &l->syn,
        .tcp_ack = &l->ack,
        .tcp_rst = &l->rst,
        .udp = &l->udp,
        .icmp_echo = &l->echo,
        .icmp_timestamp = l->timestamp ? &*l->timestamp : nullptr,
    };
    links_.push_back(std::move(l));
    return links_.back().get();
  }

  // ARP (IPv4) or neighbour solicitation (IPv6) to each address.
  Result<SweepOutcome> link_sweep(LinkState& l, std::span<const IpAddress> addrs,
                                  ScanProgress& progress) {
    std::vector<MacAddress> macs(addrs.size());
    SweepRequest req = base_request(addrs, macs);
    req.shard = Shard{};  // every shard must know its next hops
    req.link_probe = l.source.is_v4() ? LinkProbe::kArp : LinkProbe::kNeighborSolicit;
    req.timing.max_retries = std::max(req.timing.max_retries, 2);
    return run_sweep(l.link, req, pacer_, counters_, progress);
  }

  // The MAC address each host's frames go to: its gateway's, or its own on
  // the local segment. Loopback frames carry zeros.
  Result<std::vector<MacAddress>> next_hops(LinkState& l, std::span<const IpAddress> addrs,
                                            std::span<const std::optional<IpAddress>> gateways,
                                            ScanProgress& progress) {
    std::vector<MacAddress> macs(addrs.size());
    if (l.loopback) return macs;
    std::vector<IpAddress> unknown;
    // This batch's next hops; unknown ones stay zero unless ARP/ND finds them.
    std::unordered_map<IpAddress, MacAddress, IpAddressHash> found;
    for (size_t i = 0; i < addrs.size(); ++i) {
      const IpAddress hop = gateways[i] ? *gateways[i] : addrs[i];
      if (!found.emplace(hop, MacAddress{}).second) continue;
      if (auto it = l.neighbours.find(hop); it != l.neighbours.end()) {
        found[hop] = it->second;
        continue;
      }
      auto mac = lookup_neighbor(l.ifindex, hop);
      if (mac && *mac) {
        found[hop] = l.neighbours[hop] = **mac;
      } else {
        unknown.push_back(hop);
      }
    }
    if (!unknown.empty()) {
      auto swept = link_sweep(l, unknown, progress);
      if (!swept) return Unexpected(swept.error());
      for (size_t j = 0; j < unknown.size(); ++j) {
        if (swept->table.entry(j).code == 0) continue;
        found[unknown[j]] = l.neighbours[unknown[j]] = swept->learned_mac[j];
      }
    }
    for (size_t i = 0; i < addrs.size(); ++i) {
      macs[i] = found[gateways[i] ? *gateways[i] : addrs[i]];
      if (macs[i].is_zero() && gateways[i]) {
        return fail(fmt::format("cannot find the MAC address of gateway {} on {} (no ARP reply)",
                                gateways[i]->to_string(), l.ifname));
      }
    }
    return macs;
  }

  RawScanOptions options_;
  ProbeCookie cookie_;
  SweepPacer pacer_;
  SweepCounters counters_;
  std::optional<RouteTable> routes_;
  std::vector<std::unique_ptr<LinkState>> links_;
};

}  // namespace

Result<std::unique_ptr<RawScanner>> RawScanner::create(const RawScanOptions& options) {
  if (!has_raw_capability()) {
    return fail(ErrorKind::kPermission,
                fmt::format("the raw-packet engine needs raw sockets: {}", raw_privilege_hint()));
  }
  if (options.shard_count == 0 || options.shard_index == 0 ||
      options.shard_index > options.shard_count) {
    return fail("invalid shard");
  }
  KernelGuard::remove_stale();
  return std::unique_ptr<RawScanner>(new LinuxRawScanner(options));
}

}  // namespace portolan
