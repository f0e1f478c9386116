#!/usr/bin/env bash
# Traceroute in a chain of namespaces (../../../shared/LAB.md), routed hop by hop:
#
#   scan ns            router 1               router 2               target ns
#   pl-s 198.19.1.1 -- pl-a 198.19.1.2        pl-c 198.19.2.2        pl-t 198.19.3.2
#                      pl-b 198.19.2.1 ------ pl-d 198.19.3.1 ------
#   (IPv6 the same in 2001:db8:f1::/64, f2::/64, f3::/64; ::1 and ::2 each side)
#
# The scan namespace's only routes lead to the lab (198.18.0.0/15 and
# 2001:db8::/32 via router 1). A TCP listener runs on port 80 in the target.
# Traced with TCP SYN, UDP (a closed port) and ICMP echo, over IPv4 and IPv6,
# the path must be [router 1, router 2, target] with the addresses facing us,
# in TTL order; then router 2 drops its ICMP time exceeded (nft) and its hop
# must be missing while the others stay.
#
# Until `portolan scan --traceroute` is wired, the library's Tracer is driven
# by tests/trace's portolan_trace_probe_tool (4th argument).
# Usage: trace_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY TRACE_TOOL
LAB_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$LAB_TEST_DIR/../integration/lib.sh"
source "$LAB_TEST_DIR/lab.sh"

LAB_LISTEN_BIN=${2:?usage: $0 PORTOLAN LISTEN_PORTS UDP_RESPONDER TRACE_TOOL}
TOOL=${4:?trace tool}
S=$SCRATCH
lab_require
for f in "$LAB_LISTEN_BIN" "$TOOL"; do
  [[ -x $f ]] || { echo "missing program $f" >&2; exit 1; }
done
lab_reap_stale

NS_S="plab-$$-s"
NS_R1="plab-$$-r1"
NS_R2="plab-$$-r2"
NS_T="plab-$$-t"
ALL_NS=("$NS_S" "$NS_R1" "$NS_R2" "$NS_T")
# lab.sh's helpers (lab_listen) start processes in LAB_TARGET.
LAB_TARGET=$NS_T
LAB_RUN=$(mktemp -d /tmp/plab.XXXXXX)

trace_down() {
  local fd ns
  for fd in "${LAB_HOLD_FDS[@]}"; do exec {fd}>&- 2>/dev/null || true; done
  for ns in "${ALL_NS[@]}"; do
    _lab_kill_ns "$ns"
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$LAB_RUN"
}
on_exit trace_down
trap 'exit 143' TERM
trap 'exit 130' INT

chain_up() {
  local ns
  for ns in "${ALL_NS[@]}"; do
    ip netns add "$ns" || return 1
    _lab_sysctl "$ns" net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 \
      net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.all.accept_ra=0 \
      net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0 \
      net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 || return 1
    ip -n "$ns" link set lo up
  done
  for ns in "$NS_R1" "$NS_R2"; do
    _lab_sysctl "$ns" net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 || return 1
  done
  ip link add pl-s netns "$NS_S" type veth peer name pl-a netns "$NS_R1" || return 1
  ip link add pl-b netns "$NS_R1" type veth peer name pl-c netns "$NS_R2" || return 1
  ip link add pl-d netns "$NS_R2" type veth peer name pl-t netns "$NS_T" || return 1
  # addr NS IFACE IPV4/LEN IPV6/LEN
  addr() {
    ip -n "$1" addr add "$3" dev "$2" && ip -n "$1" -6 addr add "$4" dev "$2" nodad &&
      ip -n "$1" link set "$2" up
  }
  addr "$NS_S" pl-s 198.19.1.1/30 2001:db8:f1::1/64 &&
    addr "$NS_R1" pl-a 198.19.1.2/30 2001:db8:f1::2/64 &&
    addr "$NS_R1" pl-b 198.19.2.1/30 2001:db8:f2::1/64 &&
    addr "$NS_R2" pl-c 198.19.2.2/30 2001:db8:f2::2/64 &&
    addr "$NS_R2" pl-d 198.19.3.1/30 2001:db8:f3::1/64 &&
    addr "$NS_T" pl-t 198.19.3.2/30 2001:db8:f3::2/64 || return 1
  ip -n "$NS_S" route add 198.18.0.0/15 via 198.19.1.2 dev pl-s &&
    ip -n "$NS_S" -6 route add 2001:db8::/32 via 2001:db8:f1::2 dev pl-s &&
    ip -n "$NS_R1" route add 198.19.3.0/30 via 198.19.2.2 dev pl-b &&
    ip -n "$NS_R1" -6 route add 2001:db8:f3::/64 via 2001:db8:f2::2 dev pl-b &&
    ip -n "$NS_R2" route add 198.19.1.0/30 via 198.19.2.1 dev pl-c &&
    ip -n "$NS_R2" -6 route add 2001:db8:f1::/64 via 2001:db8:f2::1 dev pl-c &&
    ip -n "$NS_T" route add 198.18.0.0/15 via 198.19.3.1 dev pl-t &&
    ip -n "$NS_T" -6 route add 2001:db8::/32 via 2001:db8:f3::1 dev pl-t || return 1
  # The scan namespace reaches nothing but the chain.
  local links defaults
  links=$(ip -n "$NS_S" -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | xargs)
  [[ $links == "lo pl-s" ]] || { lab_log "scan namespace has links: $links"; return 1; }
  defaults=$( (ip -n "$NS_S" route show; ip -n "$NS_S" -6 route show) | grep -E '^default' || true)
  [[ -z $defaults ]] || { lab_log "scan namespace has a default route"; return 1; }
}
chain_up || { failt "chain of namespaces comes up"; finish; exit 1; }
lab_listen 80 || failt "listener on port 80 in the target"
# Neighbour tables stay cold on the scan side: the tracer resolves router 1 itself.

