// Checkpoints of a long raw scan, and resuming from one.
//
// After every finished host group the scan writes a checkpoint (atomically:
// see sweep/checkpoint.h): the arguments, the seed and cookie key that fix
// the probe order, how many groups are done, the counters, and how long each
// output file was at that moment. `portolan scan --resume FILE` rebuilds the
// same plan from the stored arguments, checks its fingerprint, cuts each
// output file back to its recorded length and goes on with the next group:
// nothing finished is lost, nothing is written twice, even after kill -9.
#pragma once

#include <string>
#include <vector>

#include "portolan/pipeline/scan_request.h"
#include "portolan/results/scan_result.h"
#include "portolan/sweep/checkpoint.h"

namespace portolan {

// A digest of everything that fixes which probes a group holds and in which
// order: targets, exclusions, ports, discovery, seed, shard, group size.
std::string plan_fingerprint(const ScanPlan& plan);

// Builds the checkpoint after `groups_done` groups.
Checkpoint make_checkpoint(const ScanPlan& plan, std::pair<uint64_t, uint64_t> cookie_key,
                           uint64_t groups_done, const ScanSummary& so_far,
                           WallClock::time_point started,
                           const std::vector<std::pair<std::string, uint64_t>>& outputs);

// The counters a resumed run starts from.
ScanSummary resumed_summary(const Checkpoint& checkpoint);

}  // namespace portolan
