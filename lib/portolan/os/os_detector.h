// -O: guessing a host's operating system from how its TCP/IP stack answers
// a handful of probes.
//
// The one idea: after the port scan, each live IPv4 host gets about ten
// packets (six option-laden SYNs to one open port 100 ms apart, a SYN to a
// closed port, an ACK to the open port, an ICMP echo and a UDP datagram to a
// closed port); all hosts of a group are probed in the same rounds, so a
// group takes about a second and a half however many hosts it has. The
// replies become an OsObservation (os_observation.h) that is scored against
// Portolan's own fingerprints (os_fingerprints.h); a host that matches none
// closely enough gets no guess, and its observation in OsResult::fingerprint.
// The raw link is the scan engine's: packet sockets, reserved source ports
// and the nftables guard (portolan/link).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "portolan/core/result.h"
#include "portolan/net/ip_address.h"
#include "portolan/results/scan_result.h"

namespace portolan {

struct OsDetectOptions {
  std::string interface_name;                      // -e: every target must be reached through it
  std::optional<IpAddress> source;                 // -S
  std::function<void(const std::string&)> notice;  // warnings and debug lines
  bool debug = false;                              // each host's observation via `notice`
  const std::atomic<bool>* stop = nullptr;         // set: finish the round, return early
};

class OsDetector {
 public:
  // Fails with one line without root or CAP_NET_RAW.
  static Result<std::unique_ptr<OsDetector>> create(const OsDetectOptions& options);
  virtual ~OsDetector() = default;

  // For every IPv4 host whose state is up, probes it and sets host.os. The
  // open TCP port is the first open one in host.ports; the closed TCP and
  // UDP ports the first closed ones, else a high port chosen per host (most
  // likely closed). A host without an open TCP port still gets the other
  // probes but cannot match (no SYN-ACK). IPv6 hosts are left without `os`
  // (one notice). Errors: no route to a host, or a link that cannot be
  // opened; hosts already done keep their results.
  virtual Result<void> detect(std::span<HostResult> hosts) = 0;
};

}  // namespace portolan
