#include "portolan/service/version_template.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace portolan {
namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

// Splits "subst:-: " into {"subst", "-", " "}; a backslash escapes ':' and '|'.
std::vector<std::string> split_args(std::string_view text) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      out.back() += text[++i];
    } else if (c == ':') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

uint64_t read_uint(std::string_view bytes, size_t width, bool big_endian) {
  uint64_t v = 0;
  const size_t n = std::min(width, bytes.size());
  for (size_t i = 0; i < n; ++i) {
    const auto byte = static_cast<uint8_t>(bytes[big_endian ? i : n - 1 - i]);
    v = (v << 8) | byte;
  }
  return v;
}

}  // namespace

std::string printable(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02X}", c);
    }
  }
  return out;
}

Result<VersionTemplate::Filter> VersionTemplate::parse_filter(std::string_view text) {
  auto args = split_args(text);
  const std::string& name = args[0];
  using K = Filter::Kind;
  struct Simple {
    std::string_view name;
    K kind;
  };
  static constexpr Simple kSimple[] = {
      {"int", K::kInt},     {"u8", K::kU8},       {"u16be", K::kU16be}, {"u16le", K::kU16le},
      {"u32be", K::kU32be}, {"u32le", K::kU32le}, {"hex", K::kHex},     {"lower", K::kLower},
      {"upper", K::kUpper}, {"trim", K::kTrim}};
  for (const auto& s : kSimple) {
    if (name == s.name) {
      if (args.size() != 1) return fail(fmt::format("filter '{}' takes no argument", name));
      return Filter{s.kind, {}, {}};
    }
  }
  if (name == "subst") {
    if (args.size() != 3 || args[1].empty()) {
      return fail("filter 'subst' needs two arguments: subst:FROM:TO");
    }
    return Filter{K::kSubst, args[1], args[2]};
  }
  if (name == "prefix" || name == "suffix") {
    if (args.size() != 2) return fail(fmt::format("filter '{}' needs one argument", name));
    return Filter{name == "prefix" ? K::kPrefix : K::kSuffix, args[1], {}};
  }
  return fail(fmt::format("unknown filter '{}'", name));
}

Result<VersionTemplate> VersionTemplate::parse(std::string_view text, int capture_count) {
  VersionTemplate t;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) t.pieces_.push_back(Piece{std::move(literal), -1, {}});
    literal.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '$') {
      literal += c;
      continue;
    }
    if (i + 1 >= text.size()) return fail("template ends with a lone '$' (write $$ for a dollar)");
    const char n = text[i + 1];
    Piece piece;
    if (n == '$') {
      literal += '$';
      ++i;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(n))) {
      size_t j = i + 1;
      int group = 0;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) && j < i + 3) {
        group = group * 10 + (text[j] - '0');
        ++j;
      }
      piece.group = group;
      i = j - 1;
    } else if (n == '{') {
      const size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) return fail("template has '${' without a closing '}'");
      const std::string_view inner = text.substr(i + 2, close - i - 2);
      // Filters are split on unescaped '|'.
      std::vector<std::string> parts(1);
      for (size_t k = 0; k < inner.size(); ++k) {
        if (inner[k] == '\\' && k + 1 < inner.size()) {
          parts.back() += inner[k];
          parts.back() += inner[++k];
        } else if (inner[k] == '|') {
          parts.emplace_back();
        } else {
          parts.back() += inner[k];
        }
      }
      const std::string& num = parts[0];
      if (num.empty() || num.size() > 2 ||
          !std::all_of(num.begin(), num.end(), [](char d) { return d >= '0' && d <= '9'; })) {
        return fail(fmt::format("'${{{}}}' does not name a capture group", inner));
      }
      piece.group = std::stoi(num);
      for (size_t k = 1; k < parts.size(); ++k) {
        auto f = parse_filter(parts[k]);
        if (!f) return Unexpected(f.error());
        piece.filters.push_back(std::move(*f));
      }
      i = close;
    } else {
      return fail(fmt::format("'${}' is not a capture reference (write $$ for a dollar)", n));
    }
    if (piece.group < 1 || piece.group > capture_count) {
      return fail(fmt::format("template uses ${} but the pattern has {} capture group{}",
                              piece.group, capture_count, capture_count == 1 ? "" : "s"));
    }
    t.max_group_ = std::max(t.max_group_, piece.group);
    flush();
    t.pieces_.push_back(std::move(piece));
  }
  flush();
  return t;
}

std::string VersionTemplate::apply(const Filter& f, std::string value, bool& binary_done) {
  using K = Filter::Kind;
  switch (f.kind) {
    case K::kSubst: {
      std::string out;
      for (size_t pos = 0; pos < value.size();) {
        if (value.compare(pos, f.a.size(), f.a) == 0) {
          out += f.b;
          pos += f.a.size();
        } else {
          out += value[pos++];
        }
      }
      return out;
    }
    case K::kInt: {
      size_t b = 0;
      while (b + 1 < value.size() && value[b] == '0') ++b;
      return value.substr(b);
    }
    case K::kU8:
    case K::kU16be:
    case K::kU16le:
    case K::kU32be:
    case K::kU32le: {
      const size_t width = f.kind == K::kU8                               ? 1
                           : (f.kind == K::kU16be || f.kind == K::kU16le) ? 2
                                                                          : 4;
      const bool be = f.kind == K::kU16be || f.kind == K::kU32be || f.kind == K::kU8;
      if (value.empty()) return value;
      binary_done = true;
      return std::to_string(read_uint(value, width, be));
    }
    case K::kHex: {
      binary_done = true;
      std::string out;
      for (char ch : value) out += fmt::format("{:02x}", static_cast<unsigned char>(ch));
      return out;
    }
    case K::kLower:
      for (auto& ch : value) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return value;
    case K::kUpper:
      for (auto& ch : value) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      return value;
    case K::kTrim:
      return trim(value);
    case K::kPrefix:
      return value.empty() ? value : f.a + value;
    case K::kSuffix:
      return value.empty() ? value : value + f.a;
  }
  return value;
}

std::string VersionTemplate::expand(std::span<const std::string_view> captures) const {
  std::string out;
  for (const auto& p : pieces_) {
    if (p.group < 0) {
      out += p.literal;
      continue;
    }
    std::string value = static_cast<size_t>(p.group) < captures.size()
                            ? std::string(captures[static_cast<size_t>(p.group)])
                            : std::string();
    bool binary_done = false;
    for (const auto& f : p.filters) value = apply(f, std::move(value), binary_done);
    out += binary_done ? value : printable(value);
  }
  return trim(out);
}

}  // namespace portolan
