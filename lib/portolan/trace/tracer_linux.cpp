// Tracer on Linux: routes, next hops and packet sockets as the raw scanner
// opens them, then rounds of probes per group of hosts.
//
// Hosts are grouped by the interface and source address their route takes;
// each group opens its own link: an AF_PACKET sender (a raw IP socket for
// IPv4 loopback, whose frames the kernel would drop as martian), a receive
// ring filtered to our address, and one reserved source port per TTL
// (PortReservation), so the TTL can ride in the source port. No nftables
// guard: the reserved ports are bound, so our kernel answers a target's
// SYN-ACK with the RST that frees its half-open connection (as nmap's kernel
// does) and queues UDP replies on the reserving socket, where they are
// discarded with it.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <thread>
#include <unordered_map>

#include "portolan/link/frame_io_linux.h"
#include "portolan/link/neighbors_linux.h"
#include "portolan/link/port_reservation_linux.h"
#include "portolan/link/privileges_linux.h"
#include "portolan/link/route_table_linux.h"
#include "portolan/packet/frame_parser.h"
#include "portolan/packet/probe_template.h"
#include "portolan/scan/address_index.h"
#include "portolan/sweep/probe_cookie.h"
#include "portolan/trace/hop_table.h"
#include "portolan/trace/trace_probe.h"
#include "portolan/trace/tracer.h"

namespace portolan {
namespace {

using std::chrono::milliseconds;

constexpr size_t kGroupHosts = 256;
// Probes per second at most: a group's first round is a burst of up to
// 256 x 30 frames, which a switch or a slow link would drop.
constexpr int64_t kMaxRate = 20000;
constexpr size_t kPaceEvery = 16;  // frames per batch and per pacing check
// How long a round waits for replies after its last probe: 300 ms plus four
// times the slowest host's round trip, at most 1.5 s; 1 s when no host's
// latency is known.
constexpr milliseconds kMinWait{300};
constexpr milliseconds kMaxWait{1500};
constexpr milliseconds kUnknownWait{1000};
// Next-hop resolution: requests sent, and the wait after each.
constexpr int kResolveAttempts = 3;
constexpr milliseconds kResolveWait{300};

// CLOCK_REALTIME, the clock of the receive ring's timestamps.
int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// The sockets, ports and templates of one interface and source address.
struct TraceLink {
  PathInfo path;
  std::unique_ptr<FrameSender> sender;
  std::unique_ptr<FrameReceiver> receiver;
  std::optional<PortReservation> ports;
  // One template per TTL (index ttl - 1): only the TTL differs between them.
  std::vector<ProbeTemplate> syn, udp, echo;

  const ProbeTemplate& template_for(TraceProtocol p, int ttl) const {
    const auto i = static_cast<size_t>(ttl - 1);
    switch (p) {
      case TraceProtocol::kTcp:
        return syn[i];
      case TraceProtocol::kUdp:
        return udp[i];
      case TraceProtocol::kIcmp:
        break;
    }
    return echo[i];
  }
};

struct HostJob {
  HostResult* host = nullptr;
  std::optional<IpAddress> gateway;
  TraceProbe probe;
  MacAddress next_hop;
  HopTable table;
};

class LinuxTracer final : public Tracer {
 public:
  explicit LinuxTracer(const TraceOptions& o)
      : options_(o),
        max_ttl_(std::clamp(o.max_ttl, 1, kMaxTraceTtl)),
        cookie_(ProbeCookie::random()) {}

