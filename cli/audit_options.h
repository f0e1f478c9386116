// The audit's command-line options, shared by `scan` and `audit`, and the
// exit status --fail-on asks for.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>

#include "portolan/audit/audit_setup.h"
#include "portolan/results/scan_result.h"

namespace portolan::cli {

// --audit-checks, --audit-policy, --vulndb and --fail-on into `settings`;
// `online` adds --audit-rate (the offline audit opens no connection).
void add_audit_options(CLI::App& app, audit::AuditSettings& settings, bool online);

// kExitFindings, with one line saying why, when a finding of the run is at
// least `threshold`; 0 otherwise.
int findings_exit_status(const std::optional<Severity>& threshold, const ScanSummary& summary);

}  // namespace portolan::cli
