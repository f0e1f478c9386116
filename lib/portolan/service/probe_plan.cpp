#include "portolan/service/probe_plan.h"

#include <algorithm>

namespace portolan {

std::vector<const ServiceProbe*> plan_probes(const ServiceDb& db, const ProbePlanRequest& request) {
  std::vector<const ServiceProbe*> own, rest;
  for (const auto& p : db.probes()) {
    if (p.transport != request.transport || p.is_null()) continue;
    if (request.inside_tls && p.tls_handshake) continue;
    if (p.suits_port(request.port)) {
      own.push_back(&p);
    } else if (p.rarity <= request.intensity) {
      rest.push_back(&p);
    }
  }
  auto by_rarity = [](const ServiceProbe* a, const ServiceProbe* b) {
    return a->rarity != b->rarity ? a->rarity < b->rarity : a->index < b->index;
  };
  std::stable_sort(own.begin(), own.end(), by_rarity);
  std::stable_sort(rest.begin(), rest.end(), by_rarity);
  own.insert(own.end(), rest.begin(), rest.end());
  return own;
}

std::vector<const ServiceProbe*> narrow_to_service(const std::vector<const ServiceProbe*>& plan,
                                                   std::string_view service) {
  std::vector<const ServiceProbe*> out;
  for (const auto* p : plan) {
    if (std::find(p->services.begin(), p->services.end(), service) != p->services.end()) {
      out.push_back(p);
    }
  }
  return out;
}

}  // namespace portolan
