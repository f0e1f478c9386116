#!/usr/bin/env bash
# End to end on loopback: real listeners, real scans through the CLI, every
# output format, and the nmap ecosystem reading our XML (xmllint with nmap's
# DTD, xsltproc with nmap.xsl, ndiff, python3-libnmap).
# Usage: scan_loopback_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY [sanitized]
source "$(dirname "$0")/lib.sh"
BIN=$1
LISTEN_BIN=$2
SANITIZED=$([[ ${3:-} == sanitized ]] && echo 1 || echo 0)
PY=/usr/bin/python3   # Debian's python, where python3-libnmap lives
DTD=/usr/share/nmap/nmap.dtd
S=$SCRATCH

# Truth: the TCP ports listening on 127.0.0.1 or a wildcard address right now.
listening_now() {
  ss -Htln | awk '{print $4}' | grep -E '^(127\.0\.0\.1|0\.0\.0\.0|\*|\[::\]):[0-9]+$' |
    sed 's/.*://' | sort -n | uniq | xargs
}
open_ports_in_xml() {  # open TCP ports of the first host in an XML report
  $PY - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
host = root.find("host")
ports = [] if host is None else [int(p.get("portid")) for p in host.iter("port") if p.find("state").get("state") == "open"]
print(" ".join(str(p) for p in sorted(ports)))
PY
}

start_listener 127.0.0.1 18081 28082 38083 48084 58085 60999
[[ -n $LISTENING ]] || { failt "listener started"; finish; exit 1; }

# 1. Full -p- scan: the open set equals what the kernel says is listening.
before=$(listening_now)
"$BIN" scan -sT -p- -n --no-progress 127.0.0.1 -oX "$S/full.xml" -oN "$S/full.nmap" \
  -oG "$S/full.gnmap" --json "$S/full.json" >"$S/full.stdout" 2>"$S/full.stderr"
rc=$?
after=$(listening_now)
got=$(open_ports_in_xml "$S/full.xml")
if [[ $rc -ne 0 ]]; then failt "-p- scan exits 0" "status $rc: $(cat "$S/full.stderr")"
elif [[ $before != "$after" ]]; then pass "-p- scan (listeners changed during the scan; open-set check skipped)"
elif [[ $got == "$before" ]]; then pass "-p- open ports equal the listening set ($got)"
else failt "-p- open ports equal the listening set" "scan: $got" "ss:   $before"; fi

for p in $LISTENING; do
  grep -qE "^$p/tcp +open" "$S/full.nmap" || failt "normal output lists $p open" "$(head -30 "$S/full.nmap")"
done
pass "normal output lists every listener as open"
grep -q "Not shown: .* closed tcp ports (conn-refused)" "$S/full.nmap" &&
  pass "closed ports collapse into 'Not shown'" || failt "closed ports collapse" "$(cat "$S/full.nmap")"
cmp -s "$S/full.nmap" "$S/full.stdout" && failt "terminal output differs from -oN? (identical is fine)" || true

# 2. XML consumers.
if xmllint --noout --dtdvalid "$DTD" "$S/full.xml" 2>"$S/xmllint.err"; then pass "XML validates against nmap.dtd"
else failt "XML validates against nmap.dtd" "$(head -5 "$S/xmllint.err")"; fi
if xsltproc /usr/share/nmap/nmap.xsl "$S/full.xml" >"$S/full.html" 2>"$S/xslt.err" &&
   grep -q "18081" "$S/full.html"; then pass "xsltproc nmap.xsl renders the report"
