#!/usr/bin/env python3
"""Scores audits of the audit lab (issue 5) against audit_expected.txt.

  compare_audit.py check --expected E --list L --started S --json J [--xml X]
      Portolan's findings (`--json` lines; `-oX` too when given, which must hold
      the same findings): every expected finding present on its port, no
      finding at all on a twin port. Prints one line per problem; exit 1 when
      there is one.
  compare_audit.py ids FILE                  "PORT/PROTO ID SEVERITY" per finding, sorted
  compare_audit.py worst FILE [--port N]     the worst severity, or "none"
  compare_audit.py tools --expected E --list L --started S [--portolan J]
                   [--nmap XML] [--sslscan PORT=FILE ...] [--ssh-audit PORT=FILE ...]
                   [--json OUT]
      bench/audit_lab.sh's scoring of each tool's report (Markdown on stdout).

An expected id matches a finding whose id equals it or begins with it and ":".
A third column (comma-separated) names what an ssh-weak-algorithms entry
stands for, for scoring the other tools.

How another tool's report is read (tools): each expected exposure is
  "yes"   the tool names it as a problem: a grade below A, a warning, a
          VULNERABLE state, a red/yellow/magenta mark, [fail]/[warn];
  "shown" the fact is in its report but not called a problem (a certificate's
          dates, an enumerated algorithm, a protocol version listed): the
          reader has to know it is one;
  "-"     not in the report; "n/a" the tool does not look at that port.
  nmap (-sV --script "default or vuln or ssl-enum-ciphers or ssh2-enum-algos"):
    ftp-anonymous   yes: ftp-anon says "Anonymous FTP login allowed"
    ftp-cleartext   shown: ftp-syst says "Control connection is plain text"
    redis-noauth    shown: redis-info lists the server's INFO
    exposed-service shown: the port is listed open with its service
    tls-old-protocols:V  shown: ssl-enum-ciphers lists that version
    tls-weak-ciphers yes: a suite graded below A (or "least strength" below A)
    tls-cert-expired shown: ssl-cert's "Not valid after" is in the past
    tls-cert-self-signed shown: ssl-cert's issuer equals its subject
    tls-cert-wrong-name  shown: ssl-cert's subject and SANs (never compared)
    tls-short-key   yes if a suite with that key is graded below A for it, else
                    shown: ssl-cert's key bits
    ssh-weak-algorithms:T shown: ssh2-enum-algos lists one of the algorithms
                    audit_expected.txt names after the id
    twins: a script result with State VULNERABLE or LIKELY VULNERABLE, or an
    ssl-enum-ciphers grade below A or warnings, counts as a false finding.
  sslscan (colours kept: it marks problems red, red background, yellow or
  magenta): tls-old-protocols:V yes when "V enabled" is marked, else shown;
    tls-weak-ciphers yes when an accepted suite is marked; tls-cert-expired yes
    when "Not valid after" is marked; tls-cert-self-signed yes when "Issuer" is
    marked; tls-cert-wrong-name shown (subject and altnames, not compared);
    tls-short-key yes when "RSA Key Strength" is marked. The "TLS Compression"
    lines about sslscan's own OpenSSL build are not about the server. Twins:
    any other marked line is a false finding.
  ssh-audit: ssh-weak-algorithms:T yes when the entry of one of the algorithms
    audit_expected.txt names after the id has [fail] or [warn];
    twins: every algorithm with [fail] or [warn] is a false finding.
  Portolan: yes when a finding matches; twins: every finding is a false one.
"""
import argparse
import datetime
import json
import re
import sys
import xml.etree.ElementTree as ET

SEVERITIES = ["info", "low", "medium", "high", "critical"]


# --- inputs -----------------------------------------------------------------
EXPECTED_DETAIL = {}  # (port, id) -> the subjects listed after the id (SSH algorithms)


def read_expected(path):
    out = []
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        f = line.split()
        out.append((int(f[0]), f[1]))
        if len(f) > 2:
            EXPECTED_DETAIL[(int(f[0]), f[1])] = f[2].split(",")
    return out


