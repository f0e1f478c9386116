// dns-open-resolver: a DNS server that resolves names recursively for anyone.
//
// The check sends one recursive query (RD=1) for the root zone's NS records
// (". NS"): a server authoritative only for its own zones cannot answer it
// from its data, so an answer that is not authoritative (AA=0) with recursion
// available (RA=1) shows that the server looked it up for us. Over UDP on a
// UDP port; over TCP (length-prefixed, RFC 1035 4.2.2) on a TCP port when
// the scan did not find the same port open over UDP.
//
// Severity: NOERROR with answers, RA=1, AA=0 -> high (an open resolver is
// used for amplification attacks and is exposed to cache poisoning); RA=1
// but SERVFAIL -> low (recursion is offered to us but failed here, e.g. no
// upstream reachable: it may well work from elsewhere); REFUSED, RA=0, or an
// authoritative answer -> nothing.
#include <optional>

#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/dns_message.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

constexpr uint16_t kQueryId = 0x5054;

class DnsOpenResolverCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }
  bool applies(const PortContext& ctx) const override {
    if (service_or_port(ctx, {"domain", "dns"}, {53}, Protocol::kUdp)) return true;
    if (!service_or_port(ctx, {"domain", "dns"}, {53}, Protocol::kTcp)) return false;
    // Over TCP only when the same port is not open over UDP: one finding per server.
    for (const auto& p : ctx.host.ports) {
      if (p.protocol == Protocol::kUdp && p.port == ctx.port.port && p.state == PortState::kOpen)
        return false;
    }
    return true;
  }
  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    auto query = build_dns_query(kQueryId, ".", kDnsTypeNs, true);
    if (!query) return;
    std::string answer;
    if (ctx.port.protocol == Protocol::kUdp) {
      auto answers = ctx.net->exchange_udp(ctx.port.port, *query, 1);
      if (!answers || answers->empty()) return;
      answer = std::move(answers->front());
    } else if (ctx.port.protocol == Protocol::kTcp) {
      auto stream = ctx.net->connect(ctx.port.port);
      if (!stream) return;
      auto got = exchange(**stream, dns_tcp_frame(*query),
                          [](std::string_view s) { return dns_tcp_unframe(s).has_value(); });
      if (!got) return;
      auto message = dns_tcp_unframe(*got);
      if (!message) return;
      answer = std::string(*message);
    } else {
      return;
    }
    auto reply = parse_dns_message(answer);
    if (!reply) return;
    if (const auto f = judge(ctx, *reply)) out.push_back(*f);
  }

  // The decision, apart from the I/O so tests can give it captured answers.
  std::optional<Finding> judge(const PortContext& ctx, const DnsMessage& m) const {
    if (!m.response || m.id != kQueryId || !m.recursion_available || m.authoritative)
      return std::nullopt;
    const std::string flags = fmt::format("id {:#06x}, RA=1, RD={}, AA=0, rcode {}", m.id,
                                          m.recursion_desired ? 1 : 0, dns_rcode_name(m.rcode));
    if (m.rcode == 0 && m.answer_count > 0 && !m.answers.empty()) {
      std::string records;
      for (size_t i = 0; i < m.answers.size() && i < 3; ++i) {
        if (!records.empty()) records += ", ";
        records += printable_evidence(m.answers[i].data, 80);
      }
      return make_finding(
          info_, ctx, Severity::kHigh, "Open DNS resolver (amplification, cache poisoning)",
          fmt::format("a recursive query for \". NS\" was answered ({}, {} answers: {})", flags,
                      m.answer_count, records),
          "Allow recursion only for your own networks (BIND: allow-recursion { localnets; }; "
          "Unbound: access-control; dnsmasq: --local-service or --interface), or turn it off on "
          "an authoritative server (recursion no;)");
    }
    if (m.rcode == 2) {
      return make_finding(
          info_, ctx, Severity::kLow, "DNS server offers recursion to anyone (it failed here)",
          fmt::format("a recursive query for \". NS\" got SERVFAIL with recursion available ({})",
                      flags),
          "Allow recursion only for your own networks (BIND: allow-recursion { localnets; }; "
          "Unbound: access-control; dnsmasq: --local-service), or turn it off on an "
          "authoritative server (recursion no;)");
    }
    return std::nullopt;
  }

 private:
  CheckInfo info_{"dns-open-resolver", Category::kUnauthenticated,
                  "DNS server resolving recursively for anyone", true};
};

}  // namespace

std::unique_ptr<Check> make_dns_open_resolver_check() {
  return std::make_unique<DnsOpenResolverCheck>();
}

}  // namespace portolan::audit
