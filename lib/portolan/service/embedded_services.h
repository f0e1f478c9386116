// The files of data/services, compiled into the library by
// cmake/embed_texts.cmake (so the binary needs no data directory).
#pragma once

#include <span>
#include <string_view>

namespace portolan {

struct EmbeddedText {
  std::string_view name;  // "ssh.yaml"
  std::string_view text;
};

std::span<const EmbeddedText> embedded_service_files();

}  // namespace portolan
