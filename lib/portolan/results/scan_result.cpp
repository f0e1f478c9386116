#include "portolan/results/scan_result.h"

#include "portolan/results/protocol.h"

namespace portolan {

std::string_view to_string(Protocol p) {
  switch (p) {
    case Protocol::kTcp:
      return "tcp";
    case Protocol::kUdp:
      return "udp";
    case Protocol::kSctp:
      return "sctp";
  }
  return "tcp";
}

std::optional<Protocol> parse_protocol(std::string_view text) {
  if (text == "tcp") return Protocol::kTcp;
  if (text == "udp") return Protocol::kUdp;
  if (text == "sctp") return Protocol::kSctp;
  return std::nullopt;
}

std::string_view to_string(PortState s) {
  switch (s) {
    case PortState::kOpen:
      return "open";
    case PortState::kClosed:
      return "closed";
    case PortState::kFiltered:
      return "filtered";
    case PortState::kUnfiltered:
      return "unfiltered";
    case PortState::kOpenFiltered:
      return "open|filtered";
    case PortState::kClosedFiltered:
      return "closed|filtered";
  }
  return "unknown";
}

std::string_view to_string(Reason r) {
  switch (r) {
    case Reason::kUnknown:
      return "unknown-response";
    case Reason::kSynAck:
      return "syn-ack";
    case Reason::kConnRefused:
      return "conn-refused";
    case Reason::kReset:
      return "reset";
    case Reason::kNoResponse:
      return "no-response";
    case Reason::kHostUnreach:
      return "host-unreach";
    case Reason::kNetUnreach:
      return "net-unreach";
    case Reason::kHostProhibited:
      return "host-prohibited";
    case Reason::kNetProhibited:
      return "net-prohibited";
    case Reason::kAdminProhibited:
      return "admin-prohibited";
    case Reason::kPortUnreach:
      return "port-unreach";
    case Reason::kProtoUnreach:
      return "proto-unreach";
    case Reason::kTimeExceeded:
      return "time-exceeded";
    case Reason::kEchoReply:
      return "echo-reply";
    case Reason::kUdpResponse:
      return "udp-response";
    case Reason::kArpResponse:
      return "arp-response";
    case Reason::kNdResponse:
      return "nd-response";
    case Reason::kUserSet:
      return "user-set";
    case Reason::kLocalhostResponse:
      return "localhost-response";
    case Reason::kTimestampReply:
      return "timestamp-reply";
  }
  return "unknown-response";
}

std::string_view to_string(HostState s) {
  switch (s) {
    case HostState::kUp:
      return "up";
    case HostState::kDown:
      return "down";
    case HostState::kUnknown:
      return "unknown";
    case HostState::kSkipped:
      return "skipped";
  }
  return "unknown";
}

void count_findings(ScanSummary& summary, const HostResult& host) {
  summary.findings += host.findings.size();
  for (const auto& f : host.findings) {
    if (!summary.worst_finding || f.severity > *summary.worst_finding)
      summary.worst_finding = f.severity;
  }
}

}  // namespace portolan
