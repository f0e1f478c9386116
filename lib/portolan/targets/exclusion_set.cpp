// Interval index over excluded addresses; see exclusion_set.h.
#include "portolan/targets/exclusion_set.h"

#include <algorithm>

namespace portolan {

ExclusionSet::ExclusionSet(std::vector<TargetSpec> specs) {
  std::vector<Interval> intervals;
  for (auto& spec : specs) {
    if (spec.is_octet_range()) {
      ranges_.push_back(std::move(spec));
    } else {
      intervals.push_back({spec.first(), spec.last()});
    }
  }
  // IpAddress orders IPv4 before IPv6 and numerically within a family, so
  // one sort handles both families and no merge ever crosses them.
  std::sort(intervals.begin(), intervals.end(),
            [](const Interval& a, const Interval& b) { return a.first < b.first; });
  for (const auto& interval : intervals) {
    if (!intervals_.empty() && interval.first <= intervals_.back().last) {
      intervals_.back().last = std::max(intervals_.back().last, interval.last);
    } else {
      intervals_.push_back(interval);
    }
  }
}

const ExclusionSet::Interval* ExclusionSet::interval_of(const IpAddress& address) const {
  // The candidate is the last interval starting at or before `address`.
  auto after = std::upper_bound(
      intervals_.begin(), intervals_.end(), address,
      [](const IpAddress& a, const Interval& interval) { return a < interval.first; });
  if (after == intervals_.begin()) return nullptr;
  const Interval& candidate = *std::prev(after);
  return address <= candidate.last ? &candidate : nullptr;
}

bool ExclusionSet::contains(const IpAddress& address) const {
  if (interval_of(address) != nullptr) return true;
  return std::any_of(ranges_.begin(), ranges_.end(),
                     [&](const TargetSpec& range) { return range.contains(address); });
}

std::optional<IpAddress> ExclusionSet::excluded_through(const IpAddress& address,
                                                        const TargetSpec& walked) const {
  std::optional<IpAddress> end;
  if (const Interval* interval = interval_of(address)) end = interval->last;
  for (const auto& range : ranges_) {
    if (!range.contains(address)) continue;
    const IpAddress covered = range.covered_through(address, walked);
    if (!end || covered > *end) end = covered;
  }
  return end;
}

}  // namespace portolan
