#!/usr/bin/env bash
# The exposure audit on real misconfigured servers beside the tools people use
# for it today, in one run (issue 5's benchmark):
#
#   bench/audit_lab.sh [--smoke] [--rounds N] [--keep DIR]
#
# The servers of tests/servers/audit_servers.list (Debian 12 packages: vsftpd
# with anonymous login and no TLS, redis-server without a password, nginx with
# TLS 1.0/1.1, NULL and anonymous suites and a self-signed, expired, wrong-name
# 1024-bit certificate, OpenSSH with legacy algorithms; each beside a correctly
# configured twin on another port) run in a target namespace
# (tests/servers/servers.sh --list); from the scan namespace, whose only route
# leads there (tests/servers/sv_netns.sh, ../shared/LAB.md), N rounds (default
# 1) run in turn
#   nmap -sT -sV -n -Pn --script "default or vuln or ssl-enum-ciphers or ssh2-enum-algos" -p PORTS
#   sslscan 198.19.255.2:PORT        on the two nginx ports
#   ssh-audit -p PORT 198.19.255.2   on the two sshd ports
#   portolan scan -sT -sV --audit --audit-policy tests/servers/audit_policy.yaml
#     --vulndb SAMPLE -n -Pn -p PORTS      (SAMPLE: data/vulndb's feeds imported)
# timing each run's wall clock, and score the last round's reports against
# tests/servers/audit_expected.txt (tests/servers/compare_audit.py tools):
#   recall      the expected exposures a tool names as a problem;
#   shown       those it prints only as a fact the reader must judge;
#   false       anything it calls a problem on a twin port.
# How each tool's output is read (decided per tool, from its own conventions;
# the full mapping is at the top of compare_audit.py):
#   nmap: "yes" only where a script says so: ftp-anon's "Anonymous FTP login
#     allowed", an ssl-enum-ciphers grade below A. Certificate dates, issuer,
#     subject, key bits (ssl-cert), protocol versions listed by
#     ssl-enum-ciphers, redis-info's INFO dump, ssh2-enum-algos' lists, ftp-syst's
#     "plain text" and the open port itself are "shown". On twins: a VULNERABLE
#     or LIKELY VULNERABLE script state, a grade below A, ssl-enum-ciphers
#     warnings. (ssh2-enum-algos is not in "default or vuln": it is added so
#     nmap can at least list SSH algorithms.)
#   sslscan: "yes" where it marks the line red, red background, yellow or
#     magenta (its way of saying weak: "TLSv1.0 enabled", a NULL or anonymous
#     suite, "Not valid after", "Issuer" of a self-signed certificate, "RSA Key
#     Strength"); an unmarked fact is "shown". Its "TLS Compression" lines
#     describe its own OpenSSL build and are ignored. On twins: any marked line.
#   ssh-audit: "yes" where the algorithm's entry has [fail] or [warn]; on twins
#     every algorithm with [fail] or [warn].
#   portolan: "yes" where a finding's id matches; on twins every finding.
# The goal: Portolan names every expected exposure, raises nothing on the
# twins, and takes at most a tenth of the nmap run's wall time.
# Output: Markdown tables for docs/benchmarks.md on stdout; the exact commands
# and each run on stderr.
# --smoke: Portolan only, one round: fails unless every expected finding is
#   present and the twins have none (CI).
# --keep DIR: keep every report there.
# PORTOLAN_BIN_DIR selects the build (default build/release/bin).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)

smoke=0
rounds=1
keep=
while (($#)); do
  case "$1" in
    --smoke) smoke=1 ;;
    --rounds) rounds=$2; shift ;;
    --keep) keep=$2; shift ;;
    *) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
  shift
done
((smoke)) && rounds=1
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "--rounds wants a positive number" >&2; exit 2; }

bin=${PORTOLAN_BIN_DIR:-build/release/bin}
portolan=$bin/portolan
[[ -x $portolan ]] || { echo "missing $portolan: build the release preset first (or set PORTOLAN_BIN_DIR)" >&2; exit 1; }
tools=(ip xmllint)
((smoke)) || tools+=(nmap sslscan ssh-audit)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (scripts/install-deps.sh test)" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "the lab needs root (network namespaces)" >&2; exit 1; }

