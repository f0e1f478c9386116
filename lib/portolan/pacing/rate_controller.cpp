// Reply-ratio rate control for the raw-packet engine; the design essay is in
// rate_controller.h, the reasoning and simulation results in docs/rate-control.md.
#include "portolan/pacing/rate_controller.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace portolan {
namespace {

constexpr int64_t kMaxSleepUs = 50'000;
constexpr double kBatchWindowS = 250e-6;
constexpr double kCreditWindowS = 1e-3;
constexpr int64_t kMaxRttUs = 10'000'000;  // caps srtt and rttvar
// With no replies at all the reference only grows in sends; this bounds it.
constexpr double kReferenceSentCap = 1e8;
// A rebase compares the ratio at two rates; closer than this they would
// differ too little under congestion for the comparison to tell.
constexpr double kRebaseRateGap = 0.85;
// Steady steps in a row with a higher ratio before it becomes the reference.
constexpr int kHigherStepsToRebase = 4;

double as_double(uint64_t v) {
  return static_cast<double>(v);
}

// The Agresti-Caffo estimate (one pseudo-success and one pseudo-failure): keeps
// the variance of a ratio of 0 or 1 from collapsing to zero on small samples.
double adjusted_ratio(double sent, double replies) {
  return (replies + 1) / (sent + 2);
}

}  // namespace

std::string_view rate_phase_name(RatePhase phase) {
  switch (phase) {
    case RatePhase::kStartup:
      return "startup";
    case RatePhase::kCruise:
      return "cruise";
    case RatePhase::kProbe:
      return "probe";
    case RatePhase::kVerify:
      return "verify";
  }
  return "unknown";
}

RatioVerdict ratio_verdict(double ref_sent, double ref_replies, double sent, double replies,
                           double tolerance, double z, double min_replies) {
  if (!(ref_sent > 0) || !(sent > 0)) return RatioVerdict::kNoData;
  ref_replies = std::clamp(ref_replies, 0.0, ref_sent);
  replies = std::clamp(replies, 0.0, sent);
  const double q0 = ref_replies / ref_sent;
  const double q1 = replies / sent;
  if (ref_replies < min_replies || q0 * sent < min_replies) return RatioVerdict::kNoSignal;

  const double a0 = adjusted_ratio(ref_sent, ref_replies);
  const double a1 = adjusted_ratio(sent, replies);
  const double var0 = a0 * (1 - a0) / ref_sent;
  const double var1 = a1 * (1 - a1) / sent;
  // H0 "q1 >= (1 - tolerance) q0" is rejected when the shortfall exceeds z
  // standard errors of the difference; the reference's own noise counts too.
  const double lo = 1 - tolerance;
  if (lo * q0 - q1 > z * std::sqrt(lo * lo * var0 + var1)) return RatioVerdict::kLower;
  const double hi = 1 + tolerance;
  if (q1 - hi * q0 > z * std::sqrt(hi * hi * var0 + var1)) return RatioVerdict::kHigher;
  return RatioVerdict::kSame;
}

Result<RateController> RateController::create(const RateLimits& limits, int64_t now_us,
                                              const RateTuning& tuning) {
  if (!std::isfinite(limits.min_rate) || !(limits.min_rate > 0)) {
    return fail(fmt::format("--min-rate must be a positive number of packets per second, got {}",
                            limits.min_rate));
  }
  if (!std::isfinite(limits.max_rate) || limits.max_rate < limits.min_rate) {
    return fail(fmt::format("--max-rate ({}) must be a number no lower than --min-rate ({})",
                            limits.max_rate, limits.min_rate));
  }
  RateLimits clamped = limits;
  clamped.start_rate = std::isfinite(limits.start_rate)
                           ? std::clamp(limits.start_rate, limits.min_rate, limits.max_rate)
                           : limits.min_rate;
  return RateController(clamped, now_us, tuning);
}

