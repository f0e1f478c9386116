// Portolan's version, as reports print it. Keep in step with project() in CMakeLists.txt.
#pragma once

#include <string_view>

namespace portolan {
inline constexpr std::string_view kPortolanVersion = "0.1.0";
}  // namespace portolan