def read_list(path):
    """NAME PROTO/PORT PACKAGES TIER ROLE -> {port: (name, role, tier)}."""
    out = {}
    for line in open(path):
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        out[int(f[1].split("/")[1])] = (f[0], f[4] if len(f) > 4 else "weak", f[3])
    return out


def read_started(path):
    ports = set()
    for line in open(path):
        f = line.split()
        if len(f) >= 2:
            ports.add(int(f[1].split("/")[1]))
    return ports


def findings_json(path):
    out = []
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        j = json.loads(line)
        if j.get("type") != "host":
            continue
        for f in j.get("findings", []):
            out.append({"port": int(f.get("port", 0)), "protocol": f.get("protocol", ""),
                        "id": f["id"], "severity": f.get("severity", ""),
                        "title": f.get("title", ""), "evidence": f.get("evidence", "")})
    return out


def findings_xml(path):
    out = []
    root = ET.parse(path).getroot()

    def take(script, port, proto):
        elems = {e.get("key"): (e.text or "") for e in script.findall("elem")}
        if "finding" in elems:
            out.append({"port": port, "protocol": proto, "id": elems["finding"],
                        "severity": elems.get("severity", ""), "title": elems.get("title", ""),
                        "evidence": elems.get("evidence", "")})

    for host in root.iter("host"):
        for p in host.iter("port"):
            for s in p.findall("script"):
                take(s, int(p.get("portid")), p.get("protocol"))
        for hs in host.findall("hostscript"):
            for s in hs.findall("script"):
                take(s, 0, "")
    return out


def findings_any(path):
    with open(path, "rb") as f:
        head = f.read(64).lstrip()
    return findings_xml(path) if head.startswith(b"<") else findings_json(path)


def matches(expected_id, finding_id):
    return finding_id == expected_id or finding_id.startswith(expected_id + ":")


# --- check ------------------------------------------------------------------
def cmd_check(a):
    expected = read_expected(a.expected)
    servers = read_list(a.list)
    started = read_started(a.started)
    found = findings_json(a.json)
    problems = 0
    by_port = {}
    for f in found:
        by_port.setdefault(f["port"], []).append(f)
    ok = missing = 0
    for port, fid in expected:
        if port not in started:
            print(f"SKIPPED  {port} {fid}: {servers.get(port, ('?',))[0]} did not start")
            continue
        hit = [f["id"] for f in by_port.get(port, []) if matches(fid, f["id"])]
        if hit:
            ok += 1
            print(f"found    {port} {fid}: {', '.join(hit)}")
        else:
            missing += 1
            problems += 1
            have = ", ".join(f["id"] for f in by_port.get(port, [])) or "no finding on the port"
            print(f"MISSING  {port} {fid} ({servers.get(port, ('?',))[0]}; port has: {have})")
    twin_findings = 0
    for port, (name, role, _) in sorted(servers.items()):
        if role != "twin" or port not in started:
            continue
        for f in by_port.get(port, []):
            twin_findings += 1
            problems += 1
            print(f"UNEXPECTED on twin {port} ({name}): {f['id']} [{f['severity']}] {f['title']}"
                  f" -- evidence: {f['evidence'][:160]}")
    weak_ports = {p for p, (_, role, _) in servers.items() if role == "weak"}
    extra = [f for f in found if f["port"] in weak_ports
             and not any(p == f["port"] and matches(e, f["id"]) for p, e in expected)]
    for f in extra:
        print(f"also     {f['port']} {f['id']} [{f['severity']}] {f['title']}")
    if a.xml:
        j = sorted((f["port"], f["id"]) for f in found)
        x = sorted((f["port"], f["id"]) for f in findings_xml(a.xml))
        if j != x:
            problems += 1
            print(f"XML/JSON DISAGREE: only in JSON {sorted(set(j) - set(x))}, only in XML {sorted(set(x) - set(j))}")
    print(f"summary: {ok}/{ok + missing} expected findings present, {twin_findings} finding(s) on twins,"
          f" {len(extra)} other finding(s) on the misconfigured servers")
    return 1 if problems else 0


