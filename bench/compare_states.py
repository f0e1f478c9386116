#!/usr/bin/python3
"""Compares the port states of two nmap-format XML files, host by host.

Ports not listed individually take the state of their <extraports> group (the
ports attribute of <extrareasons> says which ports a group holds when there is
more than one). Prints 'identical' or the differences; exit status 1 when the
states differ or a file cannot be read.
Usage: compare_states.py A.xml B.xml
"""
import sys
import xml.etree.ElementTree as ET


def expand(ports_attr):
    out = set()
    for item in ports_attr.split(","):
        if "-" in item:
            lo, hi = item.split("-")
            out.update(range(int(lo), int(hi) + 1))
        elif item:
            out.add(int(item))
    return out


def states(path):
    root = ET.parse(path).getroot()
    scanned = set()
    for info in root.findall("scaninfo"):
        if info.get("protocol") == "tcp":
            scanned |= expand(info.get("services", ""))
    result = {}
    for host in root.findall("host"):
        addr = host.find("address").get("addr")
        ports = host.find("ports")
        table = {}
        if ports is not None:
            for p in ports.findall("port"):
                table[int(p.get("portid"))] = p.find("state").get("state")
            default = None
            for extra in ports.findall("extraports"):
                reasons = extra.findall("extrareasons")
                listed = [r.get("ports") for r in reasons if r.get("ports")]
                if listed:
                    for spec in listed:
                        for port in expand(spec):
                            table[port] = extra.get("state")
                else:
                    default = extra.get("state")
            if default is not None:
                for port in scanned:
                    table.setdefault(port, default)
        result[addr] = table
    return result


def main():
    try:
        a, b = states(sys.argv[1]), states(sys.argv[2])
    except (OSError, ET.ParseError, IndexError) as e:
        print(f"compare_states: {e}")
        return 1
    diffs = []
    for host in sorted(set(a) | set(b)):
        ta, tb = a.get(host), b.get(host)
        if ta is None or tb is None:
            diffs.append(f"{host}: only in {'second' if ta is None else 'first'} file")
            continue
        for port in sorted(set(ta) | set(tb)):
            if ta.get(port) != tb.get(port):
                diffs.append(f"{host} port {port}: {ta.get(port)} vs {tb.get(port)}")
    if diffs:
        print(f"DIFFERENT ({len(diffs)} differences)")
        for d in diffs[:20]:
            print("  " + d)
        return 1
    total = sum(len(t) for t in a.values())
    opened = sum(1 for t in a.values() for s in t.values() if s == "open")
    print(f"identical: {len(a)} hosts, {total} host-ports, {opened} open")
    return 0


if __name__ == "__main__":
    sys.exit(main())
