# A fake upstream on 127.0.0.1 only: answers ". NS" with one NS record, so the
# dnsmasq in front of it shows what forwarding looks like.
import socket, struct, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
while True:
    q, a = s.recvfrom(4096)
    if len(q) < 12: continue
    qid, flags, qd = struct.unpack(">HHH", q[:6])
    question = q[12:]
    end = question.index(b"\0") + 5
    question = question[:end]
    rd = flags & 0x0100
    hdr = struct.pack(">HHHHHH", qid, 0x8080 | rd, 1, 1, 0, 0)
    nsname = b"\x01a\x0croot-servers\x03net\x00"
    rr = b"\xc0\x0c"[:0] + b"\x00" + struct.pack(">HHIH", 2, 1, 518400, len(nsname)) + nsname
    s.sendto(hdr + question + rr, a)
