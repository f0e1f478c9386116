// ScanJob: runs a checked ScanPlan from targets to reports.
//
// targets -> host groups -> discovery (unless -Pn) -> connect scan -> naming
// (service table, PTR) -> reports. Targets are drawn lazily from the cursor a
// host group at a time, so memory depends on the group, not on the target
// list. A stop request (Ctrl-C) ends the scan after the current group; the
// reports still get every finished host and a summary saying the scan did
// not complete.
#pragma once

#include <atomic>

#include "portolan/core/result.h"
#include "portolan/output/report_writer.h"
#include "portolan/pipeline/scan_request.h"
#include "portolan/scan/scan_progress.h"

namespace portolan {

// How many hosts to scan side by side: enough to interleave probes across
// hosts, few enough that a -p- group stays small in memory.
int host_group_size(const ScanPlan& plan);

// Runs the plan, writing to `report`. Returns the summary it also wrote, or an
// error when the scan could not start (an engine that cannot be created).
Result<ScanSummary> run_scan(const ScanPlan& plan, ReportWriter& report, ScanProgress& progress,
                             const std::atomic<bool>& stop_requested);

}  // namespace portolan
