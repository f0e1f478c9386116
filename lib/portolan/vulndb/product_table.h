// ProductTable: what a product name from service detection (-sV) is called in
// the vulnerability feeds. Our own data, for the products our signatures
// (data/services/*.yaml) detect:
//   - the CPE vendor:product pairs NVD files its CVEs under (NVD has renamed
//     some vendors over the years, so a product may have several);
//   - the Debian and Ubuntu source package names their OSV records use.
// A product not in the table is still matched through the CPE of its
// signature (cpe:/a:vendor:product:version), upstream only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace portolan::vulndb {

struct ProductEntry {
  std::string_view name;  // canonical, for messages: "OpenSSH"
  // Detected product strings, matched case-insensitively as a prefix of the
  // service's product ("Apache httpd", "Dovecot imapd").
  std::vector<std::string_view> products;
  std::vector<std::string_view> cpes;  // "openbsd:openssh"
  // Source package names; "{major}" and "{minor}" stand for the first and
  // second number of the upstream version (PostgreSQL's and MySQL's versioned
  // packages). Empty: not packaged.
  std::string_view debian_source;
  std::string_view ubuntu_source;
  // A word that must appear in the version for this entry to apply: MariaDB
  // is detected as product "MySQL" with a version ending in "-MariaDB...".
  std::string_view version_marker;
};

// The entry for a detected product and version, or null.
const ProductEntry* find_product(std::string_view product, std::string_view version);
// The entry that lists a CPE vendor:product, or null.
const ProductEntry* find_product_by_cpe(std::string_view vendor_product);

// debian_source/ubuntu_source with "{major}"/"{minor}" filled from
// `upstream_version`; empty when the version lacks them.
std::string source_package(std::string_view pattern, std::string_view upstream_version);

}  // namespace portolan::vulndb
