// HopTable: what the trace of one host has learned, TTL by TTL, and which
// TTLs the next round sends.
//
// The one idea: a trace is a few rounds over all TTLs at once, never a
// TTL-by-TTL walk. Round 1 sends TTLs 1..first (a guess at the distance, see
// first_round_ttls). Each later round resends, once, the TTLs still silent
// below the end of the path, and while the end is not found, also sends the
// TTLs beyond `first` up to max_ttl. Every TTL is sent at most twice, so
// rounds are bounded (three at most) and a host with a silent hop costs one
// retransmission, not a timeout per TTL. Times are passed in (nanoseconds on
// any one clock), so the table is pure and tests need no timers.
#pragma once

#include <cstdint>
#include <vector>

#include "portolan/net/ip_address.h"
#include "portolan/results/scan_result.h"

namespace portolan {

class HopTable {
 public:
  // max_ttl is clamped to [1, kMaxTraceTtl], first to [1, max_ttl].
  HopTable(int max_ttl, int first);

  // The TTLs to send now, ascending, each counted as sent once more; empty
  // when the trace is over (complete, or every TTL sent twice).
  std::vector<int> next_round();
  // When the probe with `ttl` left (the latest sending counts).
  void sent(int ttl, int64_t when_ns);

  // A reply to the probe with `ttl` from `from`; `end`: it came from the
  // target or said unreachable, so the path ends at `ttl` or sooner. Only a
  // TTL's first reply counts; replies for TTLs never sent or out of range
  // are ignored. Returns whether it changed the table.
  bool record(int ttl, const IpAddress& from, bool end, int64_t when_ns);

  // The end was found and every TTL before it answered: nothing left to learn.
  bool complete() const;
  bool reached_end() const { return end_ttl_ != 0; }
  // Some probe sent that could still tell something is unanswered (a TTL
  // before the end, or any TTL sent while the end is unknown): the round is
  // worth waiting for.
  bool awaiting_replies() const;

  // The answered TTLs up to the end (or all answered ones if it was not
  // found), ascending; a missing TTL did not answer. The round-trip time is
  // from the probe's latest sending to its first reply. `host` is left empty.
  std::vector<TraceHop> hops() const;

 private:
  struct Slot {
    int sends = 0;
    int64_t sent_ns = 0;
    bool answered = false;
    IpAddress from;
    int64_t rtt_ns = 0;
  };
  int max_ttl_;
  int first_;
  int sent_upto_ = 0;        // highest TTL sent so far
  int end_ttl_ = 0;          // smallest TTL that reached the end; 0: not yet
  std::vector<Slot> slots_;  // index ttl - 1
};

}  // namespace portolan
