// `portolan audit FILE.xml`: the audit of a finished scan, offline.
//
// Reads a scan's XML (Portolan's, or nmap's with -sV), runs the passive
// checks again (exposure, cleartext services, certificates and TLS versions,
// known vulnerabilities against the current database and policy), keeps what
// active checks found at scan time, and writes the reports. Nothing is sent.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "audit_options.h"
#include "commands.h"
#include "nmap_args.h"
#include "portolan/audit/audit_setup.h"
#include "portolan/audit/check_registry.h"
#include "portolan/core/version.h"
#include "portolan/pipeline/output_set.h"
#include "portolan/results/xml_report_reader.h"

namespace portolan::cli {

namespace {

void list_checks() {
  std::printf("%-24s %-16s %-7s %s\n", "CHECK", "CATEGORY", "KIND", "WHAT IT FINDS");
  for (const auto& c : audit::all_checks()) {
    const auto& info = c->info();
    std::printf("%-24s %-16s %-7s %s\n", info.id.c_str(),
                std::string(audit::to_string(info.category)).c_str(),
                info.active ? "active" : "passive", info.summary.c_str());
  }
}

}  // namespace

int run_audit_command(const std::vector<std::string>& args, const std::string& command_line) {
  (void)command_line;
  CLI::App app{
      "Audit a finished scan offline: exposures, cleartext services, TLS certificates "
      "and versions, known CVEs (docs/audit.md). Nothing is sent to the network; findings "
      "of active checks (made at scan time with --audit) are kept from the file.",
      "portolan audit"};
  app.set_help_flag("-h,--help", "Show this help");
  std::string input;
  audit::AuditSettings settings;
  std::optional<std::string> out_normal, out_xml, out_json;
  bool list = false;
  app.add_option("file", input, "The scan's XML report (portolan -oX or nmap -sV -oX)");
  app.add_flag("--list-checks", list, "List every check and exit");
  add_audit_options(app, settings, false);
  app.add_option("--oN", out_normal, "Normal output to FILE ('-': stdout)")->option_text("FILE");
  app.add_option("--oX", out_xml, "XML output (nmap's DTD) to FILE")->option_text("FILE");
  app.add_option("--json", out_json, "JSON lines to FILE ('-': stdout)")->option_text("FILE");
  std::vector<std::string> normalised = normalise_nmap_args(args);
  std::reverse(normalised.begin(), normalised.end());
  try {
    app.parse(normalised);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error(fmt::format("audit: {}", e.what()));
    return 1;
  }
  if (list) {
    list_checks();
    return 0;
  }
  if (input.empty()) {
    print_error(
        "audit: give the scan's XML report (portolan audit FILE.xml; 'portolan audit --help')");
    return 1;
  }
  auto threshold = audit::parse_fail_on(settings);
  if (!threshold) {
    print_error(threshold.error().message());
    return 1;
  }
  std::vector<std::string> notices;
  auto options = audit::make_audit_options(settings, notices);
  if (!options) {
    print_error(options.error().message());
    return 1;
  }
  options->offline = true;
  auto report = load_xml_report(input);
  if (!report) {
    print_error(report.error().message());
    return 1;
  }
  for (const auto& n : notices) print_error(n);

  std::vector<OutputTarget> targets;
  if (out_normal) targets.push_back({"normal", *out_normal});
  if (out_xml) targets.push_back({"xml", *out_xml});
  if (out_json) targets.push_back({"json", *out_json});
  OutputOptions output;
  output.terminal = false;
  auto outputs = OutputSet::create(targets, output, &std::cout);
  if (!outputs) {
    print_error(outputs.error().message());
    return 1;
  }
  auto auditor = audit::Auditor::create(std::move(*options));
  if (!auditor) {
    print_error(auditor.error().message());
    return 1;
  }
  (*auditor)->audit(report->hosts);

  // The scan's own run (command line, start, scan types) heads the report;
  // the program writing it is this one.
  ScanRunInfo run = report->run;
  run.audit = true;
  run.version = std::string(kPortolanVersion);
  ScanSummary summary = report->summary;
  summary.findings = 0;
  summary.worst_finding.reset();
  (*outputs)->begin(run);
  for (const auto& host : report->hosts) {
    count_findings(summary, host);
    (*outputs)->host(host);
  }
  (*outputs)->end(summary);
  if (auto status = (*outputs)->status(); !status) {
    print_error(status.error().message());
    return 1;
  }
  return findings_exit_status(*threshold, summary);
}

}  // namespace portolan::cli
