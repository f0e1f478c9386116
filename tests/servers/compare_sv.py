#!/usr/bin/python3
"""Compare service detection: nmap -sV's XML against Portolan's, port by port.

    compare_sv.py [--json] NMAP.xml PORTOLAN.xml

The rule (issue 4), for every port nmap reports open (or open|filtered):
  - nmap names a product: Portolan's product and version must be equal to
    nmap's (nothing normalised but surrounding whitespace);
  - nmap names no product: Portolan must report at least as much, that is the
    same service name, or a product of its own.
A port nmap reports and Portolan does not is a disagreement. Ports only
Portolan reports are listed but do not fail.

Prints a table (port, nmap name/product/version, portolan name/product/version,
verdict) and exits 1 on any disagreement, 2 on unreadable input.
--json prints a summary object instead (for bench/service_lab.sh):
  {"ports": N, "nmap_identified": N, "portolan_identified": N,
   "agree": N, "disagree": N, "missing": ["198.19.255.2 22/tcp: ...", ...],
   "rows": [...]}
"identified" means a product was reported.
"""
import json
import sys
import xml.etree.ElementTree as ET

OPEN_STATES = ("open", "open|filtered")


def services(path):
    """{(address, proto, port): {state, name, product, version, extrainfo, tunnel, method, conf}}"""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        sys.exit(f"compare_sv.py: cannot read {path}: {e}")
    out = {}
    for host in root.iter("host"):
        addr = ""
        for a in host.findall("address"):
            if a.get("addrtype") in ("ipv4", "ipv6"):
                addr = a.get("addr", "")
                break
        ports = host.find("ports")
        if ports is None:
            continue
        for p in ports.findall("port"):
            st = p.find("state")
            svc = p.find("service")
            attrs = dict(svc.attrib) if svc is not None else {}
            row = {k: (attrs.get(k) or "").strip() for k in
                   ("name", "product", "version", "extrainfo", "tunnel", "method", "conf")}
            row["state"] = st.get("state", "") if st is not None else ""
            out[(addr, p.get("protocol", ""), int(p.get("portid", "0")))] = row
    return out


def verdict(n, p):
    """(ok, why) for nmap row n against portolan row p (None when absent)."""
    if p is None:
        return False, "MISSING"
    if p["state"] not in OPEN_STATES:
        return False, f"STATE {p['state']}"
    if n["product"]:
        if p["product"] != n["product"]:
            return False, "PRODUCT"
        if p["version"] != n["version"]:
            return False, "VERSION"
        return True, "agree"
    if p["product"]:
        return True, "more"
    if not n["name"] or p["name"] == n["name"]:
        return True, "agree"
    return False, "NAME"


def svc_text(r):
    if r is None:
        return ("-", "-", "-")
    name = r["name"] or "-"
    if r["tunnel"]:
        name = f"{r['tunnel']}/{name}"
    return (name, r["product"] or "-", r["version"] or "-")


def main(argv):
    as_json = "--json" in argv
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    nm, po = services(args[0]), services(args[1])
    rows, missing = [], []
    agree = disagree = 0
    for key in sorted(k for k, r in nm.items() if r["state"] in OPEN_STATES):
        n, p = nm[key], po.get(key)
        ok, why = verdict(n, p)
        agree += ok
        disagree += not ok
        addr, proto, port = key
        label = f"{port}/{proto}"
        if not ok:
            missing.append(f"{addr} {label}: nmap {'/'.join(svc_text(n))}, portolan "
                           f"{'/'.join(svc_text(p))} ({why})")
        rows.append({"address": addr, "port": label, "nmap": n, "portolan": p,
                     "ok": ok, "verdict": why})
    extra = sorted(k for k, r in po.items() if r["state"] in OPEN_STATES and k not in nm)
    for addr, proto, port in extra:
        rows.append({"address": addr, "port": f"{port}/{proto}", "nmap": None,
                     "portolan": po[(addr, proto, port)], "ok": True, "verdict": "only portolan"})
    summary = {
        "ports": agree + disagree,
        "nmap_identified": sum(1 for k, r in nm.items() if r["state"] in OPEN_STATES and r["product"]),
        "portolan_identified": sum(1 for k, r in po.items()
                                   if r["state"] in OPEN_STATES and r["product"]),
        "agree": agree,
        "disagree": disagree,
        "missing": missing,
        "rows": rows,
    }
    if as_json:
        json.dump(summary, sys.stdout, indent=1)
        print()
    else:
        hdr = ("port", "nmap name", "nmap product", "nmap version",
               "portolan name", "portolan product", "portolan version", "verdict")
        table = [hdr]
        for r in rows:
            table.append((r["port"],) + svc_text(r["nmap"]) + svc_text(r["portolan"]) + (r["verdict"],))
        widths = [max(len(str(row[i])) for row in table) for i in range(len(hdr))]
        for row in table:
            print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        print(f"{summary['ports']} ports: {agree} agree, {disagree} disagree; identified (product): "
              f"nmap {summary['nmap_identified']}, portolan {summary['portolan_identified']}")
        for m in missing:
            print(f"  disagreement: {m}")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
