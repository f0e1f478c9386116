// The hand-written knowledge tables behind PortRegistry::security_note() and
// PortRegistry::common_uses(). Internal to the registry module.
#pragma once

#include <span>

#include "portolan/registry/port_registry.h"

namespace portolan {

std::span<const SecurityNote> builtin_security_notes();
std::span<const CommonPort> builtin_common_ports();

}  // namespace portolan
