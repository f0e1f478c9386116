// `portolan vulndb import|info`: fill and describe the local vulnerability
// database that the audit's known-vulnerabilities check reads.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.h"
#include "portolan/vulndb/vuln_db.h"
#include "portolan/vulndb/vuln_store.h"

namespace portolan::cli {
namespace {

int run_import(const std::string& db_path, const std::vector<std::string>& paths) {
  auto store = vulndb::VulnStore::open(db_path);
  if (!store) {
    print_error(store.error().message());
    return 1;
  }
  vulndb::ImportStats stats;
  for (const std::string& path : paths) {
    if (auto r = (*store)->import_path(path, stats); !r) {
      print_error(r.error().message());
      return 1;
    }
  }
  std::cout << fmt::format(
      "imported {} record(s) from {} file(s) into {} ({} OSV, {} NVD; {} replaced an earlier "
      "copy)\n",
      stats.imported, stats.files, db_path, stats.osv, stats.nvd, stats.replaced);
  if (stats.withdrawn > 0)
    std::cout << fmt::format("removed {} withdrawn record(s)\n", stats.withdrawn);
  if (stats.skipped_ranges > 0) {
    std::cout << fmt::format(
        "skipped {} range(s) that cannot be matched to versions (GIT commits)\n",
        stats.skipped_ranges);
  }
  if (stats.skipped_records > 0) {
    std::cout << fmt::format("skipped {} malformed record(s) or file(s)\n", stats.skipped_records);
    for (const std::string& p : stats.problems) print_error(p);
  }
  return 0;
}

int run_info(const std::string& db_path) {
  auto db = VulnDb::open(db_path);
  if (!db) {
    print_error(db.error().message());
    return 1;
  }
  auto info = (*db)->info();
  if (!info) {
    print_error(info.error().message());
    return 1;
  }
  std::cout << fmt::format("database:        {}\n", info->path);
  std::cout << fmt::format("schema version:  {}\n", info->schema_version);
  std::cout << fmt::format("created:         {}\n", info->created.empty() ? "-" : info->created);
  std::cout << fmt::format("last import:     {}\n",
                           info->last_import.empty() ? "never" : info->last_import);
  std::cout << fmt::format("records:         {} ({} distinct CVEs)\n", info->vulnerabilities,
                           info->cves);
  for (const auto& [source, n] : info->by_source) {
    std::cout << fmt::format("  from {:<10} {}\n", source == "nvd" ? "NVD" : "OSV", n);
  }
  if (!info->by_ecosystem.empty()) std::cout << "records with ranges, by ecosystem:\n";
  for (const auto& [eco, n] : info->by_ecosystem) {
    std::cout << fmt::format("  {:<24} {}\n", eco == "cpe" ? "cpe (NVD upstream)" : eco, n);
  }
  return 0;
}

}  // namespace

int run_vulndb_command(const std::vector<std::string>& raw_args) {
  CLI::App app{
      "The local vulnerability database for the audit's known-vulnerabilities check.\n"
      "Import OSV records (Debian, Ubuntu...) and NVD CVE JSON 2.0 feeds; see docs/vulndb.md.",
      "portolan vulndb"};
  app.require_subcommand(1);
  const std::string default_path = default_vulndb_path();
  std::string db_path = default_path;
  std::vector<std::string> paths;

  auto* import = app.add_subcommand("import", "Import OSV / NVD CVE JSON 2.0 files or directories");
  import->add_option("--db", db_path, "Database file")->default_str(default_path);
  import
      ->add_option("files", paths,
                   "OSV JSON (a record, an array, or a directory of .json) or NVD "
                   "CVE JSON 2.0 files")
      ->required();
  auto* info = app.add_subcommand("info", "Show the database path, record counts and last import");
  info->add_option("--db", db_path, "Database file")->default_str(default_path);

  std::vector<std::string> args(raw_args.rbegin(), raw_args.rend());
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error(std::string(e.what()) + " (see 'portolan vulndb --help')");
    return 1;
  }
  if (import->parsed()) return run_import(db_path, paths);
  return run_info(db_path);
}

}  // namespace portolan::cli
