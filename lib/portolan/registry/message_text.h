// User input quoted inside an error message.
//
// Errors are one line (core/error.h), but the text being complained about
// comes from the command line or a file and may hold newlines, escape
// sequences or megabytes: shown raw it could break the line or the terminal.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace portolan {

// Bytes outside printable ASCII become \xNN; input longer than `max` is cut
// and marked with "...".
inline std::string printable(std::string_view text, size_t max = 80) {
  std::string out;
  size_t shown = text.size() > max ? max : text.size();
  for (size_t i = 0; i < shown; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  if (shown < text.size()) out += "...";
  return out;
}

}  // namespace portolan
