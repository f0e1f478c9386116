// VersionTemplate: how a signature turns a regex match into product, version
// and the other fields ("OpenSSH", "$2", "protocol $1", "a:openbsd:openssh:$2").
//
// A template is parsed once when the database loads, so a mistake in the data
// (a capture the pattern does not have, an unknown filter) is an error at
// start-up with the signature's name, never a surprise in the middle of a scan.
//
// Syntax (docs/service-detection.md has the full table):
//   $N                 capture N (1..99), made printable
//   ${N}               the same, when letters follow
//   ${N|f1|f2:arg}     capture N through filters, left to right
//   $$                 a literal dollar sign
// Filters: subst:FROM:TO, int (a decimal without leading zeros), u8, u16be,
// u16le, u32be, u32le (binary to decimal), hex, lower, upper, trim,
// prefix:TEXT / suffix:TEXT (added only when the value is not empty).
// Captured bytes outside printable ASCII come out as \xHH, so hostile banners
// cannot put control characters into a report.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan {

class VersionTemplate {
 public:
  VersionTemplate() = default;

  // `capture_count` is the number of groups in the signature's pattern; a
  // reference to a higher group is an error.
  static Result<VersionTemplate> parse(std::string_view text, int capture_count);

  // captures[i] is group i (captures[0] the whole match); a group that did not
  // take part is an empty view. Leading and trailing spaces are trimmed.
  std::string expand(std::span<const std::string_view> captures) const;

  bool empty() const { return pieces_.empty(); }
  // Highest group referenced, 0 when none.
  int max_group() const { return max_group_; }

 private:
  struct Filter {
    enum class Kind {
      kSubst,
      kInt,
      kU8,
      kU16be,
      kU16le,
      kU32be,
      kU32le,
      kHex,
      kLower,
      kUpper,
      kTrim,
      kPrefix,
      kSuffix
    } kind;
    std::string a, b;
  };
  struct Piece {
    std::string literal;  // when group < 0
    int group = -1;
    std::vector<Filter> filters;
  };
  static Result<Filter> parse_filter(std::string_view text);
  static std::string apply(const Filter& f, std::string value, bool& binary_done);

  std::vector<Piece> pieces_;
  int max_group_ = 0;
};

// Bytes as text a report can hold: printable ASCII kept, '\\' doubled, the
// rest as \xHH (and \r \n \t as themselves escaped).
std::string printable(std::string_view bytes);

}  // namespace portolan
