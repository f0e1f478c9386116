// VulnRecord: one vulnerability as the importers read it from a feed (an OSV
// record or an NVD CVE item) and the store keeps it, whatever the format.
//
// An affected range says which versions of one package in one ecosystem are
// vulnerable. The ecosystem is "cpe" for NVD configurations (package is then
// "vendor:product", versions are upstream versions), a distribution for OSV
// distribution records ("Debian" with release "12", "Ubuntu" with "22.04"; the
// versions are dpkg versions), or any other OSV ecosystem name as given.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace portolan::vulndb {

// One bound of a range, in the order the feed gave them. OSV's event names,
// plus "introduced_after" for NVD's versionStartExcluding.
struct RangeEvent {
  std::string kind;  // "introduced", "introduced_after", "fixed", "last_affected"
  std::string version;
};

struct AffectedRange {
  std::string ecosystem;              // "cpe", "Debian", "Ubuntu", "PyPI"...
  std::string release;                // "12", "22.04"; empty when the ecosystem has none
  std::string package;                // source package, or "vendor:product" (lowercase) for cpe
  std::string range_type;             // "ECOSYSTEM", "SEMVER", "VERSIONS" (a list only), "CPE"
  std::vector<RangeEvent> events;     // intervals: introduced... then fixed/last_affected...
  std::vector<std::string> versions;  // explicitly affected versions
};

struct VulnRecord {
  std::string id;                    // "CVE-2024-6387", "DEBIAN-CVE-2024-6387", "DSA-5724-1"
  std::string source;                // "osv" or "nvd"
  std::vector<std::string> aliases;  // other ids of the same vulnerability
  std::vector<std::string> cves;     // the CVE ids it is about (from id, aliases, upstream)
  std::string summary;               // one line
  std::optional<double> score;       // CVSS base score
  std::string cvss_vector;
  std::string severity_text;  // a feed's own label ("HIGH", "medium") when it gives no score
  std::string published;      // ISO 8601, as the feed gave it
  std::string modified;
  std::vector<std::string> references;  // URLs
  std::vector<AffectedRange> affected;
};

}  // namespace portolan::vulndb
