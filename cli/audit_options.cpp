#include "audit_options.h"

#include <fmt/format.h>

#include "commands.h"

namespace portolan::cli {

void add_audit_options(CLI::App& app, audit::AuditSettings& settings, bool online) {
  app.add_option("--audit-checks", settings.checks,
                 "Checks to run: ids, categories, globs, 'all'; '-x' removes")
      ->option_text("LIST");
  app.add_option("--audit-policy", settings.policy, "Policy YAML: allowed exposures, ignores")
      ->option_text("FILE");
  if (online) {
    app.add_option("--audit-rate", settings.rate, "Audit connections per second (default 50)")
        ->option_text("N");
  }
  app.add_option("--vulndb", settings.vulndb,
                 "Vulnerability database (default: see 'portolan vulndb info')")
      ->option_text("FILE");
  app.add_option("--fail-on", settings.fail_on, "Exit 3 when a finding is at least this severe")
      ->option_text("SEVERITY");
}

int findings_exit_status(const std::optional<Severity>& threshold, const ScanSummary& summary) {
  if (!threshold || !summary.worst_finding || *summary.worst_finding < *threshold) return 0;
  print_error(fmt::format("--fail-on {}: {} finding(s), the worst {}", to_string(*threshold),
                          summary.findings, to_string(*summary.worst_finding)));
  return kExitFindings;
}

}  // namespace portolan::cli
