// Fuzz target for resume files: parse_checkpoint.
//
// Input: the bytes of a would-be checkpoint. A resume file is outside input
// (the user's disk, possibly truncated, edited or from another version), so
// besides "no crash, no UB" it checks that errors stay one printable line and
// that whatever parses survives format -> parse unchanged: what the engine
// writes after a resumed block must read back as the same checkpoint. The
// input is also used as raw bytes of an argument and a path, which must
// survive the trip too (valid UTF-8 as text, anything else as hex).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "portolan/sweep/checkpoint.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void check_error(const portolan::Error& e) {
  const std::string& m = e.message();
  check(!m.empty() && m.size() < 512);
  for (char c : m) check(c >= 0x20 && c < 0x7f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace portolan;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The same bytes as an argument and a path: any byte string must be
  // written (as text or as hex) and read back exactly.
  Checkpoint raw;
  raw.arguments = {std::string(text.substr(0, 512))};
  raw.outputs = {{std::string(text.substr(0, 64)) + "x", size}};
  if (raw.outputs[0].path.find('\0') == std::string::npos) {
    auto raw_back = parse_checkpoint(format_checkpoint(raw), "fuzz.resume");
    check(raw_back.has_value() && *raw_back == raw);
  }

  auto parsed = parse_checkpoint(text, "fuzz.resume");
  if (!parsed) {
    check_error(parsed.error());
    return 0;
  }
  const std::string again = format_checkpoint(*parsed);
  auto back = parse_checkpoint(again, "fuzz.resume");
  check(back.has_value());
  check(*back == *parsed);
  check(format_checkpoint(*back) == again);
  return 0;
}
