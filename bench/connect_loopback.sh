#!/usr/bin/env bash
# Connect scan on loopback, side by side with nmap in one run.
#
#   bench/connect_loopback.sh [--smoke] [--rounds N]
#
# Starts the same listeners for both tools (portolan_listen_ports on 0.0.0.0,
# so every 127.x address answers), then alternates
#   nmap -sT -p- -T4 -n TARGET -oX ...        and
#   portolan scan -sT -p- -n TARGET -oX ...
# for each target set, timing wall clock, and checks that both report the same
# state for every port (bench/compare_states.py). Prints a Markdown table with
# the median times and the ratio nmap/portolan. -n on both: no reverse DNS, so
# nothing leaves the machine and neither tool pays for lookups.
# --smoke: one round on smaller sets, as CI runs it (a check that the benchmark
# works and the states agree, not a measurement).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=5
smoke=0
while (($#)); do
  case "$1" in
    --smoke) smoke=1; rounds=1 ;;
    --rounds) rounds=$2; shift ;;
    *) echo "usage: $0 [--smoke] [--rounds N]" >&2; exit 2 ;;
  esac
  shift
done

bin=${PORTOLAN_BIN_DIR:-build/release/bin}
portolan=$bin/portolan
listen=$bin/portolan_listen_ports
for f in "$portolan" "$listen"; do
  [[ -x $f ]] || { echo "missing $f: build the release preset first" >&2; exit 1; }
done
command -v nmap >/dev/null || { echo "nmap is not installed (scripts/install-deps.sh test)" >&2; exit 1; }

work=$(mktemp -d)
listener_pid=
cleanup() {
  [[ -n $listener_pid ]] && kill "$listener_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Listeners across the whole range, ephemeral ports included (where a connect
# scanner can be fooled by the kernel connecting a socket to itself).
ports=(21 22 25 53 80 110 143 443 445 993 3306 3389 5432 6379 8080 8443 9200 27017
       33000 40000 45678 50000 55555 60000 61000 65000)
coproc LISTENER { exec "$listen" 0.0.0.0 "${ports[@]}" 2>"$work/listen.err"; }
listener_pid=$LISTENER_PID
read -r -t 10 ready <&"${LISTENER[0]}" || { echo "listener did not start" >&2; exit 1; }
echo "listeners:${ready#listening}"

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }

if ((smoke)); then
  sets=("127.0.0.1|-p-" "127.0.0.1-4|-p 1-5000")
else
  sets=("127.0.0.1|-p-" "127.0.0.1-16|-p-")
fi

status=0
printf '\n| targets | ports | rounds | nmap -T4 median (s) | portolan median (s) | nmap/portolan | states |\n'
printf '|---|---|---|---|---|---|---|\n'
for set in "${sets[@]}"; do
  target=${set%%|*}
  portopt=${set#*|}
  : >"$work/nmap.times"; : >"$work/portolan.times"
  verdict=
  for ((r = 1; r <= rounds; r++)); do
    t0=$(now)
    # shellcheck disable=SC2086
    nmap -sT $portopt -T4 -n "$target" -oX "$work/nmap.xml" >/dev/null
    t1=$(now)
    # shellcheck disable=SC2086
    "$portolan" scan -sT $portopt -n --no-progress "$target" -oX "$work/portolan.xml" >/dev/null
    t2=$(now)
    awk -v a="$t1" -v b="$t0" 'BEGIN {printf "%.4f\n", a - b}' >>"$work/nmap.times"
    awk -v a="$t2" -v b="$t1" 'BEGIN {printf "%.4f\n", a - b}' >>"$work/portolan.times"
    if bench/compare_states.py "$work/nmap.xml" "$work/portolan.xml" >"$work/cmp.txt"; then
      [[ $verdict == DIFFERENT ]] || verdict=$(head -1 "$work/cmp.txt")
    else
      verdict=DIFFERENT; status=1; cat "$work/cmp.txt" >&2
    fi
  done
  nm=$(median <"$work/nmap.times"); pm=$(median <"$work/portolan.times")
  ratio=$(awk -v a="$nm" -v b="$pm" 'BEGIN {printf "%.2f", a / b}')
  printf '| %s | %s | %d | %.3f | %.3f | %.1fx | %s |\n' "$target" "$portopt" "$rounds" "$nm" "$pm" "$ratio" "$verdict"
  echo "  nmap runs:     $(tr '\n' ' ' <"$work/nmap.times")" >&2
  echo "  portolan runs: $(tr '\n' ' ' <"$work/portolan.times")" >&2
done
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r), $(nmap --version | head -1)"
exit $status
