// Port grouping: nmap's fold rule, shared by every report format.
#include "portolan/output/port_grouping.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

namespace portolan {
namespace {

constexpr int kStateCount = 6;

int state_index(PortState s) {
  return static_cast<int>(s);
}

// Ties between equally large reasons are broken as nmap breaks them (it keeps
// its reasons in a fixed internal order: replies before silence), so a tie
// never depends on the order the engine finished its ports in.
int reason_rank(Reason r) {
  switch (r) {
    case Reason::kReset:
      return 0;
    case Reason::kConnRefused:
      return 1;
    case Reason::kSynAck:
      return 3;
    case Reason::kUdpResponse:
      return 5;
    case Reason::kNetUnreach:
      return 8;
    case Reason::kHostUnreach:
      return 9;
    case Reason::kProtoUnreach:
      return 10;
    case Reason::kPortUnreach:
      return 11;
    case Reason::kEchoReply:
      return 12;
    case Reason::kNetProhibited:
      return 15;
    case Reason::kHostProhibited:
      return 16;
    case Reason::kAdminProhibited:
      return 17;
    case Reason::kTimeExceeded:
      return 18;
    case Reason::kTimestampReply:
      return 19;
    case Reason::kArpResponse:
      return 23;
    case Reason::kNdResponse:
      return 24;
    case Reason::kNoResponse:
      return 26;
    case Reason::kLocalhostResponse:
      return 29;
    case Reason::kUnknown:
      return 31;
    case Reason::kUserSet:
      return 32;
  }
  return 40;
}

bool port_order(const PortResult* a, const PortResult* b) {
  return std::tie(a->protocol, a->port) < std::tie(b->protocol, b->port);
}

}  // namespace

int64_t fold_limit(const OutputOptions& options) {
  if (options.debugging > 2) return -1;
  const int64_t verbosity = std::max(options.verbosity, 0);
  const int64_t debugging = std::max(options.debugging, 0);
  return int64_t{options.collapse_threshold} * (1 + verbosity + 20 * debugging);
}

bool is_possibly_open(PortState state) {
  return state == PortState::kOpen || state == PortState::kOpenFiltered ||
         state == PortState::kUnfiltered;
}

PortGrouping group_ports(const std::vector<PortResult>& ports, const OutputOptions& options) {
  PortGrouping grouping;
  grouping.total = ports.size();

  std::array<uint64_t, kStateCount> per_state{};
  for (const auto& p : ports) ++per_state[static_cast<size_t>(state_index(p.state))];

  const int64_t limit = fold_limit(options);
  std::array<bool, kStateCount> folds{};
  for (int s = 0; s < kStateCount; ++s) {
    const auto state = static_cast<PortState>(s);
    const uint64_t count = per_state[static_cast<size_t>(s)];
    if (limit < 0 || state == PortState::kOpen || count == 0) continue;
    folds[static_cast<size_t>(s)] =
        (options.open_only && !is_possibly_open(state)) || count > static_cast<uint64_t>(limit);
  }

  // (state, reason, protocol) -> ports; std::map keeps the grouping
  // deterministic before the sort below.
  std::map<std::tuple<int, Reason, Protocol>, std::vector<uint16_t>> folded;
  for (const auto& p : ports) {
    if (folds[static_cast<size_t>(state_index(p.state))]) {
      folded[{state_index(p.state), p.reason, p.protocol}].push_back(p.port);
    } else {
      grouping.shown.push_back(&p);
    }
  }
  std::stable_sort(grouping.shown.begin(), grouping.shown.end(), port_order);

  for (int s = 0; s < kStateCount; ++s) {
    if (!folds[static_cast<size_t>(s)]) continue;
    FoldedState fs;
    fs.state = static_cast<PortState>(s);
    fs.count = per_state[static_cast<size_t>(s)];
    for (auto& [key, list] : folded) {
      if (std::get<0>(key) != s) continue;
      std::sort(list.begin(), list.end());
      fs.reasons.push_back({std::get<1>(key), std::get<2>(key), std::move(list)});
    }
    std::stable_sort(fs.reasons.begin(), fs.reasons.end(),
                     [](const FoldedReason& a, const FoldedReason& b) {
                       if (a.ports.size() != b.ports.size()) return a.ports.size() > b.ports.size();
                       if (a.reason != b.reason)
                         return reason_rank(a.reason) < reason_rank(b.reason);
                       return a.protocol < b.protocol;
                     });
    grouping.folded.push_back(std::move(fs));
  }
  // Largest state first; equal counts keep nmap's state order (closed,
  // filtered, unfiltered, open|filtered, closed|filtered), which is ours.
  std::stable_sort(grouping.folded.begin(), grouping.folded.end(),
                   [](const FoldedState& a, const FoldedState& b) { return a.count > b.count; });
  return grouping;
}

std::string compress_port_list(std::span<const uint16_t> ports) {
  std::string out;
  size_t i = 0;
  while (i < ports.size()) {
    const uint16_t first = ports[i];
    uint16_t last = first;
    size_t j = i + 1;
    // Extend the run while the next port is the same or one more.
    while (j < ports.size() && (ports[j] == last || ports[j] == last + 1)) {
      last = ports[j];
      ++j;
    }
    if (!out.empty()) out += ',';
    out += std::to_string(first);
    if (last != first) {
      out += '-';
      out += std::to_string(last);
    }
    i = j;
  }
  return out;
}

}  // namespace portolan
