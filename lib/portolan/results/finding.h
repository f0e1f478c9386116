// Finding: one risk the audit (--audit) found on a host or one of its ports,
// with what showed it and how to fix it.
//
// `id` is stable across runs and versions, so a CI pipeline or a diff can
// follow a finding: the check's id, and for a check that reports several
// things on one port, a colon and the subject ("ssh-weak-algorithms:kex:
// diffie-hellman-group1-sha1", "known-vulnerabilities:CVE-2024-6387").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/results/protocol.h"

namespace portolan {

// Ordered: a higher value is more severe.
enum class Severity : uint8_t { kInfo, kLow, kMedium, kHigh, kCritical };

std::string_view to_string(Severity s);  // "info", "low", "medium", "high", "critical"
// Accepts the names above in any case; nullopt otherwise.
std::optional<Severity> parse_severity(std::string_view name);

struct Finding {
  std::string id;     // stable: "<check>" or "<check>:<subject>"
  std::string check;  // the check that raised it: "ftp-anonymous"
  Severity severity = Severity::kInfo;
  Protocol protocol = Protocol::kTcp;
  uint16_t port = 0;        // host byte order; 0: about the host, not one port
  std::string title;        // one line: "Anonymous FTP login allowed"
  std::string evidence;     // what was seen, printable (escaped where it came off the wire)
  std::string remediation;  // what to change, one or two sentences
  std::vector<std::string> references;  // CVE ids, advisories, RFCs
};

// The order reports use: most severe first, then by port (host findings
// first), then by id.
bool finding_before(const Finding& a, const Finding& b);

}  // namespace portolan
