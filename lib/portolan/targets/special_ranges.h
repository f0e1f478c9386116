// Special-use address ranges (RFC 6890) that a sweep skips unless asked.
//
// A range or CIDR block typed by a user rarely means to include multicast,
// reserved or documentation space, and probing those is at best wasted and at
// worst a nuisance to others, so (like ZMap's default blocklist) Portolan
// leaves them out of ranges and CIDR blocks unless --scan-special is given.
// An address typed on its own is always scanned: the user named it. Private
// (RFC 1918), CGN, link-local and loopback space are not skipped: they are
// exactly what a sysadmin scans.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace portolan {

struct SpecialRange {
  std::string_view cidr;
  std::string_view purpose;  // "benchmarking (RFC 2544)"
};

const std::vector<SpecialRange>& special_ranges();

// For target specs as typed: the special ranges to exclude, those that
// overlap a multi-address spec and contain no single-address spec. Specs that
// do not parse without name resolution (host names) count as single
// addresses and resolve nothing here.
std::vector<SpecialRange> special_ranges_to_skip(const std::vector<std::string>& target_specs);

}  // namespace portolan
