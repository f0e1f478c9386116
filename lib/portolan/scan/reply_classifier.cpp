#include "portolan/scan/reply_classifier.h"

#include "portolan/probes/udp_payloads.h"
#include "portolan/scan/reply_reason.h"

namespace portolan {

bool ReplyClassifier::classify(const ParsedReply& r, Classified& out) const {
  switch (r.kind) {
    case ReplyKind::kTcp:
      return tcp(r, out);
    case ReplyKind::kUdp:
      return udp(r, out);
    case ReplyKind::kIcmpUnreachable:
    case ReplyKind::kIcmpTimeExceeded:
      return icmp_error(r, out);
    case ReplyKind::kIcmpEchoReply:
    case ReplyKind::kIcmpTimestampReply:
      return icmp_reply(r, out);
    case ReplyKind::kArp:
    case ReplyKind::kNeighborAdvert:
      return link_reply(r, out);
    default:
      return false;
  }
}

bool ReplyClassifier::ours(const IpAddress& dst, uint16_t dport) const {
  return dst == link_.local && dport >= link_.port_first &&
         dport - link_.port_first < link_.port_count;
}

bool ReplyClassifier::tcp(const ParsedReply& r, Classified& out) const {
  if (!ours(r.dst, r.dport)) return false;
  const uint32_t host = index_.hosts.find(r.src);
  if (host == AddressIndex::kMissing) return false;
  const uint32_t seq = link_.cookie->tcp_seq(link_.local, r.dport, r.src, r.sport);
  const bool ack_flag = (r.tcp_flags & TcpFlags::kAck) != 0;
  const bool rst = (r.tcp_flags & TcpFlags::kRst) != 0;
  const bool syn = (r.tcp_flags & TcpFlags::kSyn) != 0;
  if (ack_flag && r.ack - 1u == seq && index_.syn[r.sport] != UINT32_MAX) {
    if (syn && !rst) {
      out = {host, index_.syn[r.sport], Reason::kSynAck, r.ttl, true};
      return true;
    }
    if (rst) {
      out = {host, index_.syn[r.sport], Reason::kReset, r.ttl, false};
      return true;
    }
    return false;
  }
  if (rst && r.seq == (seq ^ kAckProbeMask) && index_.ack[r.sport] != UINT32_MAX) {
    out = {host, index_.ack[r.sport], Reason::kReset, r.ttl, false};
    return true;
  }
  return false;
}

bool ReplyClassifier::udp(const ParsedReply& r, Classified& out) const {
  if (r.dst != link_.local) return false;
  const uint32_t host = index_.hosts.find(r.src);
  if (host == AddressIndex::kMissing || index_.udp[r.sport] == UINT32_MAX) return false;
  const uint16_t expect = link_.cookie->source_port(link_.local, r.src, r.sport, ProbeCookie::kUdp,
                                                    link_.port_first, link_.port_count);
  if (r.dport != expect) return false;
  out = {host, index_.udp[r.sport], Reason::kUdpResponse, r.ttl, false};
  return true;
}

bool ReplyClassifier::icmp_error(const ParsedReply& r, Classified& out) const {
  const QuotedPacket& q = r.quoted;
  if (r.dst != link_.local || q.src != link_.local) return false;
  const uint32_t host = index_.hosts.find(q.dst);
  if (host == AddressIndex::kMissing) return false;
  Reason reason = Reason::kTimeExceeded;
  if (r.kind == ReplyKind::kIcmpUnreachable) {
    auto mapped = r.src.is_v4() ? icmp4_unreachable_reason(r.icmp_code)
                                : icmp6_unreachable_reason(r.icmp_code);
    if (!mapped) return false;
    reason = *mapped;
  }
  uint32_t spec = UINT32_MAX;
  if (q.protocol == ProbeCookie::kTcp && q.has_tcp_seq) {
    const uint32_t seq = link_.cookie->tcp_seq(link_.local, q.sport, q.dst, q.dport);
    if (q.tcp_seq == seq) {
      spec = index_.syn[q.dport];
    } else if (q.tcp_seq == (seq ^ kAckProbeMask)) {
      spec = index_.ack[q.dport];
    }
  } else if (q.protocol == ProbeCookie::kUdp && q.has_ports) {
    const uint16_t expect = link_.cookie->source_port(
        link_.local, q.dst, q.dport, ProbeCookie::kUdp, link_.port_first, link_.port_count);
    if (q.sport == expect) spec = index_.udp[q.dport];
  } else if (q.has_icmp) {
    const uint32_t tag = link_.cookie->icmp_tag(link_.local, q.dst);
    if (q.icmp_id == (tag >> 16) && q.icmp_seq == (tag & 0xffff)) {
      spec = q.icmp_type == 13 ? index_.timestamp : index_.echo;
    }
  }
  if (spec == UINT32_MAX) return false;
  out = {host, spec, reason, r.ttl, false};
  return true;
}

bool ReplyClassifier::icmp_reply(const ParsedReply& r, Classified& out) const {
  if (r.dst != link_.local) return false;
  const uint32_t host = index_.hosts.find(r.src);
  if (host == AddressIndex::kMissing) return false;
  const uint32_t tag = link_.cookie->icmp_tag(link_.local, r.src);
  if (r.icmp_id != (tag >> 16) || r.icmp_seq != (tag & 0xffff)) return false;
  const bool ts = r.kind == ReplyKind::kIcmpTimestampReply;
  const uint32_t spec = ts ? index_.timestamp : index_.echo;
  if (spec == UINT32_MAX) return false;
  out = {host, spec, ts ? Reason::kTimestampReply : Reason::kEchoReply, r.ttl, false};
  return true;
}

bool ReplyClassifier::link_reply(const ParsedReply& r, Classified& out) const {
  if (index_.link_probe == LinkProbe::kNone || !r.has_link_mac) return false;
  if (r.kind == ReplyKind::kArp) {
    // An ARP reply to us, or any request from the host (it is up and we
    // learn its address either way).
    if (r.link_ip == link_.local) return false;
  }
  const uint32_t host = index_.hosts.find(r.link_ip);
  if (host == AddressIndex::kMissing) return false;
  out = {host, 0, r.kind == ReplyKind::kArp ? Reason::kArpResponse : Reason::kNdResponse, r.ttl,
         false};
  return true;
}

size_t ProbeWriter::write(std::span<std::byte> out, uint32_t host, uint32_t spec_index) const {
  const IpAddress& dst = hosts_[host];
  const MacAddress& mac = next_hop_[host];
  if (link_probe_ == LinkProbe::kArp) {
    return write_arp_request(out, link_.local_mac, link_.local, dst);
  }
  if (link_probe_ == LinkProbe::kNeighborSolicit) {
    return write_neighbor_solicit(out, link_.local_mac, link_.local, dst);
  }
  // A host on the local segment that never answered ARP has no address to
  // send to: its probes are skipped (they stay unanswered).
  if (!link_.loopback && mac.is_zero()) return 0;
  const ProbeSpec& spec = specs_[spec_index];
  switch (spec.kind) {
    case ProbeKind::kTcpSyn:
    case ProbeKind::kTcpAck: {
      const uint16_t sport = tcp_source_port(dst, spec.port);
      const uint64_t h = link_.cookie->hash(link_.local, sport, dst, spec.port, ProbeCookie::kTcp);
      const uint32_t seq = static_cast<uint32_t>(h);
      const uint16_t ip_id = static_cast<uint16_t>(h >> 32);
      if (spec.kind == ProbeKind::kTcpSyn) {
        return link_.tcp_syn->write_tcp(out, mac, dst, sport, spec.port, seq, 0, ip_id);
      }
      const uint32_t v = seq ^ kAckProbeMask;
      return link_.tcp_ack->write_tcp(out, mac, dst, sport, spec.port, v, v, ip_id);
    }
    case ProbeKind::kUdp: {
      const uint16_t sport = link_.cookie->source_port(
          link_.local, dst, spec.port, ProbeCookie::kUdp, link_.port_first, link_.port_count);
      return link_.udp->write_udp(out, mac, dst, sport, spec.port, udp_payload_for(spec.port),
                                  static_cast<uint16_t>(sport * 2654435761u >> 16));
    }
    case ProbeKind::kIcmpEcho:
    case ProbeKind::kIcmpTimestamp: {
      const ProbeTemplate* t =
          spec.kind == ProbeKind::kIcmpEcho ? link_.icmp_echo : link_.icmp_timestamp;
      if (t == nullptr) return 0;
      const uint32_t tag = link_.cookie->icmp_tag(link_.local, dst);
      return t->write_icmp(out, mac, dst, static_cast<uint16_t>(tag >> 16),
                           static_cast<uint16_t>(tag), {}, static_cast<uint16_t>(tag * 7u));
    }
  }
  return 0;
}

uint16_t ProbeWriter::tcp_source_port(const IpAddress& dst, uint16_t dport) const {
  return link_.cookie->source_port(link_.local, dst, dport, ProbeCookie::kTcp, link_.port_first,
                                   link_.port_count);
}

}  // namespace portolan
