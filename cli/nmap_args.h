// nmap's option spelling, translated for CLI11.
//
// nmap takes multi-letter options after a single dash (-sT, -Pn, -oX FILE,
// -iL FILE) which a conventional parser reads as bundles of one-letter flags.
// normalise_nmap_args() rewrites exactly those into long options (--sT, --Pn,
// --oX, --iL) before CLI11 sees them; everything else passes through. After a
// bare "--" nothing is rewritten.
#pragma once

#include <string>
#include <vector>

namespace portolan::cli {

std::vector<std::string> normalise_nmap_args(const std::vector<std::string>& args);

// The command line as a report should show it: arguments joined by spaces,
// quoted where they hold spaces or quotes.
std::string join_command_line(const std::vector<std::string>& args);

}  // namespace portolan::cli
