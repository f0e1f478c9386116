#!/usr/bin/env bash
# UDP scan: responders (open, udp-response), closed ports (the target's ICMP
# port unreachable), a dropped port (open|filtered) and an ICMP-rejected one
# (filtered, admin-prohibited), IPv4 and IPv6, equal to nmap -sU; then the
# kernel's default ICMP rate limit (one error a second after a burst of 6)
# over 30 closed ports: every one must still come out closed.
# Usage: udp_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"

udp_scenario_up || failt "UDP scenario set up"
: >"$S/want4"
udp_scenario_want "$S/want4" 198.18.0.1 198.18.99.99
pscan udp4 300 -sU -n -Pn --reason -p "$UDP_PORTS" 198.18.0.1 198.18.99.99 -oX "$S/udp4.xml" --json "$S/udp4.json"
if ran_ok "-sU runs" udp4; then
  states_match "-sU: states, reasons and TTLs as configured" "$S/udp4.xml" "$S/want4"
  states_match "-sU JSON: states, reasons and TTLs as configured" "$S/udp4.json" "$S/want4"
  xml_valid "-sU XML validates against nmap.dtd" "$S/udp4.xml"
  grep -q '<scaninfo type="udp" protocol="udp"' "$S/udp4.xml" && pass "scaninfo type udp" ||
    failt "scaninfo type udp" "$(grep scaninfo "$S/udp4.xml")"
fi
: >"$S/want6"
udp_scenario_want "$S/want6" "$LAB_HOST6"
pscan udp6 300 -6 -sU -n -Pn --reason -p "$UDP_PORTS" "$LAB_HOST6" -oX "$S/udp6.xml"
ran_ok "-6 -sU runs" udp6 && states_match "-6 -sU: states, reasons and TTLs as configured" "$S/udp6.xml" "$S/want6"
if [[ $HAVE_NMAP == 1 ]]; then
  nscan nmap_udp4 300 -sU -n -Pn --reason -p "$UDP_PORTS" 198.18.0.1 198.18.99.99 -oX "$S/nmap_udp4.xml"
  ran_ok "nmap -sU runs" nmap_udp4 && same_states "-sU equals nmap -sU (with reasons)" "$S/nmap_udp4.xml" "$S/udp4.xml" --reasons
fi

# The kernel's default ICMP rate limit (nmap needs about 26 s here).
lab_icmp_ratelimit 1000
t0=$(date +%s)
pscan ratelimit 300 -sU -n -Pn -p 3000-3029 198.18.0.2 -oX "$S/ratelimit.xml"
t1=$(date +%s)
if ran_ok "-sU under icmp_ratelimit 1000 runs" ratelimit; then
  : >"$S/want_rl"
  want "$S/want_rl" 198.18.0.2 udp 3000-3029 closed port-unreach
  states_match "icmp_ratelimit 1000: all 30 ports closed ($((t1 - t0)) s)" "$S/ratelimit.xml" "$S/want_rl" 5
fi
finish
