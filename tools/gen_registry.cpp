// gen_registry: compiles the port registry data into C++ at build time.
//
// Reads data/iana/service-names-port-numbers.tsv (IANA's registry, trimmed by
// tools/trim_iana.py) and data/top-ports/<protocol>.txt (our own ranking), and
// writes one .cpp of constexpr arrays that lib/portolan/registry links in, so
// the binary never opens a data file. The one idea: every lookup structure is
// built here, once, so run-time lookups are array indexing and binary search:
//   - the entries, in IANA order (the first name listed for a port wins);
//   - a port index in compressed-sparse-row form: port_start[p] ..
//     port_start[p + 1] delimit the entry numbers covering port p, ranges such
//     as x11 6000-6063 included under each port they cover;
//   - the entry numbers sorted by lower-cased name, for case-insensitive
//     binary search;
//   - each protocol's top-ports list, with the fill rule applied.
// Malformed data stops the build with "file:line: what is wrong".
//
// Usage: gen_registry --iana FILE --top PROTO:FILE:MIN_LENGTH... --out FILE
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr int kPortCount = 65536;

struct Entry {
  std::string name;
  int lo = 0;
  int hi = 0;
  std::string protocol;  // "tcp", "udp" or "sctp"
  std::string description;
};

struct TopList {
  std::string protocol;
  std::string path;
  size_t min_length = 0;
  std::vector<int> ports;
};

// Ends the program with a message the build log shows next to the failing step.
[[noreturn]] void die(const std::string& message) {
  std::cerr << "gen_registry: error: " << message << "\n";
  std::exit(1);
}

std::string where(const std::string& path, size_t line) {
  return path + ":" + std::to_string(line) + ": ";
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    if (pos == std::string::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

// A decimal port 0-65535, or -1. Rejects signs, spaces and overlong input.
int parse_port(const std::string& s) {
  if (s.empty() || s.size() > 5) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v < kPortCount ? v : -1;
}

bool printable_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

std::vector<Entry> read_iana(const std::string& path) {
  std::ifstream in(path);
  if (!in) die("cannot open " + path);
  std::vector<Entry> entries;
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto fields = split(line, '\t');
    if (fields.size() != 4) {
      die(where(path, lineno) + "expected 4 tab-separated fields (name, port, protocol, " +
          "description), found " + std::to_string(fields.size()));
    }
    Entry e;
    e.name = fields[0];
    if (e.name.empty()) die(where(path, lineno) + "empty service name");
    if (!printable_ascii(e.name) || !printable_ascii(fields[3])) {
      die(where(path, lineno) + "non-printable or non-ASCII character");
    }
    auto range = split(fields[1], '-');
    if (range.size() > 2) die(where(path, lineno) + "bad port '" + fields[1] + "'");
    e.lo = parse_port(range[0]);
    e.hi = range.size() == 2 ? parse_port(range[1]) : e.lo;
    if (e.lo < 0 || e.hi < 0) {
      die(where(path, lineno) + "bad port '" + fields[1] + "': expected 0-65535 or lo-hi");
    }
    if (e.lo > e.hi) die(where(path, lineno) + "port range '" + fields[1] + "' is reversed");
    e.protocol = fields[2];
    if (e.protocol != "tcp" && e.protocol != "udp" && e.protocol != "sctp") {
      die(where(path, lineno) + "unknown protocol '" + e.protocol + "' (tcp, udp or sctp)");
    }
    e.description = fields[3];
    if (!entries.empty() && e.lo < entries.back().lo) {
      die(where(path, lineno) + "records must be in ascending port order, as IANA lists them");
    }
    entries.push_back(std::move(e));
  }
  if (entries.empty()) die(path + ": no records");
  // Indices are stored as uint16_t.
  if (entries.size() > 65535) die(path + ": too many records for 16-bit indices");
  return entries;
}

// Reads the hand-ranked head of a top-ports file and applies '@fill'.
void read_top_list(TopList& list, const std::vector<Entry>& entries) {
  std::ifstream in(list.path);
  if (!in) die("cannot open " + list.path);
  std::vector<bool> seen(kPortCount, false);
  bool filled = false;
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream tokens(line);
    std::string tok;
    while (tokens >> tok) {
      if (filled) die(where(list.path, lineno) + "nothing may follow '@fill'");
      if (tok == "@fill") {
        filled = true;
        continue;
      }
      if (tok[0] == '@') die(where(list.path, lineno) + "unknown directive '" + tok + "'");
      int port = parse_port(tok);
      if (port < 0) die(where(list.path, lineno) + "bad port '" + tok + "': expected 1-65535");
      if (port == 0) die(where(list.path, lineno) + "port 0 cannot be ranked");
      if (seen[port]) die(where(list.path, lineno) + "port " + tok + " is listed twice");
      seen[port] = true;
      list.ports.push_back(port);
    }
  }
  if (filled) {
    // The fill rule (docs/top-ports.md): every other port IANA names for this
    // protocol, ascending, which puts well-known before registered before dynamic.
    std::vector<bool> assigned(kPortCount, false);
    for (const auto& e : entries) {
      if (e.protocol != list.protocol) continue;
      for (int p = e.lo; p <= e.hi; ++p) assigned[p] = true;
    }
    for (int p = 1; p < kPortCount; ++p) {
      if (assigned[p] && !seen[p]) list.ports.push_back(p);
    }
  }
  if (list.ports.size() < list.min_length) {
    die(list.path + ": " + std::to_string(list.ports.size()) + " ports, at least " +
        std::to_string(list.min_length) + " required");
  }
}

