#!/usr/bin/env bash
# Installs, builds and runs every test: unit, integration and network-lab tests
# (dev build, warnings as errors), the same under ASan+UBSan (lab: a subset),
# formatting, each fuzz target briefly on its corpus, and one smoke run of each
# benchmark.
#   PORTOLAN_FUZZ_SECONDS   seconds per fuzz target (default 10)
#   PORTOLAN_SKIP_BENCH=1   skip the benchmark smoke run
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test

step() { printf '\n=== %s ===\n' "$*"; }

step "format check (clang-format)"
scripts/check-format.sh

step "dev build (-Werror) and tests"
# Line tables only (-g1): a third less to compile and link; backtraces
# still name files and lines.
cmake --preset dev -DCMAKE_CXX_FLAGS_DEBUG=-g1 >/dev/null
cmake --build --preset dev
# The -sV servers test asks nmap about the core servers only (55 s less);
# bench/service_lab.sh compares all of them.
PORTOLAN_SV_NMAP=core ctest --preset dev -j2

step "ASan+UBSan build and tests"
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan -j2 -LE "bench|lab|servers"
# The raw engine, -O and --traceroute under the sanitizers on real traffic: a
# few lab scans. (-sV runs under them in the unit tests' local servers.)
ctest --preset asan -R "lab\.(syn|ipv6|os|trace)$"

step "fuzz targets (clang-16, libFuzzer)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
scripts/run-fuzzers.sh "${PORTOLAN_FUZZ_SECONDS:-10}"

if [[ "${PORTOLAN_SKIP_BENCH:-0}" != 1 ]]; then
  # A smoke run checks that the benchmark works and both tools agree on every
  # port; it uses the dev build and measures nothing (docs/benchmarks.md does).
  step "benchmark smoke run"
  PORTOLAN_BIN_DIR=build/dev/bin bench/connect_loopback.sh --smoke
  PORTOLAN_BIN_DIR="$PWD/build/dev/bin" bench/raw_lab.sh --smoke
  PORTOLAN_BIN_DIR="$PWD/build/dev/bin" bench/service_lab.sh --smoke
  PORTOLAN_BIN_DIR="$PWD/build/dev/bin" bench/audit_lab.sh --smoke
fi
step "all checks passed"
