// The rsync daemon's text handshake (rsync's clientserver.c protocol, port
// 873): the server greets with "@RSYNCD: <version> [digests]\n", the client
// answers with its own version line and then either an empty line (list the
// modules: "name\tcomment\n" lines ending with "@RSYNCD: EXIT\n") or a module
// name, answered by "@RSYNCD: OK" (no password), "@RSYNCD: AUTHREQD
// <challenge>" or "@ERROR: ...".
//
// Pure functions over what the server sent; nothing here does I/O. Every
// function takes bytes off the wire and returns an error, never throws, for
// anything malformed or cut short.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"

namespace portolan::audit {

struct RsyncGreeting {
  std::string version;  // "32.0"
  std::string line;     // the whole first line, without "\n"
};

struct RsyncModule {
  std::string name;
  std::string comment;
};

enum class RsyncModuleAccess : uint8_t { kOpen, kAuthRequired };

// The version line we send: a protocol every daemon since rsync 3.0 speaks.
inline constexpr std::string_view kRsyncClientGreeting = "@RSYNCD: 31.0\n";

// The first line of `bytes` as a greeting; an error when it is not one.
Result<RsyncGreeting> parse_rsync_greeting(std::string_view bytes);

// The module listing that follows the greeting (the greeting line itself may
// be included, it is skipped). An error when the list does not end with
// "@RSYNCD: EXIT" (cut short), when the server sent "@ERROR", or when it holds
// more than `max_modules` entries.
Result<std::vector<RsyncModule>> parse_rsync_module_list(std::string_view bytes,
                                                         size_t max_modules = 1024);

// The server's answer to a module request (the greeting line may be
// included): kOpen for "@RSYNCD: OK", kAuthRequired for "@RSYNCD: AUTHREQD";
// an error for "@ERROR" or anything else.
Result<RsyncModuleAccess> parse_rsync_module_answer(std::string_view bytes);

// True when `name` can be sent back as a module request: not empty, at most
// 255 bytes, printable ASCII, and not starting with '#' or '@'.
bool rsync_module_name_sendable(std::string_view name);

}  // namespace portolan::audit
