// Portolan's own OS fingerprints, and the scorer that holds an observation
// against them.
//
// The one idea: a fingerprint states, per test, the values a stack's
// defaults produce (initial TTL 64, SYN-ACK options "MSS,SACK,TS,NOP,WS",
// ...), written from public knowledge of those defaults, not measured
// signatures (docs/os-detection.md gives the reasoning per entry). A test
// weighs what it is worth as evidence: the option order and the initial TTL
// most, details a middlebox or a sysctl changes least. The accuracy of a
// match is the weight of the tests that agree over the weight of the tests
// both sides have (a test the fingerprint leaves open, or the target did not
// answer, counts for no one). Below kMatchThreshold percent nothing is
// claimed: "no match" is an answer.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "portolan/os/os_observation.h"
#include "portolan/results/scan_result.h"

namespace portolan {

// An empty list or nullopt leaves a test open: any value agrees.
struct OsFingerprint {
  std::string name;              // "Linux 4.15 - 6.x"
  std::vector<OsClass> classes;  // accuracy left 0; set per match
  std::vector<int> ttl;          // initial TTL of TCP replies (SYN-ACK and RST)
  std::optional<bool> df;        // DF on the SYN-ACK
  std::vector<std::pair<uint16_t, uint16_t>> window;  // SYN-ACK window, inclusive ranges
  std::vector<std::string> options;                   // option_order() of the SYN-ACK
  std::vector<int> wscale;                            // -1: no window scale
  std::vector<IpIdClass> ip_id;
  std::vector<int> ts_hz;  // 0: no timestamps
  std::optional<bool> rst_df;
  std::vector<uint16_t> rst_window;
  std::vector<uint16_t> ack_rst_window;
  std::vector<int> echo_ttl;
  std::optional<bool> echo_df;
  std::optional<bool> echo_code_kept;
  std::optional<bool> unreachable_full_quote;
  // Timestamps start at a random value per connection or address pair, so
  // they say nothing about uptime.
  bool random_ts_offset = false;
};

// Matches at or above this accuracy (percent) are reported.
inline constexpr int kMatchThreshold = 85;
// At most this many matches are reported.
inline constexpr size_t kMaxMatches = 4;

// The built-in set (os_fingerprints.cpp).
std::span<const OsFingerprint> builtin_fingerprints();

// Accuracy in percent (0-100) of `fp` for `o`; 0 when `o` has no SYN-ACK
// (without one there is too little to go on).
int score(const OsObservation& o, const OsFingerprint& fp);

// Scores `o` against `set` and fills `out`: matches at or above the
// threshold, best first (at most kMaxMatches, ties in set order), each with
// its classes at the match's accuracy; fingerprint (describe(o)); distance;
// ip_id_sequence; tcp_ts_sequence; and uptime when the timestamps run at a
// known clock, the best match does not randomise them, and the result is
// under ten years. ports_used is left to the caller.
void match_os(const OsObservation& o, std::span<const OsFingerprint> set, OsResult& out);

}  // namespace portolan
