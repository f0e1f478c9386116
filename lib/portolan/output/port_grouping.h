// Port grouping: which of a host's ports a report lists, and which it folds
// into "Not shown: ..." (normal), "Ignored State" (grepable) or <extraports>
// (XML, JSON).
//
// The one idea: every format folds the same ports, by nmap 7.93's rule, so the
// four reports of one scan always agree. A state is folded when it has more
// ports than a limit that grows with -v and -d; open ports are never folded;
// with --open every state that cannot be open is folded whatever its count.
// Folded ports keep their reason and port numbers, so nothing is lost: the
// XML "ports" attribute and the JSON "ports" field list them compressed.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "portolan/output/report_writer.h"
#include "portolan/results/scan_result.h"

namespace portolan {

// One (reason, protocol) share of a folded state: <extrareasons>.
struct FoldedReason {
  Reason reason = Reason::kUnknown;
  Protocol protocol = Protocol::kTcp;
  std::vector<uint16_t> ports;  // ascending, host byte order
};

// One folded state: <extraports>. `reasons` is largest first.
struct FoldedState {
  PortState state = PortState::kClosed;
  uint64_t count = 0;
  std::vector<FoldedReason> reasons;
};

struct PortGrouping {
  // The ports a report lists, sorted by protocol (tcp, udp, sctp) then port
  // number, as nmap prints them. Points into the HostResult it was built from.
  std::vector<const PortResult*> shown;
  std::vector<FoldedState> folded;  // largest state first
  uint64_t total = 0;               // every port of the host, shown or not
};

// The per-state port count above which a state is folded; -1 means never
// fold (nmap's -ddd).
int64_t fold_limit(const OutputOptions& options);

// open, open|filtered and unfiltered: the states --open keeps (nmap's
// "possibly open").
bool is_possibly_open(PortState state);

// Groups `ports` (any order) for display. The result borrows from `ports`.
PortGrouping group_ports(const std::vector<PortResult>& ports, const OutputOptions& options);

// "1-79,81-2023,8080": nmap's compressed port list. `ports` must be ascending;
// duplicates are tolerated.
std::string compress_port_list(std::span<const uint16_t> ports);

}  // namespace portolan
