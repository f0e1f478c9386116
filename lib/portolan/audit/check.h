// Check: one audit check (--audit). Each check is one file in checks/ and one
// line in check_registry.cpp.
//
// A check looks at one open port at a time. A passive check reads only the
// results (the port, its service, its TLS certificate): it also runs offline,
// in `portolan audit FILE.xml`. An active check talks to the port through
// AuditNet, which bounds and paces every connection; offline it is skipped and
// the findings it made at scan time are kept from the file.
//
// Politeness, for every check: never change state on the target, never try a
// password beyond the documented anonymous login or default SNMP community,
// and open connections only through AuditNet (rate-limited).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/results/finding.h"
#include "portolan/results/scan_result.h"

namespace portolan {
class VulnDb;
}

namespace portolan::audit {

class AuditNet;
struct AuditPolicy;

enum class Category : uint8_t {
  kCleartext,        // a cleartext service where an encrypted one exists
  kUnauthenticated,  // open without authentication
  kTls,              // protocol versions, ciphers, certificate
  kSsh,              // algorithms, protocol 1
  kExposure,         // a port that should not be reachable
  kVulnerability,    // known CVEs for the detected product and version
};
std::string_view to_string(
    Category c);  // "cleartext", "unauthenticated", "tls", "ssh", "exposure", "vulnerability"

struct CheckInfo {
  std::string id;  // "ftp-anonymous": lowercase, stable, used by --audit-checks and in every output
  Category category = Category::kExposure;
  std::string summary;  // one line for `portolan audit --list-checks`
  bool active = false;  // talks to the target
};

// What a check sees about one port.
struct PortContext {
  const HostResult& host;
  const PortResult& port;
  const ServiceInfo& service;  // an empty ServiceInfo when the port has none
  AuditNet* net = nullptr;     // null offline: an active check then does nothing
  const AuditPolicy& policy;
  const VulnDb* vulndb = nullptr;  // null when no database was found or asked for
  std::string sni;                 // a host name for TLS SNI and name checks; empty for an address
};

class Check {
 public:
  virtual ~Check() = default;
  virtual const CheckInfo& info() const = 0;
  // Cheap, no I/O: does this check have something to look at on this port?
  virtual bool applies(const PortContext& ctx) const = 0;
  // Appends zero or more findings. Never throws for anything the target sent.
  virtual void run(const PortContext& ctx, std::vector<Finding>& out) const = 0;
  // Offline, whether a finding this check made at scan time (read from the
  // file) stands as it is. By default an active check's findings stand (they
  // cannot be made again without the network) and a passive check's are made
  // again from the results. A passive check with an active part (an extra
  // probe when online) keeps the findings of that part.
  virtual bool kept_offline(const Finding& /*finding*/) const { return info().active; }
};

// A finding of `check` on ctx's port. `subject`, when not empty, is appended
// to the id ("<check>:<subject>") for checks that report several things.
Finding make_finding(const CheckInfo& check, const PortContext& ctx, Severity severity,
                     std::string title, std::string evidence, std::string remediation,
                     std::string_view subject = {});

// Printable evidence from bytes that came off the wire: control and non-ASCII
// bytes as \xHH, \r \n as themselves escaped, cut at `max` characters with "...".
std::string printable_evidence(std::string_view bytes, size_t max = 200);

// The usual applies() of a check for one service: ctx's port is `protocol`
// and -sV named it one of `names`, or, when -sV named nothing, it is one of
// `ports` (host byte order).
bool service_or_port(const PortContext& ctx, std::initializer_list<std::string_view> names,
                     std::initializer_list<uint16_t> ports, Protocol protocol = Protocol::kTcp);

}  // namespace portolan::audit