  Result<void> trace(std::span<HostResult> hosts) override {
    auto routes = RouteTable::load();
    if (!routes) return Unexpected(routes.error());
    // Hosts by (interface, source): one link each.
    std::map<std::pair<int, IpAddress>, std::vector<HostJob>> by_link;
    std::map<std::pair<int, IpAddress>, PathInfo> paths;
    for (auto& h : hosts) {
      if (h.state != HostState::kUp) continue;
      auto path = routes->lookup(h.address);
      if (!path) {
        note(fmt::format("traceroute: skipping {}: {}", h.address.to_string(),
                         path.error().message()));
        continue;
      }
      if (!options_.interface_name.empty() && path->ifname != options_.interface_name) {
        note(fmt::format("traceroute: skipping {}: reached through {}, not through -e {}",
                         h.address.to_string(), path->ifname, options_.interface_name));
        continue;
      }
      if (options_.source) {
        if (options_.source->family() != h.address.family()) {
          note(fmt::format("traceroute: skipping {}: -S {} is of the other address family",
                           h.address.to_string(), options_.source->to_string()));
          continue;
        }
        path->source = *options_.source;
      } else if (path->loopback && h.address.is_v4()) {
        path->source = IpAddress::v4(0x7f000001);  // one source for all of 127.0.0.0/8
      }
      const auto key = std::make_pair(path->ifindex, path->source);
      paths.emplace(key, *path);
      uint8_t reply_ttl = h.reason_ttl;
      const TraceProbe probe = choose_trace_probe(h.ports);
      for (const auto& p : h.ports) {
        const bool tcp = probe.protocol == TraceProtocol::kTcp;
        if (p.port == probe.port && p.protocol == (tcp ? Protocol::kTcp : Protocol::kUdp) &&
            probe.protocol != TraceProtocol::kIcmp && p.reason_ttl != 0) {
          reply_ttl = p.reason_ttl;
        }
      }
      by_link[key].push_back(HostJob{&h,
                                     path->loopback ? std::nullopt : path->gateway,
                                     probe,
                                     {},
                                     HopTable(max_ttl_, first_round_ttls(reply_ttl, max_ttl_))});
    }
    for (auto& [key, jobs] : by_link) {
      auto link = open_link(paths.at(key));
      if (!link) return Unexpected(link.error());
      if (!resolve_next_hops(**link, jobs)) continue;
      for (size_t at = 0; at < jobs.size(); at += kGroupHosts) {
        if (stopped()) return {};
        const size_t n = std::min(kGroupHosts, jobs.size() - at);
        auto done = run_group(**link, std::span(jobs).subspan(at, n));
        if (!done) return Unexpected(done.error());
      }
    }
    return {};
  }

 private:
  void note(const std::string& line) const {
    if (options_.notice) options_.notice(line);
  }
  bool stopped() const { return options_.stop != nullptr && options_.stop->load(); }

  Result<std::unique_ptr<TraceLink>> open_link(const PathInfo& path) {
    auto l = std::make_unique<TraceLink>();
    l->path = path;
    if (path.source.is_v6() && !path.loopback && path.if_mac.is_zero()) {
      return fail(fmt::format("traceroute: {} has no Ethernet address", path.ifname));
    }
    FrameSenderOptions so;
    so.batch_frames = kPaceEvery;
    so.ip_level = path.loopback && path.source.is_v4();
    auto sender = FrameSender::create(path.ifindex, so);
    if (!sender) return Unexpected(sender.error());
    l->sender = std::move(*sender);
    FrameReceiverOptions ro;
    ro.filter = fmt::format("dst host {} or arp or icmp6", path.source.to_string());
    ro.block_size = 1 << 18;
    ro.block_count = 16;
    auto receiver = FrameReceiver::create(path.ifindex, ro);
    if (!receiver) return Unexpected(receiver.error());
    l->receiver = std::move(*receiver);
    auto ports = PortReservation::create(path.source, static_cast<uint16_t>(max_ttl_));
    if (!ports) return Unexpected(ports.error().with_context("traceroute"));
    l->ports.emplace(std::move(*ports));
    for (int ttl = 1; ttl <= max_ttl_; ++ttl) {
      const auto t = static_cast<uint8_t>(ttl);
      l->syn.push_back(ProbeTemplate::tcp(path.if_mac, path.source, TcpFlags::kSyn, 1024, true, t));
      l->udp.push_back(ProbeTemplate::udp(path.if_mac, path.source, t));
      l->echo.push_back(ProbeTemplate::icmp_echo(path.if_mac, path.source, t));
    }
    return l;
  }

