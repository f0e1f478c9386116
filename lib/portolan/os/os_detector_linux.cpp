// OsDetector on Linux: route the hosts, open a link per interface and source
// address, send the probes in rounds, collect, score.
//
// One thread does everything: ten probes per host (and a RST per SYN-ACK)
// go out, so the send side needs no batching beyond one flush per round, and
// the receive ring is polled between rounds. Replies are matched by the target's address
// and our source port (one reserved port per probe), echo replies by their
// id, port unreachables by the ports of the datagram they quote.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <random>
#include <unordered_map>

#include "portolan/link/frame_io_linux.h"
#include "portolan/link/kernel_guard_linux.h"
#include "portolan/link/neighbors_linux.h"
#include "portolan/link/port_reservation_linux.h"
#include "portolan/link/privileges_linux.h"
#include "portolan/link/route_table_linux.h"
#include "portolan/os/os_detector.h"
#include "portolan/os/os_fingerprints.h"
#include "portolan/os/os_observation.h"
#include "portolan/os/os_probes.h"
#include "portolan/os/os_reply.h"
#include "portolan/packet/probe_template.h"

namespace portolan {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kSynProbes = 6;
constexpr auto kRoundGap = milliseconds(100);
// Our source port of each probe, as an offset into the reserved block.
constexpr uint16_t kPortClosedSyn = kSynProbes;
constexpr uint16_t kPortAck = kSynProbes + 1;
constexpr uint16_t kPortUdp = kSynProbes + 2;
constexpr uint16_t kReservedPorts = 16;
constexpr uint8_t kProbeTtl = 64;
constexpr uint8_t kEchoCode = 9;  // non-zero on purpose: who echoes it back?
constexpr size_t kEchoPayload = 120;
constexpr size_t kUdpPayload = 300;
constexpr auto kMinWait = milliseconds(800);
constexpr auto kMaxWait = milliseconds(3000);

struct HostProbe {
  HostResult* host = nullptr;
  MacAddress next_hop;
  bool reachable = true;  // next hop known
  std::optional<uint16_t> open_tcp;
  uint16_t closed_tcp = 0;
  bool closed_tcp_scanned = false;
  uint16_t closed_udp = 0;
  bool closed_udp_scanned = false;
  std::array<std::optional<SynAckSample>, kSynProbes> syn_acks;
  std::optional<RstSample> closed_rst;
  std::optional<RstSample> ack_rst;
  std::optional<EchoSample> echo;
  std::optional<UnreachableSample> unreachable;

  bool complete() const {
    if (!echo || !unreachable || !closed_rst) return false;
    if (!open_tcp) return true;
    return ack_rst && std::all_of(syn_acks.begin(), syn_acks.end(),
                                  [](const auto& s) { return s.has_value(); });
  }
};

// A high port most likely closed, different per host (nmap also picks one
// at random), below the 61000+ block the link reserves for source ports.
uint16_t likely_closed_port(const HostResult& h, uint16_t salt, Protocol protocol) {
  const size_t hash = IpAddressHash{}(h.address) ^ (size_t{salt} * 0x9e3779b97f4a7c15ull);
  for (uint16_t i = 0; i < 64; ++i) {
    const auto port = static_cast<uint16_t>(30000 + (hash + i * 7919u) % 30000);
    const bool scanned = std::any_of(h.ports.begin(), h.ports.end(), [&](const PortResult& p) {
      return p.port == port && p.protocol == protocol;
    });
    if (!scanned) return port;
  }
  return 30000;
}

HostProbe plan(HostResult& h) {
  HostProbe p;
  p.host = &h;
  for (const auto& port : h.ports) {
    if (port.protocol == Protocol::kTcp && port.state == PortState::kOpen && !p.open_tcp) {
      p.open_tcp = port.port;
    }
    if (port.protocol == Protocol::kTcp && port.state == PortState::kClosed &&
        !p.closed_tcp_scanned) {
      p.closed_tcp = port.port;
      p.closed_tcp_scanned = true;
    }
    if (port.protocol == Protocol::kUdp && port.state == PortState::kClosed &&
        !p.closed_udp_scanned) {
      p.closed_udp = port.port;
      p.closed_udp_scanned = true;
    }
  }
  if (!p.closed_tcp_scanned) p.closed_tcp = likely_closed_port(h, 1, Protocol::kTcp);
  if (!p.closed_udp_scanned) p.closed_udp = likely_closed_port(h, 2, Protocol::kUdp);
  return p;
}

// Everything opened for one interface and source address.
struct Link {
  PathInfo path;
  std::unique_ptr<FrameSender> sender;
  std::unique_ptr<FrameReceiver> receiver;
  std::optional<PortReservation> ports;
  std::unique_ptr<KernelGuard> guard;
};

class LinuxOsDetector final : public OsDetector {
 public:
  explicit LinuxOsDetector(const OsDetectOptions& o) : options_(o), rng_(std::random_device{}()) {}

