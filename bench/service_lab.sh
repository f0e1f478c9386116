#!/usr/bin/env bash
# Service and version detection on real servers, side by side with nmap, in one
# run (issue 4's benchmark):
#
#   bench/service_lab.sh [--smoke] [--rounds N] [--reference-only] [--keep-xml DIR]
#
# The servers of tests/servers/servers.list (Debian packages: OpenSSH, nginx
# plain and TLS, vsftpd, Redis, PostgreSQL, MariaDB, Dovecot, Exim, ...) run in
# a target namespace (tests/servers/servers.sh); from the scan namespace, whose
# only route leads there (tests/servers/sv_netns.sh, ../shared/LAB.md), N
# rounds (default 3) alternate
#   nmap -sS [-sU] -sV -n -Pn -p PORTS 198.19.255.2 -oX ...
#   portolan scan -sS [-sU] -sV -n -Pn -p PORTS 198.19.255.2 -oX ...
# over the ports of every server that started, timing each run's wall clock,
# and compare each round with tests/servers/compare_sv.py: services identified
# (a product named) by each, agreement (Portolan's product and version equal to
# nmap's where nmap names one, at least as complete elsewhere), median wall
# time and the ratio nmap/portolan. The goal: identify everything nmap does in
# at most half its wall time.
# Output: Markdown tables for docs/benchmarks.md on stdout; the exact commands
# and each run on stderr.
# --smoke: one round on the core servers only, to check that the harness works (CI); fails only when the
#   harness does (a server of the `core` tier down, nmap failing, Portolan's
#   XML invalid), not on disagreement.
# --reference-only: nmap only (Portolan's columns read n/a). Also the fallback,
#   with a note, while `portolan scan -sV` is not implemented.
# --keep-xml DIR: keep every run's XML there.
# PORTOLAN_BIN_DIR selects the build (default build/release/bin).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)

smoke=0
rounds=3
reference_only=0
keep=
while (($#)); do
  case "$1" in
    --smoke) smoke=1 ;;
    --rounds) rounds=$2; shift ;;
    --reference-only) reference_only=1 ;;
    --keep-xml) keep=$2; shift ;;
    *) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
  shift
done
((smoke)) && rounds=1

bin=${PORTOLAN_BIN_DIR:-build/release/bin}
portolan=$bin/portolan
if ((!reference_only)) && [[ ! -x $portolan ]]; then
  echo "missing $portolan: build the release preset first (or set PORTOLAN_BIN_DIR, or --reference-only)" >&2
  exit 1
fi
for tool in nmap xmllint ip; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (scripts/install-deps.sh test)" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "the lab needs root (network namespaces)" >&2; exit 1; }

