#include "portolan/trace/trace_probe.h"

#include <algorithm>

#include "portolan/probes/udp_payloads.h"

namespace portolan {

std::string_view to_string(TraceProtocol p) {
  switch (p) {
    case TraceProtocol::kTcp:
      return "tcp";
    case TraceProtocol::kUdp:
      return "udp";
    case TraceProtocol::kIcmp:
      return "icmp";
  }
  return "icmp";
}

TraceProbe choose_trace_probe(std::span<const PortResult> ports) {
  // Best first: (protocol, state) pairs in nmap's order of preference.
  const std::pair<Protocol, PortState> order[] = {
      {Protocol::kTcp, PortState::kOpen},
      {Protocol::kTcp, PortState::kClosed},
      {Protocol::kUdp, PortState::kClosed},
      {Protocol::kUdp, PortState::kOpen},
  };
  for (const auto& [protocol, state] : order) {
    const PortResult* best = nullptr;
    for (const auto& p : ports) {
      if (p.protocol != protocol || p.state != state) continue;
      if (best == nullptr || p.port < best->port) best = &p;
    }
    if (best != nullptr) {
      return {protocol == Protocol::kTcp ? TraceProtocol::kTcp : TraceProtocol::kUdp, best->port};
    }
  }
  return {TraceProtocol::kIcmp, 0};
}

int first_round_ttls(uint8_t reply_ttl, int max_ttl) {
  max_ttl = std::clamp(max_ttl, 1, kMaxTraceTtl);
  if (reply_ttl == 0) return max_ttl;
  int initial = 255;
  for (int common : {32, 64, 128}) {
    if (reply_ttl <= common) {
      initial = common;
      break;
    }
  }
  const int hops = initial - reply_ttl + 1;
  return std::clamp(hops + 2, 1, max_ttl);
}

TraceProbeCodec::TraceProbeCodec(const IpAddress& local, uint16_t port_first, int max_ttl,
                                 const ProbeCookie& cookie)
    : local_(local),
      port_first_(port_first),
      max_ttl_(std::clamp(max_ttl, 1, kMaxTraceTtl)),
      cookie_(cookie) {}

int TraceProbeCodec::ttl_of_port(uint16_t port) const {
  if (port < port_first_ || port - port_first_ >= max_ttl_) return 0;
  return port - port_first_ + 1;
}

uint16_t TraceProbeCodec::udp_ip_id(uint16_t sport, const IpAddress& dst, uint16_t dport) const {
  return static_cast<uint16_t>(cookie_.hash(local_, sport, dst, dport, ProbeCookie::kUdp));
}

int TraceProbeCodec::ttl_of_echo(const IpAddress& dst, uint16_t id, uint16_t seq) const {
  const uint32_t tag = cookie_.icmp_tag(local_, dst);
  if (id != (tag >> 16)) return 0;
  const int ttl = static_cast<uint16_t>(seq - (tag & 0xffff));
  return ttl >= 1 && ttl <= max_ttl_ ? ttl : 0;
}

size_t TraceProbeCodec::write(std::span<std::byte> out, const ProbeTemplate& tmpl,
                              const MacAddress& next_hop, const IpAddress& dst,
                              const TraceProbe& probe, int ttl) const {
  if (ttl < 1 || ttl > max_ttl_) return 0;
  switch (probe.protocol) {
    case TraceProtocol::kTcp: {
      const uint16_t sport = source_port(ttl);
      const uint64_t h = cookie_.hash(local_, sport, dst, probe.port, ProbeCookie::kTcp);
      return tmpl.write_tcp(out, next_hop, dst, sport, probe.port, static_cast<uint32_t>(h), 0,
                            static_cast<uint16_t>(h >> 32));
    }
    case TraceProtocol::kUdp: {
      const uint16_t sport = source_port(ttl);
      return tmpl.write_udp(out, next_hop, dst, sport, probe.port, udp_payload_for(probe.port),
                            udp_ip_id(sport, dst, probe.port));
    }
    case TraceProtocol::kIcmp: {
      const uint32_t tag = cookie_.icmp_tag(local_, dst);
      const auto seq = static_cast<uint16_t>((tag & 0xffff) + static_cast<uint32_t>(ttl));
      return tmpl.write_icmp(out, next_hop, dst, static_cast<uint16_t>(tag >> 16), seq, {},
                             static_cast<uint16_t>(tag * 7u + static_cast<uint32_t>(ttl)));
    }
  }
  return 0;
}

std::optional<TraceReply> TraceProbeCodec::match(const ParsedReply& r) const {
  if (r.dst != local_) return std::nullopt;
  TraceReply out;
  out.kind = TraceReply::Kind::kEnd;
  out.target = r.src;
  out.hop = r.src;
  switch (r.kind) {
    case ReplyKind::kTcp: {
      // A SYN-ACK or RST acknowledging seq + 1, from the port we probed.
      const int ttl = ttl_of_port(r.dport);
      if (ttl == 0 || (r.tcp_flags & TcpFlags::kAck) == 0) return std::nullopt;
      if (!cookie_.tcp_ack_matches(local_, r.dport, r.src, r.sport, r.ack)) return std::nullopt;
      out.probe = {TraceProtocol::kTcp, r.sport};
      out.ttl = ttl;
      return out;
    }
    case ReplyKind::kUdp: {
      const int ttl = ttl_of_port(r.dport);
      if (ttl == 0) return std::nullopt;
      out.probe = {TraceProtocol::kUdp, r.sport};
      out.ttl = ttl;
      return out;
    }
    case ReplyKind::kIcmpEchoReply: {
      const int ttl = ttl_of_echo(r.src, r.icmp_id, r.icmp_seq);
      if (ttl == 0) return std::nullopt;
      out.probe = {TraceProtocol::kIcmp, 0};
      out.ttl = ttl;
      return out;
    }
    case ReplyKind::kIcmpTimeExceeded:
    case ReplyKind::kIcmpUnreachable:
      return match_quoted(r);
    default:
      return std::nullopt;
  }
}

std::optional<TraceReply> TraceProbeCodec::match_quoted(const ParsedReply& r) const {
  const QuotedPacket& q = r.quoted;
  if (q.src != local_ || q.dst.family() != local_.family()) return std::nullopt;
  TraceReply out;
  out.target = q.dst;
  out.hop = r.src;
  if (r.kind == ReplyKind::kIcmpTimeExceeded) {
    // Code 1 is fragment reassembly time exceeded: not a hop.
    if (r.icmp_code != 0) return std::nullopt;
    out.kind = TraceReply::Kind::kTimeExceeded;
  } else {
    // ICMPv4 "fragmentation needed" is about the packet's size, not the path's end.
    if (r.src.is_v4() && r.icmp_code == 4) return std::nullopt;
    out.kind = TraceReply::Kind::kEnd;
  }
  if (q.protocol == ProbeCookie::kTcp && q.has_tcp_seq) {
    out.ttl = ttl_of_port(q.sport);
    if (out.ttl == 0 || q.tcp_seq != cookie_.tcp_seq(local_, q.sport, q.dst, q.dport)) {
      return std::nullopt;
    }
    out.probe = {TraceProtocol::kTcp, q.dport};
    return out;
  }
  if (q.protocol == ProbeCookie::kUdp && q.has_ports) {
    out.ttl = ttl_of_port(q.sport);
    if (out.ttl == 0) return std::nullopt;
    if (q.dst.is_v4() && q.ip_id != udp_ip_id(q.sport, q.dst, q.dport)) return std::nullopt;
    out.probe = {TraceProtocol::kUdp, q.dport};
    return out;
  }
  const uint8_t echo_request = q.dst.is_v4() ? 8 : 128;
  if ((q.protocol == ProbeCookie::kIcmp || q.protocol == ProbeCookie::kIcmpV6) && q.has_icmp &&
      q.icmp_type == echo_request) {
    out.ttl = ttl_of_echo(q.dst, q.icmp_id, q.icmp_seq);
    if (out.ttl == 0) return std::nullopt;
    out.probe = {TraceProtocol::kIcmp, 0};
    return out;
  }
  return std::nullopt;
}

}  // namespace portolan
