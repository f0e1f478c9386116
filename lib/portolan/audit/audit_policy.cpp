#include "portolan/audit/audit_policy.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "portolan/audit/check_registry.h"

namespace portolan::audit {

namespace {

Result<std::vector<std::string>> string_list(const YAML::Node& node, const std::string& where) {
  if (!node.IsSequence()) return fail(fmt::format("{}: expected a list", where));
  std::vector<std::string> out;
  for (const auto& item : node) {
    if (!item.IsScalar()) return fail(fmt::format("{}: expected a list of strings", where));
    out.push_back(item.as<std::string>());
  }
  return out;
}

Result<int> positive_int(const YAML::Node& node, const std::string& where) {
  int value = 0;
  if (!node.IsScalar() || !YAML::convert<int>::decode(node, value) || value <= 0 || value > 65536) {
    return fail(fmt::format("{}: expected a number of bits", where));
  }
  return value;
}

}  // namespace

bool AuditPolicy::exposure_allowed(std::string_view service, uint16_t port,
                                   Protocol protocol) const {
  const std::string port_text = fmt::format("{}/{}", port, to_string(protocol));
  for (const auto& item : allow_exposed) {
    if ((!service.empty() && item == service) || item == port_text) return true;
  }
  return false;
}

bool AuditPolicy::ignored(const Finding& finding) const {
  for (const auto& item : ignore) {
    if (item == finding.id || item == finding.check) return true;
  }
  return false;
}

Result<AuditPolicy> AuditPolicy::parse(std::string_view yaml, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return fail(fmt::format("{}: line {}: {}", origin, e.mark.line + 1, e.msg));
  }
  AuditPolicy policy;
  if (root.IsNull()) return policy;
  if (!root.IsMap()) return fail(fmt::format("{}: expected a mapping of policy keys", origin));
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    const std::string where =
        fmt::format("{}: line {}: {}", origin, entry.first.Mark().line + 1, key);
    if (key == "allow-exposed") {
      auto list = string_list(entry.second, where);
      if (!list) return Unexpected(list.error());
      policy.allow_exposed = std::move(*list);
    } else if (key == "nondefault-port") {
      auto list = string_list(entry.second, where);
      if (!list) return Unexpected(list.error());
      policy.nondefault_port = std::move(*list);
    } else if (key == "ignore") {
      auto list = string_list(entry.second, where);
      if (!list) return Unexpected(list.error());
      for (const auto& id : *list) {
        const std::string check = id.substr(0, id.find(':'));
        if (find_check(check) == nullptr)
          return fail(fmt::format("{}: unknown check '{}'", where, check));
      }
      policy.ignore = std::move(*list);
    } else if (key == "min-rsa-bits") {
      auto bits = positive_int(entry.second, where);
      if (!bits) return Unexpected(bits.error());
      policy.min_rsa_bits = *bits;
    } else if (key == "min-ec-bits") {
      auto bits = positive_int(entry.second, where);
      if (!bits) return Unexpected(bits.error());
      policy.min_ec_bits = *bits;
    } else {
      return fail(
          fmt::format("{}: unknown key (expected allow-exposed, nondefault-port, ignore, "
                      "min-rsa-bits, min-ec-bits)",
                      where));
    }
  }
  return policy;
}

Result<AuditPolicy> AuditPolicy::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::kIo, fmt::format("cannot read audit policy '{}'", path));
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

}  // namespace portolan::audit
