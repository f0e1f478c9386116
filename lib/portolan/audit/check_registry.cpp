#include "portolan/audit/check_registry.h"

#include <fnmatch.h>

#include <algorithm>
#include <set>
#include <string>

#include <fmt/format.h>

#include "portolan/audit/checks/checks.h"

namespace portolan::audit {

namespace {

std::vector<std::unique_ptr<Check>> build() {
  std::vector<std::unique_ptr<Check>> checks;
  for (auto* make : {
           &make_telnet_cleartext_check,
           &make_ftp_cleartext_check,
           &make_http_cleartext_auth_check,
           &make_mail_no_starttls_check,
           &make_snmp_default_community_check,
           &make_vnc_unencrypted_check,
           &make_ftp_anonymous_check,
           &make_redis_noauth_check,
           &make_memcached_noauth_check,
           &make_mongodb_noauth_check,
           &make_elasticsearch_noauth_check,
           &make_docker_api_noauth_check,
           &make_kubernetes_noauth_check,
           &make_rsync_modules_check,
           &make_nfs_exports_check,
           &make_http_open_proxy_check,
           &make_dns_open_resolver_check,
           &make_ntp_amplification_check,
           &make_tls_old_protocols_check,
           &make_tls_weak_ciphers_check,
           &make_tls_cert_expired_check,
           &make_tls_cert_not_yet_valid_check,
           &make_tls_cert_self_signed_check,
           &make_tls_cert_wrong_name_check,
           &make_tls_short_key_check,
           &make_ssh_weak_algorithms_check,
           &make_ssh_protocol1_check,
           &make_exposed_service_check,
           &make_default_port_policy_check,
           &make_smbv1_check,
           &make_known_vulnerabilities_check,
       }) {
    checks.push_back(make());
  }
  return checks;
}

}  // namespace

const std::vector<std::unique_ptr<Check>>& all_checks() {
  static const std::vector<std::unique_ptr<Check>> checks = build();
  return checks;
}

const Check* find_check(std::string_view id) {
  for (const auto& c : all_checks()) {
    if (c->info().id == id) return c.get();
  }
  return nullptr;
}

Result<std::vector<const Check*>> select_checks(std::string_view list) {
  std::set<const Check*> chosen;
  bool any_positive = false;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string item(list.substr(start, comma - start));
    start = comma + 1;
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item.empty()) return fail(fmt::format("--audit-checks: empty item in '{}'", list));
    const bool remove = item[0] == '-';
    if (remove) item.erase(0, 1);
    if (!remove) any_positive = true;
    std::vector<const Check*> named;
    for (const auto& c : all_checks()) {
      const auto& info = c->info();
      if (item == "all" || item == info.id || item == to_string(info.category) ||
          ::fnmatch(item.c_str(), info.id.c_str(), 0) == 0) {
        named.push_back(c.get());
      }
    }
    if (named.empty()) {
      return fail(fmt::format(
          "--audit-checks: '{}' names no check (see 'portolan audit --list-checks')", item));
    }
    for (const Check* c : named) {
      if (remove) {
        chosen.erase(c);
      } else {
        chosen.insert(c);
      }
    }
  }
  if (!any_positive) {
    // Only removals: from everything.
    return select_checks(fmt::format("all,{}", list));
  }
  std::vector<const Check*> out;
  for (const auto& c : all_checks()) {
    if (chosen.count(c.get()) != 0) out.push_back(c.get());
  }
  if (out.empty()) return fail(fmt::format("--audit-checks: '{}' leaves no check", list));
  return out;
}

}  // namespace portolan::audit
