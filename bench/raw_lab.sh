#!/usr/bin/env bash
# Raw-packet scanning in the namespace lab, side by side with nmap, masscan
# and zmap in one run (issue 3's five figures):
#
#   bench/raw_lab.sh [--smoke] [--reference-only] [--only 1,2,...] [--rounds N]
#                    [--loss-runs N] [--nmap-loss-runs N] [--masscan-loss-runs N]
#                    [--rates "50000 100000 ..."] [--tie FRACTION] [--portolan-rate N] [--window S]
#
#   1. all 65,535 TCP ports of 198.18.0.1 (20 open, 1,000 dropped): wall time
#      of nmap -sS -p- -T4 -n -Pn and of portolan, states compared port by port
#   2. the same through 2% random loss: open ports found by portolan in each of
#      10 runs, by nmap (slow under loss: 1 run by default), and by masscan at
#      100 kpps; wall times
#   3. port 80 on all 65,536 hosts of 198.18.0.0/16: hosts found and wall time
#      of zmap and masscan at each rate of a sweep (the best rate, the fastest
#      of those within --tie of the most hosts found, then runs alternating
#      with portolan), next to the SYN-ACKs that reached the scan
#      namespace (the lab's truth: a tool that finds fewer lost them itself)
#   4. peak resident memory of portolan over a /16 x top 100 ports (< 64 MiB),
#      with zmap's (/16, one port) and masscan's (same scan, stopped after
#      15 s: it allocates up front) for context
#   5. the highest send rate: each tool unthrottled into a target that drops
#      everything at prerouting, measured on the scan veth's tx counter
#
# Every scanner runs inside the lab's scan namespace (tests/lab/lab.sh), which
# routes only to the target namespace. Output: Markdown tables for
# docs/benchmarks.md on stdout, the exact commands and each run on stderr.
# --smoke: tiny sizes and one round, to check that the harness works (CI).
# --reference-only: skip portolan (its columns read n/a); for checking the
# lab and the reference tools before the engine exists.
# PORTOLAN_BIN_DIR selects the build (default build/release/bin); it must
# hold portolan, portolan_listen_ports and portolan_udp_responder.
# A full run takes about 15 minutes on the 2-core project machine.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)

smoke=0
reference_only=0
only=1,2,3,4,5
rounds=5
loss_runs=10
nmap_loss_runs=1
masscan_loss_runs=5
rates="5000 10000 25000 50000 100000 200000 400000 800000"
portolan_rate=
window=5
tie=0.001
while (($#)); do
  case "$1" in
    --smoke) smoke=1 ;;
    --reference-only) reference_only=1 ;;
    --only) only=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --loss-runs) loss_runs=$2; shift ;;
    --nmap-loss-runs) nmap_loss_runs=$2; shift ;;
    --masscan-loss-runs) masscan_loss_runs=$2; shift ;;
    --rates) rates=$2; shift ;;
    --portolan-rate) portolan_rate=$2; shift ;;
    --window) window=$2; shift ;;
    --tie) tie=$2; shift ;;
    *) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
  shift
done

# Sizes: full run, or the smoke run's tiny ones.
if ((smoke)); then
  rounds=1; loss_runs=1; nmap_loss_runs=1; masscan_loss_runs=1
  rates="50000 800000"; window=1
  p1_ports=1-2000          # figures 1 and 2
  p3_net=198.18.0.0/22     # figure 3
  p4_net=198.18.0.0/24     # figure 4
  rounds3=1; rounds5=1
else
  p1_ports=1-65535
  p3_net=198.18.0.0/16
  p4_net=198.18.0.0/16
  rounds3=3; rounds5=3
fi
want() { [[ ,$only, == *,$1,* ]]; }

bin=${PORTOLAN_BIN_DIR:-build/release/bin}
portolan=$bin/portolan
LAB_LISTEN_BIN=$bin/portolan_listen_ports
LAB_UDP_BIN=$bin/portolan_udp_responder
for f in "$LAB_LISTEN_BIN" $([[ $reference_only == 0 ]] && echo "$portolan"); do
  [[ -x $f ]] || { echo "missing $f: build the release preset first (or set PORTOLAN_BIN_DIR)" >&2; exit 1; }
