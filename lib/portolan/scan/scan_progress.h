// ScanProgress: counters an engine updates and a progress reporter reads.
//
// Relaxed atomics: the reporter runs on another thread and needs only
// approximately current numbers; nothing synchronises through these.
//
// Who writes what: the totals are the caller's (only it knows the whole plan,
// across host groups and exclusions); the connect engine never touches them.
// The engine adds probes_sent, ports_done and open_found as it goes.
// hosts_done counts each host once when nothing more will happen to it:
// ConnectScanner::discover() counts the hosts it finds down, scan() every
// host it finishes; after a ping-only scan (-sn) the caller adds the up
// hosts itself. hosts_up is counted by discover().
#pragma once

#include <atomic>
#include <cstdint>

namespace portolan {

struct ScanProgress {
  std::atomic<uint64_t> ports_total{0};  // host x port pairs planned
  std::atomic<uint64_t> ports_done{0};   // pairs with a final state
  std::atomic<uint64_t> probes_sent{0};  // including retransmissions
  std::atomic<uint64_t> open_found{0};
  std::atomic<uint64_t> hosts_total{0};
  std::atomic<uint64_t> hosts_done{0};
  std::atomic<uint64_t> hosts_up{0};
  // -sV: ports handed to service detection, and those finished.
  std::atomic<uint64_t> services_total{0};
  std::atomic<uint64_t> services_done{0};
  // --audit: ports handed to the audit, and those finished.
  std::atomic<uint64_t> audit_total{0};
  std::atomic<uint64_t> audit_done{0};
};

}  // namespace portolan
