#!/usr/bin/env bash
# Captures what each real server of servers.list answers to the requests a
# service detector sends, into tests/service/captures/ (the unit tests'
# evidence), and writes that directory's README.md.
#
#   capture_all.sh [OUTDIR]                                  as root: builds the lab,
#                                                            starts the servers, captures
#   capture_all.sh --in SCAN_NS TARGET_IP STATE_DIR [OUTDIR] into a lab already up
#
# With --in: SCAN_NS / TARGET_IP are the lab of sv_netns.sh with servers.sh
# started (STATE_DIR is the one given to servers.sh: its `started` file names
# the servers and package versions). Only started servers are captured.
# For every TCP server: <name>-banner.bin (nothing sent, 3 s) and
# <name>-get.bin ("GET / HTTP/1.0\r\n\r\n"); then the protocol's own requests.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ ${1:-} == --in ]]; then
  NS=${2:?usage: capture_all.sh --in SCAN_NS TARGET_IP STATE_DIR [OUTDIR]}
  IP=${3:?target ip}
  STATE=${4:?state dir}
  OUT=${5:-$here/../service/captures}
else
  source "$here/sv_netns.sh"
  sv_usable || { echo "capture_all.sh: $SV_UNUSABLE" >&2; exit 1; }
  STATE=$(mktemp -d /tmp/pl-sv-capture.XXXXXX)
  trap 'rm -rf "$STATE"' EXIT
  sv_up || exit 1
  "$here/servers.sh" start "$SV_TARGET" "$STATE" || echo "capture_all.sh: some core server did not start" >&2
  NS=$SV_SCAN IP=$SV_TARGET_IP
  OUT=${1:-$here/../service/captures}
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rows=()

up() { grep -q "^$1 $2 " "$STATE/started"; }
pkg() { awk -v n="$1" -v p="$2" '$1 == n && $2 == p {print $3 " " $4; exit}' "$STATE/started"; }

# cap NAME PROTO/PORT WHAT REQUEST-DESCRIPTION capture.py-ARGS...
cap() {
  local name=$1 pp=$2 what=$3 desc=$4
  shift 4
  up "$name" "$pp" || return 0
  local file="$name-$what.bin" line
  line=$(ip netns exec "$NS" /usr/bin/python3 "$here/capture.py" "$IP" "${pp#*/}" "$@" -o "$OUT/$file" 2>&1)
  echo "$line" >&2
  [[ -f $OUT/$file ]] || return 0
  rows+=("| \`$file\` | $(stat -c %s "$OUT/$file") | $pp | $(pkg "$name" "$pp") | $desc |")
}

