// TargetList: the hosts a scan covers, parsed eagerly, expanded lazily.
//
// Specs use nmap's syntax: IPv4/IPv6 literals, CIDR (10.0.0.0/8, 2001:db8::/120),
// octet ranges (192.168.1-3.1-254, 10.0.0,1,3-7.-), and hostnames. Every spec
// is parsed and every hostname resolved in create(), so a bad spec or an
// unresolvable name fails before anything is sent. Expansion is lazy: a cursor
// walks /8 networks without materialising their addresses. Exclusions
// (--exclude, --excludefile) are checked per address during the walk.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"

namespace portolan {

struct Target {
  IpAddress address;
  std::string hostname;  // the name the user typed, empty for address literals
};

struct TargetOptions {
  bool ipv6 = false;  // -6: resolve names to IPv6, reject IPv4 literals
  // When false a hostname is an error instead of a DNS query: fuzzers and
  // offline tools must never touch the resolver.
  bool resolve_names = true;
  // How names become addresses; null means the system resolver (getaddrinfo).
  // Tests inject one so they exercise resolution failures without a DNS query.
  Result<IpAddress> (*resolver)(const std::string& name, bool ipv6_only) = nullptr;
};

class TargetSpec;  // one parsed expression; defined in target_spec.h

class TargetCursor {
 public:
  // Fills `out` with the next target; false when the list is exhausted.
  virtual bool next(Target& out) = 0;
  virtual ~TargetCursor() = default;
};

class TargetList {
 public:
  // `specs`: target expressions in order; `exclude`: expressions to skip.
  static Result<TargetList> create(const std::vector<std::string>& specs,
                                   const std::vector<std::string>& exclude,
                                   const TargetOptions& options);

  // A fresh cursor over every target, in spec order, exclusions removed.
  // The cursor borrows this list: the list must outlive it (moving the list is fine).
  std::unique_ptr<TargetCursor> cursor() const;

  // True when --exclude / --excludefile removes `address` from the scan.
  bool is_excluded(const IpAddress& address) const;

  // Addresses before exclusions, saturating at UINT64_MAX (an IPv6 /64 has 2^64).
  uint64_t size_upper_bound() const;

  TargetList(TargetList&&) noexcept;
  TargetList& operator=(TargetList&&) noexcept;
  ~TargetList();

 private:
  struct Impl;
  explicit TargetList(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Reads target specs from -iL: whitespace-separated, '#' starts a comment;
// "-" reads standard input. Fails on an unreadable or empty list.
Result<std::vector<std::string>> read_target_file(const std::string& path);

// The tokenizer behind read_target_file: splits `text` into specs on spaces,
// tabs, CR and LF, dropping '#' comments. Never fails; may return nothing.
std::vector<std::string> parse_target_text(std::string_view text);

// Reverse lookup (PTR) through the system resolver; nullopt when none.
std::optional<std::string> reverse_lookup(const IpAddress& address);

}  // namespace portolan
