// RateController: how fast the raw-packet engine sends, learned from the replies it draws.
//
// The one idea: a stateless scan sends its probes in a random permutation, so
// the fraction of probes that draw a validated reply (the *reply ratio*) is the
// same in every stretch of the scan, whatever the rate. Random packet loss
// lowers that ratio by the same factor at every rate; congestion lowers it only
// above the path's capacity, and there the reply *throughput* stops growing.
// So the controller never reads a single lost probe as congestion (nmap's
// mistake on lossy paths), and never sends blindly at a fixed rate (masscan's
// and ZMap's): it asks, at each rate it tries, "is the ratio here statistically
// lower than at rates known to be uncongested?"
//
// Mechanics, in the order a reader needs them:
//  - Steps. Time is cut into steps, each at one constant rate. While the rate
//    is constant, the replies *arriving* per second equal rate x ratio, once
//    every reply to the previous rate is in, whatever the spread of round-trip
//    times. So a step first waits a guard of one delay bound (srtt plus four
//    rttvar, at least 1.5 srtt), then counts arriving replies for a window sized
//    to hold a useful number of them; the ratio is those replies over the first
//    transmissions of the same window shifted back by srtt. No reply needs to
//    be matched to its probe, a wrong srtt only shifts that window inside a
//    constant-rate step, and a step is judged the moment it ends.
//  - Reference. The pooled (sent, replies) counts of uncongested steps, with
//    forgetting (capped at reference_replies_cap replies) so the scan can
//    adapt. The first step, at start_rate, seeds it. Only startup steps and
//    steady cruise steps (a second in a row at one rate) feed it: right after a
//    rate change a bottleneck queue still fills or drains, and the arrival rate
//    misreads the ratio for a while. A higher ratio replaces it only after
//    several steady steps in a row.
//  - Judgement (ratio_verdict below). A two-sample binomial test with the
//    normal approximation (Agresti-Caffo adjusted): a step is *lower* only when
//    its ratio is below (1 - tolerance) x reference with confidence z (3 sigma by
//    default). The tolerance keeps tiny systematic biases from ever reading as
//    congestion once samples are huge.
//  - Startup: multiply the rate by 2 per step while steps are judged the same.
//  - Back-off: a lower step at rate r with ratio q means the path delivered
//    r x q / q_ref probes/s: the highest rate whose reply throughput was still
//    proportional. The rate drops to backoff_fraction of it, and the next step
//    *verifies*: if the ratio recovered, it was congestion; if it is the same
//    as at the congested rate (a two-sided test) at a clearly lower rate, the
//    loss is rate-independent (random loss grew mid-scan), so the reference is
//    *rebased* to the new ratio and the rate restored. A partial recovery, or
//    a ratio lower still (the capacity fell mid-step), backs off again.
//  - Cruise and probe (BBR-like cycles). At the cruise rate, after cruising
//    for a few probe lengths, one probe step runs higher (x1.125, doubling the excess
//    after each success while no ceiling is known; always x1.125 above a known
//    ceiling). A passing probe becomes the cruise rate and the next probe
//    follows at once; a failing one settles the cruise rate just under what got
//    through and doubles the wait before the next probe. Probe steps are sized
//    so their own test can see the drop their gain would cause.
//  - No signal. When replies are too rare for any test (an empty address
//    space), every step is unjudgeable: the rate climbs by no_signal_gain per
//    (long) step to max_rate, as a fixed-rate scanner would but gently.
//  - Local drops (our receive ring overflowed) are congestion at our end: an
//    immediate cut to local_drop_fraction, at most once per delay bound.
//  - Pacing. A token bucket at the current rate; the sender asks allowance()
//    (at most kMaxBatch per call, credit capped at about 1 ms of rate) and sleeps
//    until next_send_time() when it gets nothing.
//
// Time is injected: every call takes a monotonic clock in microseconds (any
// fixed origin); a time earlier than one already seen counts as that time, so
// a receive thread that read its clock a moment before the sender's call does
// no harm. Every public member is safe to call from several threads at once.
// Retransmissions are paced but not part of the ratio: the engine retransmits
// only unanswered probes, whose reply ratio says nothing about the rate.
// docs/rate-control.md has the reasoning and the simulation results.
#pragma once

#include <cstdint>
#include <mutex>
#include <string_view>

#include "portolan/core/result.h"

