#!/usr/bin/env bash
# One port on all 65,536 hosts of 198.18.0.0/16 (AnyIP answers for each):
# with default discovery every host is up with 80 open; with -Pn -p 80,443
# every host has 80 open and 443 closed. Each host exactly once, in every
# format: the discovery scan writes JSON and grepable, the -Pn scan XML (each
# format is read once, every property from the one parse; JSON is written
# once because it is the slow writer: about 10 s for 65,536 hosts here).
# The range is special-use (RFC 2544), hence --scan-special.
# Usage: many_hosts_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"

lab_listen 80 || failt "listener"
N=65536

# summary FILE: one parse of a report by lab_report.py's reader, printing
# "hosts N", "up N" (status up), "dups N" (hosts reported more than once) and
# "STATE PORT/PROTO N" (hosts with that port in that state) lines.
summary() {
  "$PY" - "$REPORT" "$1" <<'PY'
import importlib.util
import sys
from collections import Counter
spec = importlib.util.spec_from_file_location("lab_report", sys.argv[1])
lab_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lab_report)
r = lab_report.read(sys.argv[2])
print("hosts", len(r.hosts))
print("up", sum(1 for h in r.hosts.values() if h["status"] == "up"))
print("dups", sum(1 for n in r.times.values() if n > 1))
states = Counter((s[0], f"{port}/{proto}") for t in r.ports.values() for (proto, port), s in t.items())
for (state, port), n in sorted(states.items()):
    print(state, port, n)
PY
}
# field SUMMARY_FILE KEY...: the number after KEY in a summary (0 when absent).
field() {
  local file=$1
  shift
  awk -v k="$*" '{n = $NF; $NF = ""; sub(/ $/, "")} $0 == k {print n; f = 1} END {if (!f) print 0}' "$file"
}

t0=$(date +%s)
pscan disc 600 -sS -n --scan-special -p 80 198.18.0.0/16 --json "$S/disc.json" -oG "$S/disc.gnmap"
t1=$(date +%s)
if ran_ok "-p 80 198.18.0.0/16 runs" disc; then
  # The two parses run side by side (two cores; nothing is on the wire now).
  summary "$S/disc.gnmap" >"$S/disc.gnmap.sum" &
  bg=$!
  summary "$S/disc.json" >"$S/disc.json.sum"
  wait "$bg"
  up=$(field "$S/disc.json.sum" up)
  open=$(field "$S/disc.json.sum" open 80/tcp)
  gup=$(field "$S/disc.gnmap.sum" up)
  gopen=$(grep -c '^Host: .*Ports: 80/open/tcp' "$S/disc.gnmap")
  [[ $up -eq $N && $open -eq $N && $gup -eq $N && $gopen -eq $N ]] &&
    pass "-p 80 (with discovery): $N hosts up, 80 open on all, in JSON and grepable ($((t1 - t0)) s)" ||
    failt "-p 80 (with discovery) over the /16" "JSON: up $up, 80 open on $open; grepable: up $gup, 80 open on $gopen (want $N)"
  jd=$(field "$S/disc.json.sum" dups)
  gd=$(field "$S/disc.gnmap.sum" dups)
  [[ $jd -eq 0 && $gd -eq 0 ]] && pass "JSON and grepable: each host once" ||
    failt "JSON and grepable: each host once" "hosts reported more than once: JSON $jd, grepable $gd"
fi

t0=$(date +%s)
pscan pn 600 -sS -n -Pn --scan-special -p 80,443 198.18.0.0/16 -oX "$S/pn.xml"
t1=$(date +%s)
if ran_ok "-Pn -p 80,443 198.18.0.0/16 runs" pn; then
  xmllint --noout --dtdvalid "$DTD" "$S/pn.xml" 2>"$S/xmllint.err" &
  lint=$!
  summary "$S/pn.xml" >"$S/pn.xml.sum"
  open=$(field "$S/pn.xml.sum" open 80/tcp)
  closed=$(field "$S/pn.xml.sum" closed 443/tcp)
  hosts=$(field "$S/pn.xml.sum" hosts)
  [[ $open -eq $N && $closed -eq $N && $hosts -eq $N ]] &&
    pass "-Pn -p 80,443: $N hosts, 80 open and 443 closed on all ($((t1 - t0)) s)" ||
    failt "-Pn -p 80,443 over the /16" "hosts $hosts, 80 open on $open, 443 closed on $closed (want $N)"
  xd=$(field "$S/pn.xml.sum" dups)
  [[ $xd -eq 0 ]] && pass "XML: each host once" || failt "XML: each host once" "hosts reported more than once: $xd"
  if wait "$lint"; then pass "XML of 65,536 hosts validates against nmap.dtd"
  else failt "XML of 65,536 hosts validates against nmap.dtd" "$(head -5 "$S/xmllint.err")"; fi
fi
finish
