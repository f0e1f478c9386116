// The raw engine's inner loop: one stateless sweep, in rounds.
//
// Design. A sweep is the set hosts x specs (element e = spec * H + host).
//
//  * Order. Round 0 walks a keyed random permutation of the elements
//    (sweep/permutation.h: a Feistel cipher, O(1) memory, random access), so
//    consecutive probes go to different hosts and ports and no host sees a
//    burst; a shard I/N takes every N-th position, so N machines split one
//    sweep without talking to each other.
//  * No per-probe state. Every probe carries a keyed hash of its 4-tuple
//    (sweep/probe_cookie.h): in the TCP sequence number, the source port, the
//    ICMP id/sequence and the IP ID. The receiver thread recomputes it from
//    the reply (or from the packet an ICMP error quotes) and drops what does
//    not match; then the reply's addresses and ports name its element
//    directly. The only state is the ReplyTable: 2 bytes per element, the
//    reason and TTL of the first valid reply.
//  * Retransmission only of what is unanswered. After round 0 the sender
//    waits one RTT timeout past its last probe, then walks the table and
//    resends only elements still empty, and again, until --max-retries, or
//    until a round gained nothing (more rounds would not help: what is left
//    is filtered, or the path lost the probe max_retries+1 times), or every
//    element has its answer.
//  * ICMP rate limits. Hosts limit their ICMP errors (Linux: one per second
//    per peer after a burst of 6, icmp_ratelimit), so a UDP scan of closed
//    ports draws a few "port unreachable" and then silence that would read
//    as open|filtered. A host that answered some UDP probes with ICMP and
//    left others unanswered in a round is treated as rate limited: in the
//    next rounds it gets only as many UDP probes as it answered last round
//    plus one (plus more while it keeps up), those rounds last at least a
//    second, and they do not count against --max-retries while they gain
//    answers. Each probe is still tried at most max_retries+1 times.
//  * Rate. The sender asks the pacer (pacing/rate_controller.h) how many
//    probes it may send now; the pacer learns from the reply ratio whether
//    the path is congested or merely lossy (docs/rate-control.md).
//  * Threads. The sender is the calling thread; one receiver thread drains
//    the TPACKET_V3 ring, validates and records. They share the table
//    (relaxed atomics) and a few counters, no locks.
//  * The kernel. Our source ports belong to no socket, so our kernel would
//    answer each SYN-ACK with a RST and each UDP reply with an ICMP error; a
//    KernelGuard (link/kernel_guard_linux.h) drops those replies before the
//    stack sees them, and the receiver sends the RST itself so the target's
//    half-open connection is freed at once, as nmap's kernel would.
#include "portolan/scan/raw_sweep.h"

#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "portolan/pacing/rate_controller.h"
#include "portolan/packet/frame_parser.h"
#include "portolan/scan/reply_classifier.h"
#include "portolan/scan/reply_reason.h"
#include "portolan/sweep/permutation.h"

