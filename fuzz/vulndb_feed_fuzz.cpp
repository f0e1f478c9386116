// Feed import: any bytes as an OSV or NVD file, imported into an in-memory
// SQLite database. Parsing, range storage and the transaction must survive
// anything; a failed import must leave nothing behind.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "portolan/vulndb/vuln_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto store = portolan::vulndb::VulnStore::open(":memory:");
  if (!store) __builtin_trap();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  portolan::vulndb::ImportStats stats;
  auto r = (*store)->import_bytes(bytes, "fuzz.json", stats);
  if (!r && stats.imported != 0) __builtin_trap();
  if (r && stats.files != 1) __builtin_trap();
  return 0;
}