RateController::RateController(const RateLimits& limits, int64_t now_us, const RateTuning& tuning)
    : limits_(limits),
      tuning_(tuning),
      last_now_us_(now_us),
      srtt_us_(std::clamp<int64_t>(tuning.initial_rtt_us, 1, kMaxRttUs)),
      rate_(limits.start_rate),
      startup_next_(limits.start_rate),
      cruise_rate_(limits.start_rate),
      probe_spacing_(tuning.probe_spacing),
      probe_excess_(tuning.probe_excess_min),
      tokens_(0),
      token_time_us_(now_us) {
  open_step(now_us);
  tokens_ = batch_size_locked();
}

// Copies everything but the mutex: moving happens before the controller is
// shared, so there is no lock to carry over.
RateController::RateController(RateController&& other)
    : limits_(other.limits_),
      tuning_(other.tuning_),
      last_now_us_(other.last_now_us_),
      srtt_us_(other.srtt_us_),
      rttvar_us_(other.rttvar_us_),
      rtt_known_(other.rtt_known_),
      rate_(other.rate_),
      startup_next_(other.startup_next_),
      cruise_rate_(other.cruise_rate_),
      ceiling_(other.ceiling_),
      phase_(other.phase_),
      resume_phase_(other.resume_phase_),
      cruise_us_(other.cruise_us_),
      probe_spacing_(other.probe_spacing_),
      probe_now_(other.probe_now_),
      probe_excess_(other.probe_excess_),
      reference_(other.reference_),
      congested_(other.congested_),
      congested_rate_(other.congested_rate_),
      higher_(other.higher_),
      higher_steps_(other.higher_steps_),
      previous_rate_(other.previous_rate_),
      previous_kind_(other.previous_kind_),
      drop_holdoff_until_us_(other.drop_holdoff_until_us_),
      step_(other.step_),
      tokens_(other.tokens_),
      token_time_us_(other.token_time_us_),
      last_ratio_(other.last_ratio_),
      steps_judged_(other.steps_judged_),
      backoffs_(other.backoffs_),
      rebases_(other.rebases_),
      local_drop_backoffs_(other.local_drop_backoffs_) {}

void RateController::set_rtt(int64_t srtt_us, int64_t rttvar_us) {
  if (srtt_us <= 0) return;
  std::lock_guard lock(mu_);
  srtt_us_ = std::min(srtt_us, kMaxRttUs);
  rttvar_us_ = std::clamp<int64_t>(rttvar_us, 0, kMaxRttUs);
  // The step under way was planned with the assumed RTT, which may be a
  // hundred times too long on a LAN: plan it again from here.
  if (!rtt_known_) {
    rtt_known_ = true;
    open_step(last_now_us_);
  }
}

void RateController::on_sent(uint64_t n, int64_t now_us) {
  std::lock_guard lock(mu_);
  advance(now_us);
  count_sends(n, true, last_now_us_);
}

void RateController::on_retransmitted(uint64_t n, int64_t now_us) {
  std::lock_guard lock(mu_);
  advance(now_us);
  count_sends(n, false, last_now_us_);
}

void RateController::on_replies(uint64_t n, int64_t now_us) {
  std::lock_guard lock(mu_);
  advance(now_us);
  // During the guard, replies still answer the previous rate.
  if (last_now_us_ >= step_.window_start_us) step_.replies += n;
}

void RateController::on_local_drops(uint64_t n, int64_t now_us) {
  std::lock_guard lock(mu_);
  advance(now_us);
  // Replies to probes sent before the cut keep overflowing the ring for about
  // a round trip; cutting again for those would compound one event into several.
  if (n == 0 || last_now_us_ < drop_holdoff_until_us_) return;
  const double base = rate_;
  cruise_rate_ = clamp_rate(base * tuning_.local_drop_fraction);
  ceiling_ = ceiling_ > 0 ? std::min(ceiling_, base) : base;
  probe_excess_ = tuning_.probe_excess_min;
  cruise_us_ = 0;
  probe_now_ = false;
  ++local_drop_backoffs_;
  drop_holdoff_until_us_ = last_now_us_ + guard_us();
  enter_phase(RatePhase::kCruise, last_now_us_);
}

