// ScanClock: the monotonic time the scan engine schedules by.
//
// Injected so that tests of deadlines, retries, host timeouts and rates run
// on a fake clock that jumps instead of sleeping. Read about once per engine
// loop iteration (per batch of probes), so the virtual call costs nothing
// measurable.
#pragma once

#include <chrono>

#include "portolan/scan/timing.h"

namespace portolan {

class ScanClock {
 public:
  virtual ~ScanClock() = default;
  // Microseconds since an arbitrary fixed origin; never goes backwards.
  virtual Micros now() const = 0;
};

class SteadyScanClock final : public ScanClock {
 public:
  Micros now() const override {
    return std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now().time_since_epoch());
  }
};

}  // namespace portolan