done
for tool in nmap masscan zmap nft ip xmllint; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "the lab needs root (network namespaces)" >&2; exit 1; }

source tests/lab/lab.sh
REPORT="/usr/bin/python3 $root/tests/lab/lab_report.py"
RUSAGE="/usr/bin/python3 $root/bench/raw_rusage.py"
work=$(mktemp -d /tmp/raw_lab.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
lab_up || { echo "lab_up failed" >&2; exit 1; }
status=0

# The lab: 20 listening ports (on every AnyIP address), a dropped range.
open_ports=(21 22 25 53 80 110 143 443 445 993 3306 3389 5432 6379 8080 8443 9200 27017 40000 60000)
dropped=10000-10999
lab_listen "${open_ports[@]}" || { echo "listeners failed: $LAB_LISTENING" >&2; exit 1; }
lab_drop "$dropped"
# masscan answers SYN-ACKs with its own RST; its documented set-up is a fixed
# source port the host's kernel drops, so the kernel does not RST too (without
# it masscan found far fewer hosts here). Even so masscan 1.3.2 loses replies
# in its own receive path as its rate rises, probably because Debian's build
# gets a libpcap TPACKET_V2 ring of only 32 frames of 64 KiB (`ss -0 -e`
# shows ver:1 frm_nr:32), which a short stall of its receive thread
# overflows: the labmeter counter sees the SYN-ACKs arrive. Figure 3's "SYN-ACKs delivered" column shows that it is the tool,
# not the lab, that misses them.
masscan_sport=61000
lab_scan nft -f - <<EOF
table inet labmasscan {
  chain input { type filter hook input priority 0; policy accept; tcp dport $masscan_sport drop; }
}
table inet labmeter {
  chain input { type filter hook input priority -200; policy accept;
    tcp flags & (syn | ack) == syn | ack counter; }
}
EOF
: >"$work/empty.blocklist"

synacks_delivered() {
  lab_scan nft list chain inet labmeter input | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
log() { echo "  $*" >&2; }
cmdlog() { echo "\$ $*" >>"$work/commands"; }
in_range() {  # open ports inside a port range spec lo-hi
  local lo=${1%-*} hi=${1#*-} p out=()
  for p in "${open_ports[@]}"; do ((p >= lo && p <= hi)) && out+=("$p"); done
  echo "${out[@]}"
}
expected_open=$(in_range "$p1_ports" | tr ' ' ,)
n_expected_open=$(in_range "$p1_ports" | wc -w)

zmap_cmd() {  # RATE NET OUT [extra...]
  local rate=$1 net=$2 list_file=$3
  shift 3
  echo zmap -q --disable-syslog -i "$LAB_SCAN_IF" -S "$LAB_SCAN_IP" -G "$LAB_TARGET_MAC" \
    -b "$work/empty.blocklist" -M tcp_synscan -p 80 -r "$rate" -c 2 -o "$list_file" "$@" "$net"
}
masscan_cmd() {  # RATE PORTS|top100 TARGET OUT [extra...]
  local rate=$1 ports="-p $2" target=$3 list_file=$4
  shift 4
  [[ $ports == "-p top100" ]] && ports="--top-ports 100"
  # shellcheck disable=SC2086
  echo masscan --adapter "$LAB_SCAN_IF" --adapter-ip "$LAB_SCAN_IP" --router-mac "$LAB_TARGET_MAC" \
    --source-port "$masscan_sport" $ports --rate "$rate" --wait 2 -oL "$list_file" "$@" "$target"
}
portolan_rate_opt() { [[ -n $portolan_rate ]] && echo "--max-rate $portolan_rate"; }
# masscan 1.3.2 sometimes never ends ("waiting -N secs" counting down past
# zero) and then ignores SIGINT: bound each run by three times its nominal
# duration plus 30 s, so a hang costs seconds, not minutes, and is reported.
masscan_secs() { echo $((3 * $1 / $2 + 30)); }  # PROBES RATE

# run_timed SECONDS LOGNAME CMD...: runs CMD in the scan namespace (cwd
# $work, where masscan leaves paused.conf); sets T (wall seconds) and RC.
run_timed() {
  local secs=$1 name=$2 t0 t1
  shift 2
  cmdlog "$*"
  t0=$(now)
  (cd "$work" && ip netns exec "$LAB_SCAN" timeout -s INT -k 10 "$secs" "$@") >"$work/$name.stdout" 2>"$work/$name.stderr"
  RC=$?
  t1=$(now)
  T=$(elapsed "$t0" "$t1")
}

machine() {
  local pv="n/a"
  [[ $reference_only == 0 ]] && pv=$("$portolan" version 2>/dev/null | head -1)
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB,"\
    "kernel $(uname -r); $(nmap --version | head -1 | sed 's/ ( .*//'), $(masscan --version 2>/dev/null | grep -m1 -o 'Masscan version [0-9.]*'),"\
    "$(zmap --version 2>&1 | head -1), portolan: $pv"
}

echo "# Raw-packet lab benchmark ($( ((smoke)) && echo smoke || echo full) run, $(date -u '+%Y-%m-%d %H:%M UTC'))"
echo
machine
echo "lab: veth $LAB_SCAN_IF/$LAB_TARGET_IF between two namespaces; AnyIP 198.18.0.0/16 on the target;"\
  "listeners on ${#open_ports[@]} ports (${open_ports[*]}); tcp $dropped dropped"

# ---------------------------------------------------------------------------
# 1. All ports of one host.
if want 1; then
  echo
  echo "## 1. One host, ports $p1_ports (198.18.0.1: $n_expected_open open, $dropped dropped)"
  : >"$work/f1.nmap"; : >"$work/f1.portolan"
  verdict=
  for ((r = 1; r <= rounds; r++)); do
    order=(nmap portolan)
    ((r % 2 == 0)) && order=(portolan nmap)
    for tool in "${order[@]}"; do
      case $tool in
        nmap) run_timed 900 f1_nmap nmap -sS -p "$p1_ports" -T4 -n -Pn 198.18.0.1 -oX "$work/f1_nmap.xml"
              echo "$T" >>"$work/f1.nmap"; log "round $r nmap: $T s (exit $RC)" ;;
        portolan) [[ $reference_only == 1 ]] && continue
              # shellcheck disable=SC2046
              run_timed 900 f1_portolan "$portolan" scan -sS -p "$p1_ports" -T4 -n -Pn $(portolan_rate_opt) \
                198.18.0.1 -oX "$work/f1_portolan.xml"
              echo "$T" >>"$work/f1.portolan"; log "round $r portolan: $T s (exit $RC)"
              [[ $RC -eq 0 ]] || { log "$(head -3 "$work/f1_portolan.stderr")"; status=1; } ;;
      esac
    done
    nmap_open=$($REPORT open "$work/f1_nmap.xml" | awk '{print $2}')
    [[ $nmap_open == "$expected_open" ]] || { log "nmap found '$nmap_open', configured '$expected_open'"; status=1; }
    if [[ $reference_only == 0 ]]; then
      if $REPORT compare "$work/f1_nmap.xml" "$work/f1_portolan.xml" >"$work/cmp.txt"; then
        [[ $verdict == DIFFERENT* ]] || verdict=$(head -1 "$work/cmp.txt")
      else
        verdict="DIFFERENT"; status=1; cat "$work/cmp.txt" >&2
      fi
    fi
  done
  nm=$(median <"$work/f1.nmap"); pm=$(median <"$work/f1.portolan")
  ratio=n/a; [[ $pm != n/a ]] && ratio=$(awk -v a="$nm" -v b="$pm" 'BEGIN {printf "**%.1fx**", a / b}')
  [[ $reference_only == 1 ]] && verdict="nmap: $($REPORT states "$work/f1_nmap.xml" | awk '{print $4}' | sort | uniq -c | xargs)"
  echo
  echo "| ports | rounds | nmap -sS -T4 median (s) | portolan median (s) | nmap/portolan | states (all rounds) |"
  echo "|---|---|---|---|---|---|"
  echo "| $p1_ports | $rounds | $nm | $pm | $ratio | $verdict |"
  echo
  echo "runs (s): nmap $(xargs <"$work/f1.nmap"); portolan $(xargs <"$work/f1.portolan")"
fi

# ---------------------------------------------------------------------------
# 2. The same through 2% loss.
if want 2; then
  echo
  echo "## 2. One host, ports $p1_ports, 2% random loss at the target"
  lab_loss 2
  : >"$work/f2.portolan"; : >"$work/f2.nmap"; : >"$work/f2.masscan"
  p_found=(); n_found=(); m_found=(); m_missed=()
  for ((r = 1; r <= loss_runs; r++)); do
    if [[ $reference_only == 0 ]]; then
      # shellcheck disable=SC2046
      run_timed 900 f2_portolan "$portolan" scan -sS -p "$p1_ports" -T4 -n -Pn $(portolan_rate_opt) \
        198.18.0.1 -oX "$work/f2_portolan.xml"
      got=$($REPORT open "$work/f2_portolan.xml" 2>/dev/null | awk '{print $2}' | tr , ' ' | wc -w)
      echo "$T" >>"$work/f2.portolan"; p_found+=("$got")
      log "run $r portolan: $got/$n_expected_open open in $T s (exit $RC)"
      ((got == n_expected_open)) || status=1
    fi
    if ((r <= masscan_loss_runs)); then
      run_timed "$(masscan_secs $((${p1_ports#*-} - ${p1_ports%-*} + 1)) 100000)" f2_masscan \
        $(masscan_cmd 100000 "$p1_ports" 198.18.0.1 "$work/f2_masscan.txt")
      got=$(awk '$1 == "open" {print $3}' "$work/f2_masscan.txt" | sort -un | paste -sd,)
      missed=$(comm -23 <(tr , '\n' <<<"$expected_open" | sort) <(tr , '\n' <<<"$got" | sort) | sort -n | paste -sd,)
      ((RC == 124 || RC == 137)) && missed="hung, killed after $T s"
      echo "$T" >>"$work/f2.masscan"; m_found+=("$(tr , ' ' <<<"$got" | wc -w)"); m_missed+=("${missed:--}")
      log "run $r masscan 100 kpps: found ${m_found[-1]}/$n_expected_open (missed ${missed:-none}) in $T s"
    fi
    if ((r <= nmap_loss_runs)); then
      run_timed 900 f2_nmap nmap -sS -p "$p1_ports" -T4 -n -Pn 198.18.0.1 -oX "$work/f2_nmap.xml"
      got=$($REPORT open "$work/f2_nmap.xml" | awk '{print $2}' | tr , ' ' | wc -w)
      echo "$T" >>"$work/f2.nmap"; n_found+=("$got")
      log "run $r nmap: $got/$n_expected_open open in $T s (exit $RC)"
    fi
  done
  lab_loss 0
  all() { local n=0 x; for x in "$@"; do ((x == n_expected_open)) && n=$((n + 1)); done; echo "$n/$#"; }
  echo
  echo "| tool | runs | runs that found all $n_expected_open open | open found per run | median wall (s) | runs (s) |"
  echo "|---|---|---|---|---|---|"
  if [[ $reference_only == 0 ]]; then
    echo "| portolan -sS -T4 | $loss_runs | $(all "${p_found[@]}") | ${p_found[*]} | $(median <"$work/f2.portolan") | $(xargs <"$work/f2.portolan") |"
  else
    echo "| portolan -sS -T4 | n/a | n/a | n/a | n/a | n/a |"
  fi
  echo "| nmap -sS -T4 | ${#n_found[@]} | $(all "${n_found[@]}") | ${n_found[*]} | $(median <"$work/f2.nmap") | $(xargs <"$work/f2.nmap") |"
  echo "| masscan --rate 100000 | ${#m_found[@]} | $(all "${m_found[@]}") | ${m_found[*]} (missed: ${m_missed[*]}) | $(median <"$work/f2.masscan") | $(xargs <"$work/f2.masscan") |"
fi

# ---------------------------------------------------------------------------
# 3. One port on every host of a /16.
if want 3; then
  hosts3=$(( 1 << (32 - ${p3_net#*/}) ))
  echo
  echo "## 3. Port 80 on $p3_net ($hosts3 hosts, all with 80 open)"
  # best_rate FILE: of "rate found seconds" lines, the fastest rate among
  # those within --tie (default 0.1%) of the most hosts found: differences of
  # a few hosts in 65,536 are run-to-run noise, not a better setting.
  best_rate() {
    awk -v tie="$tie" '{r[NR]=$1; f[NR]=$2; t[NR]=$3; if ($2 > max) max = $2}
      END {best = 0; for (i = 1; i <= NR; i++) if (f[i] >= max * (1 - tie) && (best == 0 || t[i] < t[best])) best = i
           print r[best]}' "$1"
  }
  : >"$work/sweep.zmap"; : >"$work/sweep.masscan"
  echo
  echo "Rate sweep (one run each; SYN-ACKs delivered = SYN-ACKs that reached the scan namespace's IP layer):"
  echo
  echo "| rate (pps) | zmap found | zmap s | SYN-ACKs delivered | masscan found | masscan s | SYN-ACKs delivered |"
  echo "|---|---|---|---|---|---|---|"
  for rate in $rates; do
    a=$(synacks_delivered)
    run_timed 300 f3_zmap $(zmap_cmd "$rate" "$p3_net" "$work/f3_zmap.txt")
    zf=$(sort -u "$work/f3_zmap.txt" | wc -l); zt=$T; zd=$(($(synacks_delivered) - a))
    echo "$rate $zf $zt" >>"$work/sweep.zmap"
    a=$(synacks_delivered)
    run_timed "$(masscan_secs "$hosts3" "$rate")" f3_masscan $(masscan_cmd "$rate" 80 "$p3_net" "$work/f3_masscan.txt")
    mf=$(awk '$1 == "open" {print $4}' "$work/f3_masscan.txt" | sort -u | wc -l); mt=$T; md=$(($(synacks_delivered) - a))
    ((RC == 124 || RC == 137)) && mt="$T (hung)"
    echo "$rate $mf $mt" >>"$work/sweep.masscan"
    echo "| $rate | $zf | $zt | $zd | $mf | $mt | $md |"
    log "rate $rate: zmap $zf in $zt s, masscan $mf in $mt s"
  done
  zr=$(best_rate "$work/sweep.zmap"); mr=$(best_rate "$work/sweep.masscan")
  : >"$work/f3.zmap.n"; : >"$work/f3.zmap.t"; : >"$work/f3.masscan.n"; : >"$work/f3.masscan.t"
  : >"$work/f3.portolan.n"; : >"$work/f3.portolan.t"
  for ((r = 1; r <= rounds3; r++)); do
    order=(portolan zmap masscan)
    ((r % 3 == 2)) && order=(zmap masscan portolan)
    ((r % 3 == 0)) && order=(masscan portolan zmap)
    for tool in "${order[@]}"; do
      case $tool in
        zmap) run_timed 300 f3_zmap $(zmap_cmd "$zr" "$p3_net" "$work/f3_zmap.txt")
              sort -u "$work/f3_zmap.txt" | wc -l >>"$work/f3.zmap.n"; echo "$T" >>"$work/f3.zmap.t" ;;
        masscan) run_timed "$(masscan_secs "$hosts3" "$mr")" f3_masscan $(masscan_cmd "$mr" 80 "$p3_net" "$work/f3_masscan.txt")
              ((RC == 124 || RC == 137)) && log "masscan hung; killed after $T s"
              awk '$1 == "open" {print $4}' "$work/f3_masscan.txt" | sort -u | wc -l >>"$work/f3.masscan.n"
              echo "$T" >>"$work/f3.masscan.t" ;;
        portolan) [[ $reference_only == 1 ]] && continue
              # shellcheck disable=SC2046
              run_timed 600 f3_portolan "$portolan" scan -sS -p 80 -n -Pn --scan-special $(portolan_rate_opt) \
                "$p3_net" -oG "$work/f3_portolan.gnmap"
              grep -c 'Ports: 80/open/tcp' "$work/f3_portolan.gnmap" >>"$work/f3.portolan.n"
              echo "$T" >>"$work/f3.portolan.t"
              [[ $RC -eq 0 ]] || { log "portolan: $(head -3 "$work/f3_portolan.stderr")"; status=1; } ;;
      esac
    done
    log "round $r: zmap $(tail -1 "$work/f3.zmap.n") in $(tail -1 "$work/f3.zmap.t") s;"\
      "masscan $(tail -1 "$work/f3.masscan.n") in $(tail -1 "$work/f3.masscan.t") s;"\
      "portolan $(tail -1 "$work/f3.portolan.n" 2>/dev/null) in $(tail -1 "$work/f3.portolan.t" 2>/dev/null) s"
  done
  pt=$(median <"$work/f3.portolan.t")
  ratio_to() { [[ $pt == n/a ]] && { echo n/a; return; }; awk -v a="$1" -v b="$pt" 'BEGIN {printf "%.1fx", a / b}'; }
  zt=$(median <"$work/f3.zmap.t"); mt=$(median <"$work/f3.masscan.t")
  echo
  echo "Best rate of each tool (fastest within $tie of the most found), $rounds3 alternating rounds (medians; ratio = tool's time / portolan's):"
  echo
  echo "| tool | setting | hosts found (of $hosts3) | wall (s) | time vs portolan | runs: found / s |"
  echo "|---|---|---|---|---|---|"
  echo "| zmap 2.1.1 | -r $zr -c 2 | $(median <"$work/f3.zmap.n") | $zt | $(ratio_to "$zt") | $(xargs <"$work/f3.zmap.n") / $(xargs <"$work/f3.zmap.t") |"
  echo "| masscan | --rate $mr --wait 2 | $(median <"$work/f3.masscan.n") | $mt | $(ratio_to "$mt") | $(xargs <"$work/f3.masscan.n") / $(xargs <"$work/f3.masscan.t") |"
  echo "| portolan | -Pn ${portolan_rate:+--max-rate $portolan_rate} | $(median <"$work/f3.portolan.n") | $pt | 1.0x | $(xargs <"$work/f3.portolan.n") / $(xargs <"$work/f3.portolan.t") |"
fi

# ---------------------------------------------------------------------------
# 4. Peak memory.
if want 4; then
  echo
  echo "## 4. Peak resident memory, $p4_net x top 100 ports"
  rss() { sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$1"; }
  mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
  p_rss=n/a; p_t=n/a
  if [[ $reference_only == 0 ]]; then
    # shellcheck disable=SC2046
    run_timed 1200 f4_portolan $RUSAGE -- "$portolan" scan -sS --top-ports 100 -n -Pn --scan-special \
      $(portolan_rate_opt) "$p4_net" -oX "$work/f4_portolan.xml"
    p_rss=$(rss "$work/f4_portolan.stdout"); p_t=$T
    hosts=$(grep -c '<host ' "$work/f4_portolan.xml" 2>/dev/null)
    log "portolan: ${p_rss:-?} KB peak, $T s, $hosts hosts in the XML"
    if [[ -z $p_rss ]] || ((p_rss >= 65536)); then status=1; fi
  fi
  run_timed 300 f4_zmap $RUSAGE -- $(zmap_cmd 50000 "$p4_net" "$work/f4_zmap.txt")
  z_rss=$(rss "$work/f4_zmap.stdout"); z_t=$T
  run_timed 300 f4_masscan $RUSAGE --stop-after 15 --cwd "$work" -- \
    $(masscan_cmd 100000 top100 "$p4_net" "$work/f4_masscan.txt")
  m_rss=$(rss "$work/f4_masscan.stdout"); m_t=$T
  echo
  echo "| tool | scan | peak RSS (MiB) | wall (s) |"
  echo "|---|---|---|---|"
  echo "| portolan | -sS --top-ports 100 -Pn $p4_net, complete | $([[ $p_rss == n/a ]] && echo n/a || mib "$p_rss") | $p_t |"
  echo "| zmap | -p 80 $p4_net, complete | $(mib "$z_rss") | $z_t |"
  echo "| masscan | --top-ports 100 $p4_net at 100 kpps, stopped after 15 s | $(mib "$m_rss") | $m_t |"
  echo
  echo "Bound: portolan must stay under 64 MiB."
fi

# ---------------------------------------------------------------------------
# 5. Highest send rate.
if want 5; then
  echo
  echo "## 5. Highest send rate (target drops everything at prerouting; meter: $LAB_SCAN_IF tx_packets)"
  lab_drop_all_prerouting
  # measure NAME CMD...: starts CMD, waits for the counter to move (at most
  # 15 s), then counts tx packets over $window seconds; stops CMD.
  measure() {
    local name=$1 pid i a b t0 t1 d0 d1
    shift
    cmdlog "$*"
    (cd "$work" && exec ip netns exec "$LAB_SCAN" "$@") >"$work/$name.stdout" 2>"$work/$name.stderr" &
    pid=$!
    a=$(lab_tx_packets)
    for ((i = 0; i < 150; i++)); do
      sleep 0.1
      [[ $(lab_tx_packets) -gt $((a + 1000)) ]] && break
      kill -0 "$pid" 2>/dev/null || break
    done
    sleep 1   # past start-up
    a=$(lab_tx_packets); d0=$(lab_tx_dropped); t0=$(now)
    sleep "$window"
    b=$(lab_tx_packets); d1=$(lab_tx_dropped); t1=$(now)
    kill -INT "$pid" 2>/dev/null
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    RATE=$(awk -v a="$a" -v b="$b" -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.0f", (b - a) / (t1 - t0)}')
    DROPS=$((d1 - d0))
  }
  # PORTOLAN_UNLIMITED: portolan's options for "no rate cap".
  unlimited=${PORTOLAN_UNLIMITED:---max-rate 100000000}
  : >"$work/f5.zmap"; : >"$work/f5.masscan"; : >"$work/f5.portolan"; drops=
  for ((r = 1; r <= rounds5; r++)); do
    order=(zmap masscan portolan)
    ((r % 2 == 0)) && order=(portolan masscan zmap)
    for tool in "${order[@]}"; do
      case $tool in
        zmap) measure f5_zmap $(zmap_cmd 100000000 198.18.0.0/16 /dev/null -P 200) ;;
        masscan) measure f5_masscan $(masscan_cmd 100000000 1-65535 198.18.0.0/16 /dev/null) ;;
        portolan) [[ $reference_only == 1 ]] && continue
                  # shellcheck disable=SC2086
                  measure f5_portolan "$portolan" scan -sS -p- -n -Pn --scan-special --max-retries 0 \
                    $unlimited 198.18.0.0/16 -oG /dev/null ;;
      esac
      echo "$RATE" >>"$work/f5.$tool"; drops+=" $tool:$DROPS"
      log "round $r $tool: $RATE pps (tx_dropped +$DROPS)"
    done
  done
  pr=$(median <"$work/f5.portolan")
  vs() { [[ $pr == n/a ]] && { echo n/a; return; }; awk -v a="$pr" -v b="$1" 'BEGIN {printf "%.2f", a / b}'; }
  zr=$(median <"$work/f5.zmap"); mr=$(median <"$work/f5.masscan")
  echo
  echo "| tool | setting | frames/s median ($rounds5 rounds, ${window} s windows) | portolan/tool | runs |"
  echo "|---|---|---|---|---|"
  echo "| zmap 2.1.1 | -r 100000000 (1 send thread) | $zr | $(vs "$zr") | $(xargs <"$work/f5.zmap") |"
  echo "| masscan | --rate 100000000 | $mr | $(vs "$mr") | $(xargs <"$work/f5.masscan") |"
  echo "| portolan | $unlimited | $pr | 1.00 | $(xargs <"$work/f5.portolan") |"
  echo
  echo "tx_dropped during the windows:$drops"
fi

echo
echo "## Commands (as run inside the scan namespace)"
echo
echo '```'
sort -u "$work/commands" | sed "s|$work|\$WORK|g"
echo '```'
exit $status