else failt "xsltproc nmap.xsl renders the report" "$(head -5 "$S/xslt.err")"; fi
libnmap_out=$($PY - "$S/full.xml" <<'PY' 2>&1
import sys
from libnmap.parser import NmapParser
r = NmapParser.parse_fromfile(sys.argv[1])
h = r.hosts[0]
opened = sorted(p for p, proto in h.get_open_ports())
svc = {s.port: s.service for s in h.services}
print(h.address, h.status, " ".join(map(str, opened)), svc.get(18081, "?"), r.hosts_up)
PY
)
want_open=$(echo "$got")
if [[ $libnmap_out == "127.0.0.1 up $want_open "* ]]; then pass "python3-libnmap reads hosts, states and ports ($libnmap_out)"
else failt "python3-libnmap reads the report" "$libnmap_out" "expected prefix: 127.0.0.1 up $want_open"; fi

# 3. ndiff between two of our scans: close one listener, scan again.
start_listener 127.0.0.1 18091
first_extra=$LISTENING
"$BIN" scan -sT -p 18080-18100 -n --no-progress 127.0.0.1 -oX "$S/d1.xml" >/dev/null 2>&1
kill "$LISTENER_PID"; wait "$LISTENER_PID" 2>/dev/null
"$BIN" scan -sT -p 18080-18100 -n --no-progress 127.0.0.1 -oX "$S/d2.xml" >/dev/null 2>&1
ndiff "$S/d1.xml" "$S/d2.xml" >"$S/ndiff.txt" 2>&1; nrc=$?
if [[ $first_extra == 18091 && $nrc -eq 1 ]] && grep -qE '^-18091/tcp +open' "$S/ndiff.txt" &&
   grep -qE '^\+18091/tcp +closed' "$S/ndiff.txt"; then pass "ndiff reports the port that closed"
else failt "ndiff reports the port that closed" "exit $nrc" "$(cat "$S/ndiff.txt")"; fi
ndiff "$S/d1.xml" "$S/d1.xml" >/dev/null 2>&1 && pass "ndiff: a scan equals itself" || failt "ndiff self-compare exits 0"

# 4. Grepable and JSON lines.
if grep -qE "^Host: 127\.0\.0\.1 \(\)\s+Ports: .*18081/open/tcp//" "$S/full.gnmap"; then pass "grepable Ports line"
else failt "grepable Ports line" "$(cat "$S/full.gnmap")"; fi
json_check=$($PY - "$S/full.json" <<'PY' 2>&1
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
types = [l["type"] for l in lines]
host = [l for l in lines if l["type"] == "host"][0]
opened = sorted(p["port"] for p in host["ports"] if p["state"] == "open")
print(types[0], types[-1], len([t for t in types if t == "host"]), " ".join(map(str, opened)))
PY
)
if [[ $json_check == "scan_start summary 1 $want_open" ]]; then pass "JSON lines: start, one host, summary, open ports"
else failt "JSON lines" "$json_check" "want: scan_start summary 1 $want_open"; fi

# 5. --open and --reason.
"$BIN" scan -p 18000-18100,28082 --open --reason -n --no-progress 127.0.0.1 >"$S/open.txt" 2>&1
if grep -qE '^18081/tcp +open +\S+ +syn-ack' "$S/open.txt" && ! grep -qE '^[0-9]+/tcp +closed' "$S/open.txt"; then
  pass "--open --reason shows open ports with reasons only"
else failt "--open --reason" "$(cat "$S/open.txt")"; fi

# 6. Service names from the registry.
"$BIN" scan -p 18081 -n --no-progress 127.0.0.1 -oX - >"$S/svc.xml" 2>/dev/null
grep -q '<service name="' "$S/svc.xml" && pass "XML carries <service> with a name" || failt "XML service element" "$(cat "$S/svc.xml")"

# 7. Several hosts, -iL from stdin with comments, exclusions.
printf '# loopback hosts\n127.0.0.1 127.0.0.2\n127.0.0.3 # third\n127.0.0.4\n' |
  "$BIN" scan -iL - --exclude 127.0.0.3 -p 18081 -Pn -n --no-progress -oG - >"$S/multi.gnmap" 2>&1
