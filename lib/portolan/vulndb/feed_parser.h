// Feed parsers: the bytes of an OSV or NVD CVE JSON 2.0 file -> VulnRecords.
//
// The format is detected from the JSON shape, not the file name:
//   OSV: one record (an object with "id"), or an array of records;
//   NVD: an object with a "vulnerabilities" array of {"cve": {...}} items
//        (the CVE API 2.0 response and the JSON 2.0 data feeds).
// A file that is not JSON or none of these shapes is an error (one line, with
// the byte offset of a JSON syntax error). Inside a feed, a record that lacks
// what we need (an id, a well-formed affected list) is skipped and counted,
// and so are ranges we cannot order (OSV "GIT" ranges, commit hashes).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "portolan/core/result.h"
#include "portolan/vulndb/vuln_record.h"

namespace portolan::vulndb {

enum class FeedFormat { kOsv, kNvd };

struct ParseStats {
  FeedFormat format = FeedFormat::kOsv;
  uint64_t records = 0;          // handed to the sink
  uint64_t skipped_records = 0;  // malformed, skipped
  uint64_t skipped_ranges = 0;   // GIT ranges and the like, skipped
  uint64_t withdrawn = 0;        // OSV records with "withdrawn": handed as withdrawn ids
  std::string first_problem;     // what was wrong with the first skipped record
};

// Calls `record` for each usable record and `withdrawn` for each withdrawn
// OSV id, in file order. Fails only when the file as a whole is unusable.
Result<ParseStats> parse_feed(std::string_view bytes,
                              const std::function<void(VulnRecord&&)>& record,
                              const std::function<void(const std::string&)>& withdrawn);

// "Debian:12" -> {"Debian", "12"}; "Ubuntu:22.04:LTS" and "Ubuntu:Pro:22.04:LTS"
// -> {"Ubuntu", "22.04"}; "PyPI" -> {"PyPI", ""}.
std::pair<std::string, std::string> split_ecosystem(std::string_view ecosystem);

}  // namespace portolan::vulndb