# ptrace NAME ARGS...: the tool inside the scan namespace, at most 15 s.
# Hops as "TTL ADDRESS" joined by commas in $S/NAME.hops.
ptrace() {
  local name=$1
  shift
  ip netns exec "$NS_S" timeout -k 2 15 "$TOOL" "$@" >"$S/$name.out" 2>"$S/$name.err"
  RC=$?
  awk '$1 == "hop" {print $2 " " $3}' "$S/$name.out" | paste -sd, >"$S/$name.hops"
}

# expect_path TEST NAME WANT: the run succeeded and its hops are WANT.
expect_path() {
  local test=$1 name=$2 want=$3 got ms
  got=$(cat "$S/$name.hops")
  ms=$(awk '$1 == "ms" {print $2}' "$S/$name.out")
  if [[ $RC -ne 0 ]]; then
    failt "$test" "exit status $RC" "$(head -5 "$S/$name.err")"
  elif [[ $got != "$want" ]]; then
    failt "$test" "got:  $got" "want: $want" "$(cat "$S/$name.out" "$S/$name.err" | head -20)"
  else
    pass "$test (${ms} ms): $got"
  fi
}

PATH4="1 198.19.1.2,2 198.19.2.2,3 198.19.3.2"
PATH6="1 2001:db8:f1::2,2 2001:db8:f2::2,3 2001:db8:f3::2"

ptrace tcp4 198.19.3.2 tcp 80
expect_path "TCP SYN trace, IPv4: router 1, router 2, target" tcp4 "$PATH4"
grep -q '^trace tcp 80$' "$S/tcp4.out" && pass "the trace names its probe (tcp 80)" ||
  failt "the trace names its probe" "$(head -1 "$S/tcp4.out")"
ptrace udp4 198.19.3.2 udp 33434
expect_path "UDP trace to a closed port, IPv4" udp4 "$PATH4"
ptrace icmp4 198.19.3.2 icmp
expect_path "ICMP echo trace, IPv4" icmp4 "$PATH4"
ptrace tcp6 2001:db8:f3::2 tcp 80
expect_path "TCP SYN trace, IPv6 (ICMPv6 time exceeded)" tcp6 "$PATH6"
ptrace udp6 2001:db8:f3::2 udp 33434
expect_path "UDP trace, IPv6" udp6 "$PATH6"
ptrace icmp6 2001:db8:f3::2 icmp
expect_path "ICMPv6 echo trace" icmp6 "$PATH6"
ptrace short 198.19.3.2 icmp 0 2
expect_path "max TTL 2 stops before the target" short "1 198.19.1.2,2 198.19.2.2"

# The same through the CLI: portolan scan --traceroute, XML <trace> valid
# against nmap's DTD with the three hops in order.
PORTOLAN=$1
ip netns exec "$NS_S" timeout -k 2 30 "$PORTOLAN" scan -n -Pn -p80 --traceroute \
  -oX "$S/cli.xml" 198.19.3.2 >"$S/cli.out" 2>"$S/cli.err"
RC=$?
if [[ $RC -ne 0 ]]; then
  failt "portolan scan --traceroute runs" "exit $RC" "$(head -5 "$S/cli.err")"
elif ! xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd "$S/cli.xml" 2>"$S/cli.lint"; then
  failt "--traceroute XML is valid against nmap.dtd" "$(head -5 "$S/cli.lint")"
else
  got=$(/usr/bin/python3 -c '
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]).find("host/trace")
print(t.get("proto"), t.get("port"), ",".join(h.get("ttl") + " " + h.get("ipaddr") for h in t.findall("hop")))
' "$S/cli.xml" 2>&1)
  if [[ $got == "tcp 80 $PATH4" ]]; then
    pass "portolan scan --traceroute: XML <trace> tcp/80 with hops $PATH4"
  else
    failt "portolan scan --traceroute: XML <trace>" "got:  $got" "want: tcp 80 $PATH4"
  fi
  grep -q "^TRACEROUTE (using port 80/tcp)" "$S/cli.out" && pass "normal output has the TRACEROUTE table" ||
    failt "normal output has the TRACEROUTE table" "$(tail -8 "$S/cli.out")"
fi

# Router 2 stops sending time exceeded: its hop is missing, the rest stays.
ip netns exec "$NS_R2" nft -f - <<'NFT' || failt "nft rule in router 2"
table inet trace_lab {
  chain out {
    type filter hook output priority 0; policy accept;
    icmp type time-exceeded drop
    icmpv6 type time-exceeded drop
  }
}
NFT
ptrace drop4 198.19.3.2 tcp 80
expect_path "router 2 silent: hop 2 missing (TCP, IPv4)" drop4 "1 198.19.1.2,3 198.19.3.2"
ptrace drop6 2001:db8:f3::2 icmp
expect_path "router 2 silent: hop 2 missing (ICMPv6)" drop6 "1 2001:db8:f1::2,3 2001:db8:f3::2"
finish