PY=/usr/bin/python3
COMPARE="$root/tests/servers/compare_sv.py"
DTD=/usr/share/nmap/nmap.dtd
source tests/servers/sv_netns.sh
work=$(mktemp -d /tmp/service_lab.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
sv_up || { echo "the namespace lab does not come up" >&2; exit 1; }
status=0
source bench/timing.sh

echo "starting the servers (tests/servers/servers.sh)" >&2
# The smoke run (CI) starts only the core tier: it checks the harness, and the
# full set's nmap run alone takes about a minute.
names=()
((smoke)) && names=($(awk '!/^#/ && $4 == "core" {print $1}' tests/servers/servers.list | sort -u))
if ! tests/servers/servers.sh start "$SV_TARGET" "$work/state" "${names[@]}" >&2; then
  echo "a core server did not start" >&2
  status=1
fi
[[ -s $work/state/started ]] || exit 1
sv_port_args "$work/state/started"
types=(-sS)
[[ $SV_HAVE_UDP == 1 ]] && types+=(-sU)
nports=$(wc -l <"$work/state/started")
nservers=$(awk '{print $3}' "$work/state/started" | sort -u | wc -l)
nmap_cmd=(nmap "${types[@]}" -sV -n -Pn -p "$SV_PORTS" "$SV_TARGET_IP")
portolan_cmd=("$portolan" scan "${types[@]}" -sV -n -Pn -p "$SV_PORTS" "$SV_TARGET_IP")
{
  echo "commands (inside the scan namespace, ip netns exec $SV_SCAN):"
  echo "\$ ${nmap_cmd[*]} -oX nmap.R.xml"
  ((reference_only)) || echo "\$ ${portolan_cmd[*]} -oX portolan.R.xml"
} >&2

# run TOOL ROUND: one timed run; appends the wall time to $work/TOOL.times.
run() {
  local tool=$1 r=$2 a b rc
  local -a cmd
  if [[ $tool == nmap ]]; then cmd=("${nmap_cmd[@]}"); else cmd=("${portolan_cmd[@]}"); fi
  a=$(now)
  sv_scan timeout -k 5 900 "${cmd[@]}" -oX "$work/$tool.$r.xml" >"$work/$tool.$r.out" 2>"$work/$tool.$r.err"
  rc=$?
  b=$(now)
  RUN_SECS=$(elapsed "$a" "$b")
  RUN_RC=$rc
  if ((rc == 0)); then
    echo "$RUN_SECS" >>"$work/$tool.times"
    log "round $r: $tool ${RUN_SECS} s"
  else
    log "round $r: $tool failed (exit $rc): $(head -2 "$work/$tool.$r.err" | tr '\n' ' ')"
  fi
  [[ -n $keep ]] && mkdir -p "$keep" && cp "$work/$tool.$r.xml" "$keep/" 2>/dev/null
  return "$rc"
}

portolan_note=
: >"$work/nmap.times"
: >"$work/portolan.times"
: >"$work/rounds"
for ((r = 1; r <= rounds; r++)); do
  if ! run nmap "$r"; then status=1; continue; fi
  xmllint --noout --dtdvalid "$DTD" "$work/nmap.$r.xml" 2>/dev/null || log "nmap's own XML does not validate"
  [[ -z $portolan_note ]] && ((!reference_only)) || continue
  if ! run portolan "$r"; then
    if ((RUN_RC < 124)) && grep -qiE 'not (available|implemented|supported)|unknown option|unrecognized|invalid option|not expected' "$work/portolan.$r.err"; then
      portolan_note="portolan scan -sV is not available in this build ($(head -1 "$work/portolan.$r.err")): nmap only"
      log "$portolan_note"
    else
      status=1
    fi
    continue
  fi
  if ! xmllint --noout --dtdvalid "$DTD" "$work/portolan.$r.xml" 2>"$work/xmllint.err"; then
    log "portolan's XML does not validate: $(head -2 "$work/xmllint.err")"
    status=1
  fi
  "$PY" "$COMPARE" --json "$work/nmap.$r.xml" "$work/portolan.$r.xml" >"$work/compare.$r.json"
  "$PY" "$COMPARE" "$work/nmap.$r.xml" "$work/portolan.$r.xml" >"$work/compare.$r.txt"
  "$PY" - "$work/compare.$r.json" "$r" >>"$work/rounds" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
print(sys.argv[2], j["nmap_identified"], j["portolan_identified"], j["agree"], j["ports"])
EOF
done

# nmap's own figures (from the last nmap run) when Portolan did not run.
last=$(ls "$work"/nmap.*.xml 2>/dev/null | sort -V | tail -1)
if [[ -z $last ]]; then echo "nmap never ran" >&2; exit 1; fi
nmap_ident=$("$PY" "$COMPARE" --json "$last" "$last" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["nmap_identified"])')
nmap_med=$(median <"$work/nmap.times")
po_med=$(median <"$work/portolan.times")
if [[ -s $work/rounds ]]; then
  po_ident=$(awk '{print $3}' "$work/rounds" | sort -n | head -1)
  agree=$(awk '{a = a (a ? ", " : "") $4 "/" $5} END {print a}' "$work/rounds")
  ratio=$(awk -v a="$nmap_med" -v b="$po_med" 'BEGIN {printf "**%.1fx**", a / b}')
  allagree=$(awk '$4 != $5 {bad = 1} END {print bad ? "no" : "yes"}' "$work/rounds")
else
  po_ident=n/a agree=n/a ratio=n/a allagree=n/a
fi

echo "## Service detection on real servers (issue 4)"
echo
echo "Servers: $nservers Debian packages, $nports ports ($SV_PORTS) on $SV_TARGET_IP; $rounds round(s)."
[[ -n $portolan_note ]] && { echo; echo "Note: $portolan_note."; }
echo
echo "| ports | rounds | identified by nmap | identified by portolan (min over rounds) | agreement per round | all rounds agree | nmap -sV median (s) | portolan -sV median (s) | nmap/portolan |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "| $nports | $rounds | $nmap_ident | $po_ident | $agree | $allagree | $nmap_med | $po_med | $ratio |"
echo
echo "Individual runs (s):"
echo
echo "| tool | runs |"
echo "|---|---|"
echo "| nmap | $(xargs <"$work/nmap.times") |"
echo "| portolan | $( [[ -s $work/portolan.times ]] && xargs <"$work/portolan.times" || echo n/a) |"
echo
lastcmp=$(ls "$work"/compare.*.txt 2>/dev/null | sort -V | tail -1)
if [[ -n $lastcmp ]]; then
  echo "Port by port (last round; compare_sv.py):"
  echo
  echo '```'
  cat "$lastcmp"
  echo '```'
else
  echo "nmap -sV (last round):"
  echo
  echo '```'
  grep -E '^(PORT|[0-9]+/(tcp|udp)) ' "$(ls "$work"/nmap.*.out | sort -V | tail -1)" || true
  echo '```'
fi

if ((smoke)); then
  # The harness works: nmap ran and identified something on every core server.
  [[ -s $work/nmap.times ]] || status=1
  [[ $nmap_ident -ge 1 ]] || { echo "smoke: nmap identified nothing" >&2; status=1; }
fi
exit $status
