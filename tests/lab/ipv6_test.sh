#!/usr/bin/env bash
# IPv6 SYN scan: an AnyIP address (2001:db8:1::1, routed through the target's
# veth address) and the on-link 2001:db8:ffff::2 (neighbour discovery), with
# open / closed / dropped / ICMPv6-rejected ports as configured, valid XML,
# and nmap -6 -sS's states.
# Usage: ipv6_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"

tcp_scenario_up || failt "TCP scenario set up"
targets=("$LAB_HOST6" "$LAB_TARGET_IP6")
: >"$S/want"
tcp_scenario_want "$S/want" "${targets[@]}"

pscan syn6 120 -6 -sS -n -Pn --reason -p "$TCP_PORTS" "${targets[@]}" -oX "$S/syn6.xml" --json "$S/syn6.json"
if ran_ok "-6 -sS runs" syn6; then
  states_match "-6 -sS XML: states, reasons and TTLs as configured" "$S/syn6.xml" "$S/want"
  states_match "-6 -sS JSON: states, reasons and TTLs as configured" "$S/syn6.json" "$S/want"
  xml_valid "-6 -sS XML validates against nmap.dtd" "$S/syn6.xml"
  hosts=$(report hosts "$S/syn6.xml" | awk '{print $1, $2, $5}' | xargs)
  [[ $hosts == "$LAB_HOST6 up 1 $LAB_TARGET_IP6 up 1" ]] && pass "XML: both IPv6 hosts up, once each" ||
    failt "XML: both IPv6 hosts up, once each" "$hosts"
fi
if [[ $HAVE_NMAP == 1 ]]; then
  nscan nmap6 120 -6 -sS -n -Pn --reason -p "$TCP_PORTS" "${targets[@]}" -oX "$S/nmap6.xml"
  ran_ok "nmap -6 -sS runs" nmap6 && same_states "-6 -sS equals nmap -6 -sS (with reasons)" "$S/nmap6.xml" "$S/syn6.xml" --reasons
fi

# A whole /120 of AnyIP addresses (needs --scan-special: 2001:db8::/32 is
# documentation space): 256 hosts, port 22 open, 23 closed.
pscan range6 300 -6 -sS -n -Pn --scan-special -p 22,23 2001:db8:1::/120 --json "$S/range6.json"
if ran_ok "-6 -sS of a /120 runs" range6; then
  o=$(report count "$S/range6.json" open 22/tcp)
  c=$(report count "$S/range6.json" closed 23/tcp)
  [[ $o -eq 256 && $c -eq 256 ]] && pass "2001:db8:1::/120: 256 hosts with 22 open, 23 closed" ||
    failt "2001:db8:1::/120" "22 open on $o hosts, 23 closed on $c (want 256 each)"
fi
finish