uint32_t RateController::allowance(int64_t now_us) {
  std::lock_guard lock(mu_);
  advance(now_us);
  refill(last_now_us_);
  if (tokens_ < 1) return 0;
  return static_cast<uint32_t>(std::min(std::floor(tokens_), static_cast<double>(kMaxBatch)));
}

int64_t RateController::next_send_time(int64_t now_us) {
  std::lock_guard lock(mu_);
  advance(now_us);
  refill(last_now_us_);
  const double missing = batch_size_locked() - tokens_;
  if (missing <= 0) return last_now_us_;
  const double wait_us = std::ceil(missing / rate_ * 1e6);
  return last_now_us_ + static_cast<int64_t>(std::min(wait_us, static_cast<double>(kMaxSleepUs)));
}

uint32_t RateController::batch_size() const {
  std::lock_guard lock(mu_);
  return batch_size_locked();
}

double RateController::rate() const {
  std::lock_guard lock(mu_);
  return rate_;
}

RateStats RateController::stats() const {
  std::lock_guard lock(mu_);
  RateStats s;
  s.rate = rate_;
  s.cruise_rate = cruise_rate_;
  s.ceiling_estimate = ceiling_;
  s.reference_ratio = reference_.sent > 0 ? reference_.replies / reference_.sent : 0;
  s.last_ratio = last_ratio_;
  s.phase = reported_phase();
  s.has_signal = reference_.replies >= tuning_.min_replies;
  s.steps_judged = steps_judged_;
  s.backoffs = backoffs_;
  s.rebases = rebases_;
  s.local_drop_backoffs = local_drop_backoffs_;
  return s;
}

// --- everything below runs with mu_ held ---

void RateController::advance(int64_t now_us) {
  const int64_t now = std::max(now_us, last_now_us_);
  last_now_us_ = now;
  while (step_.end_us <= now) {
    const Step done = step_;
    evaluate(done);
    // After a long idle stretch (nothing to send) the next step starts now
    // rather than replaying a string of empty steps.
    const int64_t idle_limit = std::max(tuning_.max_step_us, 2 * srtt_us_);
    open_step(now - done.end_us > idle_limit ? now : done.end_us);
  }
}

void RateController::refill(int64_t now_us) {
  const int64_t dt = now_us - token_time_us_;
  if (dt <= 0) return;
  token_time_us_ = now_us;
  tokens_ = std::min(credit_cap(), tokens_ + rate_ * static_cast<double>(dt) * 1e-6);
}

void RateController::count_sends(uint64_t n, bool first, int64_t now_us) {
  tokens_ -= as_double(n);
  step_.all_sent += n;
  if (first && now_us >= step_.window_start_us - step_.shift_us &&
      now_us < step_.end_us - step_.shift_us) {
    step_.first_sent += n;
  }
}

void RateController::open_step(int64_t start_us) {
  refill(start_us);  // credit up to here accrued at the old rate
  Step step;
  step.start_us = start_us;
  switch (phase_) {
    case RatePhase::kStartup:
      step.kind = StepKind::kStartup;
      step.rate = startup_next_;
      break;
    case RatePhase::kVerify:
      step.kind = StepKind::kVerify;
      step.rate = cruise_rate_;
      break;
    case RatePhase::kProbe:  // never stored: a probe is a kind of cruise step
    case RatePhase::kCruise:
      // Probing costs replies when it fails, so the cruise time between
      // probes is a multiple of a probe's own length.
      if (cruise_rate_ < limits_.max_rate &&
          (probe_now_ || static_cast<double>(cruise_us_) >=
                             probe_spacing_ * static_cast<double>(step_length_us(StepKind::kProbe,
                                                                                 probe_rate())))) {
        step.kind = StepKind::kProbe;
        step.rate = probe_rate();
        probe_now_ = false;
      } else {
        step.kind = StepKind::kCruise;
        step.rate = cruise_rate_;
      }
      break;
  }
  step.rate = clamp_rate(step.rate);
  rate_ = step.rate;

  const int64_t window = window_us(step.kind, step.rate);
  const int64_t guard = guard_us();
  step.window_start_us = start_us + guard;
  step.end_us = step.window_start_us + window;
  step.shift_us = std::min(srtt_us_, guard);
  step.planned_sends = static_cast<uint64_t>(
      std::max(1.0, std::min(as_double(needed_sends(step.kind, step.rate)),
                             std::floor(step.rate * static_cast<double>(window) * 1e-6))));
  step_ = step;
}

