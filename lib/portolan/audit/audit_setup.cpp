#include "portolan/audit/audit_setup.h"

#include <algorithm>
#include <charconv>
#include <filesystem>

#include <fmt/format.h>

#include "portolan/audit/check_registry.h"
#include "portolan/vulndb/vuln_db.h"

namespace portolan::audit {

Result<std::optional<Severity>> parse_fail_on(const AuditSettings& settings) {
  if (!settings.fail_on) return std::optional<Severity>();
  auto severity = parse_severity(*settings.fail_on);
  if (!severity) {
    return fail(fmt::format("--fail-on expects info, low, medium, high or critical, got '{}'",
                            *settings.fail_on));
  }
  return severity;
}

Result<AuditOptions> make_audit_options(const AuditSettings& settings,
                                        std::vector<std::string>& notices) {
  AuditOptions options;
  if (settings.checks) {
    auto checks = select_checks(*settings.checks);
    if (!checks) return Unexpected(checks.error());
    options.checks = std::move(*checks);
  }
  if (settings.policy) {
    auto policy = AuditPolicy::load(*settings.policy);
    if (!policy) return Unexpected(policy.error().with_context("--audit-policy"));
    options.policy = std::move(*policy);
  }
  if (settings.rate) {
    const std::string& text = *settings.rate;
    double rate = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rate);
    if (ec != std::errc() || end != text.data() + text.size() || !(rate >= 0.1) || rate > 100000) {
      return fail(fmt::format(
          "--audit-rate expects connections per second, 0.1 to 100000, got '{}'", text));
    }
    options.rate = rate;
  }
  const Check* vuln_check = find_check("known-vulnerabilities");
  const bool wants_db =
      options.checks.empty() ||
      std::find(options.checks.begin(), options.checks.end(), vuln_check) != options.checks.end();
  if (settings.vulndb) {
    auto db = VulnDb::open(*settings.vulndb);
    if (!db) return Unexpected(db.error().with_context("--vulndb"));
    options.vulndb = *db;
  } else if (wants_db) {
    const std::string path = default_vulndb_path();
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      auto db = VulnDb::open(path);
      if (!db) return Unexpected(db.error().with_context("vulnerability database"));
      options.vulndb = *db;
    } else {
      notices.push_back(fmt::format(
          "no vulnerability database at {}: known-vulnerabilities is skipped (import a feed with "
          "'portolan vulndb import FILE', see docs/vulndb.md)",
          path));
    }
  }
  return options;
}

}  // namespace portolan::audit
