// ExclusionSet: the addresses --exclude / --excludefile remove from a scan.
//
// Excludes are never expanded. Network specs (literals, CIDR, resolved names)
// become address intervals, sorted and merged once, so a membership test is a
// binary search however many there are; octet ranges, which are not
// contiguous, are kept as specs and tested octet by octet. A match also tells
// how far the excluded run goes, so a walk jumps over a whole excluded block:
// removing 2001:db8::/65 from 2001:db8::/64 must not step through 2^63
// addresses.
#pragma once

#include <optional>
#include <vector>

#include "portolan/net/ip_address.h"
#include "portolan/targets/target_spec.h"

namespace portolan {

class ExclusionSet {
 public:
  ExclusionSet() = default;
  explicit ExclusionSet(std::vector<TargetSpec> specs);

  bool empty() const { return intervals_.empty() && ranges_.empty(); }
  bool contains(const IpAddress& address) const;

  // When `address` (an address of `walked`) is excluded, the end of the
  // excluded run starting there: every address of `walked` from `address` to
  // the result is excluded. nullopt when `address` is not excluded.
  //
  // Limit: runs are found per exclude spec. Several octet-range excludes that
  // only together cover a stretch of the walk (-.-.-.0-127 and -.-.-.128-255)
  // are stepped through one address at a time.
  std::optional<IpAddress> excluded_through(const IpAddress& address,
                                            const TargetSpec& walked) const;

 private:
  struct Interval {
    IpAddress first;
    IpAddress last;
  };
  // The merged interval holding `address`, if any.
  const Interval* interval_of(const IpAddress& address) const;

  std::vector<Interval> intervals_;  // sorted by first, disjoint
  std::vector<TargetSpec> ranges_;
};

}  // namespace portolan
