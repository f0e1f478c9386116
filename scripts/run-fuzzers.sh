#!/usr/bin/env bash
# Runs each libFuzzer target for N seconds on a scratch copy of its seed corpus
# (the repository's corpus is never modified), two at a time (one per core).
# Any crash fails the run.
#   scripts/run-fuzzers.sh [SECONDS] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
jobs=${2:-2}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

run_one() {
  local fuzzer=$1 name corpus
  name=$(basename "$fuzzer")
  corpus=fuzz/corpus/${name%_fuzz}
  mkdir -p "$scratch/$name"
  cp -r "$corpus"/. "$scratch/$name/" 2>/dev/null || true
  if "$fuzzer" "$scratch/$name" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$scratch/$name-" >"$scratch/$name.log" 2>&1; then
    echo "fuzzed $name for ${seconds}s: $(grep -E 'stat::number_of_executed_units' "$scratch/$name.log" | awk '{print $2}') runs"
  else
    tail -40 "$scratch/$name.log"
    echo "FAILED: $name"
    return 1
  fi
}

failed=0
running=0
for fuzzer in build/fuzz/fuzz/*_fuzz; do
  run_one "$fuzzer" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done
exit "$failed"
