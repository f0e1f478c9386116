// -iL / --excludefile: target specs read from a file or standard input.
//
// The format is nmap's: specs separated by any whitespace, several per line
// allowed, '#' starting a comment that runs to the end of the line. Reading
// and tokenizing are split so the tokenizer can be fuzzed without files.
#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>

#include "portolan/targets/target_list.h"

namespace portolan {
namespace {

// Far above any real list (ten million IPv4 specs fit in 160 MiB).
constexpr size_t kMaxFileBytes = size_t{512} << 20;

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

std::vector<std::string> parse_target_text(std::string_view text) {
  std::vector<std::string> specs;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '#') {
      const size_t eol = text.find('\n', i);
      if (eol == std::string_view::npos) break;
      i = eol + 1;
    } else if (is_separator(text[i])) {
      ++i;
    } else {
      const size_t start = i;
      while (i < text.size() && !is_separator(text[i]) && text[i] != '#') ++i;
      specs.emplace_back(text.substr(start, i - start));
    }
  }
  return specs;
}

Result<std::vector<std::string>> read_target_file(const std::string& path) {
  const bool from_stdin = path == "-";
  std::FILE* file = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
  auto unreadable = [&path](int err) {
    return fail(ErrorKind::kIo,
                "cannot read target list '" + path + "': " + std::generic_category().message(err));
  };
  if (file == nullptr) return unreadable(errno);

  std::string text;
  char buffer[64 * 1024];
  size_t n = 0;
  bool too_large = false;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    // A bound, so that "-iL /dev/zero" fails instead of eating all memory.
    if (text.size() + n > kMaxFileBytes) {
      too_large = true;
      break;
    }
    text.append(buffer, n);
  }
  // fopen succeeds on a directory; the read is what fails (EISDIR).
  const int read_errno = std::ferror(file) ? (errno != 0 ? errno : EIO) : 0;
  if (!from_stdin) std::fclose(file);
  if (read_errno != 0) return unreadable(read_errno);
  if (too_large) {
    return fail(ErrorKind::kResource, "target list '" + path + "' is larger than " +
                                          std::to_string(kMaxFileBytes >> 20) + " MiB");
  }

  auto specs = parse_target_text(text);
  if (specs.empty()) return fail("target list '" + path + "' contains no targets");
  return specs;
}

}  // namespace portolan
