// The subcommands of the portolan program. Each parses its options and calls
// the library; none holds logic of its own.
#pragma once

#include <string>
#include <vector>

namespace portolan::cli {

// `args` excludes the program name and the subcommand; `command_line` is the
// whole command as typed (for reports). Returns the process exit status.
int run_scan_command(const std::vector<std::string>& args, const std::string& command_line);
int run_info_command(const std::vector<std::string>& args);

// Prints "portolan: <message>" to standard error as one line.
void print_error(const std::string& message);

}  // namespace portolan::cli
