// SignatureMatcher: which signature of the database a service's answer fits.
//
// Patterns are PCRE2, compiled once with the JIT, matched over raw bytes (no
// UTF mode: \xFF is the byte 0xFF). A match is bounded by PCRE2's match and
// depth limits, so a hostile banner against an unlucky pattern costs a
// bounded time and counts as no match. The first hard match in database
// order wins; without one, the first soft match (service only) is returned.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/service/service_db.h"

namespace portolan {

// What a matched signature says, its templates expanded.
struct ServiceMatch {
  const ServiceSignature* signature = nullptr;
  bool soft = false;
  bool tunnel_tls = false;
  std::string service, product, version, info, host_name, os_type, device_type;
  std::vector<std::string> cpe;  // with the "cpe:/" prefix
};

class SignaturePattern {
 public:
  // `flags`: "i" caseless, "s" dot matches newline, "m" multiline anchors.
  static Result<std::shared_ptr<const SignaturePattern>> compile(const std::string& pattern,
                                                                 std::string_view flags);
  ~SignaturePattern();
  SignaturePattern(const SignaturePattern&) = delete;
  SignaturePattern& operator=(const SignaturePattern&) = delete;

  int capture_count() const { return captures_; }
  // Fills `groups` (group 0 = whole match; unset groups empty) and returns
  // true on a match. Bytes only; never throws.
  bool match(std::string_view subject, std::vector<std::string_view>& groups) const;

 private:
  SignaturePattern() = default;
  void* code_ = nullptr;  // pcre2_code_8*
  int captures_ = 0;
};

class SignatureMatcher {
 public:
  explicit SignatureMatcher(std::shared_ptr<const ServiceDb> db) : db_(std::move(db)) {}

  // The best match for `response`, the answer to probe `probe_name`, or
  // nothing. Empty responses match nothing.
  std::optional<ServiceMatch> match(std::string_view response, std::string_view probe_name) const;

  const ServiceDb& db() const { return *db_; }

 private:
  std::shared_ptr<const ServiceDb> db_;
};

}  // namespace portolan
