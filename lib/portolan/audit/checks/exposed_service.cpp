// exposed-service: a database, remote-desktop, file-sharing or management
// service that answers from where the scan ran.
//
// Passive (runs offline): it reads the service -sV named, or the port's
// usual service when -sV named none. These services are meant for a few
// known clients; reachable from a scanner, they are one leaked password or
// one bug away from the data or the machine. Severity is medium: the
// service may demand a password (the unauthenticated-access checks say when
// it does not, at critical/high). The policy's allow-exposed names what is
// reachable on purpose. A loopback target is skipped: what answers on
// 127.0.0.1 says nothing about what the network reaches (scan the host's
// own address for that).
#include <fmt/format.h>

#include <array>
#include <string_view>

#include "portolan/audit/checks/checks.h"

namespace portolan::audit {
namespace {

struct ExposedKind {
  std::string_view service;  // -sV's name (nmap's names)
  uint16_t port;             // the usual port, for ports -sV did not name
  Protocol protocol;
  std::string_view what;  // "database", ...
  std::string_view fix;
};

constexpr std::string_view kFirewall =
    "Firewall the port to the hosts that need it, or bind the service to a private interface";

constexpr std::array<ExposedKind, 30> kExposed = {{
    {"mysql", 3306, Protocol::kTcp, "database (MySQL/MariaDB)",
     "Set bind-address in my.cnf to a private address, and firewall 3306"},
    {"postgresql", 5432, Protocol::kTcp, "database (PostgreSQL)",
     "Set listen_addresses in postgresql.conf and restrict pg_hba.conf; firewall 5432"},
    {"ms-sql-s", 1433, Protocol::kTcp, "database (Microsoft SQL Server)", kFirewall},
    {"oracle-tns", 1521, Protocol::kTcp, "database (Oracle TNS listener)", kFirewall},
    {"mongodb", 27017, Protocol::kTcp, "database (MongoDB)",
     "Set net.bindIp in mongod.conf to a private address; firewall 27017"},
    {"redis", 6379, Protocol::kTcp, "database (Redis)",
     "Set 'bind 127.0.0.1' (or a private address) in redis.conf; firewall 6379"},
    {"memcached", 11211, Protocol::kTcp, "cache (memcached)",
     "Start memcached with -l 127.0.0.1 (and -U 0); firewall 11211"},
    {"elasticsearch", 9200, Protocol::kTcp, "search database (Elasticsearch/OpenSearch)",
     "Set network.host to a private address; firewall 9200/9300"},
    {"cassandra", 9042, Protocol::kTcp, "database (Cassandra)", kFirewall},
    {"couchdb", 5984, Protocol::kTcp, "database (CouchDB)",
     "Set bind_address in local.ini; firewall 5984"},
    {"influxdb", 8086, Protocol::kTcp, "database (InfluxDB)", kFirewall},
    {"etcd", 2379, Protocol::kTcp, "key-value store (etcd)",
     "Listen on private addresses with client certificates; firewall 2379/2380"},
    {"ms-wbt-server", 3389, Protocol::kTcp, "remote desktop (RDP)",
     "Reach RDP through a VPN or an RD Gateway only; firewall 3389"},
    {"vnc", 5900, Protocol::kTcp, "remote desktop (VNC)",
     "Tunnel VNC through SSH or a VPN and bind it to localhost; firewall 5900"},
    {"x11", 6000, Protocol::kTcp, "X11 display server",
     "Start X with -nolisten tcp; use SSH X11 forwarding"},
    {"microsoft-ds", 445, Protocol::kTcp, "file sharing (SMB)",
     "Firewall 445 to the local network; never expose SMB beyond it"},
    {"netbios-ssn", 139, Protocol::kTcp, "file sharing (NetBIOS session)",
     "Disable NetBIOS over TCP/IP, or firewall 139"},
    {"netbios-ns", 137, Protocol::kUdp, "NetBIOS name service",
     "Disable NetBIOS over TCP/IP (Samba: disable netbios = yes), or firewall 137"},
    {"nfs", 2049, Protocol::kTcp, "file sharing (NFS)",
     "Restrict /etc/exports to the client networks and firewall 2049/111"},
    {"rpcbind", 111, Protocol::kTcp, "RPC portmapper",
     "Stop rpcbind where no RPC service (NFS) is needed; otherwise firewall 111"},
    {"rsync", 873, Protocol::kTcp, "file transfer (rsync daemon)",
     "Bind the rsync daemon ('address =') to a private address; firewall 873"},
    {"wsman", 5985, Protocol::kTcp, "management (WinRM over HTTP)",
     "Allow WinRM from management hosts only; prefer HTTPS (5986)"},
    {"wsmans", 5986, Protocol::kTcp, "management (WinRM over HTTPS)",
     "Allow WinRM from management hosts only"},
    {"docker", 2375, Protocol::kTcp, "management (Docker Engine API)",
     "Serve the Docker API on its unix socket only, or with TLS client certificates (2376)"},
    {"kubernetes", 6443, Protocol::kTcp, "management (Kubernetes API server)",
     "Reach the API server through a private network or a VPN"},
    {"kubelet", 10250, Protocol::kTcp, "management (kubelet API)",
     "Firewall 10250 to the control plane; set authentication.anonymous.enabled=false"},
    {"snmp", 161, Protocol::kUdp, "management (SNMP)",
     "Allow SNMP from the monitoring hosts only; prefer SNMPv3"},
    {"asf-rmcp", 623, Protocol::kUdp, "management (IPMI/BMC)",
     "Put BMCs on a separate management network"},
    {"java-rmi", 1099, Protocol::kTcp, "management (Java RMI / JMX)", kFirewall},
    {"mqtt", 1883, Protocol::kTcp, "message broker (MQTT, cleartext)",
     "Require authentication and TLS (8883); firewall 1883"},
}};

class ExposedServiceCheck final : public Check {
 public:
  const CheckInfo& info() const override { return info_; }