namespace portolan {

// The user's bounds, in probes per second (--min-rate, --max-rate) and where
// the climb starts; defaults are the engine's choice.
struct RateLimits {
  double min_rate = 1;      // > 0
  double max_rate = 1e6;    // >= min_rate
  double start_rate = 1e4;  // clamped into [min_rate, max_rate]
};

// The controller's constants. The defaults are what the engine should use;
// they are exposed for simulations and experiments and are not validated.
// Durations in microseconds.
struct RateTuning {
  int64_t initial_rtt_us = 100'000;  // assumed until set_rtt() is called
  double startup_gain = 2.0;         // rate factor per step in startup
  double no_signal_gain = 1.5;       // ... while replies are too rare to judge
  double backoff_fraction = 0.9;     // of the delivered rate, after congestion
  double settle_fraction = 0.95;     // ... after a failed probe above a fitting cruise
  double local_drop_fraction = 0.7;  // of the rate, after local ring drops
  double probe_excess_min = 0.125;   // first probe after a failure: x1.125
  double probe_excess_max = 1.0;     // consecutive successes double up to x2
  // Cruise time before a probe, in probe lengths; doubled per failed probe, up to 4x.
  double probe_spacing = 4;
  double tolerance = 0.03;              // relative ratio drop never read as congestion
  double z = 3.0;                       // confidence of "lower"/"higher", in sigmas
  double z_compare = 2.0;               // congestion-vs-random-loss test after a back-off
  double min_replies = 50;              // fewer expected replies than this: no signal
  double step_replies = 256;            // replies a step aims to hold
  double reference_replies_cap = 4096;  // forgetting horizon of the reference
  uint64_t min_step_sends = 512;        // first transmissions a step aims to hold
  int64_t min_step_us = 5'000;          // shortest measured window (also >= srtt)
  int64_t max_step_us = 250'000;        // longest measured window (also >= 2 srtt)
  int64_t min_guard_us = 1'000;         // shortest guard before a window
};

enum class RatePhase {
  kStartup,  // doubling from start_rate
  kCruise,   // holding a validated rate
  kProbe,    // a probe step above the cruise rate is under way
  kVerify,   // just backed off; checking that the ratio recovers
};
std::string_view rate_phase_name(RatePhase phase);

// For the progress line and debugging.
struct RateStats {
  double rate = 0;              // probes/s the pacer allows now
  double cruise_rate = 0;       // the last rate validated as uncongested
  double ceiling_estimate = 0;  // delivered rate at the last congestion; 0: none seen
  double reference_ratio = 0;   // replies per first transmission at uncongested rates
  double last_ratio = 0;        // of the last judged step
  RatePhase phase = RatePhase::kStartup;
  bool has_signal = false;  // replies frequent enough to judge steps
  uint64_t steps_judged = 0;
  uint64_t backoffs = 0;             // congestion back-offs (from the reply ratio)
  uint64_t rebases = 0;              // losses found rate-independent
  uint64_t local_drop_backoffs = 0;  // cuts after local ring drops
};

// The verdict on a step's reply ratio against a reference ratio.
enum class RatioVerdict {
  kNoData,    // nothing sent (or no reference)
  kNoSignal,  // too few replies expected for any conclusion
  kSame,      // statistically indistinguishable within the tolerance
  kLower,     // below (1 - tolerance) x reference with confidence z
  kHigher,    // above (1 + tolerance) x reference with confidence z
};

// Compares replies/sent against ref_replies/ref_sent. `tolerance` is relative
// (0.03: a 3% drop is never "lower"), `z` the confidence in standard errors,
// `min_replies` the expected reply count below which there is no signal.
// Counts are doubles because the reference is a decayed pool. Any input
// (zeros, replies > sent, NaN) gives a verdict; nothing is undefined.
RatioVerdict ratio_verdict(double ref_sent, double ref_replies, double sent, double replies,
                           double tolerance, double z, double min_replies);

class RateController {
 public:
  // The most allowance() grants at once: a sender batch (sendmmsg, TX ring).
  static constexpr uint32_t kMaxBatch = 64;

  // Fails when min_rate is not positive, max_rate < min_rate, or either is not
  // finite. start_rate is clamped into [min_rate, max_rate]. `now_us` starts
  // the clock.
  static Result<RateController> create(const RateLimits& limits, int64_t now_us,
                                       const RateTuning& tuning = {});

  // Moving is for setting up only, before other threads share the controller.
  RateController(RateController&& other);
  RateController& operator=(RateController&&) = delete;
  RateController(const RateController&) = delete;
  RateController& operator=(const RateController&) = delete;

  // The engine's smoothed round-trip time and its variation (RFC 6298), which
  // bound how long replies take. Underestimating them biases the ratio, so
  // leave rttvar at 0 when unknown (the guard is then 1.5 srtt). srtt <= 0 is
  // ignored; values are capped at 10 s.
  void set_rtt(int64_t srtt_us, int64_t rttvar_us = 0);