int64_t RateController::window_us(StepKind kind, double rate) const {
  // At least one srtt long: right after a rate change a bottleneck queue fills
  // or drains for a while, and a short window would measure only that.
  const double needed = as_double(needed_sends(kind, rate));
  const int64_t shortest = std::max(tuning_.min_step_us, srtt_us_);
  const int64_t longest = std::max({tuning_.max_step_us, 2 * srtt_us_, shortest});
  return static_cast<int64_t>(
      std::clamp(needed / rate * 1e6, static_cast<double>(shortest), static_cast<double>(longest)));
}

int64_t RateController::step_length_us(StepKind kind, double rate) const {
  return guard_us() + window_us(kind, rate);
}

void RateController::evaluate(const Step& step) {
  const double sent = as_double(step.first_sent);
  const double replies = as_double(step.replies);
  const double duration_s = static_cast<double>(step.end_us - step.start_us) * 1e-6;
  // A sender that cannot keep up (CPU, or nothing left to send) learns nothing
  // from a higher target.
  const bool sender_limited = as_double(step.all_sent) < 0.5 * step.rate * duration_s;
  // Two cruise steps in a row at one rate: no queue is still filling or
  // draining from an earlier rate.
  const bool steady = step.kind == StepKind::kCruise && previous_kind_ == StepKind::kCruise &&
                      step.rate == previous_rate_;
  previous_rate_ = step.rate;
  previous_kind_ = step.kind;
  // A step that held far fewer sends than it was sized for (the sender idled or
  // only retransmitted) has nothing to say about its rate.
  RatioVerdict verdict = RatioVerdict::kNoData;
  if (step.first_sent > 0 && step.first_sent * 4 >= step.planned_sends) {
    ++steps_judged_;
    last_ratio_ = replies / sent;
    verdict = reference_.sent > 0
                  ? ratio_verdict(reference_.sent, reference_.replies, sent, replies,
                                  tuning_.tolerance, tuning_.z, tuning_.min_replies)
                  : RatioVerdict::kSame;  // the first measurement seeds the reference
  }
  if (verdict == RatioVerdict::kNoData) {
    if (step.kind == StepKind::kStartup) startup_next_ = step.rate;
    // A probe that saw no first transmissions (a retransmission round) is not
    // repeated: the retransmissions go out at the cruise rate.
    if (step.kind == StepKind::kProbe) cruise_us_ = 0;
    return;
  }

  if (verdict == RatioVerdict::kLower) {
    switch (step.kind) {
      case StepKind::kStartup:
      case StepKind::kCruise:
        back_off(step);
        return;
      case StepKind::kProbe: {
        const double delivered = delivered_rate(step);
        ceiling_ = delivered;
        probe_excess_ = tuning_.probe_excess_min;
        cruise_us_ = 0;
        probe_now_ = false;
        // A ceiling that holds is probed less and less often.
        probe_spacing_ = std::min(2 * probe_spacing_, 4 * tuning_.probe_spacing);
        // A capacity below the cruise rate (other traffic) needs a real
        // back-off; otherwise settle a little under what got through, which
        // the cruise rate may have crept above by less than the tolerance.
        if (delivered < cruise_rate_ * (1 - tuning_.tolerance)) {
          back_off(step);
        } else {
          cruise_rate_ = clamp_rate(std::min(cruise_rate_, tuning_.settle_fraction * delivered));
        }
        return;
      }
      case StepKind::kVerify: {
        // Congestion makes the ratio rise as the rate falls; random loss leaves
        // it where it was. Only the same ratio at a clearly lower rate (or at
        // the floor, where there is nowhere lower to look) proves the loss
        // rate-independent; a still lower one means things got worse (the
        // capacity fell in the middle of the congested step), so back off more.
        const RatioVerdict vs_congested =
            ratio_verdict(congested_.sent, congested_.replies, sent, replies, 0.0,
                          tuning_.z_compare, tuning_.min_replies);
        const bool rates_apart =
            step.rate <= kRebaseRateGap * congested_rate_ || step.rate <= limits_.min_rate;
        if (vs_congested != RatioVerdict::kSame || !rates_apart) {
          back_off(step);
          return;
        }
        reference_ = Counts{congested_.sent + sent, congested_.replies + replies};
        ++rebases_;
        ceiling_ = 0;
        if (resume_phase_ == RatePhase::kStartup) {
          startup_next_ = congested_rate_;
          phase_ = RatePhase::kStartup;
        } else {
          cruise_rate_ = std::max(cruise_rate_, congested_rate_);
          cruise_us_ = 0;
          phase_ = RatePhase::kCruise;
        }
        return;
      }
    }
    return;
  }

  // Same, higher, or no signal: the step's rate is fine. Only steps at an
  // unchanged rate feed the reference: just after a rate change a bottleneck
  // queue drains (replies arrive faster than the rate) or fills (slower).
  // A higher ratio must persist before it replaces the reference (conditions
  // improved, or the reference was learned in mild congestion): a deep queue
  // can take several steps to drain. Waiting costs nothing, as a ratio above
  // the reference never causes a back-off.
  if (verdict == RatioVerdict::kHigher && steady) {
    higher_ = Counts{higher_.sent + sent, higher_.replies + replies};
    if (++higher_steps_ >= kHigherStepsToRebase) {
      reference_ = higher_;
      higher_ = Counts{};
      higher_steps_ = 0;
    }
  } else {
    higher_ = Counts{};
    higher_steps_ = 0;
  }
  if (reference_.sent <= 0) {
    reference_ = Counts{sent, replies};
  } else if (verdict != RatioVerdict::kHigher && (steady || step.kind == StepKind::kStartup)) {
    pool_into_reference(step);
  }
  switch (step.kind) {
    case StepKind::kStartup: {
      const bool no_signal = reference_.replies < tuning_.min_replies;
      const double gain = no_signal ? tuning_.no_signal_gain : tuning_.startup_gain;
      startup_next_ = sender_limited ? step.rate : clamp_rate(step.rate * gain);
      if (step.rate >= limits_.max_rate) {
        cruise_rate_ = limits_.max_rate;
        cruise_us_ = 0;
        phase_ = RatePhase::kCruise;
      }
      return;
    }
    case StepKind::kCruise:
      cruise_us_ += step.end_us - step.start_us;
      return;
    case StepKind::kProbe:
      if (sender_limited) return;  // the probe rate was never really tried
      cruise_rate_ = std::max(cruise_rate_, step.rate);
      // Past a known ceiling, keep probing gently: the ceiling follows the
      // cruise rate up, 12.5% per probe, however far the capacity grew.
      if (ceiling_ > 0) ceiling_ = std::max(ceiling_, cruise_rate_);
      probe_excess_ = std::min(2 * probe_excess_, tuning_.probe_excess_max);
      // Below no known ceiling, a passing probe means room to grow: probe
      // again at once, and as often as at first.
      if (ceiling_ <= 0) probe_spacing_ = tuning_.probe_spacing;
      probe_now_ = true;
      return;
    case StepKind::kVerify:
      cruise_us_ = step.end_us - step.start_us;
      phase_ = RatePhase::kCruise;
      return;
  }
}

