#!/usr/bin/env bash
# Host discovery (-sn) with each probe type: up hosts are reported up with
# the reason of the reply that proved it (the reasons nmap 7.93 gives in the
# same lab, see lab_selftest_test.sh), and a host inside the AnyIP range that
# drops everything is reported down.
# Usage: discovery_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"

lab_listen 22 || failt "listener"
lab_udp 53 || failt "udp responder"
lab_drop_host 198.18.0.99
lab_drop_host 2001:db8:1::99

# check NAME "options" "address=status/reason ..."
check() {
  local name=$1 opts=$2 expect=$3 item addr want got targets=() run=disc$((++n_check))
  for item in $expect; do targets+=("${item%%=*}"); done
  # shellcheck disable=SC2086
  pscan "$run" 120 -sn -n -v --reason $opts "${targets[@]}" -oX "$S/$run.xml" --json "$S/$run.json"
  ran_ok "-sn $name runs" "$run" || return
  for item in $expect; do
    addr=${item%%=*}
    want=${item#*=}
    for f in "$S/$run.xml" "$S/$run.json"; do
      got=$(report hosts "$f" | awk -v a="$addr" '$1 == a {print $2 "/" $3 " x" $5}')
      if [[ $got != "$want x1" ]]; then
        failt "-sn $name: $addr is $want (${f##*.})" "got '$got'"
        return
      fi
    done
  done
  xmllint --noout --dtdvalid "$DTD" "$S/$run.xml" 2>/dev/null || { failt "-sn $name: XML validates"; return; }
  pass "-sn $name: $expect"
}
n_check=0
check -PE -PE "198.18.0.1=up/echo-reply 198.18.0.99=down/no-response"
check -PP -PP "198.18.0.1=up/timestamp-reply 198.18.0.99=down/no-response"
check -PS22 -PS22 "198.18.0.1=up/syn-ack 198.18.0.99=down/no-response"
check -PS23 -PS23 "198.18.0.1=up/reset"
check -PA80 -PA80 "198.18.0.1=up/reset 198.18.0.99=down/no-response"
check -PU53 -PU53 "198.18.0.1=up/udp-response 198.18.0.99=down/no-response"
check -PU40125 -PU40125 "198.18.0.1=up/port-unreach"
check -PR -PR "198.19.255.2=up/arp-response"
check "(default, on-link)" "" "198.19.255.2=up/arp-response"
check "-6 (on-link, ND)" -6 "2001:db8:ffff::2=up/nd-response"
check "-6 -PE" "-6 -PE" "2001:db8:1::1=up/echo-reply 2001:db8:1::99=down/no-response"
check "-6 -PS22" "-6 -PS22" "2001:db8:1::1=up/syn-ack 2001:db8:1::99=down/no-response"

# Default probes over a range: every address of 198.18.1.0/24 is up except
# the one that drops everything.
lab_drop_host 198.18.1.77
pscan range 300 -sn -n --scan-special 198.18.1.0/24 -oX "$S/range.xml" -oG "$S/range.gnmap"
if ran_ok "-sn 198.18.1.0/24 runs" range; then
  up=$(report hosts "$S/range.xml" | awk '$2 == "up"' | wc -l)
  down77=$(report hosts "$S/range.xml" | awk '$1 == "198.18.1.77"' | wc -l)
  [[ $up -eq 255 && $down77 -eq 0 ]] && pass "-sn 198.18.1.0/24: 255 up, 198.18.1.77 not reported up" ||
    failt "-sn 198.18.1.0/24" "up $up (want 255); 198.18.1.77 lines: $down77"
  grep -q 'hosts up="255" down="1" total="256"' "$S/range.xml" && pass "runstats: 255 up, 1 down, 256 total" ||
    failt "runstats of -sn 198.18.1.0/24" "$(grep '<hosts ' "$S/range.xml")"
fi
finish
