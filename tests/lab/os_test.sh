#!/usr/bin/env bash
# OS detection (-O) in the lab: the Linux target namespace is recognised as
# Linux with its CPE, from the AnyIP range and from the veth address, within a
# few seconds for both hosts together; then, with its sysctls changed so it
# resembles no stack we know (initial TTL 128, no timestamps, no window
# scaling, no SACK), it is not called Linux: "no match", or at least no Linux
# match at 85% or more.
# Drives tests/os's portolan_os_probe (the OsDetector library API); once
# `portolan scan -O` is wired, the same checks apply to its -oX <os> output.
# The CLI is checked too: `portolan scan -O -oX` on the Linux target gives an
# <os> element valid against nmap's DTD whose best osclass is Linux.
# Usage: os_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY OS_PROBE_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"
OSPROBE=${4:?usage: $0 PORTOLAN LISTEN_PORTS UDP_RESPONDER OS_PROBE}
[[ -x $OSPROBE ]] || { echo "missing program $OSPROBE" >&2; exit 1; }

lab_listen 22 80 || failt "listeners on 22 and 80"
targets=(198.18.0.1 "$LAB_TARGET_IP")

# osprobe NAME: the detector against both targets, port 22 open, 23/tcp and
# 54/udp closed (nothing listens there), bounded to 20 s.
osprobe() {
  lab_scan timeout -k 5 20 "$OSPROBE" --debug --open 22 --closed 23 --uclosed 54 "${targets[@]}" \
    >"$S/$1.out" 2>"$S/$1.err"
  RC=$?
}

# The lines of host $2 in output file $1.
host_block() { awk -v h="host $2" '/^host /{on = ($0 == h)} on' "$1"; }

# 1. Linux as the kernel ships it.
osprobe linux
if ran_ok "OS detection runs" linux; then
  for t in "${targets[@]}"; do
    block=$(host_block "$S/linux.out" "$t")
    best=$(grep -m1 '^match ' <<<"$block")
    acc=$(awk '{print $2}' <<<"$best")
    if [[ $best == *Linux* && ${acc:-0} -ge 85 ]]; then pass "$t: $best"
    else failt "$t recognised as Linux (>= 85%)" "$block"; fi
    grep -q '^cpe cpe:/o:linux:linux_kernel' <<<"$block" && pass "$t: CPE cpe:/o:linux:linux_kernel" ||
      failt "$t: CPE cpe:/o:linux:linux_kernel" "$block"
    grep -qx 'distance 1' <<<"$block" && pass "$t: 1 hop" || failt "$t: distance 1" "$block"
    grep -q '^fp SYNACK ttl=64 df=1 .*ops=MSS,SACK,TS,NOP,WS' <<<"$block" &&
      pass "$t: SYN-ACK shows Linux's option order" || failt "$t: SYN-ACK line" "$block"
  done
  ms=$(awk '/^elapsed_ms/{print $2}' "$S/linux.out")
  [[ ${ms:-99999} -lt 5000 ]] && pass "two hosts in ${ms} ms" || failt "two hosts under 5 s" "elapsed ${ms} ms"
fi

# 1b. The same through `portolan scan -O`: XML <os> valid, Linux first.
pscan cli 40 -n -Pn -p22,23 -O -oX "$S/cli.xml" 198.18.0.1
if ran_ok "portolan scan -O runs" cli; then
  xml_valid "portolan scan -O: XML valid against nmap.dtd" "$S/cli.xml"
  got=$("$PY" -c '
import sys, xml.etree.ElementTree as ET
m = ET.parse(sys.argv[1]).find("host/os/osmatch")
c = m.find("osclass") if m is not None else None
print("none" if c is None else c.get("osfamily") + " " + c.find("cpe").text)
' "$S/cli.xml" 2>&1)
  [[ $got == "Linux cpe:/o:linux:linux_kernel"* ]] && pass "portolan scan -O: best match Linux ($got)" ||
    failt "portolan scan -O: best match Linux" "got: $got"
fi

# 2. The same kernel with a Windows-like TTL and none of the TCP options
# Linux would send: nothing in the set fits, and we must not say Linux.
lab_target sysctl -q -w net.ipv4.ip_default_ttl=128 net.ipv4.tcp_timestamps=0 \
  net.ipv4.tcp_window_scaling=0 net.ipv4.tcp_sack=0 || failt "target sysctls changed"
osprobe disguised
if ran_ok "OS detection of the disguised stack runs" disguised; then
  for t in "${targets[@]}"; do
    block=$(host_block "$S/disguised.out" "$t")
    if grep -qx 'no match' <<<"$block"; then
      pass "$t disguised: no match"
    elif grep -E '^match ' <<<"$block" | awk '$2 >= 85' | grep -q Linux; then
      failt "$t disguised: not Linux at >= 85%" "$block"
    else
      pass "$t disguised: no Linux match ($(grep -m1 '^match ' <<<"$block"))"
    fi
    grep -q '^fp SYNACK ttl=128 df=1 .*ops=MSS ws=none' <<<"$block" &&
      pass "$t disguised: fingerprint shows TTL 128 and the MSS option alone" ||
      failt "$t disguised: fingerprint line" "$block"
  done
fi
finish
