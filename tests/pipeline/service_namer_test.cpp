#include "portolan/pipeline/service_namer.h"

#include <gtest/gtest.h>

namespace portolan {
namespace {

TEST(ServiceNamerTest, NamesFromRegistryAndSharesInstances) {
  ServiceNamer namer(PortRegistry::builtin());
  HostResult a, b;
  a.ports = {{22, Protocol::kTcp, PortState::kOpen, Reason::kSynAck, 0, nullptr},
             {443, Protocol::kTcp, PortState::kOpen, Reason::kSynAck, 0, nullptr}};
  b.ports = {{22, Protocol::kTcp, PortState::kClosed, Reason::kConnRefused, 0, nullptr}};
  namer.name_ports(a);
  namer.name_ports(b);
  ASSERT_TRUE(a.ports[0].service);
  EXPECT_EQ(a.ports[0].service->name, "ssh");
  EXPECT_EQ(a.ports[0].service->method, "table");
  EXPECT_EQ(a.ports[0].service->conf, 3);
  EXPECT_EQ(a.ports[1].service->name, "https");
  EXPECT_EQ(a.ports[0].service.get(), b.ports[0].service.get());  // one instance per port
}

TEST(ServiceNamerTest, UnknownPortsAreNamedUnknown) {
  ServiceNamer namer(PortRegistry::builtin());
  HostResult h;
  // Find a TCP port IANA leaves unassigned.
  uint16_t unassigned = 0;
  for (uint32_t p = 65535; p > 1024; --p) {
    if (PortRegistry::builtin().service_name(static_cast<uint16_t>(p), Protocol::kTcp).empty()) {
      unassigned = static_cast<uint16_t>(p);
      break;
    }
  }
  ASSERT_NE(unassigned, 0);
  h.ports = {{unassigned, Protocol::kTcp, PortState::kOpen, Reason::kSynAck, 0, nullptr}};
  namer.name_ports(h);
  EXPECT_EQ(h.ports[0].service->name, "unknown");
}

TEST(ServiceNamerTest, KeepsExistingService) {
  ServiceNamer namer(PortRegistry::builtin());
  HostResult h;
  auto detected = std::make_shared<ServiceInfo>();
  detected->name = "http";
  detected->method = "probed";
  h.ports = {{22, Protocol::kTcp, PortState::kOpen, Reason::kSynAck, 0, detected}};
  namer.name_ports(h);
  EXPECT_EQ(h.ports[0].service->method, "probed");
}

}  // namespace
}  // namespace portolan
