// snmp-default-community: an SNMP agent answering a default community.
//
// The check sends GET sysDescr.0 in SNMPv2c, then SNMPv1, with community
// "public", then "private" — the two documented defaults and nothing else
// (no guessing). An agent drops a request with a community it does not
// accept (RFC 3584 5.2.1), so any Response to our request id shows the
// community works. It stops at the first community that is accepted.
//
// Severity: high. A default community gives anyone read access to the
// device's configuration, interfaces, routes, ARP table and often running
// processes, in cleartext, over a UDP service that is also an amplifier;
// "private" is commonly read-write as well. Evidence: the sysDescr value.
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/snmp_ber.h"

namespace portolan::audit {
namespace {

constexpr int32_t kRequestId = 0x5054;

class SnmpDefaultCommunityCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }
  bool applies(const PortContext& ctx) const override {
    return service_or_port(ctx, {"snmp"}, {161}, Protocol::kUdp);
  }
  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    for (std::string_view community : {"public", "private"}) {
      for (SnmpVersion version : {SnmpVersion::kV2c, SnmpVersion::kV1}) {
        auto request = build_snmp_get(version, community, kRequestId, kSnmpSysDescr);
        if (!request) return;
        auto answers = ctx.net->exchange_udp(ctx.port.port, *request, 1);
        if (!answers) return;  // port unreachable: nothing more to ask
        for (const auto& a : *answers) {
          auto m = parse_snmp_message(a);
          if (!m || !snmp_is_response_to(*m, kRequestId)) continue;
          const std::string_view vname = version == SnmpVersion::kV2c ? "v2c" : "v1";
          std::string evidence =
              fmt::format("SNMP{} GET sysDescr.0 with community '{}' answered", vname, community);
          const std::string value = snmp_first_value(*m);
          if (!value.empty()) evidence += fmt::format(": \"{}\"", printable_evidence(value, 200));
          out.push_back(make_finding(info_, ctx, Severity::kHigh,
                                     fmt::format("SNMP answers default community '{}'", community),
                                     std::move(evidence),
                                     fmt::format("Remove the '{}' community (net-snmp: the "
                                                 "rocommunity/rwcommunity line in snmpd.conf), use "
                                                 "SNMPv3 with authPriv, or at least a long random "
                                                 "community limited to the management "
                                                 "hosts",
                                                 community),
                                     community));
          return;
        }
      }
    }
  }

 private:
  CheckInfo info_{"snmp-default-community", Category::kCleartext,
                  "SNMP v1/v2c answering a default community (public, private)", true};
};

}  // namespace

std::unique_ptr<Check> make_snmp_default_community_check() {
  return std::make_unique<SnmpDefaultCommunityCheck>();
}

}  // namespace portolan::audit
