#include "portolan/targets/special_ranges.h"

#include "portolan/targets/target_spec.h"

namespace portolan {

const std::vector<SpecialRange>& special_ranges() {
  static const std::vector<SpecialRange> ranges = {
      {"0.0.0.0/8", "\"this network\" (RFC 791)"},
      {"192.0.0.0/24", "IETF protocol assignments (RFC 6890)"},
      {"192.0.2.0/24", "documentation (RFC 5737)"},
      {"198.18.0.0/15", "benchmarking (RFC 2544)"},
      {"198.51.100.0/24", "documentation (RFC 5737)"},
      {"203.0.113.0/24", "documentation (RFC 5737)"},
      {"224.0.0.0/4", "multicast (RFC 5771)"},
      {"240.0.0.0/4", "reserved and broadcast (RFC 1112, RFC 919)"},
      {"::/128", "unspecified address (RFC 4291)"},
      {"100::/64", "discard-only (RFC 6666)"},
      {"2001:2::/48", "benchmarking (RFC 5180)"},
      {"2001:db8::/32", "documentation (RFC 3849)"},
      {"ff00::/8", "multicast (RFC 4291)"},
  };
  return ranges;
}

std::vector<SpecialRange> special_ranges_to_skip(const std::vector<std::string>& target_specs) {
  TargetOptions literal_only;
  literal_only.resolve_names = false;
  literal_only.ipv6 = true;
  std::vector<TargetSpec> multi, single;
  for (const auto& text : target_specs) {
    for (bool v6 : {false, true}) {
      literal_only.ipv6 = v6;
      auto spec = TargetSpec::parse(text, literal_only);
      if (!spec) continue;
      (spec->size() > 1 ? multi : single).push_back(std::move(*spec));
      break;
    }
  }
  std::vector<SpecialRange> skip;
  if (multi.empty()) return skip;
  for (const auto& range : special_ranges()) {
    TargetOptions opts = literal_only;
    opts.ipv6 = range.cidr.find(':') != std::string_view::npos;
    auto r = TargetSpec::parse(range.cidr, opts);
    if (!r) continue;
    bool overlaps = false;
    for (const auto& m : multi) {
      if (m.family() != r->family()) continue;
      overlaps = overlaps || (!(m.last() < r->first()) && !(r->last() < m.first()));
    }
    bool named = false;
    for (const auto& s : single)
      named = named || (s.family() == r->family() && r->contains(s.first()));
    if (overlaps && !named) skip.push_back(range);
  }
  return skip;
}

}  // namespace portolan
