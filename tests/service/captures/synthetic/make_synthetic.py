#!/usr/bin/env python3
"""Writes the synthetic answers in this directory: what servers Debian does
not ship (or the lab does not run) send to Portolan's probes, built by hand
from the protocol specifications named beside each one. Run it from any
directory; it rewrites every .bin here. The bytes are illustrations of the
formats, not recordings: versions and names in them are made up where the
specification leaves them free.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = {}


def bson_doc(items):
    """A BSON document (bsonspec.org) of (name, value) pairs: str, int, float, bool, list."""
    body = b""
    for name, value in items:
        key = name.encode() + b"\x00"
        if isinstance(value, bool):
            body += b"\x08" + key + (b"\x01" if value else b"\x00")
        elif isinstance(value, str):
            v = value.encode() + b"\x00"
            body += b"\x02" + key + struct.pack("<i", len(v)) + v
        elif isinstance(value, int):
            body += b"\x10" + key + struct.pack("<i", value)
        elif isinstance(value, float):
            body += b"\x01" + key + struct.pack("<d", value)
        elif isinstance(value, list):
            body += b"\x04" + key + bson_doc([(str(i), v) for i, v in enumerate(value)])
    return struct.pack("<i", len(body) + 5) + body + b"\x00"


BUILDINFO = [("version", "7.0.14"), ("gitVersion", "ce59cfc6a3c5e5c067dca0d30697edd68d4f5188"),
             ("modules", []), ("allocator", "tcmalloc"), ("javascriptEngine", "mozjs"),
             ("sysInfo", "deprecated"), ("versionArray", [7, 0, 14, 0]), ("bits", 64),
             ("debug", False), ("maxBsonObjectSize", 16777216), ("ok", 1.0)]
REQUEST_ID = 0x706F7274  # our probes' requestID ("trop" little-endian)

# MongoDB OP_MSG reply (opcode 2013): header, flagBits, kind-0 section.
doc = bson_doc(BUILDINFO)
body = struct.pack("<I", 0) + b"\x00" + doc
OUT["mongodb-7.0-op-msg-buildinfo"] = struct.pack("<iiii", 16 + len(body), 41, REQUEST_ID, 2013) + body
# MongoDB OP_REPLY (opcode 1): responseFlags, cursorID, startingFrom, numberReturned, documents.
doc = bson_doc([("version", "3.4.24")] + BUILDINFO[1:])
body = struct.pack("<iqii", 8, 0, 0, 1) + doc
OUT["mongodb-3.4-op-reply-buildinfo"] = struct.pack("<iiii", 16 + len(body), 42, REQUEST_ID, 1) + body

# Elasticsearch / OpenSearch GET / (their REST API's root document).
def http(status, headers, body):
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode() + body.encode()

ES = """{
  "name" : "es-node-1",
  "cluster_name" : "lab-cluster",
  "cluster_uuid" : "Xq2bPZmTQ7ayq8fVJ3c4aw",
  "version" : {
    "number" : "8.11.1",
    "build_flavor" : "default",
    "build_type" : "deb",
    "build_hash" : "6f9ff581fbcde658e6f69d6ce03050f060d1fd0c",
    "build_date" : "2023-11-11T10:05:59.421038163Z",
    "build_snapshot" : false,
    "lucene_version" : "9.8.0",
    "minimum_wire_compatibility_version" : "7.17.0",
    "minimum_index_compatibility_version" : "7.0.0"
  },
  "tagline" : "You Know, for Search"
}
"""
OUT["elasticsearch-8-root"] = http("200 OK", [("X-elastic-product", "Elasticsearch"),
                                              ("content-type", "application/json"),
                                              ("content-length", str(len(ES)))], ES)
OS_ = ES.replace('"number" : "8.11.1",\n    "build_flavor" : "default",',
                 '"distribution" : "opensearch",\n    "number" : "2.11.0",').replace(
    '"tagline" : "You Know, for Search"', '"tagline" : "The OpenSearch Project: https://opensearch.org/"')
OUT["opensearch-2-root"] = http("200 OK", [("content-type", "application/json; charset=UTF-8"),
                                           ("content-length", str(len(OS_)))], OS_)
OUT["elasticsearch-8-unauthorized"] = http("401 Unauthorized", [
    ("WWW-Authenticate", 'Basic realm="security" charset="UTF-8"'),
    ("X-elastic-product", "Elasticsearch"), ("content-type", "application/json"),
    ("content-length", "0")], "")

# Docker Engine API: GET / is a 404 with the engine's headers; GET /version.
DOCKER_HEADERS = [("Api-Version", "1.43"), ("Content-Type", "application/json"),
                  ("Docker-Experimental", "false"), ("Ostype", "linux"),
                  ("Server", "Docker/24.0.7 (linux)"), ("Date", "Sat, 21 Nov 2026 16:00:00 GMT")]
OUT["docker-get-root"] = http("404 Not Found", DOCKER_HEADERS + [("Content-Length", "29")],
                              '{"message":"page not found"}\n')
DV = ('{"Platform":{"Name":"Docker Engine - Community"},"Components":[{"Name":"Engine",'
      '"Version":"24.0.7","Details":{"ApiVersion":"1.43"}}],"Version":"24.0.7",'
      '"ApiVersion":"1.43","MinAPIVersion":"1.12","GitCommit":"311b9ff","GoVersion":"go1.20.10",'
      '"Os":"linux","Arch":"amd64","KernelVersion":"6.1.0-13-amd64"}\n')
OUT["docker-version"] = http("200 OK", [("Content-Type", "application/json"),
                                        ("Content-Length", str(len(DV)))], DV)

# Kubernetes API server: GET /version (allowed to anonymous users) and GET /.
KV = """{
  "major": "1",
  "minor": "28",
  "gitVersion": "v1.28.4",
  "gitCommit": "bae2c62678db2b5053817bc97181fcc2e8388103",
  "gitTreeState": "clean",
  "buildDate": "2023-11-15T16:48:54Z",
  "goVersion": "go1.20.11",
  "compiler": "gc",
  "platform": "linux/amd64"
}"""
OUT["kubernetes-version"] = http("200 OK", [("Audit-Id", "0f9d0c0c-3e0b-4d4e-9c39-6a1c7f0e2d11"),
                                            ("Cache-Control", "no-cache, private"),
                                            ("Content-Type", "application/json"),
                                            ("Content-Length", str(len(KV)))], KV)
KF = """{
  "kind": "Status",
  "apiVersion": "v1",
  "metadata": {},
  "status": "Failure",
  "message": "forbidden: User \\"system:anonymous\\" cannot get path \\"/\\"",
  "reason": "Forbidden",
  "details": {},
  "code": 403
}"""
OUT["kubernetes-forbidden"] = http("403 Forbidden", [("Content-Type", "application/json"),
                                                     ("Content-Length", str(len(KF)))], KF)

# Squid's error page for a request that is not a proxy request.
SQ = "<html><body><h1>ERROR</h1><p>The requested URL could not be retrieved</p></body></html>\n"
OUT["squid-invalid-url"] = http("400 Bad Request", [("Server", "squid/5.7"),
                                                    ("Mime-Version", "1.0"),
                                                    ("Content-Type", "text/html;charset=utf-8"),
                                                    ("X-Squid-Error", "ERR_INVALID_URL 0"),
                                                    ("Via", "1.1 proxy (squid/5.7)"),
                                                    ("Connection", "close")], SQ)
OUT["apache-debian"] = http("200 OK", [("Date", "Sat, 21 Nov 2026 16:00:00 GMT"),
                                       ("Server", "Apache/2.4.57 (Debian)"),
                                       ("Content-Length", "0"), ("Connection", "close")], "")
OUT["apache-plain-to-tls"] = http("400 Bad Request", [("Server", "Apache/2.4.57 (Debian)"),
                                                      ("Content-Type", "text/html")],
    "<p>Your browser sent a request that this server could not understand.<br />\n"
    "Reason: You're speaking plain HTTP to an SSL-enabled server port.<br />\n")
OUT["mongodb-http-notice"] = (
    b"HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 85\r\n\r\n"
    b"It looks like you are trying to access MongoDB over HTTP on the native driver port.\n")

# SMB2 NEGOTIATE response (MS-SMB2 2.2.4) after a 4-byte session header.
hdr = b"\xfeSMB" + struct.pack("<HHIHHIIQIIQ", 64, 0, 0, 0, 1, 1, 0, 0, 0xFEFF, 0, 0) + b"\x00" * 16
blob = bytes.fromhex("604806062b0601050502a03e303ca00e300c060a2b06010401823702020a")
neg = struct.pack("<HHHH", 65, 1, 0x0302, 0) + b"portolan-guid-01" + struct.pack(
    "<IIII", 0x2F, 8388608, 8388608, 8388608) + struct.pack("<QQ", 0x01DA1C0FF1E0A000, 0) + struct.pack(
    "<HHI", 128, len(blob), 0) + blob
smb = hdr + neg
OUT["smb2-negotiate-3.0.2"] = struct.pack(">I", len(smb)) + smb

# RDP (MS-RDPBCGR 2.2.1.2): X.224 Connection Confirm + RDP_NEG_RSP.
OUT["rdp-negotiation-response-windows"] = bytes.fromhex("030000130ed000001234000\
21f080002000000".replace(" ", ""))
OUT["rdp-negotiation-failure"] = bytes.fromhex("030000130ed0000012340003000800020000 00".replace(" ", ""))

# VNC: the RFB 3.8 ProtocolVersion message (RFC 6143 7.1.1).
OUT["vnc-rfb-3.8"] = b"RFB 003.008\n"

# X11 connection setup replies (X11 protocol, "Connection Setup"), little-endian.
vendor = b"The X.Org Foundation"
pad = (4 - len(vendor) % 4) % 4
fixed = struct.pack("<IIIIHHBBBBBBBB4x", 12101004, 0x00200000, 0x001FFFFF, 256, len(vendor), 65535,
                    1, 7, 0, 0, 32, 32, 8, 255)
formats = struct.pack("<BBB5x", 24, 32, 32)
addl = fixed + vendor + b"\x00" * pad + formats * 7
OUT["x11-open"] = struct.pack("<BxHHH", 1, 11, 0, len(addl) // 4) + addl
reason = b"Authorization required, but no authorization protocol specified\n"
rpad = (4 - len(reason) % 4) % 4
OUT["x11-access-denied"] = struct.pack("<BBHHH", 0, len(reason), 11, 0, (len(reason) + rpad) // 4) + reason + b"\x00" * rpad

# AMQP 0-9-1 Connection.Start (class 10, method 10), as RabbitMQ fills it.
def longstr(s):
    return struct.pack(">I", len(s)) + s

def table(items):
    body = b""
    for k, t, v in items:
        body += bytes([len(k)]) + k + t + v
    return struct.pack(">I", len(body)) + body

caps = table([(b"publisher_confirms", b"t", b"\x01"), (b"basic.nack", b"t", b"\x01")])
props = table([(b"capabilities", b"F", caps),
               (b"cluster_name", b"S", longstr(b"rabbit@broker")),
               (b"copyright", b"S", longstr(b"Copyright (c) 2007-2023 VMware, Inc. or its affiliates.")),
               (b"information", b"S", longstr(b"Licensed under the MPL 2.0.")),
               (b"platform", b"S", longstr(b"Erlang/OTP 25.3.2.7")),
               (b"product", b"S", longstr(b"RabbitMQ")),
               (b"version", b"S", longstr(b"3.12.10"))])
method = struct.pack(">HHBB", 10, 10, 0, 9) + props + longstr(b"PLAIN AMQPLAIN") + longstr(b"en_US")
OUT["amqp-rabbitmq-connection-start"] = struct.pack(">BHI", 1, 0, len(method)) + method + b"\xce"
OUT["amqp-1.0-header"] = b"AMQP\x03\x01\x00\x00"

# SIP (RFC 3261) answers to OPTIONS.
def sip(lines):
    return ("\r\n".join(lines) + "\r\n\r\n").encode()

VIA = "Via: SIP/2.0/UDP portolan.invalid;branch=z9hG4bK-portolan-1;rport=40000;received=192.0.2.7"
OUT["sip-asterisk-200"] = sip(["SIP/2.0 200 OK", VIA,
                               "From: <sip:probe@portolan.invalid>;tag=portolan",
                               "To: <sip:portolan.invalid>;tag=as1c2d3e4f",
                               "Call-ID: portolan-options-1@portolan.invalid", "CSeq: 1 OPTIONS",
                               "Server: Asterisk PBX 20.5.0",
                               "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE", "Content-Length: 0"])
OUT["sip-freeswitch-200"] = sip(["SIP/2.0 200 OK", VIA,
                                 "From: <sip:probe@portolan.invalid>;tag=portolan",
                                 "To: <sip:portolan.invalid>;tag=Fj3kq9", "Call-ID: portolan-options-1@portolan.invalid",
                                 "CSeq: 1 OPTIONS", "User-Agent: FreeSWITCH-mod_sofia/1.10.10-release~64bit",
                                 "Content-Length: 0"])

# LDAP (RFC 4511): searchResEntry for the root DSE, then searchResDone.
def ber(tag, content):
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    if n < 0x100:
        return bytes([tag, 0x81, n]) + content
    return bytes([tag, 0x82]) + struct.pack(">H", n) + content

def attr(name, values):
    return ber(0x30, ber(0x04, name) + ber(0x31, b"".join(ber(0x04, v) for v in values)))

def rootdse(attrs):
    entry = ber(0x64, ber(0x04, b"") + ber(0x30, b"".join(attr(n, v) for n, v in attrs)))
    done = ber(0x30, ber(0x02, b"\x01") + ber(0x65, ber(0x0A, b"\x00") + ber(0x04, b"") + ber(0x04, b"")))
    return ber(0x30, ber(0x02, b"\x01") + entry) + done

OUT["ldap-389ds-rootdse"] = rootdse([(b"namingContexts", [b"dc=example,dc=com"]),
                                     (b"vendorName", [b"389 Project"]),
                                     (b"vendorVersion", [b"389-Directory/2.3.4 B2023.073.0958"]),
                                     (b"supportedLDAPVersion", [b"3"])])
OUT["ldap-openldap-rootdse"] = rootdse([(b"namingContexts", [b"dc=example,dc=org"]),
                                        (b"supportedLDAPVersion", [b"3"])])

# NTP (RFC 5905) server answers (mode 4) to ntp-client, whose transmit
# timestamp "portolan" comes back as the origin timestamp.
def ntp(first, stratum, refid):
    return (bytes([first, stratum, 4, 0xE9]) + struct.pack(">II", 0x0000012C, 0x00000456) + refid
            + struct.pack(">Q", 0xEB1C5E0000000000) + b"portolan"
            + struct.pack(">QQ", 0xEB1C5E1000000000, 0xEB1C5E1000100000))

OUT["ntp-v4-secondary"] = ntp(0x24, 2, bytes([192, 0, 2, 1]))
OUT["ntp-v4-primary"] = ntp(0x24, 1, b"GPS\x00")
OUT["ntp-v4-unsynchronized"] = ntp(0xE4, 16, b"INIT")

for name, data in OUT.items():
    with open(os.path.join(HERE, name + ".bin"), "wb") as f:
        f.write(data)
print(f"wrote {len(OUT)} files")
