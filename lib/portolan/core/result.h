// Result<T>: a value or an Error, shaped like std::expected<T, Error>.
//
// libstdc++'s <expected> does not compile under the clang versions we build
// with, so this small type stands in; its member names follow std::expected so
// it can be swapped later. Construct a failure with `return Unexpected(err);`
// or the shorthand `return fail("message");`.
#pragma once

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "portolan/core/error.h"

namespace portolan {

struct Unexpected {
  explicit Unexpected(Error e) : error(std::move(e)) {}
  Error error;
};

// Shorthand for the common case: an invalid-argument error with a message.
inline Unexpected fail(std::string message) {
  return Unexpected(Error(ErrorKind::kInvalidArgument, std::move(message)));
}
inline Unexpected fail(ErrorKind kind, std::string message) {
  return Unexpected(Error(kind, std::move(message)));
}

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(const T& v) : data_(std::in_place_index<0>, v) {}        // NOLINT(implicit)
  Result(T&& v) : data_(std::in_place_index<0>, std::move(v)) {}  // NOLINT(implicit)
  template <typename U, typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                    !std::is_same_v<std::decay_t<U>, Result> &&
                                                    !std::is_same_v<std::decay_t<U>, Unexpected> &&
                                                    !std::is_same_v<std::decay_t<U>, T>>>
  Result(U&& v) : data_(std::in_place_index<0>, T(std::forward<U>(v))) {}      // NOLINT(implicit)
  Result(Unexpected u) : data_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT(implicit)

  bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(data_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(data_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(data_));
  }
  const Error& error() const {
    assert(!has_value());
    return std::get<1>(data_);
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : T(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected u) : error_(std::move(u.error)) {}  // NOLINT(implicit)

  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  void value() const { assert(has_value()); }
  const Error& error() const {
    assert(!has_value());
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

}  // namespace portolan
