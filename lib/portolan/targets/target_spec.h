// TargetSpec: one target expression, parsed once, expanded on demand.
//
// Every spec has one of two shapes. A *network* is a base address and a prefix
// length: a literal is a /32 or /128, a CIDR block keeps its prefix, a hostname
// is its resolved address (widened by "name/N" when given). An *octet range*
// (192.168.1-3.1-254) is four independent sets of octet values whose cross
// product is the address set. Both shapes compute the i-th address and answer
// membership arithmetically, so memory is constant whatever the size: a /8 or
// an IPv6 /64 is never materialised.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"
#include "portolan/targets/target_list.h"

namespace portolan {

class TargetSpec {
 public:
  // Longest expression accepted; a comma list naming all 256 values of all
  // four octets still fits, anything longer is garbage.
  static constexpr size_t kMaxLength = 4096;

  // Parses one expression. Hostnames are resolved here (or rejected when
  // options.resolve_names is false). Errors are one line:
  //   "invalid target '<spec>': <problem>" (kInvalidArgument)
  //   "failed to resolve '<name>'"         (kNotFound)
  // Any byte sequence is safe input: nothing throws, nothing is expanded.
  static Result<TargetSpec> parse(std::string_view text, const TargetOptions& options);

  // The expression as the user typed it.
  const std::string& text() const { return text_; }
  // The hostname the user typed; empty for literals, CIDR blocks and ranges.
  const std::string& hostname() const { return hostname_; }
  // For a hostname, the address it resolved to (the one the name belongs to
  // inside "name/N"); unspecified otherwise.
  const IpAddress& resolved_address() const { return resolved_; }

  IpFamily family() const;
  bool is_octet_range() const { return std::holds_alternative<OctetRange>(shape_); }
  // Prefix length of a network spec (32/128 for a single address); -1 for ranges.
  int prefix_length() const;

  // Number of addresses, saturating at UINT64_MAX (an IPv6 /64 or wider).
  uint64_t size() const;
  IpAddress first() const;
  IpAddress last() const;
  // The address at position `index` in walk order (ascending).
  // Precondition: index < size(). With a saturated size the last address of
  // the block is only reachable through Walker.
  IpAddress at(uint64_t index) const;
  bool contains(const IpAddress& address) const;

  // Used to jump over excluded addresses. Precondition: contains(address).
  // Returns an address `end` >= `address` such that every address of
  // `walked` in [address, end] is also in this spec; as far as can be told
  // octet by octet, so excluding 10.0.0.0-254.- from 10.0.0.0/8 or
  // -.-.-.0-9 from -.-.-.0,2,4 costs one jump per block, not one step per
  // address.
  IpAddress covered_through(const IpAddress& address, const TargetSpec& walked) const;

  // Yields every address in ascending order, exactly, even past 2^64. Holds a
  // pointer to the spec, which must outlive it.
  class Walker {
   public:
    explicit Walker(const TargetSpec& spec);
    // Fills `out` with the next address; false once the spec is exhausted.
    bool next(IpAddress& out);
    // Moves forward to the first address of the spec that is >= `target`
    // (exhausted when there is none); never moves backwards. This is how a
    // walk jumps over an excluded block instead of stepping through it.
    void seek(const IpAddress& target);
    // Exhausts the walker: for a block excluded up to the top of the family.
    void finish() { done_ = true; }

   private:
    IpAddress peek() const;  // the address next() would yield

    const TargetSpec* spec_;
    bool done_ = false;
    IpAddress current_;              // networks: the next address to yield
    IpAddress last_;                 // networks: the final address
    std::array<uint16_t, 4> pos_{};  // ranges: index into each octet's values
  };

 private:
  struct Network {
    IpAddress base;  // host bits cleared
    int prefix = 0;
  };
  struct OctetRange {
    std::array<std::bitset<256>, 4> members;     // membership tests
    std::array<std::vector<uint8_t>, 4> values;  // ascending, for indexing
  };

  // The three forms, told apart by parse(); `text` is the whole expression
  // (for messages), `address` the part before any "/N".
  static Result<TargetSpec> parse_ipv6(std::string_view text, std::string_view address,
                                       std::optional<int> prefix);
  static Result<TargetSpec> parse_ipv4(std::string_view text, std::string_view address,
                                       std::optional<int> prefix, const TargetOptions& options);
  static Result<TargetSpec> parse_host(std::string_view text, std::string_view address,
                                       std::optional<int> prefix, const TargetOptions& options);

  TargetSpec(std::string text, std::variant<Network, OctetRange> shape)
      : text_(std::move(text)), shape_(std::move(shape)) {}

  std::string text_;
  std::string hostname_;
  IpAddress resolved_;
  std::variant<Network, OctetRange> shape_;
};

}  // namespace portolan
