// Service-name comparison: ASCII case-insensitive, with nmap's -p wildcards.
//
// IANA names are ASCII and compared case-insensitively (IANA registers
// "CAIlic" and users type "cailic"); locale-dependent tolower would make a
// lookup's result depend on the user's environment, so these fold A-Z only.
#pragma once

#include <cstddef>
#include <string_view>

namespace portolan {

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// <0, 0 or >0 like strcmp, comparing the ASCII-lower-cased forms.
constexpr int compare_names(std::string_view a, std::string_view b) {
  size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    char x = ascii_lower(a[i]);
    char y = ascii_lower(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

constexpr bool names_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && compare_names(a, b) == 0;
}

constexpr bool has_wildcard(std::string_view pattern) {
  return pattern.find_first_of("*?") != std::string_view::npos;
}

// Case-insensitive glob: '*' matches any run (also empty), '?' one character.
// Iterative with one backtrack point, so hostile patterns cost O(n*m) at worst.
constexpr bool glob_match(std::string_view pattern, std::string_view name) {
  size_t p = 0;
  size_t n = 0;
  size_t star = std::string_view::npos;
  size_t star_n = 0;
  while (n < name.size()) {
    if (p < pattern.size() &&
        (pattern[p] == '?' || ascii_lower(pattern[p]) == ascii_lower(name[n]))) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_n = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++star_n;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace portolan
