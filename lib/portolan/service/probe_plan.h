// Which probes a port gets, and in what order.
//
// The banner probe (`null`) is not in the list: the engine waits for a banner
// on its own connection while this list is worked through on another. First
// come the probes whose `ports` name this port, rarest last; then every other
// probe of rarity <= the intensity, by rarity and database order (nmap's
// --version-intensity rule: a rare probe still goes to its own ports).
// Inside TLS the handshake probe is left out.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "portolan/service/service_db.h"

namespace portolan {

struct ProbePlanRequest {
  ProbeTransport transport = ProbeTransport::kTcp;
  uint16_t port = 0;
  int intensity = 7;  // 0-9
  bool inside_tls = false;
};

std::vector<const ServiceProbe*> plan_probes(const ServiceDb& db, const ProbePlanRequest& request);

// After a soft match for `service`: the probes of `plan` that can say more
// about it (those listing it in `services`). Order is kept.
std::vector<const ServiceProbe*> narrow_to_service(const std::vector<const ServiceProbe*>& plan,
                                                   std::string_view service);

}  // namespace portolan
