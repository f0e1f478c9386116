#!/usr/bin/python3
"""Save the raw bytes a server sends back, for unit tests of service signatures.

    capture.py HOST PORT [--send HEX | --send-text STR | --send-tls-hello]
               [--after-banner] [--tls [--sni NAME]] [--udp] [--wait S]
               [--save-sent FILE] -o FILE

TCP (default): connects, sends the request at once (as nmap sends its probes)
or, with --after-banner, after the first bytes arrive (SMTP's EHLO), then
reads until the server closes or stays silent for --wait seconds (default 3;
at most 4 x wait + 5 seconds in all). FILE gets every byte received, in order
(a banner sent on connect included). Nothing sent and nothing received gives
an empty file: the evidence that the server waits for the client.
--send HEX       bytes given in hex (spaces allowed)
--send-text STR  a string with C escapes (\\r \\n \\0 \\xNN), sent as Latin-1
--send-tls-hello a TLS ClientHello made by Python's ssl module (TLS 1.2-1.3,
                 no verification); FILE gets the server's raw reply
                 (ServerHello, certificate, ...); --save-sent keeps the hello
--tls            wrap the connection in TLS first; FILE gets the decrypted
                 application bytes
--udp            one datagram, then replies until --wait seconds of silence
--save-sent FILE also write the bytes sent
Exit status 0 when the exchange ran (even with nothing received), 1 on a
connection error. Prints one line: bytes sent and received.
"""
import argparse
import codecs
import select
import socket
import ssl
import sys
import time


def client_hello(host):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname=host)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def read_until_quiet(recv, wait, limit):
    """recv() -> bytes ('' at EOF, None on timeout); stops after `wait` s of silence."""
    data = bytearray()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        chunk = recv(wait)
        if chunk is None or chunk == b"":
            break
        data += chunk
    return bytes(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--send")
    g.add_argument("--send-text")
    g.add_argument("--send-tls-hello", action="store_true")
    ap.add_argument("--after-banner", action="store_true")
    ap.add_argument("--tls", action="store_true")
    ap.add_argument("--sni")
    ap.add_argument("--udp", action="store_true")
    ap.add_argument("--wait", type=float, default=3.0)
    ap.add_argument("--save-sent")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()

    if a.send is not None:
        payload = bytes.fromhex(a.send.replace(" ", ""))
    elif a.send_text is not None:
        payload = codecs.decode(a.send_text, "unicode_escape").encode("latin-1")
    elif a.send_tls_hello:
        payload = client_hello(a.sni or a.host)
    else:
        payload = b""
    limit = 4 * a.wait + 5

    try:
        if a.udp:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.connect((a.host, a.port))
            s.send(payload)

            def recv(t):
                r, _, _ = select.select([s], [], [], t)
                return s.recv(65535) if r else None
            got = read_until_quiet(recv, a.wait, limit)
        else:
            s = socket.create_connection((a.host, a.port), timeout=10)
            if a.tls:
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                s = ctx.wrap_socket(s, server_hostname=a.sni or a.host)

            def recv(t):
                end = time.monotonic() + t
                while True:
                    if isinstance(s, ssl.SSLSocket) and s.pending():
                        return s.recv(65535)
                    left = end - time.monotonic()
                    if left <= 0:
                        return None
                    r, _, _ = select.select([s], [], [], left)
                    if not r:
                        return None
                    try:
                        return s.recv(65535)
                    except ssl.SSLWantReadError:
                        continue
                    except (ConnectionResetError, ssl.SSLError):
                        return b""
            got = b""
            if a.after_banner:
                got = read_until_quiet(recv, min(a.wait, 1.0), limit)
            if payload:
                s.sendall(payload)
            got += read_until_quiet(recv, a.wait, limit)
        s.close()
    except OSError as e:
        print(f"capture.py: {a.host}:{a.port}: {e}", file=sys.stderr)
        return 1
    with open(a.output, "wb") as f:
        f.write(got)
    if a.save_sent:
        with open(a.save_sent, "wb") as f:
            f.write(payload)
    print(f"{a.output}: sent {len(payload)} bytes, received {len(got)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
