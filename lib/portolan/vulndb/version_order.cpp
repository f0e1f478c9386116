// Debian (dpkg) and upstream version ordering; see version_order.h.
#include "portolan/vulndb/version_order.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace portolan::vulndb {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Compares two runs of decimal digits as numbers of any length.
int compare_digit_runs(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// dpkg's weight of a character in a non-digit run: '~' before the end of the
// run, the end before letters, letters before everything else.
int dpkg_weight(std::string_view s, size_t i) {
  if (i >= s.size() || is_digit(s[i])) return 0;
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == '~') return -1;
  if (is_alpha(static_cast<char>(c))) return c;
  return c + 256;
}

// dpkg's verrevcmp over one part (upstream or revision).
int compare_dpkg_part(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !is_digit(a[i])) || (j < b.size() && !is_digit(b[j]))) {
      const int wa = dpkg_weight(a, i);
      const int wb = dpkg_weight(b, j);
      if (wa != wb) return wa < wb ? -1 : 1;
      if (i < a.size() && !is_digit(a[i])) ++i;
      if (j < b.size() && !is_digit(b[j])) ++j;
    }
    const size_t si = i, sj = j;
    while (i < a.size() && is_digit(a[i])) ++i;
    while (j < b.size() && is_digit(b[j])) ++j;
    const int c = compare_digit_runs(a.substr(si, i - si), b.substr(sj, j - sj));
    if (c != 0) return c;
  }
  return 0;
}

struct DebianParts {
  std::string_view epoch;  // digits only; empty means 0
  std::string_view upstream;
  std::string_view revision;
};

DebianParts split_debian(std::string_view v) {
  DebianParts p;
  const size_t colon = v.find(':');
  if (colon != std::string_view::npos) {
    bool digits = true;
    for (size_t k = 0; k < colon; ++k) digits = digits && is_digit(v[k]);
    // An epoch that is not a number is not an epoch: the colon stays part of
    // the upstream version, as a plain character (deterministic either way).
    if (digits) {
      p.epoch = v.substr(0, colon);
      v.remove_prefix(colon + 1);
    }
  }
  const size_t dash = v.rfind('-');
  if (dash != std::string_view::npos) {
    p.upstream = v.substr(0, dash);
    p.revision = v.substr(dash + 1);
  } else {
    p.upstream = v;
  }
  return p;
}

// One token of an upstream version.
struct Token {
  enum Kind : int { kPreRelease = 0, kEnd = 1, kWord = 2, kNumber = 3 } kind = kEnd;
  int pre_rank = 0;       // order among pre-release words
  std::string_view text;  // the word or the digits
  std::string lowered;    // words compared case-insensitively
};

int pre_release_rank(std::string_view lowered) {
  static constexpr std::array<std::string_view, 8> kWords = {"dev", "snapshot", "alpha", "beta",
                                                             "pre", "preview",  "rc",    "cr"};
  for (size_t k = 0; k < kWords.size(); ++k) {
    if (lowered == kWords[k]) return static_cast<int>(k);
  }
  return -1;
}

std::vector<Token> tokenize_upstream(std::string_view v) {
  if (!v.empty() && (v[0] == 'v' || v[0] == 'V') && v.size() > 1 && is_digit(v[1])) {
    v.remove_prefix(1);
  }
  std::vector<Token> out;
  size_t i = 0;
  while (i < v.size()) {
    if (is_digit(v[i])) {
      const size_t s = i;
      while (i < v.size() && is_digit(v[i])) ++i;
      Token t;
      t.kind = Token::kNumber;
      t.text = v.substr(s, i - s);
      out.push_back(std::move(t));
    } else if (is_alpha(v[i])) {
      const size_t s = i;
      while (i < v.size() && is_alpha(v[i])) ++i;
      Token t;
      t.text = v.substr(s, i - s);
      for (char c : t.text) t.lowered.push_back(lower(c));
      const int rank = pre_release_rank(t.lowered);
      if (rank >= 0) {
        t.kind = Token::kPreRelease;
        t.pre_rank = rank;
      } else {
        t.kind = Token::kWord;
      }
      out.push_back(std::move(t));
    } else {
      ++i;  // separators: '.', '-', '_', '+', '~' and anything else
    }
  }
  return out;
}

bool is_zero(const Token& t) {
  if (t.kind != Token::kNumber) return false;
  for (char c : t.text) {
    if (c != '0') return false;
  }
  return true;
}

// Drops zero components that end the version or precede a pre-release word,
// so "1.0" = "1.0.0" and "1.0-rc1" = "1.0.0-rc1" < "1.0". Comparing these
// canonical forms lexicographically keeps the order consistent.
std::vector<Token> canonical(std::vector<Token> tokens) {
  std::vector<Token> out;
  bool before_end_or_pre = true;
  for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) {
    if (before_end_or_pre && is_zero(*it)) continue;
    before_end_or_pre = it->kind == Token::kPreRelease;
    out.push_back(std::move(*it));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

int compare_tokens(const Token& a, const Token& b) {
  if (a.kind != b.kind) return a.kind < b.kind ? -1 : 1;
  switch (a.kind) {
    case Token::kNumber:
      return compare_digit_runs(a.text, b.text);
    case Token::kPreRelease:
      if (a.pre_rank != b.pre_rank) return a.pre_rank < b.pre_rank ? -1 : 1;
      return 0;
    case Token::kWord: {
      const int c = a.lowered.compare(b.lowered);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Token::kEnd:
      return 0;
  }
  return 0;
}

}  // namespace

int compare_debian_versions(std::string_view a, std::string_view b) {
  const DebianParts pa = split_debian(a);
  const DebianParts pb = split_debian(b);
  if (int c = compare_digit_runs(pa.epoch, pb.epoch); c != 0) return c;
  if (int c = compare_dpkg_part(pa.upstream, pb.upstream); c != 0) return c;
  return compare_dpkg_part(pa.revision, pb.revision);
}

int compare_upstream_versions(std::string_view a, std::string_view b) {
  const std::vector<Token> ta = canonical(tokenize_upstream(a));
  const std::vector<Token> tb = canonical(tokenize_upstream(b));
  const Token end;
  const size_t n = ta.size() > tb.size() ? ta.size() : tb.size();
  for (size_t k = 0; k < n; ++k) {
    const Token& x = k < ta.size() ? ta[k] : end;
    const Token& y = k < tb.size() ? tb[k] : end;
    if (int c = compare_tokens(x, y); c != 0) return c;
  }
  return 0;
}

}  // namespace portolan::vulndb