void RateController::back_off(const Step& step) {
  const double delivered = delivered_rate(step);
  ceiling_ = delivered;
  congested_ = Counts{as_double(step.first_sent), as_double(step.replies)};
  congested_rate_ = step.rate;
  if (phase_ != RatePhase::kVerify) {
    resume_phase_ = phase_ == RatePhase::kStartup ? RatePhase::kStartup : RatePhase::kCruise;
  }
  cruise_rate_ = clamp_rate(tuning_.backoff_fraction * std::min(delivered, step.rate));
  probe_excess_ = tuning_.probe_excess_min;
  cruise_us_ = 0;
  probe_now_ = false;
  ++backoffs_;
  phase_ = RatePhase::kVerify;
}

double RateController::delivered_rate(const Step& step) const {
  // What got through: the highest rate whose reply throughput was still
  // proportional. Random loss is in the reference as well, so it cancels out.
  const double duration_s = static_cast<double>(step.end_us - step.start_us) * 1e-6;
  if (duration_s <= 0 || step.first_sent == 0 || reference_.replies <= 0) return step.rate;
  const double ratio = as_double(step.replies) / as_double(step.first_sent);
  const double reference = reference_.replies / reference_.sent;
  return as_double(step.all_sent) / duration_s * std::min(1.0, ratio / reference);
}