namespace portolan {
namespace {

// Microseconds on the realtime clock: the ring stamps frames with it, so send
// and receive times compare without the ring's block delay.
int64_t now_us() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

// Microseconds on the monotonic clock: the pacer's time, which must never
// step backwards.
int64_t mono_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct SweepPacer::Impl {
  explicit Impl(const TimingParams& t) : timing(t), rtt(t) {
    RateLimits limits;
    // Without --min-rate a floor of 1,000/s (or --max-rate when lower): a
    // run of misjudged steps must not stall a scan at a few probes a second.
    limits.min_rate = t.min_rate.value_or(std::min(1000.0, t.max_rate.value_or(1000.0)));
    // Without --max-rate the controller may climb to a million probes per
    // second, but only while replies say the path keeps up.
    limits.max_rate = t.max_rate.value_or(1'000'000);
    if (limits.min_rate <= 0) limits.min_rate = 1;
    // 100k/s: a LAN scan would spend most of its time climbing from less; on
    // a slower path the first judged step (a few ms) brings it down.
    limits.start_rate =
        std::clamp(t.min_rate.value_or(100'000.0), limits.min_rate, limits.max_rate);
    // Replies reach us in bursts (ring blocks retire every few ms, frames leave
    // in batches), so steps are long enough to hold many bursts, and a ratio
    // must fall by more than that jitter before it reads as congestion.
    RateTuning tuning;
    tuning.min_step_us = 50'000;
    tuning.step_replies = 1024;
    tuning.tolerance = 0.15;
    auto created = RateController::create(limits, mono_us(), tuning);
    if (created) controller.emplace(std::move(*created));
  }
  TimingParams timing;
  RttEstimator rtt;
  std::optional<RateController> controller;
};

SweepPacer::SweepPacer(const TimingParams& timing) : impl_(std::make_unique<Impl>(timing)) {}
SweepPacer::~SweepPacer() = default;

namespace {}  // namespace

Result<SweepOutcome> run_sweep(const SweepLink& link, const SweepRequest& req, SweepPacer& pacer,
                               SweepCounters& counters, ScanProgress& progress) {
  auto& pace = pacer.impl();
  const uint64_t H = req.hosts.size();
  const uint64_t S = req.link_probe != LinkProbe::kNone ? 1 : req.specs.size();
  auto empty = ReplyTable::create(0);
  if (!empty) return Unexpected(empty.error());
  SweepOutcome outcome(std::move(*empty));
  outcome.hosts = H;
  outcome.specs = S;
  outcome.rtt = RttEstimator(req.timing);
  if (H == 0 || S == 0) return outcome;
  if (H > UINT32_MAX / 2 || S > UINT32_MAX / 2) return fail("sweep too large");
  auto table = ReplyTable::create(H * S);
  if (!table) return Unexpected(table.error());
  outcome.table = std::move(*table);
  ReplyTable& replies = outcome.table;
  outcome.rtt_us.assign(H, 0);
  if (req.link_probe != LinkProbe::kNone) outcome.learned_mac.assign(H, MacAddress{});

  const Permutation permutation(H * S, req.seed);
  ElementIndex index(req.hosts, req.specs, req.link_probe);
  ReplyClassifier classifier(link, index);
  ProbeWriter writer(link, req.hosts, req.next_hop, req.specs, req.link_probe);

  // Last probe sent to each host: (spec << 32) | low 32 bits of the send time
  // in microseconds, so the receiver can time a reply to it (Karn's rule:
  // only first transmissions are timed).
  std::vector<std::atomic<uint64_t>> last_sent(H);
  std::atomic<int> round_now{0};
  std::atomic<bool> receiving{true};
  std::atomic<int64_t> srtt_us{-1}, rttvar_us{0};

  // The receiver: drain, parse, validate, record.
  std::thread receiver([&] {
    RttEstimator rtt = pace.rtt;
    uint64_t fresh_replies = 0;
    ParsedReply parsed;
    Classified c;
    uint64_t last_drops = 0;
    auto on_frame = [&](std::span<const std::byte> frame, uint64_t ts_ns) {
      counters.frames_received.fetch_add(1, std::memory_order_relaxed);
      if (parse_frame(frame, parsed) != ParseStatus::kOk) {
        counters.frames_malformed.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      if (!classifier.classify(parsed, c)) {
        if (parsed.dst == link.local)
          counters.replies_invalid.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      counters.replies_valid.fetch_add(1, std::memory_order_relaxed);
      const uint64_t element = uint64_t{c.spec} * H + c.host;
      if (c.send_reset && link.reset_sender != nullptr && link.tcp_rst != nullptr) {
        // Free the target's half-open connection, as our kernel would have.
        auto slot = link.reset_sender->slot();
        const size_t n = link.tcp_rst->write_tcp(slot, parsed.eth_src, parsed.src, parsed.dport,
                                                 parsed.sport, parsed.ack, 0, 0);
        if (n > 0) {
          link.reset_sender->commit(n);
          (void)link.reset_sender->flush();
        }
      }
      if (!replies.record(element, reply_code(c.reason), c.ttl)) return;
      if (req.link_probe != LinkProbe::kNone && parsed.has_link_mac) {
        outcome.learned_mac[c.host] = parsed.link_mac;
      }
      // The pacer learns from answers to first transmissions; ICMP errors to
      // UDP probes are rate limited by the targets and would read as congestion.
      if (round_now.load(std::memory_order_relaxed) == 0 && c.reason != Reason::kPortUnreach &&
          c.reason != Reason::kUdpResponse) {
        ++fresh_replies;
      }
      const uint64_t last = last_sent[c.host].load(std::memory_order_relaxed);
      if ((last >> 32) == c.spec && last != 0) {
        const int64_t now = ts_ns > 0 ? static_cast<int64_t>(ts_ns / 1000) : now_us();
        const uint32_t sample = static_cast<uint32_t>(now) - static_cast<uint32_t>(last);
        if (sample < 60'000'000u) {
          rtt.add_sample(Micros(sample));
          outcome.rtt.add_sample(Micros(sample));
          if (outcome.rtt_us[c.host] == 0 || sample < outcome.rtt_us[c.host]) {
            outcome.rtt_us[c.host] = std::max<uint32_t>(sample, 1);
          }
          srtt_us.store(rtt.srtt().count(), std::memory_order_relaxed);
          rttvar_us.store(rtt.rttvar().count(), std::memory_order_relaxed);
        }
      }
      if (req.count_ports) {
        progress.ports_done.fetch_add(1, std::memory_order_relaxed);
        if (c.reason == Reason::kSynAck || c.reason == Reason::kUdpResponse) {
          progress.open_found.fetch_add(1, std::memory_order_relaxed);
        }
      }
    };
    while (receiving.load(std::memory_order_acquire)) {
      auto n = link.receiver->poll(2, on_frame);
      if (!n) break;
      const int64_t now = mono_us();
      if (fresh_replies > 0) {
        pace.controller->on_replies(fresh_replies, now);
        fresh_replies = 0;
      }
      const uint64_t drops = link.receiver->stats().drops;
      if (drops != last_drops) {
        counters.ring_drops.fetch_add(drops - last_drops, std::memory_order_relaxed);
        pace.controller->on_local_drops(drops - last_drops, now);
        last_drops = drops;
      }
      if (rtt.has_samples()) pace.controller->set_rtt(rtt.srtt().count(), rtt.rttvar().count());
    }
    pace.rtt = rtt;
  });

  // The sender.
  if (!pace.controller) return fail(ErrorKind::kInternal, "rate controller not initialised");
  RateController& rate = *pace.controller;
  uint64_t sent_total = 0;
  auto stop_requested = [&] { return req.stop && req.stop->load(std::memory_order_relaxed); };
  // Pacing credit from the controller, spent probe by probe and reported
  // back in bulk (first transmissions and retransmissions apart: only the
  // former count in the reply ratio).
  uint32_t credit = 0;
  uint64_t pending_first = 0, pending_again = 0;
  auto settle = [&](int64_t now) {
    if (pending_first > 0) rate.on_sent(pending_first, now);
    if (pending_again > 0) rate.on_retransmitted(pending_again, now);
    pending_first = pending_again = 0;
  };
  auto send_element = [&](uint64_t e, bool first_time) -> bool {
    const uint32_t host = static_cast<uint32_t>(e % H);
    const uint32_t spec = static_cast<uint32_t>(e / H);
    while (credit == 0) {
      const int64_t mono = mono_us();
      settle(mono);
      credit = rate.allowance(mono);
      if (credit > 0) break;
      if (stop_requested()) return false;
      (void)link.sender->flush();
      const int64_t until = rate.next_send_time(mono);
      if (until > mono) std::this_thread::sleep_for(Micros(std::min<int64_t>(until - mono, 2000)));
    }
    const size_t n = writer.write(link.sender->slot(), host, spec);
    if (n == 0) return true;  // nothing to send for this element (no such template)
    --credit;
    last_sent[host].store(first_time ? (uint64_t{spec} << 32) | static_cast<uint32_t>(now_us()) : 0,
                          std::memory_order_relaxed);
    link.sender->commit(n);
    (first_time ? pending_first : pending_again) += 1;
    ++sent_total;
    return true;
  };

  auto wait_for_replies = [&](Micros at_least) {
    (void)link.sender->flush();
    Micros wait = pace.rtt.timeout();
    const int64_t s = srtt_us.load(std::memory_order_relaxed);
    if (s >= 0) {
      wait = std::clamp(Micros(s + 4 * rttvar_us.load(std::memory_order_relaxed)),
                        req.timing.min_rtt_timeout, req.timing.max_rtt_timeout);
    }
    wait = std::max(wait, at_least);
    // Wake early once every element has its answer.
    const auto until = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < until) {
      if (replies.answered_count() >= H * S || stop_requested()) break;
      settle(mono_us());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  };

  // Round 0: the permutation, this shard's positions.
  const Shard shard = req.shard;
  SweepCursor cursor(permutation, shard);
  uint64_t e = 0;
  uint64_t batch = 0;
  bool interrupted = false;
  while (cursor.next(e)) {
    if (!send_element(e, true)) {
      interrupted = true;
      break;
    }
    if (++batch == 64) {
      batch = 0;
      settle(mono_us());
      progress.probes_sent.fetch_add(64, std::memory_order_relaxed);
      if (stop_requested()) {
        interrupted = true;
        break;
      }
    }
  }
  progress.probes_sent.fetch_add(batch, std::memory_order_relaxed);
  const uint64_t shard_total = cursor.total();

  // Which elements belong to this shard (the permutation's inverse is cheap).
  if (shard.count > 1) {
    outcome.in_shard = [owner = SweepCursor(permutation, shard)](uint64_t el) {
      return owner.owns(el);
    };
  }
  auto in_shard = [&](uint64_t el) { return shard.count <= 1 || cursor.owns(el); };

  // Retry rounds: only elements still unanswered, at most max_retries more
  // tries each; ICMP-limited hosts get a per-round quota of UDP probes.
  std::vector<uint8_t> tries;  // per element, for quota rounds (UDP only)
  std::vector<uint32_t> udp_quota(H, UINT32_MAX), udp_answered_before(H, 0);
  bool any_udp = false;
  for (const auto& s : req.specs) any_udp = any_udp || s.kind == ProbeKind::kUdp;
  auto count_udp_answers = [&](std::vector<uint32_t>& per_host) {
    std::fill(per_host.begin(), per_host.end(), 0);
    for (uint64_t s = 0; s < S; ++s) {
      if (req.link_probe != LinkProbe::kNone || req.specs[s].kind != ProbeKind::kUdp) continue;
      for (uint64_t h = 0; h < H; ++h) per_host[h] += replies.answered(s * H + h) ? 1 : 0;
    }
  };
  if (any_udp) count_udp_answers(udp_answered_before);
  // UDP probes sent to each host in the last round (reset when the next round
  // is planned): also what the next round's quota is counted against.
  std::vector<uint32_t> udp_sent_last(H, 0);
  // Round 0 sent each shard element's UDP probe once.
  if (any_udp) {
    for (uint64_t s = 0; s < S; ++s) {
      if (req.specs[s].kind != ProbeKind::kUdp) continue;
      for (uint64_t h = 0; h < H; ++h) udp_sent_last[h] += in_shard(s * H + h) ? 1 : 0;
    }
    tries.assign(H * S, 1);
  }
  std::vector<uint32_t> udp_answers_now(H, 0);
  std::vector<uint8_t> was_limited(H, 0);

  int retries_used = 0;
  int round = 0;
  bool last_round_limited = false;
  uint64_t answered_before = 0;
  while (!interrupted) {
    // Limited hosts need their ICMP tokens back (Linux: one per icmp_ratelimit,
    // 1 s by default) before the next quota round.
    wait_for_replies(last_round_limited ? Micros(1'000'000) : Micros(0));
    if (stop_requested()) {
      interrupted = true;
      break;
    }
    const uint64_t answered_now = replies.answered_count();
    if (answered_now >= H * S) break;
    if (round > 0 && !last_round_limited && answered_now == answered_before) break;  // no gain
    bool limited_any = false;
    if (any_udp) {
      count_udp_answers(udp_answers_now);
      for (uint64_t h = 0; h < H; ++h) {
        const uint32_t gained = udp_answers_now[h] - udp_answered_before[h];
        bool limited;
        if (was_limited[h]) {
          // Still limited while quota rounds keep drawing answers; a round
          // with none means what is left is silent, not throttled.
          limited = gained > 0;
        } else {
          limited = udp_answers_now[h] > 0 && udp_sent_last[h] > gained;
        }
        if (limited) {
          udp_quota[h] = was_limited[h] && gained >= udp_quota[h] ? udp_quota[h] * 2 : gained + 1;
          limited_any = true;
        } else {
          udp_quota[h] = UINT32_MAX;
        }
        was_limited[h] = limited ? 1 : 0;
        udp_sent_last[h] = 0;
      }
      udp_answered_before = udp_answers_now;
    }
    const bool counts = !limited_any;
    if (counts && retries_used >= req.timing.max_retries) break;
    ++round;
    round_now.store(round, std::memory_order_relaxed);
    answered_before = answered_now;
    uint64_t sent_this_round = 0;
    // Rotate the spec order each round so quota rounds reach every port.
    for (uint64_t i = 0; i < S && !interrupted; ++i) {
      const uint64_t s = (i + static_cast<uint64_t>(round) * 7) % S;
      const bool udp_spec =
          req.link_probe == LinkProbe::kNone && req.specs[s].kind == ProbeKind::kUdp;
      for (uint64_t h = 0; h < H; ++h) {
        const uint64_t el = s * H + h;
        if (replies.answered(el) || !in_shard(el)) continue;
        if (udp_spec) {
          if (tries[el] > req.timing.max_retries) continue;
          if (udp_sent_last[h] >= udp_quota[h]) continue;
          if (!counts && !was_limited[h]) continue;  // quota rounds serve limited hosts only
          ++udp_sent_last[h];
          ++tries[el];
        } else if (!counts) {
          continue;  // other probes wait for the next ordinary round
        }
        if (!send_element(el, false)) {
          interrupted = true;
          break;
        }
        ++sent_this_round;
        if ((sent_this_round & 63) == 0) settle(mono_us());
      }
    }
    progress.probes_sent.fetch_add(sent_this_round, std::memory_order_relaxed);
    if (sent_this_round == 0 && counts) break;
    if (counts) ++retries_used;
    last_round_limited = limited_any;
  }
  (void)link.sender->flush();
  receiving.store(false, std::memory_order_release);
  receiver.join();
  if (stop_requested()) interrupted = true;

  counters.frames_sent.fetch_add(sent_total, std::memory_order_relaxed);
  if (req.debug) {
    const RateStats st = rate.stats();
    req.debug(fmt::format(
        "sweep of {} hosts x {} probes: {} sent in {} rounds, {} answered; received {} frames, "
        "{} valid, {} failed the cookie check, {} malformed, {} ring drops; rate {:.0f}/s "
        "({}, reference reply ratio {:.3f}, {} back-offs), srtt {} us",
        H, S, sent_total, round + 1, replies.answered_count(), counters.frames_received.load(),
        counters.replies_valid.load(), counters.replies_invalid.load(),
        counters.frames_malformed.load(), counters.ring_drops.load(), rate.rate(),
        rate_phase_name(st.phase), st.reference_ratio, st.backoffs, srtt_us.load()));
  }
  const uint64_t peak = static_cast<uint64_t>(rate.rate());
  if (peak > counters.peak_rate.load()) counters.peak_rate.store(peak);
  if (req.count_ports) {
    // Unanswered probes are final now (filtered, open|filtered).
    const uint64_t answered = replies.answered_count();
    const uint64_t owned = shard.count > 1 ? shard_total : H * S;
    if (owned > answered)
      progress.ports_done.fetch_add(owned - answered, std::memory_order_relaxed);
  }
  outcome.interrupted = interrupted;
  return outcome;
}

}  // namespace portolan
