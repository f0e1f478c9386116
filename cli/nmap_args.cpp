#include "nmap_args.h"

#include <array>
#include <string_view>

namespace portolan::cli {
namespace {

// Options nmap spells as one dash and several letters.
constexpr std::array<std::string_view, 27> kMultiLetter = {
    "sT", "sS", "sU", "sA", "sW", "sM", "sN", "sF", "sX", "sY", "sZ", "sO", "sL", "sn",
    "sP", "sV", "sC", "Pn", "oN", "oX", "oG", "oA", "oS", "oM", "iL", "iR", "P0"};

// Discovery probes that carry an attached port list: -PS22,80 -> --PS=22,80.
constexpr std::array<std::string_view, 9> kProbeOptions = {"PS", "PA", "PU", "PY", "PE",
                                                           "PP", "PM", "PO", "PR"};

}  // namespace

std::vector<std::string> normalise_nmap_args(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  bool passthrough = false;
  for (const auto& arg : args) {
    if (passthrough || arg.size() < 3 || arg[0] != '-' || arg[1] == '-') {
      if (arg == "--") passthrough = true;
      out.push_back(arg);
      continue;
    }
    std::string_view body = std::string_view(arg).substr(1);
    bool rewritten = false;
    for (auto name : kMultiLetter) {
      if (body == name) {
        out.push_back(name == "P0" ? "--Pn" : "--" + std::string(name));
        rewritten = true;
        break;
      }
    }
    if (!rewritten) {
      for (auto name : kProbeOptions) {
        if (body.substr(0, 2) == name) {
          std::string value(body.substr(2));
          out.push_back("--" + std::string(name) + (value.empty() ? "" : "=" + value));
          rewritten = true;
          break;
        }
      }
    }
    if (!rewritten) out.push_back(arg);
  }
  return out;
}

std::string join_command_line(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) {
    if (!out.empty()) out += ' ';
    if (!a.empty() && a.find_first_of(" \t\"'") == std::string::npos) {
      out += a;
      continue;
    }
    out += '"';
    for (char c : a) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out;
}

}  // namespace portolan::cli
