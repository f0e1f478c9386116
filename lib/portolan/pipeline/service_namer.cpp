#include "portolan/pipeline/service_namer.h"

namespace portolan {

void ServiceNamer::name_ports(HostResult& host) {
  for (auto& p : host.ports) {
    if (p.service) continue;
    auto& slot = cache_[static_cast<size_t>(p.protocol)][p.port];
    if (!slot) {
      auto info = std::make_shared<ServiceInfo>();
      std::string_view name = registry_.service_name(p.port, p.protocol);
      info->name = name.empty() ? "unknown" : std::string(name);
      slot = std::move(info);
    }
    p.service = slot;
  }
}

}  // namespace portolan
