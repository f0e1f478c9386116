// The rules the certificate checks apply to what -sV read from a server's
// certificate (TlsInfo): validity dates against a given "now", and whether
// the certificate names the host that was scanned (RFC 6125).
//
// Pure functions over TlsInfo's strings, so they run offline on a scan read
// back from XML, and so tests pass their own "now" instead of the clock.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "portolan/results/scan_result.h"

namespace portolan::audit {

using CertTime = std::chrono::sys_seconds;

// "2026-01-01T00:00:00Z" (TlsInfo's format) -> a time point; nullopt for
// anything else.
std::optional<CertTime> parse_certificate_time(std::string_view iso);

// False when the date is missing or unreadable (nothing can be said).
bool certificate_expired(const TlsInfo& tls, CertTime now);
bool certificate_not_yet_valid(const TlsInfo& tls, CertTime now);

// Whether a DNS name from a certificate (a dNSName SAN or the CN) covers
// `host`, RFC 6125 6.4: case-insensitive, a trailing dot ignored; a wildcard
// only as the whole left-most label of a name with at least two more labels
// ("*.example.org"), standing for exactly one label (so not for
// "example.org" nor "a.b.example.org"). Partial wildcards ("w*.example.org")
// match nothing, as RFC 9525 and browsers decide.
bool dns_name_matches(std::string_view pattern, std::string_view host);

// The CN of an RFC 2253 one-line name ("CN=example.org,O=Example"), with
// "\," style escapes undone; empty when there is none.
std::string subject_common_name(std::string_view subject);

enum class NameMatch { kMatch, kMismatch, kUnknown };

// Whether the certificate was issued for `host`, a host name or an IP
// address literal.
// - A name: against the DNS SANs; the subject CN only when there are none.
// - An address: against the IP SANs. A certificate without IP SANs is
//   kUnknown, not kMismatch: a server reached by address is usually meant to
//   be reached by a name we do not know, so there is nothing to compare.
NameMatch certificate_matches_host(const TlsInfo& tls, std::string_view host);

}  // namespace portolan::audit
