#!/usr/bin/env python3
# Records what an SSH server on 127.0.0.1:PORT sends before key exchange:
# its identification line, then (after ours) its KEXINIT packet. Writes the
# server's bytes, as received, to OUT.  Usage: capture.py PORT OUT
import socket
import struct
import sys

port, out = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port), timeout=5)
buf = b""
while b"SSH-" not in buf or b"\n" not in buf[buf.find(b"SSH-"):]:
    d = s.recv(4096)
    if not d:
        break
    buf += d
s.sendall(b"SSH-2.0-Portolan_audit\r\n")
end = buf.find(b"\n", buf.find(b"SSH-")) + 1
while True:
    rest = buf[end:]
    if len(rest) >= 4 and len(rest) >= 4 + struct.unpack(">I", rest[:4])[0]:
        break
    d = s.recv(4096)
    if not d:
        break
    buf += d
s.close()
with open(out, "wb") as f:
    f.write(buf)
print(out, len(buf))
