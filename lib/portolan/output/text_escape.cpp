// Escaping for XML and plain report lines.
#include "portolan/output/text_escape.h"

#include <fmt/format.h>

#include <cstdint>

namespace portolan {
namespace {

void append_hex_escape(std::string& out, unsigned char byte) {
  out += fmt::format("\\x{:02x}", static_cast<unsigned>(byte));
}

struct Utf8Char {
  size_t length = 0;  // 0: not a valid UTF-8 sequence
  uint32_t code_point = 0;
};

// Decodes the UTF-8 sequence starting at text[i], rejecting overlong forms,
// surrogates and values past U+10FFFF.
Utf8Char decode_utf8(std::string_view text, size_t i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) return {1, b0};
  size_t len = 0;
  uint32_t cp = 0;
  uint32_t min = 0;
  if ((b0 & 0xe0) == 0xc0) {
    len = 2, cp = b0 & 0x1fu, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3, cp = b0 & 0x0fu, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    return {};
  }
  if (i + len > text.size()) return {};
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xc0) != 0x80) return {};
    cp = (cp << 6) | (b & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return {};
  return {len, cp};
}

// Length of the character at text[i] if XML 1.0 allows it, else 0.
size_t xml_char_length(std::string_view text, size_t i) {
  const Utf8Char c = decode_utf8(text, i);
  const uint32_t cp = c.code_point;
  if (c.length == 0) return 0;
  if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') return 0;
  if (cp == 0xfffe || cp == 0xffff) return 0;
  return c.length;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t len = xml_char_length(text, i);
    if (len == 0) {
      append_hex_escape(out, static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    if (len == 1) {
      switch (text[i]) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        case '\t':
          out += "&#9;";
          break;
        case '\n':
          out += "&#10;";
          break;
        case '\r':
          out += "&#13;";
          break;
        default:
          out += text[i];
      }
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string xml_comment_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t len = xml_char_length(text, i);
    if (len == 0) {
      append_hex_escape(out, static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    if (text[i] == '-' && !out.empty() && out.back() == '-') {
      out += "&#45;";
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string plain_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const Utf8Char c = decode_utf8(text, i);
    // C0, DEL and C1 controls could drive a terminal; invalid UTF-8 could
    // swallow the bytes after it.
    const bool control = c.code_point < 0x20 || (c.code_point >= 0x7f && c.code_point < 0xa0);
    if (c.length == 0 || control) {
      append_hex_escape(out, static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    out.append(text.substr(i, c.length));
    i += c.length;
  }
  return out;
}

}  // namespace portolan
