# shellcheck shell=bash
# Shared setup of the lab tests (bash). Source it first thing:
#
#   source "$(dirname "$0")/lab_test_lib.sh" "$@"
#
# Arguments of every lab test: PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY.
# Exits 77 (CTest's skip) when the lab cannot be built here (not root, no
# `ip netns`, no nft). Brings the lab up (tests/lab/lab.sh) and gives the
# helpers below; pass/failt/finish, SCRATCH and on_exit come from
# tests/integration/lib.sh.
LAB_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$LAB_TEST_DIR/../integration/lib.sh"
source "$LAB_TEST_DIR/lab.sh"

BIN=${1:?usage: $0 PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY}
LAB_LISTEN_BIN=${2:?listen_ports binary}
LAB_UDP_BIN=${3:?udp_responder binary}
PY=/usr/bin/python3
REPORT="$LAB_TEST_DIR/lab_report.py"
DTD=/usr/share/nmap/nmap.dtd
S=$SCRATCH
HAVE_NMAP=$(command -v nmap >/dev/null && echo 1 || echo 0)

lab_require
for f in "$BIN" "$LAB_LISTEN_BIN" "$LAB_UDP_BIN"; do
  [[ -x $f ]] || { echo "missing program $f" >&2; exit 1; }
done
lab_up || { failt "lab comes up"; finish; exit 1; }

# report ARGS...: tests/lab/lab_report.py.
report() { "$PY" "$REPORT" "$@"; }

# pscan NAME SECONDS ARGS...: `portolan scan ARGS` inside the scan namespace,
# bounded by SECONDS. Output in $S/NAME.out / $S/NAME.err, exit status in RC.
pscan() {
  local name=$1 secs=$2
  shift 2
  lab_scan timeout -k 5 "$secs" "$BIN" scan "$@" >"$S/$name.out" 2>"$S/$name.err"
  RC=$?
}

# nscan NAME SECONDS ARGS...: the same with nmap.
nscan() {
  local name=$1 secs=$2
  shift 2
  lab_scan timeout -k 5 "$secs" nmap "$@" >"$S/$name.out" 2>"$S/$name.err"
  RC=$?
}

# ran_ok TEST_NAME NAME: true when the last pscan/nscan exited 0; otherwise
# records a failure with its stderr.
ran_ok() {
  if [[ $RC -eq 0 ]]; then return 0; fi
  local why="exit status $RC"
  [[ $RC -eq 124 || $RC -eq 137 ]] && why="timed out (exit $RC)"
  failt "$1" "$why" "$(head -5 "$S/$2.err")"
  return 1
}

# xml_valid TEST_NAME FILE: xmllint against nmap's DTD.
xml_valid() {
  if xmllint --noout --dtdvalid "$DTD" "$2" 2>"$S/xmllint.err"; then pass "$1"
  else failt "$1" "$(head -5 "$S/xmllint.err")"; fi
}

# ports_of SPEC: 20-25,80 -> 20 21 22 23 24 25 80
ports_of() {
  local item out=()
  IFS=, read -ra items <<<"$1"
  for item in "${items[@]}"; do
    if [[ $item == *-* ]]; then out+=($(seq "${item%-*}" "${item#*-}"))
    else out+=("$item"); fi
  done
  echo "${out[@]}"
}

# want FILE ADDRESS PROTO PORTSPEC STATE REASON [TTL]: appends the expected
# lines (lab_report.py states format) to FILE.
want() {
  local file=$1 addr=$2 proto=$3 spec=$4 state=$5 reason=$6 ttl=${7:--} p
  for p in $(ports_of "$spec"); do echo "$addr $proto $p $state $reason $ttl"; done >>"$file"
}

