// Parsing and lazy expansion of one target expression; see target_spec.h.
//
// The parser decides the form from the characters alone, before trying to
// read it: a ':' means IPv6, only digits and ".,-" means IPv4 (a literal or
// octet ranges), anything else must be a hostname. Routing all-numeric text
// away from the resolver matters: getaddrinfo would happily read "1.2.3" or
// "12345" as inet_aton shorthands for addresses the user never meant.
#include "portolan/targets/target_spec.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "portolan/targets/address_math.h"
#include "portolan/targets/name_resolver.h"

namespace portolan {
namespace {

using OctetSet = std::bitset<256>;

constexpr size_t kMaxHostName = 253;  // RFC 1035, without the trailing dot
constexpr size_t kMaxLabel = 63;

// Untrusted text as it may appear inside a one-line error: control and
// non-ASCII bytes escaped, and cut to about 64 characters of output.
std::string printable(std::string_view text) {
  constexpr size_t kShown = 64;
  std::string out;
  size_t i = 0;
  for (; i < text.size() && out.size() < kShown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (i < text.size()) out += "...";
  return out;
}

Unexpected invalid(std::string_view spec, const std::string& problem) {
  return fail("invalid target '" + printable(spec) + "': " + problem);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ipv4_char(char c) {
  return is_digit(c) || c == '.' || c == ',' || c == '-';
}
bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '_' ||
         c == '.';
}

// The N of "/N", range-checked later once the family is known. Three digits
// at most, so the value cannot overflow.
Result<int> parse_prefix_digits(std::string_view digits) {
  if (digits.empty()) return fail("missing prefix length after '/'");
  if (!std::all_of(digits.begin(), digits.end(), is_digit)) {
    return fail("prefix length '" + printable(digits) + "' is not a number");
  }
  if (digits.size() > 3) return fail("prefix length " + printable(digits) + " is out of range");
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

Result<void> check_prefix(int prefix, IpFamily family) {
  const int max = address_bits(family);
  if (prefix > max) {
    return fail("prefix length " + std::to_string(prefix) + " is out of range 0-" +
                std::to_string(max));
  }
  return {};
}

// One octet number; the caller guarantees `digits` holds digits only.
Result<int> parse_octet_number(std::string_view digits) {
  if (digits.size() > 3) return fail("octet " + printable(digits) + " is out of range 0-255");
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  if (value > 255) return fail("octet " + std::to_string(value) + " is out of range 0-255");
  return value;
}

// One element of an octet's comma list: N, N-M, N-, -M or '-'.
Result<void> add_octet_item(std::string_view item, std::string_view field, OctetSet& set) {
  if (item.empty()) return fail("empty element in octet list '" + printable(field) + "'");
  const size_t dash = item.find('-');
  if (dash == std::string_view::npos) {
    auto value = parse_octet_number(item);
    if (!value) return Unexpected(value.error());
    set.set(static_cast<size_t>(*value));
    return {};
  }
  if (item.find('-', dash + 1) != std::string_view::npos) {
    return fail("octet range '" + printable(item) + "' has more than one '-'");
  }
  const std::string_view low_text = item.substr(0, dash);
  const std::string_view high_text = item.substr(dash + 1);
  int low = 0;
  int high = 255;
  if (!low_text.empty()) {
    auto value = parse_octet_number(low_text);
    if (!value) return Unexpected(value.error());
    low = *value;
  }
  if (!high_text.empty()) {
    auto value = parse_octet_number(high_text);
    if (!value) return Unexpected(value.error());
    high = *value;
  }
  if (low > high) return fail("octet range '" + printable(item) + "': start is greater than end");
  for (int v = low; v <= high; ++v) set.set(static_cast<size_t>(v));
  return {};
}

// One dot-separated field of an IPv4 expression: a comma list of items.
Result<OctetSet> parse_octet_field(std::string_view field) {
  if (field.empty()) return fail("empty octet");
  OctetSet set;
  size_t start = 0;
  while (true) {
    const size_t comma = field.find(',', start);
    const std::string_view item = field.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto added = add_octet_item(item, field, set);
    if (!added) return Unexpected(added.error());
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return set;
}

// Syntax of a DNS name, checked before the resolver sees it so that garbage
// gets a precise message instead of "failed to resolve".
Result<void> check_host_name(std::string_view name) {
  for (char c : name) {
    if (c == '\0') return fail("contains a NUL byte");
    if (!is_host_char(c)) return fail("invalid character '" + printable({&c, 1}) + "'");
  }
  std::string_view rest = name;
  if (rest.size() > 1 && rest.back() == '.') rest.remove_suffix(1);  // fully qualified
  if (rest.size() > kMaxHostName) {
    return fail("host name longer than " + std::to_string(kMaxHostName) + " characters");
  }
  size_t start = 0;
  while (true) {
    const size_t dot = rest.find('.', start);
    const std::string_view label =
        rest.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return fail("empty label in host name");
    if (label.size() > kMaxLabel) {
      return fail("host name label longer than " + std::to_string(kMaxLabel) + " characters");
    }
    // A leading '-' is most likely a mistyped option, never a real name.
    if (label.front() == '-') {
      return fail("host name label '" + printable(label) + "' starts with '-'");
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return {};
}

}  // namespace

Result<TargetSpec> TargetSpec::parse(std::string_view text, const TargetOptions& options) {
  if (text.empty()) return invalid(text, "empty target");
  if (text.size() > kMaxLength) {
    return invalid(text, "longer than " + std::to_string(kMaxLength) + " characters");
  }
  if (text.find('\0') != std::string_view::npos) return invalid(text, "contains a NUL byte");

  std::string_view address = text;
  std::optional<int> prefix;
  if (const size_t slash = text.find('/'); slash != std::string_view::npos) {
    if (text.find('/', slash + 1) != std::string_view::npos) {
      return invalid(text, "more than one '/'");
    }
    address = text.substr(0, slash);
    if (address.empty()) return invalid(text, "missing address before '/'");
    auto digits = parse_prefix_digits(text.substr(slash + 1));
    if (!digits) return invalid(text, digits.error().message());
    prefix = *digits;
  }

  if (address.find(':') != std::string_view::npos) return parse_ipv6(text, address, prefix);
  if (std::all_of(address.begin(), address.end(), is_ipv4_char)) {
    return parse_ipv4(text, address, prefix, options);
  }
  return parse_host(text, address, prefix, options);
}

// Accepted without -6 as well: mixing families in one scan is allowed, the
// engine picks the socket family per target.
Result<TargetSpec> TargetSpec::parse_ipv6(std::string_view text, std::string_view address,
                                          std::optional<int> prefix) {
  if (address.find('%') != std::string_view::npos) {
    return invalid(text, "IPv6 zone indexes ('%') are not supported");
  }
  auto ip = IpAddress::parse(address);
  if (!ip || !ip->is_v6()) return invalid(text, "not a valid IPv6 address");
  const int bits = prefix.value_or(128);
  if (auto ok = check_prefix(bits, IpFamily::kV6); !ok) {
    return invalid(text, ok.error().message());
  }
  return TargetSpec(std::string(text), Network{block_first(*ip, bits), bits});
}

// A literal, a CIDR block, or octet ranges; a "range" whose every octet has
// one value is a literal, so "10.0.0.7-7/30" is a CIDR block.
Result<TargetSpec> TargetSpec::parse_ipv4(std::string_view text, std::string_view address,
                                          std::optional<int> prefix, const TargetOptions& options) {
  std::array<std::string_view, 4> fields;
  size_t count = 0;
  size_t start = 0;
  while (true) {
    const size_t dot = address.find('.', start);
    const std::string_view field =
        address.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (count < fields.size()) fields[count] = field;
    ++count;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (count != 4) {
    return invalid(text, "expected 4 dot-separated octets, found " + std::to_string(count));
  }
  OctetRange range;
  bool single = true;
  for (size_t i = 0; i < 4; ++i) {
    auto set = parse_octet_field(fields[i]);
    if (!set) return invalid(text, set.error().message());
    range.members[i] = *set;
    single = single && set->count() == 1;
  }
  if (options.ipv6) return invalid(text, "IPv4 targets cannot be scanned with -6");
  for (size_t i = 0; i < 4; ++i) {
    for (size_t v = 0; v < 256; ++v) {
      if (range.members[i].test(v)) range.values[i].push_back(static_cast<uint8_t>(v));
    }
  }
  if (!single) {
    if (prefix) return invalid(text, "a /N prefix cannot be combined with octet ranges");
    return TargetSpec(std::string(text), std::move(range));
  }
  const uint32_t value = (uint32_t{range.values[0][0]} << 24) |
                         (uint32_t{range.values[1][0]} << 16) |
                         (uint32_t{range.values[2][0]} << 8) | uint32_t{range.values[3][0]};
  const int bits = prefix.value_or(32);
  if (auto ok = check_prefix(bits, IpFamily::kV4); !ok) {
    return invalid(text, ok.error().message());
  }
  return TargetSpec(std::string(text), Network{block_first(IpAddress::v4(value), bits), bits});
}

// A hostname, optionally with /N applied to the address it resolves to (as
// nmap does: "scanme.example/24" is the /24 around the name's address).
Result<TargetSpec> TargetSpec::parse_host(std::string_view text, std::string_view address,
                                          std::optional<int> prefix, const TargetOptions& options) {
  if (auto ok = check_host_name(address); !ok) return invalid(text, ok.error().message());
  if (!options.resolve_names) {
    return invalid(text, "host names are not allowed (name resolution is disabled)");
  }
  const std::string name(address);
  auto resolved = options.resolver ? options.resolver(name, options.ipv6)
                                   : resolve_host_name(name, options.ipv6);
  if (!resolved) return Unexpected(resolved.error());
  const int bits = prefix.value_or(address_bits(resolved->family()));
  if (auto ok = check_prefix(bits, resolved->family()); !ok) {
    return invalid(text, ok.error().message());
  }
  TargetSpec spec(std::string(text), Network{block_first(*resolved, bits), bits});
  spec.hostname_ = name;
  spec.resolved_ = *resolved;
  return spec;
}

IpFamily TargetSpec::family() const {
  if (const auto* net = std::get_if<Network>(&shape_)) return net->base.family();
  return IpFamily::kV4;
}

int TargetSpec::prefix_length() const {
  if (const auto* net = std::get_if<Network>(&shape_)) return net->prefix;
  return -1;
}

uint64_t TargetSpec::size() const {
  if (const auto* net = std::get_if<Network>(&shape_)) {
    const int host_bits = address_bits(net->base.family()) - net->prefix;
    if (host_bits >= 64) return std::numeric_limits<uint64_t>::max();
    return uint64_t{1} << host_bits;
  }
  const auto& range = std::get<OctetRange>(shape_);
  uint64_t total = 1;
  for (const auto& values : range.values) total *= values.size();  // at most 2^32
  return total;
}

IpAddress TargetSpec::first() const {
  if (const auto* net = std::get_if<Network>(&shape_)) return net->base;
  const auto& v = std::get<OctetRange>(shape_).values;
  return IpAddress::v4((uint32_t{v[0].front()} << 24) | (uint32_t{v[1].front()} << 16) |
                       (uint32_t{v[2].front()} << 8) | uint32_t{v[3].front()});
}

IpAddress TargetSpec::last() const {
  if (const auto* net = std::get_if<Network>(&shape_)) return block_last(net->base, net->prefix);
  const auto& v = std::get<OctetRange>(shape_).values;
  return IpAddress::v4((uint32_t{v[0].back()} << 24) | (uint32_t{v[1].back()} << 16) |
                       (uint32_t{v[2].back()} << 8) | uint32_t{v[3].back()});
}

IpAddress TargetSpec::at(uint64_t index) const {
  if (const auto* net = std::get_if<Network>(&shape_)) {
    if (net->base.is_v4()) {
      return IpAddress::v4(net->base.v4_host_order() + static_cast<uint32_t>(index));
    }
    // index < size() fits in the host bits, and the base's host bits are
    // zero, so adding to the low 64 bits can never carry into the high ones.
    std::array<uint8_t, 16> bytes = net->base.bytes();
    uint64_t low = 0;
    for (size_t i = 8; i < 16; ++i) low = (low << 8) | bytes[i];
    low += index;
    for (size_t i = 16; i-- > 8;) {
      bytes[i] = static_cast<uint8_t>(low);
      low >>= 8;
    }
    return IpAddress::v6(bytes);
  }
  // Mixed radix, last octet fastest, so indices follow ascending address order.
  const auto& v = std::get<OctetRange>(shape_).values;
  uint32_t value = 0;
  uint64_t rest = index;
  for (size_t i = 4; i-- > 0;) {
    const uint64_t radix = v[i].size();
    value |= uint32_t{v[i][static_cast<size_t>(rest % radix)]} << (8 * (3 - i));
    rest /= radix;
  }
  return IpAddress::v4(value);
}

bool TargetSpec::contains(const IpAddress& address) const {
  if (const auto* net = std::get_if<Network>(&shape_)) {
    return address.family() == net->base.family() && block_first(address, net->prefix) == net->base;
  }
  if (!address.is_v4()) return false;
  const auto& members = std::get<OctetRange>(shape_).members;
  for (size_t i = 0; i < 4; ++i) {
    if (!members[i].test(address.bytes()[i])) return false;
  }
  return true;
}

IpAddress TargetSpec::covered_through(const IpAddress& address, const TargetSpec& walked) const {
  if (const auto* net = std::get_if<Network>(&shape_)) return block_last(net->base, net->prefix);
  const auto& mine = std::get<OctetRange>(shape_).members;
  // A network walk may visit every value of every octet.
  std::array<OctetSet, 4> theirs;
  if (walked.is_octet_range()) {
    theirs = std::get<OctetRange>(walked.shape_).members;
  } else {
    for (auto& set : theirs) set.set();
  }
  // Where the walk's lower octets all fall inside ours, a whole row (then a
  // whole block of rows) is covered, so the run extends up to octet k; at
  // octet k it stops before the first walked value we do not cover.
  const auto& a = address.bytes();
  size_t k = 3;
  while (k > 0 && (theirs[k] & ~mine[k]).none()) --k;
  const OctetSet gaps = theirs[k] & ~mine[k];
  size_t end_k = 255;
  for (size_t v = size_t{a[k]} + 1; v < 256; ++v) {
    if (gaps.test(v)) {
      end_k = v - 1;
      break;
    }
  }
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) {
    const uint32_t octet = i < k ? a[i] : (i == k ? static_cast<uint32_t>(end_k) : 255u);
    value = (value << 8) | octet;
  }
  return IpAddress::v4(value);
}

TargetSpec::Walker::Walker(const TargetSpec& spec) : spec_(&spec) {
  if (!spec.is_octet_range()) {
    current_ = spec.first();
    last_ = spec.last();
  }
}

IpAddress TargetSpec::Walker::peek() const {
  if (!spec_->is_octet_range()) return current_;
  const auto& v = std::get<OctetRange>(spec_->shape_).values;
  return IpAddress::v4((uint32_t{v[0][pos_[0]]} << 24) | (uint32_t{v[1][pos_[1]]} << 16) |
                       (uint32_t{v[2][pos_[2]]} << 8) | uint32_t{v[3][pos_[3]]});
}

bool TargetSpec::Walker::next(IpAddress& out) {
  if (done_) return false;
  out = peek();
  if (!spec_->is_octet_range()) {
    if (current_ == last_) {
      done_ = true;
    } else {
      current_ = *next_address(current_);  // below last_, so never the top address
    }
    return true;
  }
  // Odometer over the octet value lists, last octet turning fastest.
  const auto& v = std::get<OctetRange>(spec_->shape_).values;
  for (size_t i = 4; i-- > 0;) {
    if (++pos_[i] < v[i].size()) return true;
    pos_[i] = 0;
  }
  done_ = true;
  return true;
}

void TargetSpec::Walker::seek(const IpAddress& target) {
  if (done_ || target <= peek()) return;
  if (!spec_->is_octet_range()) {
    if (target > last_) {
      done_ = true;
    } else {
      current_ = target;
    }
    return;
  }
  if (!target.is_v4()) {  // every IPv6 address sorts after every IPv4 one
    done_ = true;
    return;
  }
  // The smallest member >= target either matches target on every octet, or
  // matches on octets 0..d-1 and takes the next larger value at octet d, with
  // the smallest values after it. The deeper d is, the smaller the result.
  const auto& range = std::get<OctetRange>(spec_->shape_);
  const auto& t = target.bytes();
  size_t matched = 0;
  while (matched < 4 && range.members[matched].test(t[matched])) ++matched;
  if (matched == 4) {
    for (size_t i = 0; i < 4; ++i) {
      const auto& values = range.values[i];
      pos_[i] = static_cast<uint16_t>(std::lower_bound(values.begin(), values.end(), t[i]) -
                                      values.begin());
    }
    return;
  }
  for (size_t d = matched + 1; d-- > 0;) {
    const auto& values = range.values[d];
    const auto above = std::upper_bound(values.begin(), values.end(), t[d]);
    if (above == values.end()) continue;
    for (size_t i = 0; i < d; ++i) {
      const auto& before = range.values[i];
      pos_[i] = static_cast<uint16_t>(std::lower_bound(before.begin(), before.end(), t[i]) -
                                      before.begin());
    }
    pos_[d] = static_cast<uint16_t>(above - values.begin());
    for (size_t i = d + 1; i < 4; ++i) pos_[i] = 0;
    return;
  }
  done_ = true;
}

}  // namespace portolan
