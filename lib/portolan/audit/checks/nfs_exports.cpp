// nfs-exports: NFS exports that any client may mount.
//
// The check asks the portmapper (111/tcp, RFC 1833 GETPORT) where mountd
// (program 100005, version 3, TCP) listens, then asks mountd for its export
// list (MOUNTPROC3_EXPORT, RFC 1813 appendix I), the list `showmount -e`
// prints. Nothing is mounted.
//
// Severity: an export with no client restriction ("*", no group, 0.0.0.0/0
// or a network wider than /8) is high, one finding per export (id
// "nfs-exports:<path>"): anyone who can reach the server can mount it, and
// with AUTH_SYS claim any uid (anonymous data access). Restricted exports
// give one info finding listing them, since the list itself tells an
// attacker the layout and the trusted hosts. The check runs on the
// portmapper port, or on 2049 when the scan did not find 111 open (so a
// host with both is checked once).
#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"
#include "portolan/audit/onc_rpc.h"
#include "portolan/audit/tls_stream.h"

namespace portolan::audit {
namespace {

constexpr uint16_t kPortmapperPort = 111;
constexpr uint32_t kGetportXid = 0x50540001;
constexpr uint32_t kExportXid = 0x50540002;
constexpr size_t kMaxListed = 16;

bool record_complete(std::string_view s) {
  return rpc_tcp_record(s).has_value();
}

Result<std::string> call(AuditNet& net, uint16_t port, const std::string& request) {
  auto stream = net.connect(port);
  if (!stream) return Unexpected(stream.error());
  return exchange(**stream, request, record_complete);
}

bool is_portmapper(const PortContext& ctx) {
  if (!ctx.service.name.empty())
    return ctx.service.name == "rpcbind" || ctx.service.name == "portmapper";
  return ctx.port.port == kPortmapperPort;
}

bool host_has_open_portmapper(const HostResult& host) {
  for (const auto& p : host.ports) {
    if (p.protocol == Protocol::kTcp && p.port == kPortmapperPort && p.state == PortState::kOpen)
      return true;
  }
  return false;
}

std::string groups_text(const NfsExport& e) {
  if (e.groups.empty()) return "(everyone)";
  std::string out;
  for (const auto& g : e.groups) {
    if (!out.empty()) out += ',';
    out += printable_evidence(g, 80);
  }
  return out;
}

class NfsExportsCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }
  bool applies(const PortContext& ctx) const override {
    if (ctx.port.protocol != Protocol::kTcp) return false;
    if (is_portmapper(ctx)) return true;
    return service_or_port(ctx, {"nfs"}, {2049}) && !host_has_open_portmapper(ctx.host);
  }
  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    if (ctx.net == nullptr) return;
    const uint16_t portmapper = is_portmapper(ctx) ? ctx.port.port : kPortmapperPort;
    auto getport = call(*ctx.net, portmapper,
                        build_pmap_getport_call(kGetportXid, kRpcMountProgram, 3, kIpProtoTcp));
    if (!getport) return;
    auto mountd = parse_pmap_getport_reply(*getport, kGetportXid);
    if (!mountd || *mountd == 0) return;
    auto reply = call(*ctx.net, *mountd, build_mount_export_call(kExportXid));
    if (!reply) return;
    auto exports = parse_mount_export_reply(*reply, kExportXid);
    if (!exports) return;
    std::vector<const NfsExport*> restricted;
    for (const auto& e : *exports) {
      if (!nfs_export_open_to_everyone(e)) {
        restricted.push_back(&e);
        continue;
      }
      const std::string path = printable_evidence(e.path, 200);
      out.push_back(make_finding(
          info_, ctx, Severity::kHigh, fmt::format("NFS export {} mountable by any client", path),
          fmt::format("mountd (port {}) lists {} for {}", *mountd, path, groups_text(e)),
          fmt::format("In /etc/exports, limit {} to the clients that need it (a host or a small "
                      "network, not "
                      "'*'), with root_squash, then run exportfs -ra",
                      path),
          path));
    }
    if (!restricted.empty()) {
      std::string evidence = fmt::format("mountd (port {}) lists:", *mountd);
      for (size_t i = 0; i < restricted.size() && i < kMaxListed; ++i) {
        evidence += fmt::format(" {} ({})", printable_evidence(restricted[i]->path, 200),
                                groups_text(*restricted[i]));
      }
      if (restricted.size() > kMaxListed)
        evidence += fmt::format(" and {} more", restricted.size() - kMaxListed);
      out.push_back(make_finding(
          info_, ctx, Severity::kInfo,
          fmt::format("NFS export list readable ({} restricted exports)", restricted.size()),
          std::move(evidence),
          "Filter the portmapper (111) and mountd ports to the NFS clients if the export "
          "list should not be public",
          "list"));
    }
  }

 private:
  CheckInfo info_{"nfs-exports", Category::kUnauthenticated, "NFS exports listed to anyone", true};
};

}  // namespace

std::unique_ptr<Check> make_nfs_exports_check() {
  return std::make_unique<NfsExportsCheck>();
}

}  // namespace portolan::audit
