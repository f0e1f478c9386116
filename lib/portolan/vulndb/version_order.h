// Version ordering for vulnerability ranges: Debian package versions and
// upstream product versions.
//
// Debian versions follow the dpkg algorithm of Debian Policy 5.6.12:
// [epoch:]upstream[-revision], compared epoch first (numerically), then
// upstream and revision by alternating non-digit and digit runs, where in the
// non-digit runs '~' sorts before everything (even the end of the string),
// letters before other characters. Ubuntu, Raspbian and other dpkg-based
// distributions use the same order.
//
// Upstream product versions ("1.22.1", "9.2p1", "1.0.2k", "2.0-rc1") have no
// standard; we split them into number and word tokens, ignoring separators,
// drop zero components at the end (1.0 = 1.0.0) and before a pre-release
// word, and compare token by token, where a missing token sorts as "end":
//   pre-release word (alpha, beta, rc, ...) < end < other word < number
// so 1.0-rc1 < 1.0 < 1.0.2 < 1.0.2k < 1.0.3 and 9.2 < 9.2p1 < 9.3p2 < 9.8p1.
//
// Both orders accept any bytes (versions come from feeds and from the wire)
// and are total preorders: consistent, never crashing, digit runs of any
// length compared without overflow.
#pragma once

#include <string_view>

namespace portolan::vulndb {

// <0, 0 or >0 as a sorts before, equal to or after b in dpkg order.
int compare_debian_versions(std::string_view a, std::string_view b);

// <0, 0 or >0 as a sorts before, equal to or after b as upstream versions.
// Case-insensitive; a leading "v" is ignored.
int compare_upstream_versions(std::string_view a, std::string_view b);

}  // namespace portolan::vulndb
