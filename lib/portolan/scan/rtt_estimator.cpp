// RFC 6298 smoothing for probe timeouts; see rtt_estimator.h.
#include "portolan/scan/rtt_estimator.h"

#include <algorithm>

namespace portolan {

RttEstimator::RttEstimator(const TimingParams& timing)
    : min_(timing.min_rtt_timeout),
      max_(std::max(timing.max_rtt_timeout, timing.min_rtt_timeout)),
      timeout_(std::max(timing.initial_rtt_timeout, timing.min_rtt_timeout)) {}

void RttEstimator::add_sample(Micros rtt) {
  if (rtt.count() < 0) rtt = Micros{0};
  if (samples_ == 0) {
    srtt_ = rtt;
    rttvar_ = rtt / 2;
  } else {
    // Integer arithmetic in microseconds; the error term is computed from
    // the old srtt, as RFC 6298 orders the two updates.
    Micros err = rtt - srtt_;
    Micros abs_err = err.count() < 0 ? -err : err;
    rttvar_ += (abs_err - rttvar_) / 4;
    srtt_ += err / 8;
  }
  ++samples_;
  recompute();
}

void RttEstimator::recompute() {
  timeout_ = std::clamp(srtt_ + 4 * rttvar_, min_, max_);
}

}  // namespace portolan