hosts=$(grep -c '^Host: .*Ports:' "$S/multi.gnmap")
if [[ $hosts -eq 3 ]] && ! grep -q '^Host: 127.0.0.3 ' "$S/multi.gnmap"; then pass "-iL - with comments and --exclude: 3 hosts"
else failt "-iL - and --exclude" "$(cat "$S/multi.gnmap")"; fi

# 8. -sL lists without scanning, lazily: a /8 streams without holding it in memory.
"$BIN" scan -sL -n 127.0.0.0/30 -oX "$S/list.xml" >/dev/null 2>&1
n=$(grep -cE '<host[ >]' "$S/list.xml")
[[ $n -eq 4 ]] && xmllint --noout --dtdvalid "$DTD" "$S/list.xml" 2>/dev/null &&
  pass "-sL 127.0.0.0/30 lists 4 hosts, valid XML" || failt "-sL lists 4 hosts" "$(cat "$S/list.xml")"
# Peak resident memory of the child, from getrusage; sanitizer builds keep
# freed memory in quarantine, so the bound applies to ordinary builds only.
read -r lines maxrss < <($PY - "$BIN" <<'PY'
import resource, subprocess, sys
p = subprocess.Popen([sys.argv[1], "scan", "-sL", "-n", "10.0.0.0/12", "-oG", "-"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
lines = sum(1 for l in p.stdout if l.startswith(b"Host:"))
p.wait()
print(lines, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
)
if [[ $lines -eq 1048576 && ( $SANITIZED == 1 || $maxrss -lt 65536 ) ]]; then
  pass "-sL 10.0.0.0/12 streams 1,048,576 hosts (peak RSS ${maxrss} KB)"
else failt "-sL of a /12 streams in bounded memory" "listed $lines, peak RSS ${maxrss} KB"; fi

# 9. Discovery (no -Pn): loopback is up; -sn scans no ports.
"$BIN" scan -sn -n --no-progress 127.0.0.1 >"$S/ping.txt" 2>&1
grep -q "Host is up" "$S/ping.txt" && ! grep -q "PORT" "$S/ping.txt" &&
  pass "-sn: host up, no port table" || failt "-sn" "$(cat "$S/ping.txt")"

# 10. IPv6 loopback.
start_listener ::1 18082
if [[ $LISTENING == 18082 ]]; then
  "$BIN" scan -p 18080-18085 -n --no-progress ::1 -oX "$S/v6.xml" >/dev/null 2>&1
  [[ $(open_ports_in_xml "$S/v6.xml") == 18082 ]] && xmllint --noout --dtdvalid "$DTD" "$S/v6.xml" 2>/dev/null &&
    pass "IPv6 ::1 scan finds the listener" || failt "IPv6 ::1 scan" "$(cat "$S/v6.xml")"
fi

# 11. -oA writes three files; Ctrl-C leaves complete reports.
"$BIN" scan -p 18081 -n --no-progress 127.0.0.1 -oA "$S/all" >/dev/null 2>&1
[[ -s $S/all.nmap && -s $S/all.xml && -s $S/all.gnmap ]] && pass "-oA writes .nmap .xml .gnmap" || failt "-oA" "$(ls "$S")"
"$BIN" scan -sT -p- -n --no-progress --max-rate 2000 127.0.0.1-255 -oX "$S/int.xml" >/dev/null 2>&1 &
scan_pid=$!
sleep 1.5
kill -INT $scan_pid
for _ in $(seq 1 100); do kill -0 $scan_pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $scan_pid 2>/dev/null; then kill -KILL $scan_pid; echo "scan ignored SIGINT for 10 s" >&2; fi
wait $scan_pid; irc=$?
if [[ $irc -eq 130 ]] && grep -q 'exit="error"' "$S/int.xml" && xmllint --noout --dtdvalid "$DTD" "$S/int.xml" 2>/dev/null; then
  pass "Ctrl-C: exit 130, XML complete and valid, runstats say error"
else failt "Ctrl-C leaves a valid report" "exit $irc" "$(tail -5 "$S/int.xml")"; fi
finish
