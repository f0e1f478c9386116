// The shipped sample feeds (data/vulndb) imported into a database file of
// this test process, for the tests of matching and of known-vulnerabilities.
// The file name carries the process id: ctest runs test cases as separate
// processes side by side.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "portolan/core/result.h"
#include "portolan/vulndb/vuln_db.h"
#include "portolan/vulndb/vuln_store.h"

namespace portolan::testing {

// Imports the sample feeds into TempDir()/<name>-<pid>.sqlite (replacing any
// old file) and opens it read-only; `path` gets the file's path.
inline Result<std::shared_ptr<const VulnDb>> open_sample_vulndb(const std::string& name,
                                                                std::string& path) {
  path = (std::filesystem::path(::testing::TempDir()) /
          (name + "-" + std::to_string(::getpid()) + ".sqlite"))
             .string();
  std::filesystem::remove(path);
  {
    auto store = vulndb::VulnStore::open(path);
    if (!store) return Unexpected(store.error());
    vulndb::ImportStats stats;
    for (const char* f : {"sample-osv.json", "sample-nvd.json"}) {
      auto r = (*store)->import_path(std::string(PORTOLAN_SOURCE_DIR) + "/data/vulndb/" + f, stats);
      if (!r) return Unexpected(r.error());
    }
  }
  return VulnDb::open(path);
}

}  // namespace portolan::testing
