// The service database loader on arbitrary text (--versiondb takes a user's
// files): every input loads or fails with an error, never crashes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "portolan/service/service_db.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::pair<std::string, std::string>> files = {
      {"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)}};
  auto db = portolan::ServiceDb::load(files);
  (void)db;
  return 0;
}
