// The one error type of Portolan.
//
// Everything that can fail because of outside input (options, target lists,
// files, packets, banners) reports an Error: a message a user can act on,
// written as one line without a trailing period, e.g.
//   "invalid port range '80-20': start is greater than end".
// Callers add context by prefixing ("-iL hosts.txt: line 3: ...") rather than
// by wrapping, so what reaches the terminal is always a single line.
#pragma once

#include <string>
#include <utility>

namespace portolan {

enum class ErrorKind {
  kInvalidArgument,  // bad option, target or port spec
  kNotFound,         // unresolvable name, unknown service
  kIo,               // unreadable file, socket failure
  kPermission,       // missing privileges
  kResource,         // exhausted limits (descriptors, memory)
  kInternal,         // a bug: should never reach a user
};

class Error {
 public:
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  explicit Error(std::string message) : Error(ErrorKind::kInvalidArgument, std::move(message)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>".
  Error with_context(const std::string& context) const {
    return Error(kind_, context + ": " + message_);
  }

 private:
  ErrorKind kind_;
  std::string message_;
};

}  // namespace portolan