  Result<void> detect(std::span<HostResult> hosts) override {
    std::vector<HostResult*> todo;
    size_t v6 = 0;
    for (auto& h : hosts) {
      if (h.state != HostState::kUp) continue;
      if (h.address.is_v6()) {
        ++v6;
        continue;
      }
      todo.push_back(&h);
    }
    if (v6 > 0 && options_.notice) {
      options_.notice(
          fmt::format("OS detection probes IPv4 hosts only: {} IPv6 host{} left without a guess",
                      v6, v6 == 1 ? "" : "s"));
    }
    if (todo.empty()) return {};
    if (!routes_) {
      auto loaded = RouteTable::load();
      if (!loaded) return Unexpected(loaded.error());
      routes_ = std::move(*loaded);
    }
    // Group by interface and source address, keeping the hosts' order.
    std::vector<std::pair<PathInfo, std::vector<HostResult*>>> groups;
    std::unordered_map<const HostResult*, std::optional<IpAddress>> gateway_of;
    for (HostResult* h : todo) {
      auto path = routes_->lookup(h->address);
      if (!path) return Unexpected(path.error());
      if (!options_.interface_name.empty() && path->ifname != options_.interface_name) {
        return fail(fmt::format("{} is reached through {}, not through -e {}",
                                h->address.to_string(), path->ifname, options_.interface_name));
      }
      if (options_.source) {
        path->source = *options_.source;
      } else if (path->loopback) {
        path->source = IpAddress::v4(0x7f000001);
      }
      gateway_of[h] = path->loopback ? std::nullopt : path->gateway;
      auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
        return g.first.ifindex == path->ifindex && g.first.source == path->source;
      });
      if (it == groups.end()) {
        groups.emplace_back(*path, std::vector<HostResult*>{});
        it = std::prev(groups.end());
      }
      it->second.push_back(h);
    }
    for (auto& [path, members] : groups) {
      auto link = open_link(path);
      if (!link) return Unexpected(link.error());
      std::vector<HostProbe> probes;
      probes.reserve(members.size());
      for (HostResult* h : members) probes.push_back(plan(*h));
      if (auto r = resolve_next_hops(**link, probes, gateway_of); !r) return r;
      if (auto r = run_probes(**link, probes); !r) return r;
      for (auto& p : probes) finish_host(p, (*link)->path.loopback);
      if (options_.stop && options_.stop->load()) break;
    }
    return {};
  }

 private:
  bool stopped() const { return options_.stop && options_.stop->load(); }

  Result<Link*> open_link(const PathInfo& path) {
    for (auto& l : links_) {
      if (l->path.ifindex == path.ifindex && l->path.source == path.source) return l.get();
    }
    if (!path.loopback && path.if_mac.is_zero()) {
      return fail(fmt::format("{} has no Ethernet address: OS detection needs Ethernet framing",
                              path.ifname));
    }
    auto l = std::make_unique<Link>();
    l->path = path;
    FrameSenderOptions so;
    so.batch_frames = 64;
    so.ip_level = path.loopback;
    auto sender = FrameSender::create(path.ifindex, so);
    if (!sender) return Unexpected(sender.error());
    l->sender = std::move(*sender);
    FrameReceiverOptions ro;
    ro.filter = fmt::format("dst host {} or arp", path.source.to_string());
    ro.block_size = 1 << 17;
    ro.block_count = 8;
    auto receiver = FrameReceiver::create(path.ifindex, ro);
    if (!receiver) return Unexpected(receiver.error());
    l->receiver = std::move(*receiver);
    auto ports = PortReservation::create(path.source, kReservedPorts);
    if (!ports) return Unexpected(ports.error());
    l->ports.emplace(std::move(*ports));
    auto guard = KernelGuard::create(
        GuardSpec{path.source, l->ports->first(), l->ports->last(), true, true});
    if (guard) {
      l->guard = std::move(*guard);
    } else if (options_.notice) {
      options_.notice(
          fmt::format("warning: {}; this host's kernel will answer the targets' SYN-ACKs with RSTs",
                      guard.error().message()));
    }
    links_.push_back(std::move(l));
    return links_.back().get();
  }

  // The MAC each host's frames go to: the kernel's neighbour table, else our
  // own ARP requests (two tries). A host whose next hop stays unknown gets
  // no probes.
  Result<void> resolve_next_hops(
      Link& l, std::vector<HostProbe>& probes,
      const std::unordered_map<const HostResult*, std::optional<IpAddress>>& gateway_of) {
    if (l.path.loopback) return {};
    std::unordered_map<IpAddress, MacAddress, IpAddressHash> found;
    std::vector<IpAddress> unknown;
    auto hop_of = [&](const HostProbe& p) {
      const auto& gw = gateway_of.at(p.host);
      return gw ? *gw : p.host->address;
    };
    for (const auto& p : probes) {
      const IpAddress hop = hop_of(p);
      if (found.count(hop) || std::count(unknown.begin(), unknown.end(), hop)) continue;
      auto mac = lookup_neighbor(l.path.ifindex, hop);
      if (mac && *mac) {
        found[hop] = **mac;
      } else {
        unknown.push_back(hop);
      }
    }
    for (int attempt = 0; attempt < 2 && !unknown.empty() && !stopped(); ++attempt) {
      for (const auto& hop : unknown) {
        auto slot = l.sender->slot();
        const size_t n = write_arp_request(slot, l.path.if_mac, l.path.source, hop);
        if (n > 0) l.sender->commit(n);
      }
      if (auto r = l.sender->flush(); !r) return r;
      const auto until = Clock::now() + milliseconds(400);
      while (!unknown.empty() && Clock::now() < until) {
        auto polled = l.receiver->poll(20, [&](std::span<const std::byte> frame, uint64_t) {
          ParsedReply r;
          if (parse_frame(frame, r) != ParseStatus::kOk || r.kind != ReplyKind::kArp ||
              r.arp_op != 2) {
            return;
          }
          auto it = std::find(unknown.begin(), unknown.end(), r.link_ip);
          if (it == unknown.end()) return;
          found[r.link_ip] = r.link_mac;
          unknown.erase(it);
        });
        if (!polled) return Unexpected(polled.error());
      }
    }
    for (auto& p : probes) {
      auto it = found.find(hop_of(p));
      p.reachable = it != found.end();
      if (p.reachable) p.next_hop = it->second;
    }
    return {};
  }

  Result<void> run_probes(Link& l, std::vector<HostProbe>& probes) {
    std::unordered_map<IpAddress, size_t, IpAddressHash> by_address;
    for (size_t i = 0; i < probes.size(); ++i) by_address[probes[i].host->address] = i;
    const uint16_t port0 = l.ports->first();
    const uint32_t seq0 = static_cast<uint32_t>(rng_());
    const uint32_t ts0 = static_cast<uint32_t>(rng_());
    const auto echo_id = static_cast<uint16_t>(rng_());
    std::array<std::byte, kEchoPayload> echo_payload{};
    std::array<std::byte, kUdpPayload> udp_payload;
    udp_payload.fill(std::byte{0x43});
    auto seq_of = [&](uint16_t offset) { return seq0 + offset * 0x01000193u; };
    auto ends_of = [&](const HostProbe& p) {
      return OsFrameEnds{l.path.if_mac, p.next_hop, l.path.source, p.host->address, kProbeTtl};
    };
    auto ip_id = [&] { return static_cast<uint16_t>(rng_()); };
    struct Reset {
      size_t host;
      uint16_t offset;  // of our source port
      uint32_t seq;
    };
    std::vector<Reset> resets;  // SYN-ACKs to close

    auto send_round = [&](int round, Clock::time_point started) -> Result<void> {
      const auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started).count();
      for (auto& p : probes) {
        if (!p.reachable) continue;
        const OsFrameEnds ends = ends_of(p);
        auto slot = l.sender->slot();
        size_t n = 0;
        if (p.open_tcp) {
          const auto port = static_cast<uint16_t>(round);
          const auto options = os_syn_options(ts0 + static_cast<uint32_t>(elapsed));
          n = write_os_tcp(slot, ends, static_cast<uint16_t>(port0 + port), *p.open_tcp,
                           seq_of(port), 0, TcpFlags::kSyn, 1024, options, ip_id(), false);
          if (n > 0) l.sender->commit(n);
        }
        slot = l.sender->slot();
        n = 0;
        switch (round) {
          case 1: {
            const auto options = os_syn_options(ts0 + static_cast<uint32_t>(elapsed));
            n = write_os_tcp(slot, ends, static_cast<uint16_t>(port0 + kPortClosedSyn),
                             p.closed_tcp, seq_of(kPortClosedSyn), 0, TcpFlags::kSyn, 1024, options,
                             ip_id(), false);
            break;
          }
          case 2:
            if (p.open_tcp) {
              n = write_os_tcp(slot, ends, static_cast<uint16_t>(port0 + kPortAck), *p.open_tcp,
                               seq_of(kPortAck), static_cast<uint32_t>(rng_()), TcpFlags::kAck,
                               1024, {}, ip_id(), true);
            }
            break;
          case 3:
            n = write_os_echo(slot, ends, kEchoCode, echo_id, static_cast<uint16_t>(round),
                              echo_payload, ip_id(), true);
            break;
          case 4:
            n = write_os_udp(slot, ends, static_cast<uint16_t>(port0 + kPortUdp), p.closed_udp,
                             udp_payload, ip_id());
            break;
          default:
            break;
        }
        if (n > 0) l.sender->commit(n);
      }
      return l.sender->flush();
    };

    auto on_frame = [&](std::span<const std::byte> frame, uint64_t timestamp_ns) {
      OsReply r;
      if (parse_os_reply(frame, r) != ParseStatus::kOk) return;
      const ParsedReply& pr = r.parsed;
      auto it = by_address.find(pr.src);
      if (it == by_address.end() || pr.dst != l.path.source) return;
      HostProbe& p = probes[it->second];
      if (pr.kind == ReplyKind::kTcp) {
        if (pr.dport < port0 || pr.dport >= port0 + kReservedPorts) return;
        const auto offset = static_cast<uint16_t>(pr.dport - port0);
        const bool syn_ack =
            (pr.tcp_flags & (TcpFlags::kSyn | TcpFlags::kAck)) == (TcpFlags::kSyn | TcpFlags::kAck);
        const bool rst = (pr.tcp_flags & TcpFlags::kRst) != 0;
        if (offset < kSynProbes && p.open_tcp && pr.sport == *p.open_tcp && syn_ack &&
            pr.ack == seq_of(offset) + 1 && !p.syn_acks[offset]) {
          p.syn_acks[offset] =
              SynAckSample{pr.ttl, r.df, pr.ip_id, pr.window, r.options, timestamp_ns};
          resets.push_back(Reset{it->second, offset, pr.ack});
        } else if (offset == kPortClosedSyn && pr.sport == p.closed_tcp && rst && !p.closed_rst) {
          p.closed_rst = RstSample{pr.ttl, r.df, pr.ip_id, pr.window};
        } else if (offset == kPortAck && p.open_tcp && pr.sport == *p.open_tcp && rst &&
                   !p.ack_rst) {
          p.ack_rst = RstSample{pr.ttl, r.df, pr.ip_id, pr.window};
        }
      } else if (pr.kind == ReplyKind::kIcmpEchoReply) {
        if (pr.icmp_id == echo_id && !p.echo) p.echo = EchoSample{pr.ttl, r.df, pr.icmp_code};
      } else if (pr.kind == ReplyKind::kIcmpUnreachable) {
        const QuotedPacket& q = pr.quoted;
        if (pr.icmp_code == 3 && q.protocol == 17 && q.has_ports && q.sport == port0 + kPortUdp &&
            q.dport == p.closed_udp && !p.unreachable) {
          p.unreachable =
              UnreachableSample{pr.ttl, r.df, r.icmp_body_length, r.quoted_ip_total_length};
        }
      }
    };

    // Closes the half-open connections our SYNs opened, so the targets do
    // not retransmit SYN-ACKs at us.
    auto flush_resets = [&]() -> Result<void> {
      if (resets.empty()) return {};
      for (const auto& r : resets) {
        const HostProbe& p = probes[r.host];
        auto slot = l.sender->slot();
        const size_t n = write_os_tcp(slot, ends_of(p), static_cast<uint16_t>(port0 + r.offset),
                                      *p.open_tcp, r.seq, 0, TcpFlags::kRst, 0, {}, ip_id(), false);
        if (n > 0) l.sender->commit(n);
      }
      resets.clear();
      return l.sender->flush();
    };

    const auto started = Clock::now();
    int64_t max_srtt_us = 0;
    for (const auto& p : probes) max_srtt_us = std::max(max_srtt_us, p.host->times.srtt_us);
    const auto wait = std::clamp(
        std::chrono::duration_cast<milliseconds>(std::chrono::microseconds(4 * max_srtt_us)),
        kMinWait, kMaxWait);
    for (int round = 0; round < kSynProbes && !stopped(); ++round) {
      const auto due = started + round * kRoundGap;
      while (Clock::now() < due) {
        const auto left = std::chrono::duration_cast<milliseconds>(due - Clock::now()).count();
        auto polled = l.receiver->poll(static_cast<int>(std::max<int64_t>(1, left)), on_frame);
        if (!polled) return Unexpected(polled.error());
      }
      if (auto r = send_round(round, started); !r) return r;
      if (auto r = flush_resets(); !r) return r;
    }
    const auto deadline = started + (kSynProbes - 1) * kRoundGap + wait;
    while (Clock::now() < deadline && !stopped() &&
           !std::all_of(probes.begin(), probes.end(),
                        [](const HostProbe& p) { return !p.reachable || p.complete(); })) {
      auto polled = l.receiver->poll(10, on_frame);
      if (!polled) return Unexpected(polled.error());
      if (auto r = flush_resets(); !r) return r;
    }
    return {};
  }

  void finish_host(const HostProbe& p, bool loopback) {
    OsProbeReplies replies;
    replies.loopback = loopback;
    for (const auto& s : p.syn_acks) {
      if (s) replies.syn_acks.push_back(*s);
    }
    replies.closed_rst = p.closed_rst;
    replies.ack_rst = p.ack_rst;
    replies.echo = p.echo;
    replies.unreachable = p.unreachable;
    replies.udp_sent_ip_length = static_cast<uint16_t>(20 + 8 + kUdpPayload);
    const OsObservation observation = summarise(replies);
    OsResult os;
    match_os(observation, builtin_fingerprints(), os);
    if (p.open_tcp) os.ports_used.push_back({PortState::kOpen, Protocol::kTcp, *p.open_tcp});
    if (p.closed_tcp_scanned || p.closed_rst) {
      os.ports_used.push_back({PortState::kClosed, Protocol::kTcp, p.closed_tcp});
    }
    if (p.closed_udp_scanned || p.unreachable) {
      os.ports_used.push_back({PortState::kClosed, Protocol::kUdp, p.closed_udp});
    }
    if (options_.debug && options_.notice) {
      std::string best = os.matches.empty() ? std::string("no match")
                                            : fmt::format("{} ({}%)", os.matches.front().name,
                                                          os.matches.front().accuracy);
      for (const auto& s : replies.syn_acks) {
        best += fmt::format("\n  SYN-ACK id={} tsval={} at={}us", s.ip_id, s.options.tsval,
                            s.received_ns / 1000);
      }
      options_.notice(fmt::format("OS detection of {}: {}\n{}", p.host->address.to_string(), best,
                                  os.fingerprint));
    }
    p.host->os = std::move(os);
  }

  OsDetectOptions options_;
  std::mt19937_64 rng_;
  std::optional<RouteTable> routes_;
  std::vector<std::unique_ptr<Link>> links_;
};

}  // namespace

Result<std::unique_ptr<OsDetector>> OsDetector::create(const OsDetectOptions& options) {
  if (!has_raw_capability()) {
    return fail(ErrorKind::kPermission,
                fmt::format("OS detection (-O) needs raw sockets: {}", raw_privilege_hint()));
  }
  KernelGuard::remove_stale();
  return std::unique_ptr<OsDetector>(new LinuxOsDetector(options));
}

}  // namespace portolan