PY=/usr/bin/python3
LIST=$root/tests/servers/audit_servers.list
EXPECTED=$root/tests/servers/audit_expected.txt
POLICY=$root/tests/servers/audit_policy.yaml
COMPARE=$root/tests/servers/compare_audit.py
DTD=/usr/share/nmap/nmap.dtd
source tests/servers/sv_netns.sh
work=$(mktemp -d /tmp/audit_lab.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
sv_up || { echo "the namespace lab does not come up" >&2; exit 1; }
status=0
source bench/timing.sh

echo "starting the servers (tests/servers/servers.sh --list tests/servers/audit_servers.list)" >&2
if ! tests/servers/servers.sh --list "$LIST" start "$SV_TARGET" "$work/state" >&2; then
  echo "a core server did not start" >&2
  status=1
fi
[[ -s $work/state/started ]] || exit 1
ports=$(sv_ports tcp <"$work/state/started")
# The ports each single-protocol tool looks at: the nginx and the sshd servers.
tls_ports=$(awk '$1 ~ /^https-/ {split($2, a, "/"); print a[2]}' "$work/state/started" | xargs)
ssh_ports=$(awk '$1 ~ /^ssh-/ {split($2, a, "/"); print a[2]}' "$work/state/started" | xargs)
target=$SV_TARGET_IP
nmap_cmd=(nmap -sT -sV -n -Pn --script "default or vuln or ssl-enum-ciphers or ssh2-enum-algos" -p "$ports" "$target")
# Portolan's known-vulnerabilities check reads the sample feed of data/vulndb
# (as tests/servers/audit_test.sh does), never the user's database.
"$portolan" vulndb import --db "$work/vulndb.sqlite" data/vulndb/sample-osv.json data/vulndb/sample-nvd.json \
  >"$work/vulndb.out" 2>&1 || { echo "the sample vulnerability feed does not import: $(head -2 "$work/vulndb.out")" >&2; exit 1; }
portolan_cmd=("$portolan" scan -sT -sV --audit --audit-policy "$POLICY" --vulndb "$work/vulndb.sqlite" -n -Pn
  -p "$ports" "$target")
{
  echo "commands (inside the scan namespace, ip netns exec $SV_SCAN):"
  ((smoke)) || {
    echo "\$ ${nmap_cmd[*]} -oX nmap.R.xml"
    for p in $tls_ports; do echo "\$ sslscan $target:$p"; done
    for p in $ssh_ports; do echo "\$ ssh-audit -p $p $target"; done
  }
  echo "\$ ${portolan_cmd[*]} -oX portolan.R.xml --json portolan.R.json"
} >&2

# run TOOL ROUND CMD...: one timed run in the scan namespace (stdout to
# $work/TOOL.ROUND.out); adds its wall time to RUN_SECS.
run() {
  local tool=$1 r=$2 a b rc
  shift 2
  a=$(now)
  sv_scan timeout -k 5 900 "$@" >>"$work/$tool.$r.out" 2>>"$work/$tool.$r.err"
  rc=$?
  b=$(now)
  RUN_SECS=$(awk -v s="${RUN_SECS:-0}" -v e="$(elapsed "$a" "$b")" 'BEGIN {printf "%.2f", s + e}')
  return "$rc"
}
# ssh-audit exits 1-3 by what it found (warnings, failures): not an error.
ok_status() {
  if [[ $1 == ssh-audit ]]; then (($2 <= 3)); else (($2 == 0)); fi
}

for t in nmap sslscan ssh-audit portolan; do : >"$work/$t.times"; done
for ((r = 1; r <= rounds; r++)); do
  if ((!smoke)); then
    RUN_SECS=0
    if run nmap "$r" "${nmap_cmd[@]}" -oX "$work/nmap.$r.xml"; then
      echo "$RUN_SECS" >>"$work/nmap.times"; log "round $r: nmap $RUN_SECS s"
    else log "round $r: nmap failed: $(head -2 "$work/nmap.$r.err" | tr '\n' ' ')"; status=1; fi
    RUN_SECS=0 bad=0
    for p in $tls_ports; do run sslscan "$r" sslscan "$target:$p" || bad=1; cp "$work/sslscan.$r.out" "$work/sslscan.$r.$p"; : >"$work/sslscan.$r.out"; done
    if ((bad)); then log "round $r: sslscan failed"; status=1; else echo "$RUN_SECS" >>"$work/sslscan.times"; log "round $r: sslscan $RUN_SECS s (ports $tls_ports)"; fi
    RUN_SECS=0 bad=0
    for p in $ssh_ports; do
      run ssh-audit "$r" ssh-audit -p "$p" "$target"
      ok_status ssh-audit $? || bad=1
      cp "$work/ssh-audit.$r.out" "$work/ssh-audit.$r.$p"; : >"$work/ssh-audit.$r.out"
    done
    if ((bad)); then log "round $r: ssh-audit failed"; status=1; else echo "$RUN_SECS" >>"$work/ssh-audit.times"; log "round $r: ssh-audit $RUN_SECS s (ports $ssh_ports)"; fi
  fi
  RUN_SECS=0
  if run portolan "$r" "${portolan_cmd[@]}" -oX "$work/portolan.$r.xml" --json "$work/portolan.$r.json"; then
    echo "$RUN_SECS" >>"$work/portolan.times"; log "round $r: portolan $RUN_SECS s"
  else
    log "round $r: portolan failed: $(head -2 "$work/portolan.$r.err" | tr '\n' ' ')"
    status=1
    continue
  fi
  xmllint --noout --dtdvalid "$DTD" "$work/portolan.$r.xml" 2>"$work/xmllint.err" ||
    { log "portolan's XML does not validate: $(head -2 "$work/xmllint.err")"; status=1; }
  "$PY" "$COMPARE" check --expected "$EXPECTED" --list "$LIST" --started "$work/state/started" \
    --json "$work/portolan.$r.json" --xml "$work/portolan.$r.xml" >"$work/check.$r.txt"
  check_rc=$?
  log "round $r: portolan check: $(tail -1 "$work/check.$r.txt")"
  ((smoke && check_rc)) && status=1
done
if [[ -n $keep ]]; then mkdir -p "$keep" && cp "$work"/*.* "$keep"/ 2>/dev/null; fi

last=$rounds
args=(--expected "$EXPECTED" --list "$LIST" --started "$work/state/started" --json "$work/score.json")
[[ -s $work/portolan.$last.json ]] && args+=(--portolan "$work/portolan.$last.json")
if ((!smoke)); then
  [[ -s $work/nmap.$last.xml ]] && args+=(--nmap "$work/nmap.$last.xml")
  s=() h=()
  for p in $tls_ports; do [[ -s $work/sslscan.$last.$p ]] && s+=("$p=$work/sslscan.$last.$p"); done
  for p in $ssh_ports; do [[ -s $work/ssh-audit.$last.$p ]] && h+=("$p=$work/ssh-audit.$last.$p"); done
  ((${#s[@]})) && args+=(--sslscan "${s[@]}")
  ((${#h[@]})) && args+=(--ssh-audit "${h[@]}")
fi
"$PY" "$COMPARE" tools "${args[@]}" >"$work/score.md" || status=1

med() { median <"$work/$1.times"; }
nmap_med=$(med nmap) po_med=$(med portolan)
ratio=n/a
[[ $nmap_med != n/a && $po_med != n/a ]] && ratio=$(awk -v a="$nmap_med" -v b="$po_med" 'BEGIN {printf "%.1fx", a / b}')
score() { "$PY" -c 'import json,sys; s=json.load(open(sys.argv[1])).get(sys.argv[2]); print("n/a" if s is None else "%d/%d|%d|%d" % (s["yes"], s["total"], s["shown"], s["twin_false"]))' "$work/score.json" "$1"; }

nexp=$(grep -cvE '^\s*(#|$)' "$EXPECTED")
echo "## Exposure audit on real misconfigured servers (issue 5)"
echo
echo "Servers: $(wc -l <"$work/state/started") ports ($ports) on $target: $(awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}' "$work/state/started"); $nexp expected exposures; $rounds round(s)."
echo
echo "| tool | ports | named as a problem (recall) | shown only as a fact | false findings on the twins | wall time, median (s) | runs (s) |"
echo "|---|---|---|---|---|---|---|"
row() { # TOOL PORTS
  local sc t
  sc=$(score "$1")
  t=$(xargs <"$work/$1.times")
  IFS='|' read -r y sh f <<<"$sc"
  [[ $sc == n/a ]] && { y=n/a sh=n/a f=n/a; }
  echo "| $1 | $2 | $y | $sh | $f | $(med "$1") | ${t:-n/a} |"
}
if ((!smoke)); then
  row nmap "$ports"
  row sslscan "${tls_ports// /,}"
  row ssh-audit "${ssh_ports// /,}"
fi
row portolan "$ports"
echo
if ((!smoke)); then
  echo "nmap/portolan wall time: **$ratio** (goal: at least 10x)."
  echo
fi
echo "Exposure by exposure (last round; compare_audit.py tools: yes = named as a problem, shown = printed as a fact only):"
echo
cat "$work/score.md"
echo
echo "Portolan's findings (last round; compare_audit.py check):"
echo
echo '```'
cat "$work/check.$last.txt" 2>/dev/null
echo '```'
exit $status