  bool applies(const PortContext& ctx) const override {
    return !ctx.host.address.is_loopback() && find(ctx) != nullptr;
  }

  void run(const PortContext& ctx, std::vector<Finding>& out) const override {
    const ExposedKind* kind = find(ctx);
    if (kind == nullptr) return;
    const std::string name =
        ctx.service.name.empty() ? std::string(kind->service) : effective_name(ctx.service);
    if (ctx.policy.exposure_allowed(name, ctx.port.port, ctx.port.protocol)) return;
    std::string product = ctx.service.product;
    if (!ctx.service.version.empty()) product += " " + ctx.service.version;
    out.push_back(make_finding(
        info_, ctx, Severity::kMedium, fmt::format("{} reachable from the network", kind->what),
        fmt::format("{}/{} open on {}: {}{}", ctx.port.port, to_string(ctx.port.protocol),
                    ctx.host.address.to_string(), name,
                    product.empty() ? "" : fmt::format(" ({})", product)),
        fmt::format(
            "{}. If it is reachable on purpose, list it under allow-exposed in the audit policy.",
            kind->fix)));
  }

 private:
  // -sV names these "http" and says what they are in the product.
  static std::string effective_name(const ServiceInfo& service) {
    const std::string& p = service.product;
    if (p.find("Elasticsearch") != std::string::npos || p.find("OpenSearch") != std::string::npos) {
      return "elasticsearch";
    }
    if (p.find("Kubernetes") != std::string::npos) return "kubernetes";
    if (p.find("Docker") != std::string::npos) return "docker";
    return service.name;
  }

  static const ExposedKind* find(const PortContext& ctx) {
    const std::string name = effective_name(ctx.service);
    for (const auto& k : kExposed) {
      if (!name.empty() ? name == k.service
                        : ctx.port.port == k.port && ctx.port.protocol == k.protocol) {
        return &k;
      }
    }
    return nullptr;
  }

  CheckInfo info_{"exposed-service", Category::kExposure,
                  "Database, remote-desktop, file-sharing or management port reachable", false};
};

}  // namespace

std::unique_ptr<Check> make_exposed_service_check() {
  return std::make_unique<ExposedServiceCheck>();
}

}  // namespace portolan::audit
