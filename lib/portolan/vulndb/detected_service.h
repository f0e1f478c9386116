// DetectedService: what -sV found, read for vulnerability matching: the
// upstream version, and whether and how a distribution built it.
//
// Distributions backport fixes without changing the upstream version, so
// "OpenSSH 9.2p1 Debian 2+deb12u3" is upstream 9.2p1, Debian package revision
// 2+deb12u3, Debian 12 ("deb12"). The shapes we read:
//   "9.2p1 Debian 2+deb12u3", "8.9p1 Ubuntu 3ubuntu0.10"  (OpenSSH banners)
//   "5.5.5-10.11.6-MariaDB-0+deb12u1"                      (MariaDB handshake)
//   "9.18.28-1~deb12u2-Debian"                             (BIND version.bind)
//   "1.2.3-4+deb12u1"                                      (any: a revision naming deb/ubuntu)
// A distribution named only in extra info ("(Debian)" after Apache's version)
// marks a distribution build whose package revision is not known.
#pragma once

#include <string>
#include <vector>

#include "portolan/results/scan_result.h"
#include "portolan/vulndb/product_table.h"

namespace portolan::vulndb {

struct DetectedService {
  const ProductEntry* entry = nullptr;  // null: not in the product table
  std::string product;                  // for messages: "OpenSSH"
  std::string full_version;             // as detected: "9.2p1 Debian 2+deb12u3"
  std::vector<std::string> cpes;        // vendor:product pairs to look up, lowercase
  std::string upstream_version;         // "9.2p1"; empty: nothing to match
  std::string distro;                   // "Debian", "Ubuntu"; empty: not a known distribution build
  std::string release;                  // "12", "22.04"; empty: not known
  std::string distro_revision;          // "2+deb12u3"; empty: not known
  std::string source_package;           // "openssh"; empty: not known
};

DetectedService describe_service(const ServiceInfo& service);

// The installed distribution version in dpkg form, "upstream-revision", with
// the epoch of `reference` (a version from the distribution's record: the
// banner never shows the epoch, and an epoch changes only when the upstream
// numbering does, so a record of the same package carries the right one).
std::string distro_version(const DetectedService& d, std::string_view reference);

}  // namespace portolan::vulndb
