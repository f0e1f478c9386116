// TargetList: every spec parsed up front, addresses produced on demand.
//
// create() does all the failing: each target and exclude expression is parsed
// (and each name resolved) before the first probe, so a typo in the tenth
// spec stops the scan at start-up rather than midway. The cursor then holds
// only a spec index and one spec walker, whatever the number of addresses.
#include "portolan/targets/target_list.h"

#include <limits>
#include <optional>

#include "portolan/targets/address_math.h"
#include "portolan/targets/exclusion_set.h"
#include "portolan/targets/target_spec.h"

namespace portolan {

struct TargetList::Impl {
  std::vector<TargetSpec> specs;
  ExclusionSet excluded;
};

namespace {

class SpecSequenceCursor final : public TargetCursor {
 public:
  SpecSequenceCursor(const std::vector<TargetSpec>& specs, const ExclusionSet& excluded)
      : specs_(specs), excluded_(excluded) {}

  bool next(Target& out) override {
    while (index_ < specs_.size()) {
      const TargetSpec& spec = specs_[index_];
      if (!walker_) walker_.emplace(spec);
      IpAddress address;
      while (walker_->next(address)) {
        if (!excluded_.empty() && skip_excluded(address, spec)) continue;
        out.address = address;
        if (!spec.hostname().empty() && address == spec.resolved_address()) {
          out.hostname = spec.hostname();
        } else {
          out.hostname.clear();
        }
        return true;
      }
      walker_.reset();
      ++index_;
    }
    return false;
  }

 private:
  // True when `address` is excluded; jumps the walker past the whole excluded
  // run so a large exclusion costs one lookup, not one per address.
  bool skip_excluded(const IpAddress& address, const TargetSpec& spec) {
    auto end = excluded_.excluded_through(address, spec);
    if (!end) return false;
    if (auto after = next_address(*end)) {
      walker_->seek(*after);
    } else {
      walker_->finish();
    }
    return true;
  }

  const std::vector<TargetSpec>& specs_;
  const ExclusionSet& excluded_;
  size_t index_ = 0;
  std::optional<TargetSpec::Walker> walker_;
};

uint64_t saturating_add(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max()
                                                      : a + b;
}

}  // namespace

Result<TargetList> TargetList::create(const std::vector<std::string>& specs,
                                      const std::vector<std::string>& exclude,
                                      const TargetOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->specs.reserve(specs.size());
  for (const auto& text : specs) {
    auto spec = TargetSpec::parse(text, options);
    if (!spec) return Unexpected(spec.error());
    impl->specs.push_back(std::move(*spec));
  }
  std::vector<TargetSpec> excluded;
  excluded.reserve(exclude.size());
  for (const auto& text : exclude) {
    auto spec = TargetSpec::parse(text, options);
    if (!spec) return Unexpected(spec.error().with_context("exclude list"));
    excluded.push_back(std::move(*spec));
  }
  impl->excluded = ExclusionSet(std::move(excluded));
  return TargetList(std::move(impl));
}

TargetList::TargetList(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TargetList::TargetList(TargetList&&) noexcept = default;
TargetList& TargetList::operator=(TargetList&&) noexcept = default;
TargetList::~TargetList() = default;

std::unique_ptr<TargetCursor> TargetList::cursor() const {
  return std::make_unique<SpecSequenceCursor>(impl_->specs, impl_->excluded);
}

bool TargetList::is_excluded(const IpAddress& address) const {
  return impl_->excluded.contains(address);
}

uint64_t TargetList::size_upper_bound() const {
  uint64_t total = 0;
  for (const auto& spec : impl_->specs) total = saturating_add(total, spec.size());
  return total;
}

}  // namespace portolan