GET='GET / HTTP/1.0\r\n\r\n'
while read -r name pp _pkg _tier; do
  [[ -z $name || $name == \#* || $pp != tcp/* ]] && continue
  cap "$name" "$pp" banner "nothing sent, read until 3 s of silence" --wait 3
  cap "$name" "$pp" get "\`GET / HTTP/1.0\\r\\n\\r\\n\` at once" --send-text "$GET" --wait 3
done <"$here/servers.list"

cap https tcp/443 tls-hello "a TLS 1.2/1.3 ClientHello from Python's ssl (saved as https-tls-clienthello.bin; random differs per run): the raw ServerHello, Certificate, ..." \
  --send-tls-hello --save-sent "$OUT/https-tls-clienthello.bin" --wait 2
cap https tcp/443 tls-get "TLS handshake, then \`GET / HTTP/1.0\\r\\n\\r\\n\` (decrypted reply)" --tls --send-text "$GET" --wait 3
cap imaps tcp/993 tls-banner "TLS handshake, nothing sent (decrypted banner)" --tls --wait 3
cap pop3s tcp/995 tls-banner "TLS handshake, nothing sent (decrypted banner)" --tls --wait 3
cap imaps tcp/993 tls-hello "a TLS ClientHello from Python's ssl: the raw reply" --send-tls-hello --wait 2

cap redis tcp/6379 info "\`*1\\r\\n\$4\\r\\nINFO\\r\\n\`" --send-text '*1\r\n$4\r\nINFO\r\n' --wait 2
cap redis tcp/6379 ping "\`PING\\r\\n\` (inline command)" --send-text 'PING\r\n' --wait 2
cap memcached tcp/11211 version "\`version\\r\\n\`" --send-text 'version\r\n' --wait 2
cap memcached tcp/11211 stats "\`stats\\r\\n\`" --send-text 'stats\r\n' --wait 2
cap smtp tcp/25 ehlo "after the banner: \`EHLO x\\r\\n\` (file holds banner + reply)" --after-banner --send-text 'EHLO x\r\n' --wait 2
cap smtp tcp/25 help "after the banner: \`HELP\\r\\n\` (banner + reply)" --after-banner --send-text 'HELP\r\n' --wait 2
cap ftp tcp/21 syst "after the banner: \`SYST\\r\\n\` (banner + reply)" --after-banner --send-text 'SYST\r\n' --wait 2
cap pop3 tcp/110 capa "after the banner: \`CAPA\\r\\n\` (banner + reply)" --after-banner --send-text 'CAPA\r\n' --wait 2
cap imap tcp/143 capability "after the banner: \`a1 CAPABILITY\\r\\n\` (banner + reply)" --after-banner --send-text 'a1 CAPABILITY\r\n' --wait 2
cap postgresql tcp/5432 sslrequest "SSLRequest: hex \`0000000804d2162f\` (server runs ssl=off: one byte N)" --send 0000000804d2162f --wait 2
cap postgresql tcp/5432 startup "StartupMessage v3.0 user=postgres database=postgres application_name=portolan-capture (auth trust: AuthenticationOk, ParameterStatus incl. server_version, BackendKeyData, ReadyForQuery)" \
  --send 0000004b000300007573657200706f73746772657300646174616261736500706f737467726573006170706c69636174696f6e5f6e616d6500706f72746f6c616e2d636170747572650000 --wait 2
cap postgresql tcp/5432 smbprogneg "nmap's SMBProgNeg probe (length 0xa4, \"protocol\" 0xff534d42 = 65363.19778): the error nmap matches" \
  --send 000000a4ff534d4272000000000801400000000000000000000000000000400600000100008100025043204e4554574f524b2050524f4752414d20312e3000024d4943524f534f4654204e4554574f524b5320312e303300024d4943524f534f4654204e4554574f524b5320332e3000024c414e4d414e312e3000024c4d312e3258303032000253616d626100024e54204c414e4d414e20312e3000024e54204c4d20302e313200 --wait 2
cap dns tcp/53 version-bind "DNS over TCP: id 0x1234, no flags, version.bind CH TXT, hex \`001e1234000000010000000000000776657273696f6e0462696e640000100003\`" \
  --send 001e1234000000010000000000000776657273696f6e0462696e640000100003 --wait 2
cap dns udp/53 version-bind-udp "DNS over UDP: the same query without the length prefix" \
  --udp --send 1234000000010000000000000776657273696f6e0462696e640000100003 --wait 2
cap dns udp/53 a-query-udp "DNS over UDP: id 0x1235, RD, lab.portolan.test A IN" \
  --udp --send 123501000001000000000000036c616208706f72746f6c616e04746573740000010001 --wait 2
cap snmp udp/161 v1-get-sysdescr "SNMPv1 GetRequest, community public, request-id 1, 1.3.6.1.2.1.1.1.0 (sysDescr), hex \`302902010004067075626c6963a01c020400000001020100020100300e300c06082b060102010101000500\`" \
  --udp --send 302902010004067075626c6963a01c020400000001020100020100300e300c06082b060102010101000500 --wait 2
cap mqtt tcp/1883 connect "MQTT 3.1.1 CONNECT, clean session, keepalive 30, client id plab: hex \`101000044d5154540402001e0004706c6162\` (CONNACK)" \
  --send 101000044d5154540402001e0004706c6162 --wait 2
cap rsync tcp/873 version "\`@RSYNCD: 31.0\\n\` at once (greeting; the daemon then waits for a module name)" --send-text '@RSYNCD: 31.0\n' --wait 2
cap rsync tcp/873 list "\`@RSYNCD: 31.0\\n#list\\n\` (greeting + module list)" --send-text '@RSYNCD: 31.0\n#list\n' --wait 2
cap http-proxy tcp/8888 get-absolute "\`GET http://198.18.0.80/ HTTP/1.0\\r\\n\\r\\n\` (proxied to the lab's own nginx via AnyIP: no DNS)" \
  --send-text 'GET http://198.18.0.80/ HTTP/1.0\r\n\r\n' --wait 3
cap irc tcp/6667 genericlines "\`\\r\\n\\r\\n\` (nmap's GenericLines)" --send-text '\r\n\r\n' --wait 3
cap irc tcp/6667 register "\`NICK plab\\r\\nUSER plab 0 * :plab\\r\\n\` (welcome, MOTD)" --send-text 'NICK plab\r\nUSER plab 0 * :plab\r\n' --wait 3
cap http tcp/80 head "\`HEAD / HTTP/1.0\\r\\n\\r\\n\`" --send-text 'HEAD / HTTP/1.0\r\n\r\n' --wait 2
cap http tcp/80 options "\`OPTIONS / HTTP/1.0\\r\\n\\r\\n\`" --send-text 'OPTIONS / HTTP/1.0\r\n\r\n' --wait 2
cap http tcp/80 notfound "\`GET /nice%20ports%2C/Tri%6Eity.txt%2ebak HTTP/1.0\\r\\n\\r\\n\` (nmap's FourOhFourRequest)" \
  --send-text 'GET /nice%20ports%2C/Tri%6Eity.txt%2ebak HTTP/1.0\r\n\r\n' --wait 2

{
  cat <<EOF
# Captured replies of real servers

Raw bytes that real servers from Debian 12 packages sent back, captured by
\`tests/servers/capture.py\` (driven by \`tests/servers/capture_all.sh\`) from the
scan namespace of the real-server lab (\`tests/servers/sv_netns.sh\`,
\`tests/servers/servers.sh\`, configurations generated there) on
$(date -u +%Y-%m-%d). Each file holds every byte received on one connection (TCP:
until the server closed or stayed silent for the wait; a banner sent on connect
included) or the datagrams received (UDP). An empty file means the server sent
nothing. Some fields differ between runs (dates, uptimes, process ids, TLS
randoms and keys, MySQL salts, SSH key-exchange cookies); matching code must
not depend on them. Regenerate: as root,

    tests/servers/capture_all.sh

(it builds the namespace lab, starts the servers, captures, and removes it all).

Server configuration notes: nginx serves a page titled "Portolan lab web
server" on 80 and, with a self-signed certificate (CN lab.portolan.test), on
443; vsftpd allows anonymous; redis runs with protected-mode off; PostgreSQL
uses trust auth (also for 198.18.0.0/15), ssl=off; MariaDB has a user 'lab'@'%' so remote clients get
the handshake; Dovecot uses Debian's TLS defaults (TLS 1.2+); exim's
primary_hostname is mail.lab.portolan.test; snmpd has rocommunity public.

| file | bytes | port | Debian package and version | request |
|---|---|---|---|---|
EOF
  printf '%s\n' "${rows[@]}"
} >"$OUT/README.md"
echo "wrote ${#rows[@]} captures and $OUT/README.md" >&2
