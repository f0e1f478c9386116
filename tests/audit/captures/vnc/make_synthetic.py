#!/usr/bin/env python3
# Writes the synthetic captures (servers Debian cannot run here), byte by byte
# from the specs named beside each one, for nfs/, ntp/, vnc/ and dns/.
# Run from tests/audit/captures/: python3 vnc/make_synthetic.py
import struct

def w(path, data):
    with open(path, "wb") as f:
        f.write(data)

# --- nfs: MOUNTPROC3_EXPORT replies (RFC 5531 reply, RFC 1813 appendix I exports)
def xdr_string(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + bytes((4 - len(b) % 4) % 4)

def exports(entries):
    out = b""
    for path, groups in entries:
        out += struct.pack(">I", 1) + xdr_string(path)
        for g in groups:
            out += struct.pack(">I", 1) + xdr_string(g)
        out += struct.pack(">I", 0)
    return out + struct.pack(">I", 0)

def rpc_reply(xid, body):
    msg = struct.pack(">IIIIII", xid, 1, 0, 0, 0, 0) + body
    return struct.pack(">I", 0x80000000 | len(msg)) + msg

w("nfs/mountd_export_world.bin", rpc_reply(0x50540002, exports([
    ("/srv/public", ["*"]), ("/srv/scratch", []), ("/home", ["192.168.10.0/24"])])))
w("nfs/mountd_export_restricted.bin", rpc_reply(0x50540002, exports([
    ("/home", ["192.168.10.0/24"]), ("/backup", ["backup.example.lan", "10.0.0.5"])])))
w("nfs/mountd_export_empty.bin", rpc_reply(0x50540002, exports([])))
# A denied reply (MSG_DENIED, AUTH_ERROR, AUTH_TOOWEAK).
msg = struct.pack(">IIIII", 0x50540002, 1, 1, 1, 4)
w("nfs/mountd_denied.bin", struct.pack(">I", 0x80000000 | len(msg)) + msg)

# --- ntp: mode 7 MON_GETLIST_1 answers (ntp_request.h layout, info_monitor_1 = 72 bytes)
def monitor_entry(addr, count):
    a = bytes(int(x) for x in addr.split("."))
    return (struct.pack(">IIII", 3, 0, 0, count) + a + bytes([127, 0, 0, 1]) +
            struct.pack(">I", 0) + struct.pack(">HBB", 123, 3, 4) + struct.pack(">II", 0, 0) + bytes(32))
entries = monitor_entry("192.0.2.10", 7) + monitor_entry("198.51.100.7", 2)
w("ntp/synthetic_mode7_monlist.bin", bytes([0x97, 0x00, 0x03, 0x2a]) + struct.pack(">HH", 2, 72) + entries)
# INFO_ERR_NODATA (4), no items: a server with monitoring off.
w("ntp/synthetic_mode7_nodata.bin", bytes([0x97, 0x00, 0x03, 0x2a]) + struct.pack(">HH", 4 << 12, 0))

# --- vnc: RFC 6143 section 7.1 (ProtocolVersion, then Security)
w("vnc/synthetic_rfb38_none.bin", b"RFB 003.008\n" + bytes([1, 1]))
w("vnc/synthetic_rfb38_vncauth.bin", b"RFB 003.008\n" + bytes([1, 2]))
w("vnc/synthetic_rfb38_vencrypt.bin", b"RFB 003.008\n" + bytes([2, 19, 2]))
w("vnc/synthetic_rfb33_none.bin", b"RFB 003.003\n" + struct.pack(">I", 1))
w("vnc/synthetic_rfb33_vncauth.bin", b"RFB 003.003\n" + struct.pack(">I", 2))
reason = b"Too many security failures"
w("vnc/synthetic_rfb38_failed.bin", b"RFB 003.008\n" + bytes([0]) + struct.pack(">I", len(reason)) + reason)

# --- dns: SERVFAIL with RA=1 (the real REFUSED capture with RCODE 2)
refused = bytearray(open("dns/dnsmasq_noupstream_root_ns.bin", "rb").read())
refused[3] = (refused[3] & 0xF0) | 2
w("dns/synthetic_servfail_root_ns.bin", bytes(refused))
