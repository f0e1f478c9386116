#!/bin/sh
# Regenerates the SSH captures of this folder: starts OpenSSH's sshd (three
# configurations) and dropbear on 127.0.0.1 high ports with keys and configs
# in a temporary directory (never the system service), records what each
# server sends before key exchange (capture.py), and stops them again.
# Run as root (sshd needs /run/sshd and root for privilege separation).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/portolan-ssh-capture.XXXXXX)
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
mkdir -p /run/sshd
for t in ed25519 rsa ecdsa; do ssh-keygen -q -t "$t" -N '' -f "$tmp/host_$t"; done
for t in ed25519 rsa ecdsa; do dropbearkey -t "$t" -f "$tmp/db_$t" >/dev/null 2>&1; done

common="ListenAddress 127.0.0.1
PidFile none
UsePAM no"
cat > "$tmp/default.conf" <<CONF
$common
HostKey $tmp/host_rsa
HostKey $tmp/host_ecdsa
HostKey $tmp/host_ed25519
CONF
cat > "$tmp/weak.conf" <<CONF
$common
HostKey $tmp/host_rsa
HostKey $tmp/host_ecdsa
HostKey $tmp/host_ed25519
KexAlgorithms +diffie-hellman-group1-sha1,diffie-hellman-group14-sha1
Ciphers +3des-cbc,aes128-cbc
MACs +hmac-md5,hmac-sha1-96
HostKeyAlgorithms +ssh-rsa
CONF
cat > "$tmp/hardened.conf" <<CONF
$common
HostKey $tmp/host_ed25519
HostKey $tmp/host_rsa
KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512
Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr
MACs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,umac-128-etm@openssh.com
HostKeyAlgorithms ssh-ed25519,rsa-sha2-512,rsa-sha2-256
CONF

port=42201
for c in default weak hardened; do
  /usr/sbin/sshd -D -e -f "$tmp/$c.conf" -p $port 2>"$tmp/$c.log" &
  pids="$pids $!"
  sleep 0.5
  python3 "$here/capture.py" $port "$here/openssh-9.2p1-$c.bin"
  port=$((port + 1))
done
dropbear -F -E -p 127.0.0.1:$port -r "$tmp/db_ed25519" -r "$tmp/db_rsa" -r "$tmp/db_ecdsa" 2>"$tmp/dropbear.log" &
pids="$pids $!"
sleep 0.5
python3 "$here/capture.py" $port "$here/dropbear-2022.83-default.bin"
