#include "portolan/service/service_db.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "portolan/service/embedded_services.h"
#include "portolan/service/signature_matcher.h"

namespace portolan {
namespace {

// Where in the data a problem is: "ssh.yaml: line 12: signature 'ssh-openssh': ".
std::string where(const std::string& file, const YAML::Node& node, const std::string& what) {
  const auto mark = node.Mark();
  if (mark.line >= 0) return fmt::format("{}: line {}: {}", file, mark.line + 1, what);
  return fmt::format("{}: {}", file, what);
}

Result<std::string> scalar(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) return fail(fmt::format("'{}' must be a single value", key));
  return node.Scalar();
}

// YAML reads a bare `null` as "no value"; where a probe name is expected it
// means the banner probe, whose name is null.
std::optional<std::string> probe_name(const YAML::Node& node) {
  if (node.IsNull()) return std::string("null");
  if (node.IsScalar()) return node.Scalar();
  return std::nullopt;
}

Result<std::vector<std::string>> string_list(const YAML::Node& node, const std::string& key) {
  std::vector<std::string> out;
  const bool names = key == "probes";
  if (node.IsScalar() || (names && node.IsNull())) {
    out.push_back(names ? *probe_name(node) : node.Scalar());
    return out;
  }
  if (!node.IsSequence()) return fail(fmt::format("'{}' must be a value or a list", key));
  for (const auto& item : node) {
    auto text = names             ? probe_name(item)
                : item.IsScalar() ? std::optional(item.Scalar())
                                  : std::nullopt;
    if (!text) return fail(fmt::format("'{}' must list plain values", key));
    out.push_back(*text);
  }
  return out;
}

Result<int> integer(const YAML::Node& node, const std::string& key, int lo, int hi) {
  auto text = scalar(node, key);
  if (!text) return Unexpected(text.error());
  int v = 0;
  const std::string& s = *text;
  if (s.empty() || s.size() > 7 || !std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return fail(fmt::format("'{}' must be a whole number, not '{}'", key, s));
  }
  v = std::stoi(s);
  if (v < lo || v > hi) return fail(fmt::format("'{}' must be between {} and {}", key, lo, hi));
  return v;
}

Result<std::string> hex_bytes(const std::string& text) {
  std::string out;
  int nibble = -1;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t') continue;
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else {
      return fail(fmt::format("'send-hex' has '{}', which is not a hex digit", c));
    }
    if (nibble < 0) {
      nibble = v;
    } else {
      out += static_cast<char>(nibble * 16 + v);
      nibble = -1;
    }
  }
  if (nibble >= 0) return fail("'send-hex' has an odd number of hex digits");
  return out;
}

// "80,443,8000-8100" into ranges.
Result<std::vector<std::pair<uint16_t, uint16_t>>> port_ranges(const std::string& text) {
  std::vector<std::pair<uint16_t, uint16_t>> out;
  std::stringstream ss(text);
  std::string item;
  auto number = [](const std::string& s) -> std::optional<uint16_t> {
    if (s.empty() || s.size() > 5) return std::nullopt;
    for (char c : s) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    }
    const int v = std::stoi(s);
    if (v < 1 || v > 65535) return std::nullopt;
    return static_cast<uint16_t>(v);
  };
  while (std::getline(ss, item, ',')) {
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    const auto dash = item.find('-');
    auto lo = number(item.substr(0, dash));
    auto hi = dash == std::string::npos ? lo : number(item.substr(dash + 1));
    if (!lo || !hi || *lo > *hi) return fail(fmt::format("'ports' has a bad entry '{}'", item));
    out.emplace_back(*lo, *hi);
  }
  return out;
}

bool known_key(const std::string& key, std::initializer_list<std::string_view> keys) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

