// portolan: the command-line program. It picks a subcommand and hands over;
// all logic lives in the library (lib/portolan).
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "commands.h"
#include "nmap_args.h"
#include "portolan/core/version.h"

namespace {

constexpr const char* kUsage =
    "Usage: portolan <command> [options]\n"
    "\n"
    "Commands:\n"
    "  scan [options] TARGETS   Scan hosts for open ports (nmap-compatible options)\n"
    "  info PORT|SERVICE|RANGE  What a port or service is, and its security notes\n"
    "  audit FILE.xml           Audit a finished scan offline (findings, CVEs)\n"
    "  vulndb import FILE...    Import OSV / NVD feeds into the local CVE database\n"
    "  version                  Print the version\n"
    "\n"
    "Examples:\n"
    "  portolan scan 127.0.0.1\n"
    "  portolan scan -sT -p- --reason -oA out 127.0.0.1\n"
    "  portolan info 443\n"
    "  portolan scan -sV --audit --fail-on high 127.0.0.1\n"
    "\n"
    "'portolan scan --help' lists every scan option.\n";

}  // namespace

namespace portolan::cli {

void print_error(const std::string& message) {
  std::fprintf(stderr, "portolan: %s\n", message.c_str());
}

}  // namespace portolan::cli

int main(int argc, char** argv) {
  using namespace portolan::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
      std::fputs(kUsage, args.empty() ? stderr : stdout);
      return args.empty() ? 1 : 0;
    }
    const std::string command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "version" || command == "--version" || command == "-V") {
      std::printf("portolan %s\n", std::string(portolan::kPortolanVersion).c_str());
      return 0;
    }
    if (command == "scan") {
      std::vector<std::string> full = {"portolan"};
      full.insert(full.end(), args.begin(), args.end());
      return run_scan_command(rest, join_command_line(full));
    }
    if (command == "info") return run_info_command(rest);
    if (command == "audit") {
      std::vector<std::string> full = {"portolan"};
      full.insert(full.end(), args.begin(), args.end());
      return run_audit_command(rest, join_command_line(full));
    }
    if (command == "vulndb") return run_vulndb_command(rest);
    if (!command.empty() && command[0] == '-') {
      print_error(fmt::format("options go after a command, e.g. 'portolan scan {} ...'", command));
    } else {
      print_error(fmt::format("unknown command '{}' (try 'portolan --help')", command));
    }
    return 1;
  } catch (const std::bad_alloc&) {
    print_error("out of memory");
    return 1;
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}", e.what()));
    return 1;
  }
}
