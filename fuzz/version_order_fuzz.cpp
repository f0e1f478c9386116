// Version ordering: any bytes split into three versions. Both orders must be
// consistent: reflexive, antisymmetric and transitive, and never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "portolan/vulndb/version_order.h"

namespace {

int sign(int x) {
  return (x > 0) - (x < 0);
}

template <typename Compare>
void check_order(Compare cmp, std::string_view a, std::string_view b, std::string_view c) {
  if (cmp(a, a) != 0) __builtin_trap();
  const int ab = sign(cmp(a, b));
  if (ab != -sign(cmp(b, a))) __builtin_trap();
  const int bc = sign(cmp(b, c));
  const int ac = sign(cmp(a, c));
  if (ab <= 0 && bc <= 0 && ac > 0) __builtin_trap();  // a <= b <= c but a > c
  if (ab >= 0 && bc >= 0 && ac < 0) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Versions separated by a NUL byte.
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const size_t first = all.find('\0');
  const std::string_view a = all.substr(0, first);
  const std::string_view rest =
      first == std::string_view::npos ? std::string_view{} : all.substr(first + 1);
  const size_t second = rest.find('\0');
  const std::string_view b = rest.substr(0, second);
  const std::string_view c =
      second == std::string_view::npos ? std::string_view{} : rest.substr(second + 1);
  check_order(portolan::vulndb::compare_debian_versions, a, b, c);
  check_order(portolan::vulndb::compare_upstream_versions, a, b, c);
  return 0;
}
