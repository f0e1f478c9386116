// What a service sends back, against every signature of the built-in
// database: matching, template expansion and escaping must survive any bytes.
// The first byte picks the probe the answer is attributed to.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "portolan/service/signature_matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto db = *portolan::ServiceDb::builtin();
  static const portolan::SignatureMatcher matcher(db);
  if (size == 0) return 0;
  const auto& probes = db->probes();
  const auto& probe = probes[data[0] % probes.size()];
  const std::string_view answer(reinterpret_cast<const char*>(data + 1), size - 1);
  auto m = matcher.match(answer, probe.name);
  if (m) {
    // Every expanded field is printable ASCII.
    for (const auto* field : {&m->product, &m->version, &m->info, &m->host_name}) {
      for (char c : *field) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
          __builtin_trap();
        }
      }
    }
  }
  return 0;
}
