#!/usr/bin/env bash
# Privileges: as root a scan with no -s option is a SYN scan (as nmap's);
# as an unprivileged user (nobody, no capabilities) an explicit -sS fails
# with one clear line and a non-zero exit, and a scan with no -s option falls
# back to the connect scan with a notice on stderr.
# Usage: privileges_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"

lab_listen 22 80 || failt "listeners"
getent passwd nobody >/dev/null && getent group nogroup >/dev/null ||
  { echo "SKIP: no user nobody / group nogroup" >&2; exit 77; }

# The unprivileged user needs to reach the binary and a place to write:
# a copy in a world-readable directory (the build tree may not be).
pub=$(mktemp -d /tmp/plab-priv.XXXXXX)
on_exit "rm -rf '$pub'"
chmod 755 "$pub"
install -m 755 "$BIN" "$pub/portolan"
install -d -m 1777 "$pub/out"
# uscan NAME ARGS...: `portolan scan ARGS` as nobody inside the scan namespace.
uscan() {
  local name=$1
  shift
  lab_scan timeout -k 5 120 setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
    --bounding-set=-all "$pub/portolan" scan "$@" >"$S/$name.out" 2>"$S/$name.err"
  RC=$?
}
if [[ $(lab_scan setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all \
  id -u 2>/dev/null) != "$(id -u nobody)" ]]; then
  echo "SKIP: setpriv cannot drop to nobody here" >&2
  exit 77
fi
grep -q '^CapEff:\s*0*$' <(lab_scan setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
  --bounding-set=-all cat /proc/self/status) && pass "setpriv: nobody with no effective capabilities" ||
  failt "setpriv drops every capability"

# 1. Root, no -s option: a SYN scan.
pscan root_default 120 -n -Pn -p 20-25,80 198.18.0.1 -oX "$S/root_default.xml"
if ran_ok "root, no -s option, runs" root_default; then
  grep -q '<scaninfo type="syn"' "$S/root_default.xml" && pass "root, no -s option: SYN scan" ||
    failt "root, no -s option: SYN scan" "$(grep scaninfo "$S/root_default.xml")"
fi

# 2. Unprivileged, explicit -sS: one line, non-zero exit, nothing on stdout.
uscan user_syn -sS -n -Pn -p 22 198.18.0.1
one_line_error "unprivileged -sS fails with one line" user_syn "root|privilege|CAP_NET_RAW|permission|capabilit"
[[ ! -s $S/user_syn.out ]] && pass "unprivileged -sS prints nothing on stdout" ||
  failt "unprivileged -sS prints nothing on stdout" "$(head -3 "$S/user_syn.out")"
uscan user_udp -sU -n -Pn -p 53 198.18.0.1
one_line_error "unprivileged -sU fails with one line" user_udp "root|privilege|CAP_NET_RAW|permission|capabilit"

# 3. Unprivileged, no -s option: connect scan with a notice, right results.
uscan user_default -n -Pn -p 20-25,80 198.18.0.1 -oX "$pub/out/user_default.xml"
if ran_ok "unprivileged, no -s option, runs" user_default; then
  grep -qi 'connect' "$S/user_default.err" && pass "notice on stderr: $(head -1 "$S/user_default.err")" ||
    failt "notice of the connect-scan fallback on stderr" "stderr: $(cat "$S/user_default.err")"
  grep -q '<scaninfo type="connect"' "$pub/out/user_default.xml" && pass "fallback is a connect scan (scaninfo)" ||
    failt "fallback is a connect scan" "$(grep scaninfo "$pub/out/user_default.xml")"
  got=$(report open "$pub/out/user_default.xml")
  [[ $got == "198.18.0.1 22,80" ]] && pass "connect fallback finds 22 and 80 open" ||
    failt "connect fallback finds 22 and 80 open" "got: $got"
fi
finish
