// ServiceDb: Portolan's own probe and signature database for -sV.
//
// The data lives in data/services/*.yaml (format: docs/service-detection.md),
// is compiled into the binary, and can be replaced with --versiondb DIR. A
// probe is what we send (nothing at all for the banner probe "null"); a
// signature is a PCRE2 pattern over what came back, with templates that turn
// its captures into service, product, version, info, OS and CPE.
//
// Loading checks everything a scan will rely on: unknown keys, duplicate
// probe names, probes a signature names but nobody defines, patterns that do
// not compile, templates that reference missing groups. Each problem is one
// line naming the file and the entry, and the database does not load.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/service/version_template.h"

namespace portolan {

enum class ProbeTransport : uint8_t { kTcp, kUdp };

// A probe: the bytes to send, where it is likely to help, how rare a useful
// answer is (1 = most ports, 9 = exotic), and how long to wait.
struct ServiceProbe {
  std::string name;
  ProbeTransport transport = ProbeTransport::kTcp;
  std::string payload;         // raw bytes; empty for "null" (wait for a banner)
  bool tls_handshake = false;  // "send-builtin: tls": a TLS handshake, not bytes
  std::vector<std::pair<uint16_t, uint16_t>> ports;  // inclusive ranges, host order
  std::vector<std::string> services;  // what it is for: narrows the search after a soft match
  int rarity = 5;
  int wait_ms = 3000;
  size_t index = 0;  // position in the database, for a stable order

  bool suits_port(uint16_t port) const;
  bool is_null() const { return payload.empty() && !tls_handshake; }
};

class SignaturePattern;  // the compiled PCRE2 pattern (signature_matcher.cpp)

struct ServiceSignature {
  std::string id;                   // "ssh.yaml#3" unless the data names it
  std::string service;              // "ssh"
  std::string pattern;              // as written, for messages
  std::vector<std::string> probes;  // empty: any probe's answer
  bool soft = false;
  bool tunnel_tls = false;  // "tunnel: ssl": the port speaks TLS; look inside
  VersionTemplate product, version, info, host_name, os_type, device_type;
  std::vector<VersionTemplate> cpe;  // "a:openbsd:openssh:$2" (cpe:/ added)
  std::shared_ptr<const SignaturePattern> compiled;
};

class ServiceDb {
 public:
  // The database compiled into the binary (data/services/*.yaml).
  static Result<std::shared_ptr<const ServiceDb>> builtin();
  // Every *.yaml file of a directory, or one file.
  static Result<std::shared_ptr<const ServiceDb>> load_path(const std::string& path);
  // Named texts, e.g. {"ssh.yaml", "<yaml>"}; names are used in messages.
  static Result<std::shared_ptr<const ServiceDb>> load(
      std::span<const std::pair<std::string, std::string>> files);

  const std::vector<ServiceProbe>& probes() const { return probes_; }
  const std::vector<ServiceSignature>& signatures() const { return signatures_; }
  const ServiceProbe* probe(std::string_view name) const;

 private:
  std::vector<ServiceProbe> probes_;
  std::vector<ServiceSignature> signatures_;
};

}  // namespace portolan