  // `n` first transmissions left at now_us: they consume pacing credit and
  // count in the reply ratio.
  void on_sent(uint64_t n, int64_t now_us);
  // `n` retransmissions left: they consume pacing credit only.
  void on_retransmitted(uint64_t n, int64_t now_us);
  // `n` validated replies to first transmissions arrived at now_us. Replies to
  // retransmissions must not be reported (they would inflate the ratio), nor
  // replies a target rate-limits (ICMP errors): those fall with the rate and
  // would read as congestion.
  void on_replies(uint64_t n, int64_t now_us);
  // Our receive ring dropped `n` packets: always a back-off, once per delay
  // bound.
  void on_local_drops(uint64_t n, int64_t now_us);

  // How many probes may leave now: 0..kMaxBatch. Does not consume: report what
  // was actually sent with on_sent/on_retransmitted. Calling again after
  // sending grants the rest of the credit, which never exceeds
  // max(batch_size(), 1 ms of rate).
  uint32_t allowance(int64_t now_us);
  // When the sender should call allowance() again if it got too little: the
  // time a full batch_size() is due, never before now_us and never more than
  // 50 ms after it (so a sleeping sender notices a rate change).
  int64_t next_send_time(int64_t now_us);
  // The batch the pacer aims at: about 250 us of rate, 1..kMaxBatch.
  uint32_t batch_size() const;

  double rate() const;
  RateStats stats() const;

 private:
  enum class StepKind : uint8_t { kStartup, kCruise, kProbe, kVerify };
  struct Counts {
    double sent = 0;
    double replies = 0;
  };
  // One constant-rate step: [start, window_start) is the guard, replies
  // arriving in [window_start, end) are counted, and first transmissions in
  // [window_start - shift, end - shift) are what they answer.
  struct Step {
    int64_t start_us = 0;
    int64_t window_start_us = 0;
    int64_t end_us = 0;
    int64_t shift_us = 0;
    double rate = 0;
    StepKind kind = StepKind::kStartup;
    uint64_t planned_sends = 0;  // first transmissions the window was sized for
    uint64_t first_sent = 0;     // in the shifted window
    uint64_t all_sent = 0;       // every packet of the step, for the actual rate
    uint64_t replies = 0;        // arrived in the window
  };

  RateController(const RateLimits& limits, int64_t now_us, const RateTuning& tuning);

  void advance(int64_t now_us);
  void refill(int64_t now_us);
  void open_step(int64_t start_us);
  void evaluate(const Step& step);
  void enter_phase(RatePhase phase, int64_t now_us);
  void back_off(const Step& step);
  void pool_into_reference(const Step& step);
  void count_sends(uint64_t n, bool first, int64_t now_us);
  double delivered_rate(const Step& step) const;
  double clamp_rate(double rate) const;
  double probe_rate() const;
  int64_t guard_us() const;
  int64_t window_us(StepKind kind, double rate) const;
  int64_t step_length_us(StepKind kind, double rate) const;
  uint64_t needed_sends(StepKind kind, double rate) const;
  double credit_cap() const;
  uint32_t batch_size_locked() const;
  RatePhase reported_phase() const;

  RateLimits limits_;
  RateTuning tuning_;
  mutable std::mutex mu_;

  int64_t last_now_us_;
  int64_t srtt_us_;
  int64_t rttvar_us_ = 0;
  bool rtt_known_ = false;  // set_rtt() was called
  double rate_;             // the current step's rate, which the pacer applies
  double startup_next_;     // rate of the next startup step
  double cruise_rate_;
  double ceiling_ = 0;  // delivered rate at the last congestion, 0 if none
  RatePhase phase_ = RatePhase::kStartup;
  RatePhase resume_phase_ = RatePhase::kStartup;  // after a rebase in kVerify
  int64_t cruise_us_ = 0;   // cruise time judged the same since the last probe
  double probe_spacing_;    // cruise time before the next probe, in probe lengths
  bool probe_now_ = false;  // the last probe passed: the next step probes further
  double probe_excess_;
  Counts reference_;
  Counts congested_;  // the step that triggered the current back-off
  double congested_rate_ = 0;
  Counts higher_;  // steady steps in a row judged higher than the reference
  int higher_steps_ = 0;
  double previous_rate_ = 0;  // of the last step evaluated
  StepKind previous_kind_ = StepKind::kStartup;
  int64_t drop_holdoff_until_us_ = 0;
  Step step_;

  double tokens_;
  int64_t token_time_us_;

  double last_ratio_ = 0;
  uint64_t steps_judged_ = 0;
  uint64_t backoffs_ = 0;
  uint64_t rebases_ = 0;
  uint64_t local_drop_backoffs_ = 0;
};

}  // namespace portolan
