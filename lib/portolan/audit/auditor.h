// Auditor: runs the selected checks on every open port of finished hosts and
// puts the findings in HostResult::findings, most severe first.
//
// Ports are audited by a few worker threads (each port's checks in turn, so
// one port never sees two checks at once); all connections share one Pacer.
// Offline (`portolan audit FILE.xml`) active checks are skipped and the
// findings they made at scan time, read from the file, are kept; passive
// checks run again, so a newer vulnerability database or policy applies.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "portolan/audit/audit_policy.h"
#include "portolan/audit/check.h"
#include "portolan/core/result.h"

namespace portolan {
class VulnDb;
struct ScanProgress;
}  // namespace portolan

namespace portolan::audit {

struct AuditOptions {
  std::vector<const Check*> checks;  // empty: every registered check
  AuditPolicy policy;
  std::shared_ptr<const VulnDb>
      vulndb;  // null: known-vulnerabilities finds nothing (setup said why)
  bool offline = false;
  double rate = 50;  // new connections and datagrams per second, all hosts together
  int workers = 8;
  std::chrono::milliseconds timeout{3000};  // each connect and each read
  const std::atomic<bool>* stop = nullptr;
  ScanProgress* progress = nullptr;
  std::function<void(const std::string&)> trace;  // -d: one line per check run
};

struct AuditStats {
  uint64_t ports = 0;
  uint64_t checks_run = 0;
  uint64_t findings = 0;
  uint64_t connections = 0;
};

class Auditor {
 public:
  static Result<std::unique_ptr<Auditor>> create(AuditOptions options);

  // Audits the open ports of the up hosts. Replaces each host's findings
  // (offline: keeps those of active checks), filtered by the policy's
  // `ignore`, sorted with finding_before.
  void audit(std::span<HostResult> hosts);

  AuditStats stats() const;

 private:
  explicit Auditor(AuditOptions options);
  // The selected check with this id, or null.
  const Check* selected(std::string_view id) const;
  AuditOptions options_;
  std::atomic<uint64_t> ports_{0}, checks_run_{0}, findings_{0}, connections_{0};
};

}  // namespace portolan::audit
