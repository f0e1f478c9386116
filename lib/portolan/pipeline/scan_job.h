// ScanJob: runs a checked ScanPlan from targets to reports.
//
// targets -> host groups -> discovery (unless -Pn) -> connect or raw scan -> naming
// (service table, PTR) -> reports. Targets are drawn lazily from the cursor a
// host group at a time, so memory depends on the group, not on the target
// list. A stop request (Ctrl-C) ends the scan after the current group; the
// reports still get every finished host and a summary saying the scan did
// not complete.
#pragma once

#include <atomic>
#include <functional>

#include "portolan/core/result.h"
#include "portolan/output/report_writer.h"
#include "portolan/pipeline/scan_request.h"
#include "portolan/scan/scan_progress.h"

namespace portolan {

// How many hosts to scan side by side: enough to interleave probes across
// hosts, few enough that a -p- group stays small in memory.
int host_group_size(const ScanPlan& plan);

// What a resumed or checkpointed scan adds to a plain run.
struct ScanHooks {
  // Resume: host groups already finished (their hosts are in the reports),
  // the counters they left, and the run's original start. begin() is still
  // called (writers keep state from it); the caller discards its text.
  uint64_t skip_groups = 0;
  ScanSummary resumed;
  WallClock::time_point original_start{};
  // Called after each finished host group, its hosts written to the report:
  // (groups finished so far, counters so far). Where checkpoints are written.
  std::function<void(uint64_t, const ScanSummary&)> after_group;
  // Called once the engine exists (the raw engine's cookie key goes into
  // checkpoints).
  std::function<void(const RawScanner&)> on_raw_engine;
};

// Runs the plan, writing to `report`. Returns the summary it also wrote, or an
// error when the scan could not start (an engine that cannot be created).
Result<ScanSummary> run_scan(const ScanPlan& plan, ReportWriter& report, ScanProgress& progress,
                             const std::atomic<bool>& stop_requested, const ScanHooks& hooks = {});

}  // namespace portolan