Result<ServiceProbe> parse_probe(const YAML::Node& node) {
  if (!node.IsMap()) return fail("a probe must be a mapping (name:, send:, ...)");
  ServiceProbe p;
  bool have_payload = false;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (!known_key(key, {"name", "transport", "send", "send-hex", "send-builtin", "ports",
                         "services", "rarity", "wait-ms", "comment"})) {
      return fail(fmt::format("unknown probe key '{}'", key));
    }
    if (key == "comment") continue;
    if (key == "ports") {
      auto text = scalar(v, key);
      if (!text) return Unexpected(text.error());
      auto ranges = port_ranges(*text);
      if (!ranges) return Unexpected(ranges.error());
      p.ports = std::move(*ranges);
      continue;
    }
    if (key == "services") {
      auto list = string_list(v, key);
      if (!list) return Unexpected(list.error());
      p.services = std::move(*list);
      continue;
    }
    if (key == "rarity" || key == "wait-ms") {
      auto n = key == "rarity" ? integer(v, key, 1, 9) : integer(v, key, 1, 60000);
      if (!n) return Unexpected(n.error());
      (key == "rarity" ? p.rarity : p.wait_ms) = *n;
      continue;
    }
    if (key == "name") {
      auto name = probe_name(v);
      if (!name) return fail("'name' must be a single value");
      p.name = *name;
      continue;
    }
    auto text = scalar(v, key);
    if (!text) return Unexpected(text.error());
    if (key == "transport") {
      if (*text == "tcp") {
        p.transport = ProbeTransport::kTcp;
      } else if (*text == "udp") {
        p.transport = ProbeTransport::kUdp;
      } else {
        return fail(fmt::format("'transport' must be tcp or udp, not '{}'", *text));
      }
    } else if (key == "send" || key == "send-hex" || key == "send-builtin") {
      if (have_payload) return fail("a probe has one of send, send-hex or send-builtin");
      have_payload = true;
      if (key == "send") {
        for (char c : *text) {
          if (static_cast<unsigned char>(c) >= 0x80) {
            return fail("'send' must be ASCII; use send-hex for other bytes");
          }
        }
        p.payload = *text;
      } else if (key == "send-hex") {
        auto bytes = hex_bytes(*text);
        if (!bytes) return Unexpected(bytes.error());
        p.payload = std::move(*bytes);
      } else if (*text == "tls") {
        p.tls_handshake = true;
      } else {
        return fail(fmt::format("'send-builtin' knows only 'tls', not '{}'", *text));
      }
    }
  }
  if (p.name.empty()) return fail("a probe needs a name");
  if (!have_payload && p.name != "null") {
    return fail(fmt::format("probe '{}' sends nothing (only 'null' may)", p.name));
  }
  if (p.tls_handshake && p.transport != ProbeTransport::kTcp) {
    return fail("a TLS handshake probe must be tcp");
  }
  return p;
}

Result<ServiceSignature> parse_signature(const YAML::Node& node, const std::string& default_id) {
  if (!node.IsMap()) return fail("a signature must be a mapping (service:, match:, ...)");
  ServiceSignature s;
  s.id = default_id;
  std::string flags;
  std::unordered_map<std::string, std::string> templates;
  std::vector<std::string> cpes;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (!known_key(key, {"id", "service", "match", "flags", "probes", "soft", "tunnel", "product",
                         "version", "info", "hostname", "os", "device", "cpe", "comment"})) {
      return fail(fmt::format("unknown signature key '{}'", key));
    }
    if (key == "comment") continue;
    if (key == "probes" || key == "cpe") {
      auto list = string_list(v, key);
      if (!list) return Unexpected(list.error());
      (key == "probes" ? s.probes : cpes) = std::move(*list);
      continue;
    }
    auto text = scalar(v, key);
    if (!text) return Unexpected(text.error());
    if (key == "id") {
      s.id = *text;
    } else if (key == "service") {
      s.service = *text;
    } else if (key == "match") {
      s.pattern = *text;
    } else if (key == "flags") {
      flags = *text;
    } else if (key == "soft") {
      if (*text != "true" && *text != "false") return fail("'soft' must be true or false");
      s.soft = *text == "true";
    } else if (key == "tunnel") {
      if (*text != "ssl") return fail("'tunnel' knows only 'ssl'");
      s.tunnel_tls = true;
    } else {
      templates[key] = *text;
    }
  }
  if (s.service.empty()) return fail("a signature needs a service");
  if (s.pattern.empty()) return fail("a signature needs a match pattern");
  auto compiled = SignaturePattern::compile(s.pattern, flags);
  if (!compiled) return Unexpected(compiled.error());
  s.compiled = *compiled;
  const int groups = s.compiled->capture_count();
  auto tmpl = [&](const char* key, VersionTemplate& out) -> Result<void> {
    auto it = templates.find(key);
    if (it == templates.end()) return {};
    auto t = VersionTemplate::parse(it->second, groups);
    if (!t) return Unexpected(t.error().with_context(fmt::format("'{}'", key)));
    out = std::move(*t);
    return {};
  };
  for (auto [key, field] : {std::pair{"product", &s.product},
                            {"version", &s.version},
                            {"info", &s.info},
                            {"hostname", &s.host_name},
                            {"os", &s.os_type},
                            {"device", &s.device_type}}) {
    if (auto r = tmpl(key, *field); !r) return Unexpected(r.error());
  }
  for (const auto& c : cpes) {
    if (c.size() < 2 || (c[0] != 'a' && c[0] != 'o' && c[0] != 'h') || c[1] != ':') {
      return fail(fmt::format("cpe '{}' must start with a:, o: or h: (cpe:/ is added)", c));
    }
    auto t = VersionTemplate::parse(c, groups);
    if (!t) return Unexpected(t.error().with_context("'cpe'"));
    s.cpe.push_back(std::move(*t));
  }
  return s;
}

}  // namespace

