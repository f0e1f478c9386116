// ServiceDetector: -sV. Talks to every open port and says what listens there.
//
// Per port, two connections work side by side: one waits for a banner (the
// `null` probe: SSH, FTP, SMTP... speak first), the other sends the probes of
// the port's plan one after another (probe_plan.h). The first hard signature
// match on either ends the port; a soft match narrows the plan to probes for
// that service. So a client-speaks-first service (HTTP, Redis, PostgreSQL) is
// identified in one round trip instead of after a five-second banner wait,
// and a banner service costs nothing extra.
//
// An answer that says TLS (the `tls` handshake probe succeeding, or a
// signature with `tunnel: ssl`) restarts the port's detection inside TLS; the
// certificate and the protocol versions the server accepts (one pinned
// handshake per version) go into the port's TlsInfo.
//
// Everything runs on one thread in one epoll loop. Bounds: at most
// `max_connections` sockets at once, `max_response` bytes kept per answer, a
// per-probe wait, an idle cut-off once an answer has started, and
// `port_timeout` for a whole port. A tarpit, an endless banner, garbage bytes
// or a TLS handshake that never finishes each cost at most those bounds.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "portolan/core/result.h"
#include "portolan/results/scan_result.h"
#include "portolan/scan/scan_progress.h"
#include "portolan/service/service_db.h"

namespace portolan {

struct ServiceDetectOptions {
  std::shared_ptr<const ServiceDb> db;  // null: the built-in database
  int intensity = 7;                    // --version-intensity 0-9
  int max_connections = 64;             // sockets open at once, all ports together
  std::chrono::milliseconds port_timeout{30000};
  std::chrono::milliseconds idle_after_data{500};
  // Cap on any one wait (probe or TLS handshake); 0: the probe's own wait.
  std::chrono::milliseconds max_wait{0};
  size_t max_response = 16 * 1024;
  bool tls_versions = true;  // ask which TLS versions the server accepts
  // --version-trace: one line per probe sent and answer matched.
  std::function<void(const std::string&)> trace;
  const std::atomic<bool>* stop = nullptr;
  ScanProgress* progress = nullptr;  // services_total / services_done for the progress line
};

struct ServiceDetectStats {
  uint64_t ports = 0;
  uint64_t connections = 0;
  uint64_t probes_sent = 0;
  uint64_t hard_matches = 0;
  uint64_t soft_matches = 0;
  uint64_t tls_sessions = 0;
  uint64_t timeouts = 0;         // waits that ran out
  uint64_t ports_timed_out = 0;  // ports cut off by port_timeout
};

class ServiceDetector {
 public:
  static Result<std::unique_ptr<ServiceDetector>> create(const ServiceDetectOptions& options);
  virtual ~ServiceDetector() = default;

  // Detects the service of every open TCP port, and of every open or
  // open|filtered UDP port, of the up hosts; replaces each port's service.
  // A UDP port that answers becomes open (udp-response); one that answers
  // with port unreachable becomes closed. `sni` gives a host name for TLS
  // (host.hostnames first entry is used when present).
  virtual void detect(std::span<HostResult> hosts) = 0;

  virtual ServiceDetectStats stats() const = 0;
};

}  // namespace portolan
