#!/usr/bin/env bash
# The main job: install, build (release), and scan this machine's loopback for
# every open TCP port, with service names. Extra arguments go to the scan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release
echo
echo "Built: $(pwd)/build/release/bin/portolan"
echo
exec build/release/bin/portolan scan -p- "$@" 127.0.0.1
