#!/usr/bin/env bash
# SYN scan in the lab: open / closed / dropped / ICMP-rejected ports on AnyIP
# addresses and on the veth address come out exactly as the lab configured
# them, with nmap's reasons and the target's TTL, in XML that validates
# against nmap.dtd, and equal to nmap -sS's states in the same lab.
# Usage: syn_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"

tcp_scenario_up || failt "TCP scenario set up"
targets=(198.18.0.1 198.18.200.7 198.19.255.2)
: >"$S/want"
tcp_scenario_want "$S/want" "${targets[@]}"

# 1. Every port listed (none folds), every output format.
pscan syn 120 -sS -n -Pn --reason -p "$TCP_PORTS" "${targets[@]}" \
  -oX "$S/syn.xml" -oG "$S/syn.gnmap" -oN "$S/syn.nmap" --json "$S/syn.json"
if ran_ok "-sS runs" syn; then
  states_match "-sS XML: states, reasons and TTLs as configured" "$S/syn.xml" "$S/want"
  states_match "-sS JSON: states, reasons and TTLs as configured" "$S/syn.json" "$S/want"
  xml_valid "-sS XML validates against nmap.dtd" "$S/syn.xml"
  grep -q '<scaninfo type="syn" protocol="tcp"' "$S/syn.xml" && pass "scaninfo type syn" ||
    failt "scaninfo type syn" "$(grep scaninfo "$S/syn.xml")"
  grep -qE '^1500/tcp +filtered +\S+ +admin-prohibited ttl 64$' "$S/syn.nmap" &&
    grep -qE '^22/tcp +open +ssh +syn-ack ttl 64$' "$S/syn.nmap" &&
    pass "normal output shows reasons with TTLs" || failt "normal output reasons" "$(head -40 "$S/syn.nmap")"
  n=$(report hosts "$S/syn.gnmap" | awk '$2 == "up"' | wc -l)
  [[ $n -eq 3 ]] && pass "grepable: 3 hosts up" || failt "grepable: 3 hosts up" "$(cat "$S/syn.gnmap")"
fi

# 2. The same as nmap -sS, port by port with reasons.
if [[ $HAVE_NMAP == 1 ]]; then
  nscan nmap_syn 120 -sS -n -Pn --reason -p "$TCP_PORTS" "${targets[@]}" -oX "$S/nmap_syn.xml"
  ran_ok "nmap -sS runs" nmap_syn && same_states "-sS equals nmap -sS (with reasons)" "$S/nmap_syn.xml" "$S/syn.xml" --reasons
fi

# 3. A wider range where closed ports fold into <extraports>: still equal to
# nmap, port by port.
pscan wide 300 -sS -n -Pn -p 1-3000 198.18.0.1 -oX "$S/wide.xml" --json "$S/wide.json"
if ran_ok "-sS -p 1-3000 runs" wide; then
  xml_valid "-sS -p 1-3000 XML validates" "$S/wide.xml"
  : >"$S/want_wide"
  want "$S/want_wide" 198.18.0.1 tcp 22,80,443 open syn-ack
  want "$S/want_wide" 198.18.0.1 tcp "$TCP_DROPPED" filtered no-response
  want "$S/want_wide" 198.18.0.1 tcp "$TCP_REJECTED" filtered admin-prohibited
  want "$S/want_wide" 198.18.0.1 tcp 1-21,23-79,81-442,444-999,1010-1499,1510-3000 closed reset
  states_match "-sS -p 1-3000: states and reasons as configured" "$S/wide.xml" "$S/want_wide" 5
  states_match "-sS -p 1-3000 JSON: states and reasons as configured" "$S/wide.json" "$S/want_wide" 5
  if [[ $HAVE_NMAP == 1 ]]; then
    nscan nmap_wide 300 -sS -n -Pn -p 1-3000 198.18.0.1 -oX "$S/nmap_wide.xml"
    ran_ok "nmap -sS -p 1-3000 runs" nmap_wide &&
      same_states "-sS -p 1-3000 equals nmap (with reasons)" "$S/nmap_wide.xml" "$S/wide.xml" --reasons
  fi
fi
finish