def cmd_ids(a):
    for f in sorted(findings_any(a.file), key=lambda f: (f["port"], f["id"])):
        print(f"{f['port']}/{f['protocol'] or 'host'} {f['id']} {f['severity']}")
    return 0


def cmd_worst(a):
    sev = [f["severity"] for f in findings_any(a.file) if a.port is None or f["port"] == a.port]
    known = [SEVERITIES.index(s) for s in sev if s in SEVERITIES]
    print(SEVERITIES[max(known)] if known else "none")
    return 0


# --- tools ------------------------------------------------------------------
ANSI = re.compile(r"\x1b\[([0-9;]*)m")
MARKS = {"31", "41", "33", "35", "1;31", "1;33"}  # red, red background, yellow, magenta


def sslscan_lines(path):
    """(plain text, marked?) per line of sslscan's coloured output."""
    out = []
    section = ""
    for raw in open(path, errors="replace"):
        plain = ANSI.sub("", raw).rstrip("\n")
        if plain.strip().endswith(":") and plain.startswith("  "):
            section = plain.strip()
        codes = set(ANSI.findall(raw))
        marked = bool(codes & MARKS) and section != "TLS Compression:"
        out.append((plain, marked, section))
    return out


def score_sslscan(path, fid):
    lines = sslscan_lines(path)
    m = re.match(r"tls-old-protocols:tlsv(1\.[0-3])$", fid)
    if m:
        for plain, marked, _ in lines:
            if re.match(rf"TLSv{re.escape(m.group(1))}\s+enabled", plain):
                return "yes" if marked else "shown"
        return "-"
    if fid == "tls-weak-ciphers":
        acc = [(p, mk) for p, mk, _ in lines if re.match(r"(Preferred|Accepted)\s", p)]
        return "yes" if any(mk for _, mk in acc) else ("shown" if acc else "-")
    keyed = {"tls-cert-expired": "Not valid after", "tls-cert-self-signed": "Issuer:",
             "tls-short-key": "RSA Key Strength"}
    if fid in keyed:
        for plain, marked, _ in lines:
            if plain.startswith(keyed[fid]):
                return "yes" if marked else "shown"
        return "-"
    if fid == "tls-cert-wrong-name":
        return "shown" if any(p.startswith("Subject:") for p, _, _ in lines) else "-"
    return "n/a"


def sslscan_false(path):
    return [p.strip() for p, marked, _ in sslscan_lines(path) if marked]


def ssh_audit_entries(path):
    """{algorithm: [levels]} from ssh-audit's (kex)/(key)/(enc)/(mac) entries."""
    out = {}
    current = None
    for raw in open(path, errors="replace"):
        plain = ANSI.sub("", raw).rstrip("\n")
        m = re.match(r"\((kex|key|enc|mac)\) (\S+)", plain)
        if m:
            current = m.group(2)
            out.setdefault(current, [])
        elif not plain.strip().startswith("`-"):
            current = None
        if current:
            out[current] += re.findall(r"\[(fail|warn|info)\]", plain)
    return out


def ssh_algorithms(port, fid):
    """The algorithms an expected ssh-weak-algorithms entry stands for: those
    listed after it in audit_expected.txt, or the subject of its id."""
    if not fid.startswith("ssh-weak-algorithms"):
        return None
    if (port, fid) in EXPECTED_DETAIL:
        return EXPECTED_DETAIL[(port, fid)]
    parts = fid.split(":", 2)
    return [parts[2]] if len(parts) == 3 else []


def score_ssh_audit(path, port, fid):
    algs = ssh_algorithms(port, fid)
    if algs is None:
        return "n/a"
    entries = ssh_audit_entries(path)
    levels = [entries[a] for a in algs if a in entries]
    if not levels:
        return "-"
    return "yes" if any("fail" in lv or "warn" in lv for lv in levels) else "shown"


def ssh_audit_false(path):
    return [f"{alg} [{'/'.join(sorted(set(l for l in lv if l != 'info')))}]"
            for alg, lv in ssh_audit_entries(path).items() if "fail" in lv or "warn" in lv]


