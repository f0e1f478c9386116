// RttEstimator: one host's smoothed round-trip time and the probe timeout it implies.
//
// RFC 6298 arithmetic, as nmap uses it for its per-host timeouts: the first
// sample R sets srtt = R and rttvar = R/2; later samples move srtt by 1/8 and
// rttvar by 1/4 of the error. The timeout is srtt + 4 * rttvar, clamped to
// [min_rtt_timeout, max_rtt_timeout]. Callers must feed only unambiguous
// samples (Karn's rule): never the RTT of a retransmitted probe, since the
// answer may belong to an earlier copy.
#pragma once

#include <cstdint>

#include "portolan/scan/timing.h"

namespace portolan {

class RttEstimator {
 public:
  RttEstimator() = default;
  // Takes the timeout bounds and the initial timeout from `timing`.
  explicit RttEstimator(const TimingParams& timing);

  // `rtt` is a measured round trip of a probe sent once; negatives count as 0.
  void add_sample(Micros rtt);

  // The timeout for the next probe. Before any sample this is
  // initial_rtt_timeout, held above min_rtt_timeout only: nmap's slow
  // templates (-T0, -T1) start above max_rtt_timeout on purpose.
  Micros timeout() const { return timeout_; }

  bool has_samples() const { return samples_ > 0; }
  uint64_t samples() const { return samples_; }
  Micros srtt() const { return srtt_; }
  Micros rttvar() const { return rttvar_; }

 private:
  void recompute();

  Micros min_{100'000};
  Micros max_{10'000'000};
  Micros srtt_{0};
  Micros rttvar_{0};
  Micros timeout_{1'000'000};
  uint64_t samples_ = 0;
};

}  // namespace portolan