std::string cpp_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  // The sv suffix gives the length directly: a plain literal would make the
  // compiler run strlen on ~23,000 strings during constant evaluation, which
  // exceeds clang's constexpr step limit.
  out += "\"sv";
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string protocol_enum(const std::string& p) {
  if (p == "tcp") return "Protocol::kTcp";
  if (p == "udp") return "Protocol::kUdp";
  return "Protocol::kSctp";
}

// Writes numbers 16 to a line, to keep the generated file readable in a diff.
template <typename T>
void write_array(std::ostream& out, const std::string& decl, const std::vector<T>& values) {
  out << "constexpr " << decl << " = {";
  for (size_t i = 0; i < values.size(); ++i) {
    out << (i % 16 == 0 ? "\n    " : " ") << values[i] << ",";
  }
  out << "\n};\n\n";
}

std::string generate(const std::vector<Entry>& entries, const std::vector<TopList>& tops) {
  std::ostringstream out;
  out << "// Generated by tools/gen_registry.cpp from data/iana and data/top-ports.\n"
         "// Do not edit: change the data and rebuild.\n"
         "#include \"portolan/registry/registry_data.h\"\n\n"
         "namespace portolan::registry_data {\n"
         "namespace {\n\n"
         "using namespace std::string_view_literals;\n\n";

  out << "constexpr ServiceEntry kEntries[] = {\n";
  for (const auto& e : entries) {
    out << "    {" << cpp_string(e.name) << ", " << e.lo << ", " << e.hi << ", "
        << protocol_enum(e.protocol) << ", " << cpp_string(e.description) << "},\n";
  }
  out << "};\n\n";

  std::vector<std::vector<uint16_t>> by_port(kPortCount);
  for (size_t i = 0; i < entries.size(); ++i) {
    for (int p = entries[i].lo; p <= entries[i].hi; ++p) {
      by_port[p].push_back(static_cast<uint16_t>(i));
    }
  }
  std::vector<unsigned> port_start;
  std::vector<unsigned> port_entries;
  port_start.reserve(kPortCount + 1);
  for (const auto& list : by_port) {
    port_start.push_back(static_cast<unsigned>(port_entries.size()));
    port_entries.insert(port_entries.end(), list.begin(), list.end());
  }
  port_start.push_back(static_cast<unsigned>(port_entries.size()));
  if (port_entries.size() > 65535) die("port index too large for 16-bit offsets");
  write_array(out, "uint16_t kPortStart[65537]", port_start);
  write_array(out, "uint16_t kPortEntries[]", port_entries);

  std::vector<unsigned> name_order(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) name_order[i] = static_cast<unsigned>(i);
  std::stable_sort(name_order.begin(), name_order.end(), [&](unsigned a, unsigned b) {
    return lower(entries[a].name) < lower(entries[b].name);
  });
  write_array(out, "uint16_t kNameOrder[]", name_order);

  for (const auto& t : tops) {
    write_array(out, "uint16_t kTop_" + t.protocol + "[]", t.ports);
  }

  out << "}  // namespace\n\n"
         "std::span<const ServiceEntry> entries() { return kEntries; }\n"
         "std::span<const uint16_t> port_start() { return kPortStart; }\n"
         "std::span<const uint16_t> port_entries() { return kPortEntries; }\n"
         "std::span<const uint16_t> name_order() { return kNameOrder; }\n\n"
         "std::span<const uint16_t> top_ports(Protocol p) {\n"
         "  switch (p) {\n";
  for (const char* proto : {"tcp", "udp", "sctp"}) {
    bool have = std::any_of(tops.begin(), tops.end(),
                            [&](const TopList& t) { return t.protocol == proto; });
    out << "    case " << protocol_enum(proto) << ":\n";
    out << "      return " << (have ? std::string("kTop_") + proto : "{}") << ";\n";
  }
  out << "  }\n"
         "  return {};\n"
         "}\n\n"
         "}  // namespace portolan::registry_data\n";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  std::string iana_path;
  std::string out_path;
  std::vector<TopList> tops;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (i + 1 >= argc) die("missing value after " + std::string(arg));
    std::string value = argv[++i];
    if (arg == "--iana") {
      iana_path = value;
    } else if (arg == "--out") {
      out_path = value;
    } else if (arg == "--top") {
      // PROTO:FILE:MIN_LENGTH; FILE may itself contain ':', so split at the ends.
      auto first = value.find(':');
      auto last = value.rfind(':');
      if (first == std::string::npos || first == last) die("--top wants PROTO:FILE:MIN_LENGTH");
      TopList t;
      t.protocol = value.substr(0, first);
      t.path = value.substr(first + 1, last - first - 1);
      std::string min = value.substr(last + 1);
      if (min.empty() || min.size() > 6 ||
          !std::all_of(min.begin(), min.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        die("--top: bad MIN_LENGTH '" + min + "'");
      }
      t.min_length = static_cast<size_t>(std::atoi(min.c_str()));
      if (t.protocol != "tcp" && t.protocol != "udp" && t.protocol != "sctp") {
        die("--top: unknown protocol '" + t.protocol + "'");
      }
      tops.push_back(std::move(t));
    } else {
      die("unknown option " + std::string(arg));
    }
  }
  if (iana_path.empty() || out_path.empty()) {
    die("usage: gen_registry --iana FILE --top PROTO:FILE:MIN_LENGTH... --out FILE");
  }

  auto entries = read_iana(iana_path);
  for (auto& t : tops) read_top_list(t, entries);
  std::string text = generate(entries, tops);

  // Rewriting an unchanged file would recompile it on every build.
  {
    std::ifstream old(out_path, std::ios::binary);
    std::stringstream current;
    current << old.rdbuf();
    if (old && current.str() == text) return 0;
  }
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) die("cannot write " + out_path);
  return 0;
}
