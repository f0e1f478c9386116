// AuditPolicy: what the user says is expected on their network, so the audit
// does not flag it (--audit-policy FILE, YAML).
//
//   allow-exposed: [mysql, 5432/tcp]     # reachable on purpose: no exposure finding
//   nondefault-port: [ssh]               # must not listen on its well-known port
//   min-rsa-bits: 2048                   # shorter RSA/DSA keys are findings
//   ignore: [tls-cert-self-signed, "known-vulnerabilities:CVE-2023-48795"]
//
// An unknown key, a wrong type or an unknown check id is an error at start-up.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/results/finding.h"
#include "portolan/results/protocol.h"

namespace portolan::audit {

struct AuditPolicy {
  std::vector<std::string> allow_exposed;    // service names or "PORT/PROTO"
  std::vector<std::string> nondefault_port;  // service names
  int min_rsa_bits = 2048;
  int min_ec_bits = 224;
  std::vector<std::string> ignore;  // finding ids or check ids

  // True when `allow_exposed` names the service or the port.
  bool exposure_allowed(std::string_view service, uint16_t port, Protocol protocol) const;
  // True when `ignore` names the finding's id or its check.
  bool ignored(const Finding& finding) const;

  static Result<AuditPolicy> parse(std::string_view yaml, const std::string& origin);
  static Result<AuditPolicy> load(const std::string& path);
};

}  // namespace portolan::audit
