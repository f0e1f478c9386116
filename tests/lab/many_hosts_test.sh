#!/usr/bin/env bash
# One port on all 65,536 hosts of 198.18.0.0/16 (AnyIP answers for each):
# with default discovery every host is up with 80 open; with -Pn -p 80,443
# every host has 80 open and 443 closed. Each host exactly once, in every
# format. The range is special-use (RFC 2544), hence --scan-special.
# Usage: many_hosts_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"

lab_listen 80 || failt "listener"
N=65536

t0=$(date +%s)
pscan disc 600 -sS -n --scan-special -p 80 198.18.0.0/16 --json "$S/disc.json" -oG "$S/disc.gnmap"
t1=$(date +%s)
if ran_ok "-p 80 198.18.0.0/16 runs" disc; then
  up=$(report hosts "$S/disc.json" | awk '$2 == "up"' | wc -l)
  open=$(report count "$S/disc.json" open 80/tcp)
  [[ $up -eq $N && $open -eq $N ]] && pass "-p 80 (with discovery): $N hosts up, 80 open on all ($((t1 - t0)) s)" ||
    failt "-p 80 (with discovery) over the /16" "up $up, 80 open on $open (want $N)"
  out=$(report dups "$S/disc.json" && report dups "$S/disc.gnmap") && [[ $(grep -c '^Host: .*Ports: 80/open/tcp' "$S/disc.gnmap") -eq $N ]] &&
    pass "JSON and grepable: each host once" || failt "JSON and grepable: each host once" "$out"
fi

t0=$(date +%s)
pscan pn 600 -sS -n -Pn --scan-special -p 80,443 198.18.0.0/16 --json "$S/pn.json" -oX "$S/pn.xml"
t1=$(date +%s)
if ran_ok "-Pn -p 80,443 198.18.0.0/16 runs" pn; then
  open=$(report count "$S/pn.json" open 80/tcp)
  closed=$(report count "$S/pn.json" closed 443/tcp)
  hosts=$(report hosts "$S/pn.xml" | wc -l)
  [[ $open -eq $N && $closed -eq $N && $hosts -eq $N ]] &&
    pass "-Pn -p 80,443: $N hosts, 80 open and 443 closed on all ($((t1 - t0)) s)" ||
    failt "-Pn -p 80,443 over the /16" "hosts $hosts, 80 open on $open, 443 closed on $closed (want $N)"
  out=$(report dups "$S/pn.json" && report dups "$S/pn.xml") && pass "JSON and XML: each host once" ||
    failt "JSON and XML: each host once" "$out"
  xml_valid "XML of 65,536 hosts validates against nmap.dtd" "$S/pn.xml"
fi
finish