def nmap_ports(path):
    """{port: {script id: (output, element)}} and the set of open ports."""
    root = ET.parse(path).getroot()
    scripts, open_ports = {}, {}
    for p in root.iter("port"):
        port = int(p.get("portid"))
        st = p.find("state")
        if st is not None and st.get("state") == "open":
            sv = p.find("service")
            open_ports[port] = sv.get("name", "") if sv is not None else ""
        scripts[port] = {s.get("id"): (s.get("output", ""), s) for s in p.findall("script")}
    return scripts, open_ports


def nmap_grades(output):
    return re.findall(r"^\s+(\S+) \(([^)]*)\) - ([A-F])\s*$", output, re.M)


def score_nmap(scripts, open_ports, port, fid, now):
    sc = scripts.get(port, {})
    out = lambda sid: sc.get(sid, ("", None))[0]  # noqa: E731
    if fid == "ftp-anonymous":
        return "yes" if "Anonymous FTP login allowed" in out("ftp-anon") else "-"
    if fid == "ftp-cleartext":
        return "shown" if "Control connection is plain text" in out("ftp-syst") else "-"
    if fid == "redis-noauth":
        return "shown" if out("redis-info") else "-"
    if fid == "exposed-service":
        return "shown" if port in open_ports else "-"
    m = re.match(r"tls-old-protocols:tlsv(1\.[0-3])$", fid)
    if m:
        return "shown" if re.search(rf"^\s+TLSv{re.escape(m.group(1))}:", out("ssl-enum-ciphers"), re.M) else "-"
    if fid == "tls-weak-ciphers":
        g = nmap_grades(out("ssl-enum-ciphers"))
        if not g:
            return "-"
        return "yes" if any(grade != "A" for _, _, grade in g) else "shown"
    cert = sc.get("ssl-cert", ("", None))[1]
    if fid.startswith("tls-cert-") or fid == "tls-short-key":
        if fid == "tls-short-key":
            g = nmap_grades(out("ssl-enum-ciphers"))
            if any(re.match(r"rsa (\d+)", kx) and int(kx.split()[1]) < 2048 and grade != "A"
                   and "NULL" not in suite and "anon" not in suite for suite, kx, grade in g):
                return "yes"
        if cert is None:
            return "-"
        tables = {t.get("key"): {e.get("key"): e.text for e in t.findall("elem")} for t in cert.findall("table")}
        elems = {e.get("key"): e.text for e in cert.findall("elem")}
        if fid == "tls-cert-expired":
            after = (tables.get("validity") or {}).get("notAfter", "")
            try:
                when = datetime.datetime.fromisoformat(after[:19])
                return "shown" if when < now else "-"
            except ValueError:
                return "-"
        if fid == "tls-cert-self-signed":
            return "shown" if tables.get("subject") and tables.get("subject") == tables.get("issuer") else "-"
        if fid == "tls-cert-wrong-name":
            return "shown"
        if fid == "tls-short-key":
            bits = (tables.get("pubkey") or {}).get("bits") or elems.get("bits") or ""
            return "shown" if bits.isdigit() and int(bits) < 2048 else "-"
    algs = ssh_algorithms(port, fid)
    if algs is not None:
        listed = out("ssh2-enum-algos")
        return "shown" if any(re.search(rf"^\s+{re.escape(a)}\s*$", listed, re.M) for a in algs) else "-"
    return "-"


def nmap_false(scripts, port):
    out = []
    for sid, (text, _) in scripts.get(port, {}).items():
        if re.search(r"State: (LIKELY )?VULNERABLE", text):
            out.append(f"{sid}: {'LIKELY VULNERABLE' if 'LIKELY' in text else 'VULNERABLE'}")
        if sid == "ssl-enum-ciphers":
            if any(g != "A" for _, _, g in nmap_grades(text)):
                out.append("ssl-enum-ciphers: a suite below A")
            if "warnings:" in text:
                out.append("ssl-enum-ciphers: warnings")
    return out


