#!/usr/bin/python3
"""Reads scan reports (nmap-format XML, JSON lines, grepable) into one shape,
for the lab tests and bench/raw_lab.sh. The format is recognised from the
content, so Portolan's and nmap's files go through the same code.

Every port of a host is recovered, folded ones included: XML <extrareasons
ports="..."> and JSON extraports[].reasons[].ports list them; without those
lists the scanned ports of <scaninfo> that are not listed take the group's
state (older nmap). Grepable files cannot list folded ports; they serve the
host-level commands only.

  lab_report.py states FILE...      addr proto port state reason ttl, one port a line
                                    (several files are merged: shards)
  lab_report.py hosts FILE          addr status reason ttl times-reported
  lab_report.py open FILE           addr port,port,... for hosts with open ports
  lab_report.py compare A B [--reasons]
                                    "identical: ..." or the differences (exit 1)
  lab_report.py dups FILE...        hosts reported twice in one file, and
                                    host:port pairs reported by two files (exit 1)
  lab_report.py count FILE STATE PROTO/PORT
                                    number of hosts with that port in that state
ttl is "-" when the report gives none (folded ports, no-response).
"""
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict


class Report:
    def __init__(self):
        self.hosts = {}  # addr -> {"status", "reason", "ttl"}
        self.times = Counter()  # addr -> times the host appears
        self.ports = defaultdict(dict)  # addr -> {(proto, port): (state, reason, ttl)}


def expand(spec):
    out = []
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        if ":" in item:  # T:22 style, as in some scaninfo lists
            item = item.split(":", 1)[1]
        if "-" in item:
            lo, hi = item.split("-")
            out.extend(range(int(lo), int(hi) + 1))
        else:
            out.append(int(item))
    return out


def host_address(host):
    for a in host.findall("address"):
        if a.get("addrtype") in ("ipv4", "ipv6"):
            return a.get("addr")
    a = host.find("address")
    return None if a is None else a.get("addr")


def read_xml(path):
    r = Report()
    root = ET.parse(path).getroot()
    scanned = {}
    for info in root.findall("scaninfo"):
        scanned.setdefault(info.get("protocol"), set()).update(expand(info.get("services", "")))
    for host in root.findall("host"):
        addr = host_address(host)
        status = host.find("status")
        r.times[addr] += 1
        r.hosts[addr] = {
            "status": status.get("state") if status is not None else "?",
            "reason": status.get("reason", "") if status is not None else "",
            "ttl": status.get("reason_ttl", "-") if status is not None else "-",
        }
        ports = host.find("ports")
        if ports is None:
            continue
        table = r.ports[addr]
        for p in ports.findall("port"):
            st = p.find("state")
            table[(p.get("protocol"), int(p.get("portid")))] = (
                st.get("state"), st.get("reason", ""), st.get("reason_ttl", "-"))
        for extra in ports.findall("extraports"):
            unlisted_reason = None
            for er in extra.findall("extrareasons"):
                if er.get("ports"):
                    for port in expand(er.get("ports")):
                        table[(er.get("proto", "tcp"), port)] = (extra.get("state"), er.get("reason", ""), "-")
                else:
                    unlisted_reason = (er.get("proto"), er.get("reason", ""))
            if unlisted_reason is not None:
                proto, reason = unlisted_reason
                for pr, ports_set in scanned.items():
                    if proto and pr != proto:
                        continue
                    for port in ports_set:
                        table.setdefault((pr, port), (extra.get("state"), reason, "-"))
    return r


def read_json(path):
    r = Report()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            obj = json.loads(line)
            if obj.get("type") != "host":
                continue
            addr = obj["address"]
            r.times[addr] += 1
            r.hosts[addr] = {"status": obj.get("state", "?"), "reason": obj.get("reason", ""),
                             "ttl": str(obj.get("reason_ttl", "-"))}
            table = r.ports[addr]
            for p in obj.get("ports", []):
                table[(p["protocol"], int(p["port"]))] = (p["state"], p.get("reason", ""),
                                                           str(p.get("reason_ttl", "-")))
            for extra in obj.get("extraports", []):
                for reason in extra.get("reasons", []):
                    for port in expand(reason.get("ports", "")):
                        table[(reason["protocol"], port)] = (extra["state"], reason.get("reason", ""), "-")
    return r


GNMAP_HOST = re.compile(r"^Host: (\S+) \(.*?\)\t(.*)$")