# states_match TEST_NAME REPORT_FILE EXPECTED_FILE [COLUMNS]: the report's
# port lines equal the expected ones on the first COLUMNS columns (default 6:
# with TTL; 5 without). Several report files may be given joined by spaces.
states_match() {
  local name=$1 files=$2 expected=$3 cols=${4:-6}
  # shellcheck disable=SC2086
  report states $files | cut -d' ' -f1-"$cols" | sort >"$S/got.states"
  cut -d' ' -f1-"$cols" "$expected" | sort >"$S/want.states"
  if cmp -s "$S/got.states" "$S/want.states"; then
    pass "$name ($(wc -l <"$S/want.states") host-ports)"
  else
    failt "$name" "diff (< got, > want):" "$(diff "$S/got.states" "$S/want.states" | head -20)"
  fi
}

# same_states TEST_NAME A B [--reasons]: lab_report.py compare.
same_states() {
  local name=$1 out
  shift
  if out=$(report compare "$@"); then pass "$name: $out"
  else failt "$name" "$out"; fi
}

# one_line_error TEST_NAME NAME PATTERN: the last run failed with exactly one
# line on stderr matching the (case-insensitive, extended) PATTERN.
one_line_error() {
  local name=$1 run=$2 pattern=$3 lines
  lines=$(grep -c '' "$S/$run.err")
  if [[ $RC -eq 0 ]]; then failt "$name" "exit status 0" "$(head -3 "$S/$run.err")"
  elif [[ $RC -ge 124 ]]; then failt "$name" "timed out or killed (exit $RC)" "$(head -3 "$S/$run.err")"
  elif [[ $lines -ne 1 ]]; then failt "$name" "expected one line on stderr, got $lines" "$(head -5 "$S/$run.err")"
  elif ! grep -qiE "$pattern" "$S/$run.err"; then failt "$name" "stderr does not match /$pattern/" "$(cat "$S/$run.err")"
  else pass "$name: $(cat "$S/$run.err")"; fi
}

# The TCP scenario shared by the syn, ipv6 and self tests: open, closed,
# silently dropped and ICMP-rejected ports, few enough that no state folds
# (every port is listed with its reason and TTL).
TCP_OPEN=22,80,443,8080,31337
TCP_CLOSED=20-21,23-25
TCP_DROPPED=1000-1009
TCP_REJECTED=1500-1509
TCP_PORTS=20-25,80,443,1000-1009,1500-1509,8080,31337
tcp_scenario_up() {
  lab_listen $(ports_of "$TCP_OPEN") && lab_drop "$TCP_DROPPED" && lab_reject "$TCP_REJECTED"
}
# tcp_scenario_want FILE ADDRESS...: what a SYN scan of TCP_PORTS must report.
tcp_scenario_want() {
  local file=$1 a
  shift
  for a in "$@"; do
    want "$file" "$a" tcp "$TCP_OPEN" open syn-ack 64
    want "$file" "$a" tcp "$TCP_CLOSED" closed reset 64
    want "$file" "$a" tcp "$TCP_DROPPED" filtered no-response 0
    want "$file" "$a" tcp "$TCP_REJECTED" filtered admin-prohibited 64
  done
}

# The UDP scenario: responders, closed ports (the kernel's port unreachable),
# one dropped and one rejected port. The ICMP rate limit is off (lab_up).
UDP_OPEN=53,161,7777
UDP_CLOSED=54-55,1000
UDP_DROPPED=9999
UDP_REJECTED=9998
UDP_PORTS=53-55,161,1000,7777,9998-9999
udp_scenario_up() {
  lab_udp $(ports_of "$UDP_OPEN") && lab_drop "$UDP_DROPPED" udp && lab_reject "$UDP_REJECTED" udp
}
udp_scenario_want() {
  local file=$1 a
  shift
  for a in "$@"; do
    want "$file" "$a" udp "$UDP_OPEN" open udp-response 64
    want "$file" "$a" udp "$UDP_CLOSED" closed port-unreach 64
    want "$file" "$a" udp "$UDP_DROPPED" open\|filtered no-response 0
    want "$file" "$a" udp "$UDP_REJECTED" filtered admin-prohibited 64
  done
}
