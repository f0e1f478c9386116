// exposed-service and default-port-policy: passive checks on result values.
#include <gtest/gtest.h>

#include "portolan/audit/audit_policy.h"
#include "portolan/audit/check_registry.h"

namespace portolan::audit {
namespace {

struct Port {
  HostResult host;
  PortResult port;
  ServiceInfo service;
};

Port make(const char* address, uint16_t number, std::string service, std::string product = "",
          Protocol protocol = Protocol::kTcp) {
  Port p;
  p.host.address = *IpAddress::parse(address);
  p.host.state = HostState::kUp;
  p.port.port = number;
  p.port.protocol = protocol;
  p.port.state = PortState::kOpen;
  p.service.name = std::move(service);
  p.service.product = std::move(product);
  return p;
}

std::vector<Finding> run(const char* id, const Port& p, const AuditPolicy& policy = {}) {
  const Check* check = find_check(id);
  EXPECT_NE(check, nullptr);
  PortContext ctx{p.host, p.port, p.service, nullptr, policy, nullptr, ""};
  std::vector<Finding> out;
  if (check->applies(ctx)) check->run(ctx, out);
  return out;
}

TEST(ExposedService, DatabaseRemoteDesktopFileSharingAndManagementPorts) {
  for (const auto& [port, service] :
       std::vector<std::pair<uint16_t, std::string>>{{3306, "mysql"},
                                                     {5432, "postgresql"},
                                                     {6379, "redis"},
                                                     {3389, "ms-wbt-server"},
                                                     {445, "microsoft-ds"},
                                                     {5900, "vnc"},
                                                     {2375, "docker"}}) {
    auto f = run("exposed-service", make("192.0.2.10", port, service));
    ASSERT_EQ(f.size(), 1u) << service;
    EXPECT_EQ(f[0].id, "exposed-service");
    EXPECT_EQ(f[0].severity, Severity::kMedium);
    EXPECT_EQ(f[0].port, port);
    EXPECT_NE(f[0].evidence.find(service), std::string::npos) << f[0].evidence;
    EXPECT_FALSE(f[0].remediation.empty());
  }
}

TEST(ExposedService, ByProductForHttpApisAndByPortWithoutService) {
  auto es = run("exposed-service", make("192.0.2.10", 9200, "http", "Elasticsearch REST API"));
  ASSERT_EQ(es.size(), 1u);
  EXPECT_NE(es[0].title.find("Elasticsearch"), std::string::npos);
  auto bare = run("exposed-service", make("192.0.2.10", 3389, ""));
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_NE(bare[0].title.find("RDP"), std::string::npos);
}

TEST(ExposedService, NothingForOrdinaryServicesLoopbackOrWhatThePolicyAllows) {
  EXPECT_TRUE(run("exposed-service", make("192.0.2.10", 443, "http", "nginx")).empty());
  EXPECT_TRUE(run("exposed-service", make("192.0.2.10", 22, "ssh")).empty());
  EXPECT_TRUE(run("exposed-service", make("127.0.0.1", 3306, "mysql")).empty());
  EXPECT_TRUE(run("exposed-service", make("::1", 3306, "mysql")).empty());
  AuditPolicy by_name;
  by_name.allow_exposed = {"mysql"};
  EXPECT_TRUE(run("exposed-service", make("192.0.2.10", 3306, "mysql"), by_name).empty());
  AuditPolicy by_port;
  by_port.allow_exposed = {"6380/tcp"};
  EXPECT_TRUE(run("exposed-service", make("192.0.2.10", 6380, "redis"), by_port).empty());
  EXPECT_EQ(run("exposed-service", make("192.0.2.10", 6381, "redis"), by_port).size(), 1u);
}

TEST(DefaultPortPolicy, OnlyWhatThePolicyNamesOnItsIanaPort) {
  AuditPolicy policy;
  policy.nondefault_port = {"ssh"};
  auto f = run("default-port-policy", make("192.0.2.10", 22, "ssh"), policy);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kLow);
  EXPECT_TRUE(run("default-port-policy", make("192.0.2.10", 2222, "ssh"), policy).empty());
  EXPECT_TRUE(run("default-port-policy", make("192.0.2.10", 22, "ssh")).empty());
  EXPECT_TRUE(run("default-port-policy", make("192.0.2.10", 80, "http"), policy).empty());
}

}  // namespace
}  // namespace portolan::audit
