#!/usr/bin/env bash
# Runs each libFuzzer target for N seconds on a scratch copy of its seed corpus
# (the repository's corpus is never modified). Any crash fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for fuzzer in build/fuzz/fuzz/*_fuzz; do
  name=$(basename "$fuzzer")
  corpus=fuzz/corpus/${name%_fuzz}
  mkdir -p "$scratch/$name"
  cp -r "$corpus"/. "$scratch/$name/" 2>/dev/null || true
  echo "fuzzing $name for ${seconds}s"
  "$fuzzer" "$scratch/$name" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$scratch/" 2>"$scratch/$name.log" || {
      tail -40 "$scratch/$name.log"; echo "FAILED: $name"; exit 1; }
  grep -E "stat::number_of_executed_units|Done" "$scratch/$name.log" | tail -2
done