  // Fills every job's next-hop MAC (its gateway's, or its own on the local
  // segment): from the kernel's neighbour table, else by our own ARP or
  // neighbour solicitation. Jobs whose next hop stays unknown are dropped
  // with a notice; false when none is left.
  bool resolve_next_hops(TraceLink& l, std::vector<HostJob>& jobs) {
    if (l.path.loopback) return !jobs.empty();
    std::unordered_map<IpAddress, MacAddress, IpAddressHash> macs;
    std::vector<IpAddress> unknown;
    for (const auto& j : jobs) {
      const IpAddress hop = j.gateway ? *j.gateway : j.host->address;
      if (macs.contains(hop) || std::find(unknown.begin(), unknown.end(), hop) != unknown.end()) {
        continue;
      }
      auto mac = lookup_neighbor(l.path.ifindex, hop);
      if (mac && *mac) {
        macs[hop] = **mac;
      } else {
        unknown.push_back(hop);
      }
    }
    for (int attempt = 0; attempt < kResolveAttempts && !unknown.empty() && !stopped(); ++attempt) {
      for (const auto& hop : unknown) {
        auto slot = l.sender->slot();
        if (slot.empty()) break;
        const size_t n = hop.is_v4()
                             ? write_arp_request(slot, l.path.if_mac, l.path.source, hop)
                             : write_neighbor_solicit(slot, l.path.if_mac, l.path.source, hop);
        if (n != 0) l.sender->commit(n);
      }
      if (auto f = l.sender->flush(); !f) note(fmt::format("traceroute: {}", f.error().message()));
      const auto deadline = std::chrono::steady_clock::now() + kResolveWait;
      while (!unknown.empty() && std::chrono::steady_clock::now() < deadline) {
        const auto left =
            std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
        auto polled = l.receiver->poll(
            static_cast<int>(std::max<int64_t>(1, left.count())),
            [&](std::span<const std::byte> frame, uint64_t) {
              ParsedReply r;
              if (parse_frame(frame, r) != ParseStatus::kOk) return;
              if (!r.has_link_mac) return;
              if (r.kind != ReplyKind::kArp && r.kind != ReplyKind::kNeighborAdvert) {
                return;
              }
              auto it = std::find(unknown.begin(), unknown.end(), r.link_ip);
              if (it == unknown.end()) return;
              macs[r.link_ip] = r.link_mac;
              unknown.erase(it);
            });
        if (!polled) break;
      }
    }
    std::vector<HostJob> kept;
    for (auto& j : jobs) {
      const IpAddress hop = j.gateway ? *j.gateway : j.host->address;
      auto it = macs.find(hop);
      if (it == macs.end()) {
        note(fmt::format("traceroute: skipping {}: no ARP or neighbour reply from {}",
                         j.host->address.to_string(), hop.to_string()));
        continue;
      }
      j.next_hop = it->second;
      kept.push_back(std::move(j));
    }
    jobs = std::move(kept);
    return !jobs.empty();
  }

  static milliseconds round_wait(std::span<const HostJob> jobs) {
    int64_t slowest_us = -1;
    for (const auto& j : jobs) {
      if (j.host->latency) slowest_us = std::max<int64_t>(slowest_us, j.host->latency->count());
    }
    if (slowest_us < 0) return kUnknownWait;
    const milliseconds wait = kMinWait + milliseconds(4 * slowest_us / 1000);
    return std::clamp(wait, kMinWait, kMaxWait);
  }

