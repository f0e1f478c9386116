#!/usr/bin/env bash
# The lab itself, checked with nmap (no Portolan involved): isolation of the
# scan namespace, AnyIP answering for both ranges, every filter helper, the
# ICMP limits, the UDP responder, discovery reasons, loss and teardown. The
# expectations here are the ones the Portolan lab tests assert, so a green
# self-test means those expectations are what nmap 7.93 reports.
# Usage: lab_selftest_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"
[[ $HAVE_NMAP == 1 ]] || { echo "SKIP: nmap is not installed" >&2; exit 77; }

# 1. Isolation: the scan namespace reaches the lab and nothing else.
if lab_assert_isolated && ! lab_scan ip route get 192.0.2.1 >/dev/null 2>&1 &&
   ! lab_scan ip -6 route get 2001:db8:2::1 >/dev/null 2>&1 &&
   lab_scan ip route get 198.18.77.1 | grep -q "via $LAB_TARGET_IP dev $LAB_SCAN_IF"; then
  pass "scan namespace: lo and $LAB_SCAN_IF only, no default route, lab routes present"
else
  failt "scan namespace isolation" "$(lab_scan ip route; lab_scan ip -6 route; lab_scan ip -o link)"
fi

# 2. TCP: open / closed / dropped / rejected on AnyIP addresses and the
# veth address, IPv4 and IPv6. The two families run side by side (nmap
# mostly waits out the dropped ports; each nmap filters its own family).
tcp_scenario_up || failt "TCP scenario set up"
: >"$S/tcp.want"
tcp_scenario_want "$S/tcp.want" 198.18.0.1 198.18.200.7 198.19.255.2
: >"$S/tcp6.want"
tcp_scenario_want "$S/tcp6.want" "$LAB_HOST6" "$LAB_TARGET_IP6"
(nscan tcp6 120 -6 -sS -n -Pn --reason -p "$TCP_PORTS" "$LAB_HOST6" "$LAB_TARGET_IP6" -oX "$S/tcp6.xml"; exit "$RC") &
bg=$!
nscan tcp4 120 -sS -n -Pn --reason -p "$TCP_PORTS" 198.18.0.1 198.18.200.7 198.19.255.2 -oX "$S/tcp4.xml"
ran_ok "nmap -sS runs" tcp4 && states_match "nmap -sS (IPv4): states, reasons and TTLs as configured" "$S/tcp4.xml" "$S/tcp.want"
wait "$bg"
RC=$?
ran_ok "nmap -6 -sS runs" tcp6 && states_match "nmap -6 -sS: states, reasons and TTLs as configured" "$S/tcp6.xml" "$S/tcp6.want"

# 3. UDP: the responder answers from the scanned address (both families),
# closed ports get the host's own port unreachable, and ICMP is unlimited:
# 200 closed ports in one quick scan all come out closed.
udp_scenario_up || failt "UDP scenario set up"
: >"$S/udp.want"
udp_scenario_want "$S/udp.want" 198.18.0.1 198.18.99.99 "$LAB_HOST6"
(nscan udp6 120 -6 -sU -n -Pn --reason -p "$UDP_PORTS" "$LAB_HOST6" -oX "$S/udp6.xml"; exit "$RC") &
bg=$!
nscan udp4 120 -sU -n -Pn --reason -p "$UDP_PORTS" 198.18.0.1 198.18.99.99 -oX "$S/udp4.xml"
rc4=$RC
wait "$bg"
rc6=$?
RC=$rc4 ran_ok "nmap -sU runs" udp4 && RC=$rc6 ran_ok "nmap -6 -sU runs" udp6 &&
  states_match "nmap -sU, IPv4 and IPv6: states, reasons and TTLs as configured" "$S/udp4.xml $S/udp6.xml" "$S/udp.want"
t0=$(date +%s)
nscan udp_bulk 120 -sU -n -Pn --max-retries 0 -p 20000-20199 198.18.0.1 -oX "$S/udp_bulk.xml"
t1=$(date +%s)
closed=$(report states "$S/udp_bulk.xml" | awk '$4 == "closed"' | wc -l)
if [[ $RC -eq 0 && $closed -eq 200 ]]; then pass "no ICMP rate limit: 200 closed UDP ports without retries ($((t1 - t0)) s)"
else failt "no ICMP rate limit" "closed: $closed of 200, exit $RC"; fi

# 4. The kernel's default ICMP rate limit, as the udp test uses it: nmap
# slows down until every port is answered. The limit is a bucket of 6 errors
# (per destination) refilled at one a second; 8 ports are more than the
# bucket holds, so nmap must retry and slow down (-v: "Increasing send
# delay"), which it does until all 8 are closed. Each port past what the
# bucket holds costs about a second: the udp test's 30 ports would only make
# this slower, not different.
lab_icmp_ratelimit 1000
nscan udp_rl 200 -v -sU -n -Pn -p 3000-3007 198.18.0.2 -oX "$S/udp_rl.xml"
closed=$(report states "$S/udp_rl.xml" | awk '$4 == "closed"' | wc -l)
slowed=$(grep -c 'Increasing send delay for 198.18.0.2' "$S/udp_rl.out")
[[ $RC -eq 0 && $closed -eq 8 && $slowed -ge 1 ]] &&
  pass "icmp_ratelimit 1000: nmap slows down ($slowed send-delay increases) and still finds 8 closed UDP ports" ||
  failt "icmp_ratelimit 1000" "closed: $closed of 8, send-delay increases: $slowed (want 1 or more), exit $RC"
