#!/usr/bin/env python3
# Records a server's answers to a scripted conversation, one file per answer,
# for the audit check tests. Talks only to 127.0.0.1.
#
#   capture.py PORT OUTDIR NAME [SEND ...]
#
# Reads the greeting (if any) into NAME.greeting, then for each SEND (Python
# escapes, e.g. 'USER anonymous\r\n') writes the answer to NAME.<i>. An answer
# ends when the server is idle for 0.5 s or closes.
import socket
import sys
import time


def read_idle(sock, idle=0.5, total=5.0):
    sock.settimeout(idle)
    got = b""
    end = time.time() + total
    while time.time() < end:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            if got:
                break
            continue
        if not chunk:
            break
        got += chunk
    return got


def main():
    port, outdir, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    sends = [s.encode().decode("unicode_escape").encode("latin-1") for s in sys.argv[4:]]
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    greeting = read_idle(sock, idle=0.5, total=1.0)
    if greeting:
        open(f"{outdir}/{name}.greeting", "wb").write(greeting)
    for i, s in enumerate(sends, 1):
        sock.sendall(s)
        open(f"{outdir}/{name}.{i}", "wb").write(read_idle(sock))
    sock.close()


if __name__ == "__main__":
    main()