bool ServiceProbe::suits_port(uint16_t port) const {
  return std::any_of(ports.begin(), ports.end(),
                     [port](const auto& r) { return port >= r.first && port <= r.second; });
}

const ServiceProbe* ServiceDb::probe(std::string_view name) const {
  for (const auto& p : probes_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

Result<std::shared_ptr<const ServiceDb>> ServiceDb::load(
    std::span<const std::pair<std::string, std::string>> files) {
  auto db = std::make_shared<ServiceDb>();
  std::set<std::string> names, ids;
  for (const auto& [file, text] : files) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      return fail(fmt::format("{}: line {}: {}", file, e.mark.line + 1, e.msg));
    }
    if (root.IsNull()) continue;
    if (!root.IsMap()) return fail(fmt::format("{}: expected 'probes:' and 'signatures:'", file));
    try {
      for (const auto& kv : root) {
        const std::string key = kv.first.Scalar();
        if (key != "probes" && key != "signatures") {
          return fail(where(file, kv.first,
                            fmt::format("unknown section '{}' (probes or signatures)", key)));
        }
        if (!kv.second.IsSequence()) {
          return fail(where(file, kv.first, fmt::format("'{}' must be a list", key)));
        }
        size_t i = 0;
        for (const auto& item : kv.second) {
          ++i;
          if (key == "probes") {
            auto p = parse_probe(item);
            if (!p) return fail(where(file, item, p.error().message()));
            if (!names.insert(p->name).second) {
              return fail(where(file, item, fmt::format("probe '{}' is defined twice", p->name)));
            }
            p->index = db->probes_.size();
            db->probes_.push_back(std::move(*p));
          } else {
            auto s = parse_signature(item, fmt::format("{}#{}", file, i));
            if (!s) return fail(where(file, item, s.error().message()));
            if (!ids.insert(s->id).second) {
              return fail(where(file, item, fmt::format("signature id '{}' is used twice", s->id)));
            }
            db->signatures_.push_back(std::move(*s));
          }
        }
      }
    } catch (const YAML::Exception& e) {
      return fail(fmt::format("{}: line {}: {}", file, e.mark.line + 1, e.msg));
    }
  }
  for (const auto& s : db->signatures_) {
    for (const auto& p : s.probes) {
      if (!names.count(p)) {
        return fail(fmt::format("signature '{}' names probe '{}', which no file defines", s.id, p));
      }
    }
  }
  if (db->probes_.empty()) return fail("the service database defines no probes");
  return std::shared_ptr<const ServiceDb>(std::move(db));
}

Result<std::shared_ptr<const ServiceDb>> ServiceDb::load_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> paths;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.path().extension() == ".yaml") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    if (paths.empty()) return fail(fmt::format("{}: no .yaml files in this directory", path));
  } else if (fs::exists(path, ec)) {
    paths.emplace_back(path);
  } else {
    return fail(ErrorKind::kIo, fmt::format("{}: no such file or directory", path));
  }
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return fail(ErrorKind::kIo, fmt::format("{}: cannot read", p.string()));
    std::stringstream buf;
    buf << in.rdbuf();
    files.emplace_back(p.filename().string(), buf.str());
  }
  return load(files);
}

Result<std::shared_ptr<const ServiceDb>> ServiceDb::builtin() {
  static const auto db = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& f : embedded_service_files()) files.emplace_back(f.name, f.text);
    return load(files);
  }();
  return db;
}

}  // namespace portolan
