// Checkpoint: the resume file of a long sweep, and how it survives kill -9.
//
// A sweep runs as a sequence of blocks; after each finished block the engine
// flushes its output files and writes a checkpoint. The checkpoint records
// everything needed to continue as if never interrupted: which scan it is
// (the arguments, and a fingerprint of whatever fixes the probe order, so a
// resume with other targets or options is refused rather than silently
// mixed), the probe-cookie key and permutation seed (so re-sent probes and
// late replies match the first run), the shard, the blocks finished, when
// the first run started, the counters shown in the final summary, and each
// output file's length at that moment. On resume the engine truncates each output to its recorded
// length and appends: whatever was written for a block that never finished is cut off, and nothing
// is written twice.
//
// Durability: write_checkpoint() writes "<path>.tmp" in the same directory,
// fsyncs it, renames it over <path> and fsyncs the directory. rename() is
// atomic, so a crash or kill at any moment leaves the old checkpoint or the
// new one, never a torn mix; the fsyncs extend that to power loss.
//
// The file is JSON, "format": "portolan-checkpoint", "version": 1. 64-bit
// keys and the seed are hex strings ("0x..."), so tools that read JSON
// numbers as doubles (jq) cannot corrupt them. Strings (arguments, paths)
// that are not valid UTF-8 are stored as {"hex": "..."} of their bytes.
// Unknown fields are ignored, so a later version 1 writer may add some.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "portolan/core/result.h"
#include "portolan/sweep/shard.h"

namespace portolan {

// The running totals a resumed scan starts from.
struct CheckpointCounters {
  uint64_t hosts_up = 0;
  uint64_t hosts_down = 0;
  uint64_t hosts_total = 0;
  uint64_t open_ports = 0;
  uint64_t probes_sent = 0;
  double elapsed_seconds = 0;  // scanning time before this run, >= 0

  bool operator==(const CheckpointCounters&) const = default;
};

// An output file and its size in bytes when the last finished block had been
// written to it.
struct CheckpointOutput {
  std::string path;
  uint64_t length = 0;

  bool operator==(const CheckpointOutput&) const = default;
};

struct Checkpoint {
  std::vector<std::string> arguments;  // the command line, argv[0] included
  std::string fingerprint;             // opaque to this file; the engine compares it
  uint64_t key0 = 0;                   // ProbeCookie key
  uint64_t key1 = 0;
  uint64_t seed = 0;  // Permutation seed
  Shard shard;
  uint64_t blocks_done = 0;
  uint64_t start_time_unix = 0;  // when the original run began, seconds since 1970
  CheckpointCounters counters;
  std::vector<CheckpointOutput> outputs;

  bool operator==(const Checkpoint&) const = default;
};

// Limits on what read_checkpoint() accepts; far above any real scan, low
// enough that a corrupt or hostile file cannot exhaust memory.
inline constexpr size_t kMaxCheckpointBytes = size_t{16} << 20;
inline constexpr uint64_t kMaxCheckpointCount = uint64_t{1} << 53;  // exact in a double

// The checkpoint as JSON text (ends with a newline). Never fails.
std::string format_checkpoint(const Checkpoint& checkpoint);

// Parses checkpoint JSON. `name` (the file's path) only labels errors, which
// are one line: "resume file '<name>': field 'blocks_done' is missing". Every
// field is checked for presence, type and range; nothing is trusted.
Result<Checkpoint> parse_checkpoint(std::string_view text, std::string_view name);

// Reads and parses the checkpoint at `path` (a regular file of at most
// kMaxCheckpointBytes).
Result<Checkpoint> read_checkpoint(const std::string& path);

// Replaces the checkpoint at `path` atomically and durably (see above).
// Leaves "<path>.tmp" behind only if the process dies inside the call; a
// later call overwrites it. The file is created mode 0600: it holds the
// cookie key and the command line.
Result<void> write_checkpoint(const std::string& path, const Checkpoint& checkpoint);

}  // namespace portolan
