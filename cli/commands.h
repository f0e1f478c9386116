// The subcommands of the portolan program. Each parses its options and calls
// the library; none holds logic of its own.
#pragma once

#include <string>
#include <vector>

namespace portolan {
struct Checkpoint;
}

namespace portolan::cli {

// `args` excludes the program name and the subcommand; `command_line` is the
// whole command as typed (for reports). Returns the process exit status.
// `resumed`: the checkpoint of a `--resume` run, whose arguments `args` are.
int run_scan_command(const std::vector<std::string>& args, const std::string& command_line,
                     const Checkpoint* resumed = nullptr);
int run_info_command(const std::vector<std::string>& args);
// `portolan audit FILE.xml`: the audit of a finished scan, offline.
int run_audit_command(const std::vector<std::string>& args, const std::string& command_line);
// `portolan vulndb import|info`: the local vulnerability database.
int run_vulndb_command(const std::vector<std::string>& args);

// The exit status of scan and audit when --fail-on found a finding at or
// above its severity (1 is an error, 130 an interrupt).
inline constexpr int kExitFindings = 3;

// Prints "portolan: <message>" to standard error as one line.
void print_error(const std::string& message);

}  // namespace portolan::cli
