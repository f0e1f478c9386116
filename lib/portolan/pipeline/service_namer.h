// ServiceNamer: fills PortResult.service from the port registry ("table" method).
//
// One shared ServiceInfo per port number, built on first use, so naming the
// 65,535 ports of a -p- scan costs a reference count each, not an allocation.
#pragma once

#include <array>
#include <memory>

#include "portolan/registry/port_registry.h"
#include "portolan/results/scan_result.h"

namespace portolan {

class ServiceNamer {
 public:
  explicit ServiceNamer(const PortRegistry& registry) : registry_(registry) {}

  // Names every port of `host` that has no service yet. Ports the registry does
  // not know get the name "unknown", as nmap shows them.
  void name_ports(HostResult& host);

 private:
  const PortRegistry& registry_;
  std::array<std::array<std::shared_ptr<const ServiceInfo>, 65536>, kProtocolCount> cache_{};
};

}  // namespace portolan