void RateController::enter_phase(RatePhase phase, int64_t now_us) {
  phase_ = phase;
  // The step under way was planned for the old phase and is not judged.
  open_step(now_us);
}

void RateController::pool_into_reference(const Step& step) {
  reference_.sent += as_double(step.first_sent);
  reference_.replies += as_double(step.replies);
  double scale = 1;
  if (reference_.replies > tuning_.reference_replies_cap) {
    scale = tuning_.reference_replies_cap / reference_.replies;
  }
  if (reference_.sent * scale > kReferenceSentCap) scale = kReferenceSentCap / reference_.sent;
  reference_.sent *= scale;
  reference_.replies *= scale;
}

double RateController::clamp_rate(double rate) const {
  return std::clamp(rate, limits_.min_rate, limits_.max_rate);
}

double RateController::probe_rate() const {
  double rate = cruise_rate_ * (1 + probe_excess_);
  // Near a known ceiling, probe gently: a big probe there only loses replies.
  if (ceiling_ > 0) {
    rate = std::min(rate, std::max(cruise_rate_, ceiling_) * (1 + tuning_.probe_excess_min));
  }
  return clamp_rate(rate);
}

int64_t RateController::guard_us() const {
  // Long enough for every reply to the previous rate to be in: a delay bound
  // in the manner of an RTO, never under 1.5 srtt since rttvar may be unknown.
  return std::max(tuning_.min_guard_us, srtt_us_ + std::max(4 * rttvar_us_, srtt_us_ / 2));
}

uint64_t RateController::needed_sends(StepKind kind, double rate) const {
  if (reference_.sent <= 0) return tuning_.min_step_sends;
  const double q = adjusted_ratio(reference_.sent, reference_.replies);
  double replies = tuning_.step_replies;
  if (kind == StepKind::kProbe) {
    // Enough replies for the probe's own test to see the drop its gain would
    // cause at capacity (1 - cruise/probe), beyond the tolerance, with z + 1
    // sigmas (about 84% power at the default z).
    const double margin = (1 - cruise_rate_ / rate) - tuning_.tolerance;
    replies = margin > 0 ? std::pow((tuning_.z + 1) / margin, 2) * (1 - q)
                         : tuning_.reference_replies_cap;
    replies = std::clamp(replies, tuning_.step_replies,
                         std::max(tuning_.step_replies, tuning_.reference_replies_cap));
  }
  return std::max(tuning_.min_step_sends, static_cast<uint64_t>(std::ceil(replies / q)));
}

uint32_t RateController::batch_size_locked() const {
  return static_cast<uint32_t>(
      std::clamp(std::floor(rate_ * kBatchWindowS), 1.0, static_cast<double>(kMaxBatch)));
}

double RateController::credit_cap() const {
  return std::max(static_cast<double>(batch_size_locked()), rate_ * kCreditWindowS);
}

RatePhase RateController::reported_phase() const {
  if (phase_ == RatePhase::kCruise && step_.kind == StepKind::kProbe) return RatePhase::kProbe;
  return phase_;
}

}  // namespace portolan