lab_icmp_ratelimit 0

# 5. Discovery reasons, and a dropped host inside the AnyIP range is down.
lab_drop_host 198.18.0.99
lab_drop_host 2001:db8:1::99
check_discovery() {  # NAME "nmap options" "address=status/reason ..."
  local name=$1 opts=$2 expect=$3 item addr want got targets=()
  for item in $expect; do targets+=("${item%%=*}"); done
  # shellcheck disable=SC2086
  nscan disc 60 -sn -n -v --reason $opts "${targets[@]}" -oX "$S/disc.xml"
  for item in $expect; do
    addr=${item%%=*}
    want=${item#*=}
    got=$(report hosts "$S/disc.xml" | awk -v a="$addr" '$1 == a {print $2 "/" $3}')
    if [[ $got != "$want" ]]; then failt "nmap $name: $addr is $want" "got '$got'"; return; fi
  done
  pass "nmap $name: $expect"
}
check_discovery -PE -PE "198.18.0.1=up/echo-reply 198.18.0.99=down/no-response"
check_discovery -PP -PP "198.18.0.1=up/timestamp-reply 198.18.0.99=down/no-response"
check_discovery -PS22 -PS22 "198.18.0.1=up/syn-ack 198.18.0.99=down/no-response"
check_discovery -PS23 -PS23 "198.18.0.1=up/reset"
check_discovery -PA80 -PA80 "198.18.0.1=up/reset 198.18.0.99=down/no-response"
check_discovery -PU53 -PU53 "198.18.0.1=up/udp-response 198.18.0.99=down/no-response"
check_discovery -PU40125 -PU40125 "198.18.0.1=up/port-unreach"
check_discovery -PR -PR "198.19.255.2=up/arp-response"
check_discovery "-6 (ND)" -6 "2001:db8:ffff::2=up/nd-response"
check_discovery "-6 -PE" "-6 -PE" "2001:db8:1::1=up/echo-reply 2001:db8:1::99=down/no-response"

# 6. AnyIP covers the whole /16: the last /24 answers on port 80.
nscan anyip 120 -sn -n -PS80 198.18.255.0/24 -oX "$S/anyip.xml"
up=$(report hosts "$S/anyip.xml" | awk '$2 == "up"' | wc -l)
[[ $up -eq 256 ]] && pass "AnyIP: 198.18.255.0/24 all up" || failt "AnyIP answers for 198.18.255.0/24" "up: $up"

# 7. lab_loss drops at random (30% of echo requests: about 179 of 256 answer),
# and lab_loss 0 removes the rule.
lab_loss 30
nscan loss 120 -sn -n -PE --max-retries 0 198.18.1.0/24 -oX "$S/loss.xml"
up=$(report hosts "$S/loss.xml" | awk '$2 == "up"' | wc -l)
lab_loss 0
rules=$(lab_nft list chain inet lab input | grep -c numgen)
if [[ $up -ge 120 && $up -le 235 && $rules -eq 0 ]]; then pass "lab_loss 30: $up of 256 answered; lab_loss 0 removes it"
else failt "lab_loss" "up $up of 256 (want 120..235), numgen rules left: $rules"; fi

# 8. The send meter: the target drops everything before its stack, and the
# veth's tx counter counts what was sent.
before=$(lab_tx_packets)
lab_drop_all_prerouting
nscan sink 60 -sS -n -Pn --max-retries 0 --min-rate 2000 -p 1-1000 198.18.0.1 -oX "$S/sink.xml"
sent=$(($(lab_tx_packets) - before))
filtered=$(report states "$S/sink.xml" | awk '$4 == "filtered"' | wc -l)
if [[ $filtered -eq 1000 && $sent -ge 1000 && $sent -le 1100 ]]; then pass "prerouting sink: 1000 filtered, tx counter moved by $sent"
else failt "prerouting sink and tx meter" "filtered $filtered, tx $sent"; fi

# 9. Teardown removes both namespaces and stops the helpers inside them.
scan_ns=$LAB_SCAN
target_ns=$LAB_TARGET
helpers=$(ip netns pids "$target_ns" | xargs)
lab_down
left=$(ip netns list | grep -cE "^($scan_ns|$target_ns)( |$)")
alive=0
# A killed helper may stay a zombie until its new parent reaps it: only a
# process still running counts as alive. Allow a loaded machine a moment.
for ((try = 0; try < 30; try++)); do
  alive=0
  for p in $helpers; do
    state=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)
    [[ -n $state && $state != Z ]] && alive=$((alive + 1))
  done
  ((alive == 0)) && break
  sleep 0.1
done
if [[ -n $helpers && $left -eq 0 && $alive -eq 0 ]]; then pass "lab_down: namespaces gone, helpers ($helpers) stopped"
else failt "lab_down" "namespaces left: $left, helpers alive: $alive of '$helpers'"; fi
finish
