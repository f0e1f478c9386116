// libFuzzer target for target expressions and -iL text.
//
// The input is used twice: whole, as one spec (anything a command-line
// argument can hold, NULs included), and as -iL file text whose tokens become
// a TargetList, some of them also excludes. Name resolution is off: a fuzzer
// must never query DNS. Beyond "no crash", each walked address is checked
// against the spec's own arithmetic (at, contains, first/last, seek), so a
// disagreement between parsing, indexing and walking aborts the run. At most
// kMaxWalk addresses are walked per list, whatever the spec's size.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/targets/target_list.h"
#include "portolan/targets/target_spec.h"

namespace {

using portolan::IpAddress;
using portolan::Target;
using portolan::TargetList;
using portolan::TargetOptions;
using portolan::TargetSpec;

constexpr uint64_t kMaxWalk = 1000;

void check(bool condition) {
  if (!condition) std::abort();
}

void check_error_is_one_line(const portolan::Error& error) {
  check(!error.message().empty());
  check(error.message().find('\n') == std::string::npos);
  check(error.message().size() < 512);
}

void check_spec(const TargetSpec& spec) {
  check(spec.size() >= 1);
  check(spec.first() <= spec.last());
  check(spec.contains(spec.first()) && spec.contains(spec.last()));
  check(spec.at(0) == spec.first());
  TargetSpec::Walker walker(spec);
  IpAddress address;
  IpAddress previous;
  uint64_t i = 0;
  for (; i < kMaxWalk && walker.next(address); ++i) {
    check(address == spec.at(i));
    check(spec.contains(address));
    check(i == 0 || previous < address);
    previous = address;
  }
  if (i < kMaxWalk) check(i == spec.size());  // the walk ended: it saw everything

  // Seeking into the middle lands exactly on that address.
  const uint64_t middle = spec.size() / 2;
  TargetSpec::Walker seeker(spec);
  seeker.seek(spec.at(middle));
  check(seeker.next(address) && address == spec.at(middle));
  // The last address is reachable and ends the walk.
  TargetSpec::Walker tail(spec);
  tail.seek(spec.last());
  check(tail.next(address) && address == spec.last());
  check(!tail.next(address));
}

void fuzz_one_spec(std::string_view text, bool ipv6) {
  TargetOptions options;
  options.resolve_names = false;
  options.ipv6 = ipv6;
  auto spec = TargetSpec::parse(text, options);
  if (!spec) {
    check_error_is_one_line(spec.error());
    return;
  }
  check(!ipv6 || spec->family() == portolan::IpFamily::kV6);
  check(spec->hostname().empty());
  check_spec(*spec);
}

void fuzz_target_text(std::string_view text) {
  const std::vector<std::string> tokens = portolan::parse_target_text(text);
  for (const auto& token : tokens) {
    check(!token.empty());
    check(token.find_first_of(" \t\r\n#") == std::string::npos);
  }
  // Every token is a target; odd ones that cannot be octet ranges are also
  // excluded, plus the last token. More than one octet-range exclude could
  // make the walk step address by address (see ExclusionSet) and time out.
  std::vector<std::string> exclude;
  for (size_t i = 1; i < tokens.size(); i += 2) {
    if (tokens[i].find_first_of(",-") == std::string::npos) exclude.push_back(tokens[i]);
  }
  if (tokens.size() >= 2) exclude.push_back(tokens.back());

  TargetOptions options;
  options.resolve_names = false;
  auto list = TargetList::create(tokens, exclude, options);
  if (!list) {
    check_error_is_one_line(list.error());
    return;
  }
  auto cursor = list->cursor();
  Target target;
  uint64_t walked = 0;
  for (; walked < kMaxWalk && cursor->next(target); ++walked) {
    check(!list->is_excluded(target.address));
    check(target.hostname.empty());
  }
  check(walked <= list->size_upper_bound());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz_one_spec(text, false);
  fuzz_one_spec(text, true);
  fuzz_target_text(text);
  return 0;
}
