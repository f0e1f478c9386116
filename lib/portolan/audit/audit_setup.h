// The audit's options as the user gives them (scan --audit, and the audit
// command), checked and turned into AuditOptions: the checks chosen, the
// policy file read, the rate parsed, and the vulnerability database opened.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "portolan/audit/auditor.h"
#include "portolan/core/result.h"

namespace portolan::audit {

struct AuditSettings {
  std::optional<std::string> checks;   // --audit-checks LIST
  std::optional<std::string> policy;   // --audit-policy FILE
  std::optional<std::string> rate;     // --audit-rate N
  std::optional<std::string> vulndb;   // --vulndb FILE
  std::optional<std::string> fail_on;  // --fail-on SEVERITY

  // Whether any option that needs the audit was given.
  bool any() const { return checks || policy || rate || vulndb || fail_on; }
};

// --fail-on: the severity at or above which the program exits with status 3
// (kExitFindings in cli/), nullopt when not given.
Result<std::optional<Severity>> parse_fail_on(const AuditSettings& settings);

// Every problem is one line naming the option. A missing database at the
// default path is not an error when --vulndb was not given: known-
// vulnerabilities then finds nothing, and `notices` says so once.
Result<AuditOptions> make_audit_options(const AuditSettings& settings,
                                        std::vector<std::string>& notices);

}  // namespace portolan::audit