def read_gnmap(path):
    """A host of a port scan has a Status line and a Ports line: it counts once
    per Ports line; a host without ports (-sn, down) once per Status line."""
    r = Report()
    status_lines = Counter()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = GNMAP_HOST.match(line.rstrip("\n"))
            if not m:
                continue
            addr, rest = m.groups()
            fields = dict(part.split(": ", 1) for part in rest.split("\t") if ": " in part)
            if "Ports" in fields:
                r.times[addr] += 1
                r.hosts.setdefault(addr, {"status": "up", "reason": "", "ttl": "-"})
                for entry in fields["Ports"].split(", "):
                    bits = entry.split("/")
                    if len(bits) >= 3:
                        r.ports[addr][(bits[2], int(bits[0]))] = (bits[1], "", "-")
            elif "Status" in fields:
                status_lines[addr] += 1
                r.hosts[addr] = {"status": fields["Status"].lower(), "reason": "", "ttl": "-"}
    for addr, n in status_lines.items():
        if addr not in r.times:
            r.times[addr] = n
    return r


def read(path):
    with open(path, "rb") as f:
        head = f.read(64).lstrip()
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return read_xml(path)
    if head.startswith(b"{"):
        return read_json(path)
    return read_gnmap(path)


def cmd_states(paths):
    merged = defaultdict(dict)
    for p in paths:
        for addr, table in read(p).ports.items():
            merged[addr].update(table)
    for addr in sorted(merged, key=sort_key):
        for (proto, port), (state, reason, ttl) in sorted(merged[addr].items()):
            print(addr, proto, port, state, reason or "-", ttl)
    return 0


def sort_key(addr):
    if ":" in addr:
        import ipaddress
        return (6, int(ipaddress.ip_address(addr)))
    return (4, tuple(int(x) for x in addr.split(".")))


def cmd_hosts(path):
    r = read(path)
    for addr in sorted(r.hosts, key=sort_key):
        h = r.hosts[addr]
        print(addr, h["status"], h["reason"] or "-", h["ttl"], r.times[addr])
    return 0


def cmd_open(path):
    r = read(path)
    for addr in sorted(r.ports, key=sort_key):
        opened = sorted(port for (proto, port), s in r.ports[addr].items() if s[0] == "open")
        if opened:
            print(addr, ",".join(map(str, opened)))
    return 0


def cmd_compare(a_path, b_path, reasons):
    a, b = read(a_path), read(b_path)
    diffs = []
    for addr in sorted(set(a.ports) | set(b.ports), key=sort_key):
        ta, tb = a.ports.get(addr), b.ports.get(addr)
        if ta is None or tb is None:
            diffs.append(f"{addr}: only in {'second' if ta is None else 'first'} file")
            continue
        for key in sorted(set(ta) | set(tb)):
            va = ta.get(key, ("missing", "", "-"))
            vb = tb.get(key, ("missing", "", "-"))
            if va[0] != vb[0] or (reasons and va[1] != vb[1]):
                diffs.append(f"{addr} {key[1]}/{key[0]}: {va[0]} ({va[1]}) vs {vb[0]} ({vb[1]})")
    if diffs:
        print(f"DIFFERENT ({len(diffs)} differences)")
        for d in diffs[:20]:
            print("  " + d)
        return 1
    total = sum(len(t) for t in a.ports.values())
    opened = sum(1 for t in a.ports.values() for s in t.values() if s[0] == "open")
    print(f"identical: {len(a.ports)} hosts, {total} host-ports, {opened} open")
    return 0


def cmd_dups(paths):
    bad = []
    owner = {}
    for p in paths:
        r = read(p)
        for addr, n in r.times.items():
            if n > 1:
                bad.append(f"{p}: {addr} reported {n} times")
        if len(paths) > 1:
            for addr, table in r.ports.items():
                for proto, port in table:
                    key = (addr, proto, port)
                    if key in owner:
                        bad.append(f"{addr} {port}/{proto} in {owner[key]} and {p}")
                    else:
                        owner[key] = p
    for line in bad[:20]:
        print(line)
    if bad:
        print(f"{len(bad)} duplicates")
        return 1
    print("no duplicates")
    return 0


def cmd_count(path, state, proto_port):
    port, proto = proto_port.split("/") if "/" in proto_port else (proto_port, "tcp")
    if not port.isdigit():  # accept tcp/80 as well as 80/tcp
        port, proto = proto, port
    r = read(path)
    print(sum(1 for t in r.ports.values() if t.get((proto, int(port)), ("",))[0] == state))
    return 0


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    try:
        if cmd == "states":
            return cmd_states(args)
        if cmd == "hosts":
            return cmd_hosts(args[0])
        if cmd == "open":
            return cmd_open(args[0])
        if cmd == "compare":
            return cmd_compare(args[0], args[1], "--reasons" in args[2:])
        if cmd == "dups":
            return cmd_dups(args)
        if cmd == "count":
            return cmd_count(args[0], args[1], args[2])
    except (OSError, ET.ParseError, ValueError, KeyError, IndexError) as e:
        print(f"lab_report: {cmd} {' '.join(args)}: {type(e).__name__}: {e}")
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