def cmd_tools(a):
    expected = read_expected(a.expected)
    servers = read_list(a.list)
    started = read_started(a.started)
    now = datetime.datetime.utcnow()
    tools = []
    if a.portolan:
        found = findings_json(a.portolan)
        tools.append(("portolan", lambda p, fid: "yes" if any(f["port"] == p and matches(fid, f["id"]) for f in found) else "-",
                      lambda p: [f"{f['id']} [{f['severity']}]" for f in found if f["port"] == p]))
    if a.nmap:
        scripts, open_ports = nmap_ports(a.nmap)
        tools.append(("nmap", lambda p, fid: score_nmap(scripts, open_ports, p, fid, now),
                      lambda p: nmap_false(scripts, p)))
    for name, files, score, false in (("sslscan", a.sslscan, lambda f, p, fid: score_sslscan(f, fid), sslscan_false),
                                      ("ssh-audit", a.ssh_audit, score_ssh_audit, ssh_audit_false)):
        if not files:
            continue
        fmap = {int(x.split("=", 1)[0]): x.split("=", 1)[1] for x in files}
        tools.append((name, (lambda fm, sc: lambda p, fid: sc(fm[p], p, fid) if p in fm else "n/a")(fmap, score),
                      (lambda fm, fa: lambda p: fa(fm[p]) if p in fm else [])(fmap, false)))
    rows = [(p, fid) for p, fid in expected if p in started]
    table = {t[0]: [t[1](p, fid) for p, fid in rows] for t in tools}
    print("| port | expected exposure | " + " | ".join(t[0] for t in tools) + " |")
    print("|---|---|" + "---|" * len(tools))
    for i, (p, fid) in enumerate(rows):
        print(f"| {p} | {fid} | " + " | ".join(table[t[0]][i] for t in tools) + " |")
    summary = {}
    twins = [p for p, (_, role, _) in sorted(servers.items()) if role == "twin" and p in started]
    for name, _, false in tools:
        cells = table[name]
        scope = [c for c in cells if c != "n/a"]
        fl = {p: false(p) for p in twins}
        summary[name] = {"yes": cells.count("yes"), "shown": cells.count("shown"), "scope": len(scope),
                         "total": len(cells), "twin_false": sum(len(v) for v in fl.values()),
                         "twin_false_list": {str(p): v for p, v in fl.items() if v}}
    others = [t[0] for t in tools if t[0] != "portolan"]
    if len(others) > 1:
        cells = ["yes" if any(table[o][i] == "yes" for o in others) else
                 ("shown" if any(table[o][i] == "shown" for o in others) else "-") for i in range(len(rows))]
        summary[" + ".join(others)] = {
            "yes": cells.count("yes"), "shown": cells.count("shown"),
            "scope": sum(1 for i in range(len(rows)) if any(table[o][i] != "n/a" for o in others)),
            "total": len(cells), "twin_false": sum(summary[o]["twin_false"] for o in others), "twin_false_list": {}}
    print()
    print("| tool | named as a problem (recall) | only shown as a fact | in the tool's scope | false findings on the twins |")
    print("|---|---|---|---|---|")
    for name, s in summary.items():
        print(f"| {name} | {s['yes']}/{s['total']} | {s['shown']} | {s['scope']}/{s['total']} | {s['twin_false']} |")
    print()
    for name, s in summary.items():
        for p, items in s["twin_false_list"].items():
            print(f"- {name} on twin {p} ({servers[int(p)][0]}): {'; '.join(items)}")
    if a.json:
        json.dump(summary, open(a.json, "w"), indent=1)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    for k in ("--expected", "--list", "--started", "--json"):
        c.add_argument(k, required=True)
    c.add_argument("--xml")
    i = sub.add_parser("ids")
    i.add_argument("file")
    w = sub.add_parser("worst")
    w.add_argument("file")
    w.add_argument("--port", type=int)
    t = sub.add_parser("tools")
    for k in ("--expected", "--list", "--started"):
        t.add_argument(k, required=True)
    t.add_argument("--portolan")
    t.add_argument("--nmap")
    t.add_argument("--sslscan", nargs="*", default=[])
    t.add_argument("--ssh-audit", nargs="*", default=[])
    t.add_argument("--json")
    a = ap.parse_args()
    return {"check": cmd_check, "ids": cmd_ids, "worst": cmd_worst, "tools": cmd_tools}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
