// The factories of every audit check, one per file in this folder. A new
// check is a new file here, a line below and a line in check_registry.cpp.
#pragma once

#include <memory>

#include "portolan/audit/audit_net.h"
#include "portolan/audit/audit_policy.h"
#include "portolan/audit/check.h"

namespace portolan::audit {

std::unique_ptr<Check> make_telnet_cleartext_check();
std::unique_ptr<Check> make_ftp_cleartext_check();
std::unique_ptr<Check> make_http_cleartext_auth_check();
std::unique_ptr<Check> make_mail_no_starttls_check();
std::unique_ptr<Check> make_snmp_default_community_check();
std::unique_ptr<Check> make_vnc_unencrypted_check();
std::unique_ptr<Check> make_ftp_anonymous_check();
std::unique_ptr<Check> make_redis_noauth_check();
std::unique_ptr<Check> make_memcached_noauth_check();
std::unique_ptr<Check> make_mongodb_noauth_check();
std::unique_ptr<Check> make_elasticsearch_noauth_check();
std::unique_ptr<Check> make_docker_api_noauth_check();
std::unique_ptr<Check> make_kubernetes_noauth_check();
std::unique_ptr<Check> make_rsync_modules_check();
std::unique_ptr<Check> make_nfs_exports_check();
std::unique_ptr<Check> make_http_open_proxy_check();
std::unique_ptr<Check> make_dns_open_resolver_check();
std::unique_ptr<Check> make_ntp_amplification_check();
std::unique_ptr<Check> make_tls_old_protocols_check();
std::unique_ptr<Check> make_tls_weak_ciphers_check();
std::unique_ptr<Check> make_tls_cert_expired_check();
std::unique_ptr<Check> make_tls_cert_not_yet_valid_check();
std::unique_ptr<Check> make_tls_cert_self_signed_check();
std::unique_ptr<Check> make_tls_cert_wrong_name_check();
std::unique_ptr<Check> make_tls_short_key_check();
std::unique_ptr<Check> make_ssh_weak_algorithms_check();
std::unique_ptr<Check> make_ssh_protocol1_check();
std::unique_ptr<Check> make_exposed_service_check();
std::unique_ptr<Check> make_default_port_policy_check();
std::unique_ptr<Check> make_smbv1_check();
std::unique_ptr<Check> make_known_vulnerabilities_check();

}  // namespace portolan::audit