  Result<void> run_group(TraceLink& l, std::span<HostJob> jobs) {
    const TraceProbeCodec codec(l.path.source, l.ports->first(), max_ttl_, cookie_);
    std::vector<IpAddress> addrs;
    for (const auto& j : jobs) addrs.push_back(j.host->address);
    const AddressIndex index(addrs);
    const milliseconds wait = round_wait(jobs);
    uint64_t sent = 0, received = 0, matched = 0;
    int rounds = 0;
    const auto group_start = std::chrono::steady_clock::now();
    auto on_frame = [&](std::span<const std::byte> frame, uint64_t ts_ns) {
      ++received;
      ParsedReply r;
      if (parse_frame(frame, r) != ParseStatus::kOk) return;
      const auto m = codec.match(r);
      if (!m) return;
      const uint32_t i = index.find(m->target);
      if (i == AddressIndex::kMissing || jobs[i].probe != m->probe) return;
      if (jobs[i].table.record(m->ttl, m->hop, m->kind == TraceReply::Kind::kEnd,
                               static_cast<int64_t>(ts_ns))) {
        ++matched;
      }
    };
    while (!stopped()) {
      // (ttl, job) pairs, TTL-major: consecutive probes go to different hosts.
      std::vector<std::pair<int, uint32_t>> round;
      for (uint32_t i = 0; i < jobs.size(); ++i) {
        for (int ttl : jobs[i].table.next_round()) round.emplace_back(ttl, i);
      }
      if (round.empty()) break;
      ++rounds;
      std::sort(round.begin(), round.end());
      const auto start = std::chrono::steady_clock::now();
      for (size_t k = 0; k < round.size(); ++k) {
        if (k % kPaceEvery == 0 && k != 0) {
          std::this_thread::sleep_until(
              start + std::chrono::microseconds(static_cast<int64_t>(k) * 1000000 / kMaxRate));
        }
        const auto [ttl, i] = round[k];
        HostJob& j = jobs[i];
        auto slot = l.sender->slot();
        if (slot.empty()) {
          auto f = l.sender->flush();
          if (!f) return Unexpected(f.error().with_context("traceroute"));
          slot = l.sender->slot();
        }
        const size_t n = codec.write(slot, l.template_for(j.probe.protocol, ttl), j.next_hop,
                                     j.host->address, j.probe, ttl);
        if (n == 0) continue;
        j.table.sent(ttl, now_ns());
        l.sender->commit(n);
        ++sent;
      }
      if (auto f = l.sender->flush(); !f) return Unexpected(f.error().with_context("traceroute"));
      const auto deadline = std::chrono::steady_clock::now() + wait;
      while (!stopped()) {
        const bool all_done = std::none_of(
            jobs.begin(), jobs.end(), [](const HostJob& j) { return j.table.awaiting_replies(); });
        const auto now = std::chrono::steady_clock::now();
        if (all_done || now >= deadline) break;
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - now).count();
        auto polled =
            l.receiver->poll(static_cast<int>(std::clamp<int64_t>(left, 1, 50)), on_frame);
        if (!polled) return Unexpected(polled.error().with_context("traceroute"));
      }
    }
    if (stopped()) return {};
    for (auto& j : jobs) {
      TraceResult t;
      t.protocol = std::string(to_string(j.probe.protocol));
      t.port = j.probe.port;
      t.hops = j.table.hops();
      j.host->trace = std::move(t);
    }
    if (options_.debug) {
      const auto ms =
          std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - group_start)
              .count();
      note(
          fmt::format("traceroute: {} hosts via {}, {} rounds, {} probes, {} frames received, {} "
                      "replies matched, {} ms",
                      jobs.size(), l.path.ifname, rounds, sent, received, matched, ms));
    }
    return {};
  }

  TraceOptions options_;
  int max_ttl_;
  ProbeCookie cookie_;
};

}  // namespace

Result<std::unique_ptr<Tracer>> Tracer::create(const TraceOptions& options) {
  if (!has_raw_capability()) {
    return fail(ErrorKind::kPermission, fmt::format("--traceroute: {}", raw_privilege_hint()));
  }
  return std::unique_ptr<Tracer>(std::make_unique<LinuxTracer>(options));
}

}  // namespace portolan
