# shellcheck shell=bash
# The network-namespace lab (bash library; source it, then call lab_up).
#
# Two namespaces joined by one veth pair, nothing else (../shared/LAB.md):
#
#   scan ns (LAB_SCAN)                      target ns (LAB_TARGET)
#   pl-s 198.19.255.1/30  <---- veth ---->  pl-t 198.19.255.2/30
#        2001:db8:ffff::1/64                     2001:db8:ffff::2/64
#   routes: 198.18.0.0/16  via .2           AnyIP: local 198.18.0.0/16 dev lo
#           2001:db8:1::/64 via ::2                local 2001:db8:1::/64 dev lo
#   no default route, no link to the root namespace
#
# Every scanner runs inside the scan namespace (lab_scan), so a bug in target
# parsing or routing has nowhere to send a packet but the target namespace,
# which answers for all 65,536 addresses of 198.18.0.0/16 and the whole
# 2001:db8:1::/64. The target filters with the nftables table `inet lab`
# (chain `input`), which the helpers below fill.
#
# Kernel settings that decide what a scanner sees, all per namespace:
# - ICMP rate limits (net.ipv4.icmp_ratelimit, icmp_msgs_per_sec,
#   net.ipv6.icmp.ratelimit). lab_up makes them unlimited; a test that wants the
#   kernel's defaults calls lab_icmp_ratelimit 1000.
# - SYN handling: a listener's SYN queue holds at most its backlog
#   (portolan_listen_ports asks 1024; net.core.somaxconn caps it, raised to
#   65535 here). The scanner's kernel answers each SYN-ACK with a RST (it has
#   no socket), which frees the request at once; when RSTs do not come (masscan
#   behind its firewall rule, RSTs lost to lab_loss) the queue fills and only
#   SYN cookies keep SYN-ACKs coming. Measured here: zmap over the /16 with the
#   scanner's RSTs dropped found 65,532 of 65,536 hosts with tcp_syncookies=1
#   (64,511 TCPReqQFullDoCookies) and 0 with tcp_syncookies=0 (65,535
#   TCPReqQFullDrop). So lab_up sets LAB_SYNCOOKIES (default 1, the kernel
#   default) explicitly; tcp_max_syn_backlog is raised for the =0 case.
# - IPv6 router solicitations and DAD are off, so the veth carries nothing the
#   lab did not ask for (the safety test reads its tx counter).
#
# Cleanup: lab_up chains lab_down onto the EXIT trap (keeping the caller's
# trap), and removes namespaces left by earlier runs whose process died (a
# test killed by a CTest timeout cannot run its trap). Namespace names carry
# the owning shell's PID: plab-<pid>-s / plab-<pid>-t.
#
# Variables the caller may set before lab_up:
#   LAB_LISTEN_BIN   tests/support's portolan_listen_ports (for lab_listen)
#   LAB_UDP_BIN      tests/support's portolan_udp_responder (for lab_udp)
#   LAB_SYNCOOKIES   net.ipv4.tcp_syncookies in the target (default 1)
# Exported by lab_up: LAB_SCAN, LAB_TARGET, LAB_TARGET_MAC, LAB_SCAN_MAC,
#   LAB_SCAN_IF=pl-s, LAB_TARGET_IF=pl-t, LAB_SCAN_IP, LAB_TARGET_IP,
#   LAB_SCAN_IP6, LAB_TARGET_IP6, LAB_HOST6 (2001:db8:1::1, also configured on
#   the target's lo: see lab_up).

LAB_SCAN_IF=pl-s
LAB_TARGET_IF=pl-t
LAB_SCAN_IP=198.19.255.1
LAB_TARGET_IP=198.19.255.2
LAB_SCAN_IP6=2001:db8:ffff::1
LAB_TARGET_IP6=2001:db8:ffff::2
LAB_ANYIP4=198.18.0.0/16
LAB_ANYIP6=2001:db8:1::/64
LAB_HOST6=2001:db8:1::1
LAB_SCAN=
LAB_TARGET=
LAB_HOLD_FDS=()
LAB_RUN=

lab_log() { echo "lab: $*" >&2; }

# lab_usable: 0 when this process may build the lab (root, ip netns and nft
# work). Tests call it first and exit 77 (CTest's skip) when it fails.
lab_usable() {
  [[ $(id -u) -eq 0 ]] || { LAB_UNUSABLE="not root"; return 1; }
  command -v ip >/dev/null && command -v nft >/dev/null ||
    { LAB_UNUSABLE="ip or nft missing"; return 1; }
  local probe="plab-$$-probe"
  if ! ip netns add "$probe" 2>/dev/null; then LAB_UNUSABLE="ip netns add fails"; return 1; fi
  if ! ip netns exec "$probe" nft add table inet probe 2>/dev/null; then
    ip netns del "$probe" 2>/dev/null
    LAB_UNUSABLE="nft does not work in a namespace"; return 1
  fi
  ip netns del "$probe"
  return 0
}

# lab_require: lab_usable or exit 77 with the reason.
lab_require() {
  lab_usable || { echo "SKIP: lab unusable: $LAB_UNUSABLE" >&2; exit 77; }
}

# Deletes namespaces named plab-<pid>-* whose <pid> is no longer running,
# after killing the processes inside them (they are ours: only our labs use
# that prefix).
lab_reap_stale() {
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^plab-[0-9]+-' || true); do
    pid=${ns#plab-}; pid=${pid%%-*}
    [[ -d /proc/$pid ]] && continue
    lab_log "removing stale namespace $ns (pid $pid is gone)"
    _lab_kill_ns "$ns"
    ip netns del "$ns" 2>/dev/null || true
  done
}

# Kills every process inside namespace $1 (TERM, then KILL after up to 2 s).
_lab_kill_ns() {
  local ns=$1 pids i
  pids=$(ip netns pids "$ns" 2>/dev/null | xargs)
  [[ -z $pids ]] && return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for ((i = 0; i < 20; i++)); do
    pids=$(ip netns pids "$ns" 2>/dev/null | xargs)
    [[ -z $pids ]] && return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  sleep 0.1
}

_lab_chain_exit_trap() {
  local prev
  prev=$(trap -p EXIT)
  if [[ -n $prev ]]; then
    eval "set -- $prev"
    prev=$3
  fi
  # shellcheck disable=SC2064
  trap -- "lab_down; ${prev}" EXIT
  # A signal ends the shell through its EXIT trap.
  trap 'exit 143' TERM
  trap 'exit 130' INT
  trap 'exit 129' HUP
}

# Writes sysctl KEY=VALUE... in namespace $1; fails loudly on a bad key.
_lab_sysctl() {
  local ns=$1; shift
  ip netns exec "$ns" sysctl -q -w "$@" >/dev/null
}

lab_up() {
  lab_reap_stale
  LAB_RUN=$(mktemp -d /tmp/plab.XXXXXX)
  LAB_SCAN="plab-$$-s"
  LAB_TARGET="plab-$$-t"
  export LAB_SCAN LAB_TARGET
  _lab_chain_exit_trap
  ip netns add "$LAB_SCAN" || return 1
  ip netns add "$LAB_TARGET" || return 1
  local ns
  for ns in "$LAB_SCAN" "$LAB_TARGET"; do
    # Before the veth exists, so its per-interface copies inherit them.
    _lab_sysctl "$ns" net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 \
      net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.all.accept_ra=0 \
      net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0 ||
      return 1
    ip -n "$ns" link set lo up
  done
  ip link add "$LAB_SCAN_IF" netns "$LAB_SCAN" type veth peer name "$LAB_TARGET_IF" netns "$LAB_TARGET" ||
    return 1
  ip -n "$LAB_SCAN" addr add "$LAB_SCAN_IP/30" dev "$LAB_SCAN_IF"
  ip -n "$LAB_TARGET" addr add "$LAB_TARGET_IP/30" dev "$LAB_TARGET_IF"
  ip -n "$LAB_SCAN" -6 addr add "$LAB_SCAN_IP6/64" dev "$LAB_SCAN_IF" nodad
  ip -n "$LAB_TARGET" -6 addr add "$LAB_TARGET_IP6/64" dev "$LAB_TARGET_IF" nodad
  ip -n "$LAB_SCAN" link set "$LAB_SCAN_IF" up
  ip -n "$LAB_TARGET" link set "$LAB_TARGET_IF" up
  ip -n "$LAB_SCAN" route add "$LAB_ANYIP4" via "$LAB_TARGET_IP" dev "$LAB_SCAN_IF" || return 1
  ip -n "$LAB_SCAN" -6 route add "$LAB_ANYIP6" via "$LAB_TARGET_IP6" dev "$LAB_SCAN_IF" || return 1
  ip -n "$LAB_TARGET" route add local "$LAB_ANYIP4" dev lo || return 1
  ip -n "$LAB_TARGET" -6 route add local "$LAB_ANYIP6" dev lo || return 1
  # IPv6 sends an ICMPv6 error from the address the offending packet was sent
  # to only when that address is configured on an interface; for the rest of
  # the AnyIP range the error comes from pl-t's 2001:db8:ffff::2, as from a
  # router (nmap then says filtered, not closed, for UDP). Tests that need a
  # host's own port-unreachable use this address.
  ip -n "$LAB_TARGET" -6 addr add "$LAB_HOST6/128" dev lo nodad || return 1

  LAB_TARGET_MAC=$(ip netns exec "$LAB_TARGET" cat "/sys/class/net/$LAB_TARGET_IF/address")
  LAB_SCAN_MAC=$(ip netns exec "$LAB_SCAN" cat "/sys/class/net/$LAB_SCAN_IF/address")
  export LAB_TARGET_MAC LAB_SCAN_MAC

  # Target: listeners never refuse a SYN for want of backlog, both families
  # share one dual-stack socket per port (lab_listen binds ::).
  _lab_sysctl "$LAB_TARGET" net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65536 \
    "net.ipv4.tcp_syncookies=${LAB_SYNCOOKIES:-1}" net.ipv6.bindv6only=0 || return 1
  lab_icmp_ratelimit 0 || return 1

  ip netns exec "$LAB_TARGET" nft -f - <<'NFT' || return 1
table inet lab {
  chain input {
    type filter hook input priority 0; policy accept;
  }
}
NFT
  # Both ends resolve each other now, so a scan's first packets are not
  # queued behind neighbour discovery: a connect to a closed port must be
  # refused (a RST came back), not time out.
  _lab_refused "$LAB_TARGET_IP" || { lab_log "the veth does not pass IPv4"; return 1; }
  _lab_refused "$LAB_TARGET_IP6" || { lab_log "the veth does not pass IPv6"; return 1; }
  lab_assert_isolated || return 1
}

# The scan namespace has no default route and no interface but lo and pl-s:
# checked before anything runs in it.
lab_assert_isolated() {
  local links routes
  links=$(ip -n "$LAB_SCAN" -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | xargs)
  if [[ $links != "lo $LAB_SCAN_IF" ]]; then lab_log "scan namespace has links: $links"; return 1; fi
  routes=$( (ip -n "$LAB_SCAN" route show; ip -n "$LAB_SCAN" -6 route show) | grep -E '^default' || true)
  if [[ -n $routes ]]; then lab_log "scan namespace has a default route: $routes"; return 1; fi
  return 0
}

# True when a TCP connect from the scan side to ADDRESS port 9 is refused.
_lab_refused() {
  local out
  out=$(timeout 5 ip netns exec "$LAB_SCAN" bash -c "exec 3<>/dev/tcp/$1/9" 2>&1)
  [[ $out == *refused* ]]
}

lab_down() {
  local ns
  for fd in "${LAB_HOLD_FDS[@]}"; do exec {fd}>&- 2>/dev/null || true; done
  LAB_HOLD_FDS=()
  for ns in "$LAB_SCAN" "$LAB_TARGET"; do
    [[ -n $ns ]] || continue
    _lab_kill_ns "$ns"
    ip netns del "$ns" 2>/dev/null || true
  done
  LAB_SCAN=
  LAB_TARGET=
  [[ -n $LAB_RUN && -d $LAB_RUN ]] && rm -rf "$LAB_RUN"
  LAB_RUN=
  return 0
}

lab_scan() { ip netns exec "$LAB_SCAN" "$@"; }
lab_target() { ip netns exec "$LAB_TARGET" "$@"; }
lab_nft() { ip netns exec "$LAB_TARGET" nft "$@"; }

# Starts helper $1 (with args) inside the target, stdin held open by us so
# lab_down (or closing the fd) stops it; waits for its "listening ..." line
# and sets LAB_STARTED to the ports it bound.
_lab_start_helper() {
  local fifo
  fifo="$LAB_RUN/helper.$RANDOM$RANDOM"
  mkfifo "$fifo.in"
  # Started from a subshell, so the helper is not one of the caller's jobs (a
  # bare `wait` in the caller would wait for it forever); lab_down ends it
  # with the other processes of the namespace.
  (ip netns exec "$LAB_TARGET" "$@" <"$fifo.in" >"$fifo.out" 2>"$fifo.err" &)
  local hold
  exec {hold}>"$fifo.in"
  LAB_HOLD_FDS+=("$hold")
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$fifo.out" ]] && break
    sleep 0.05
  done
  LAB_STARTED=$(sed -n 's/^listening//p' "$fifo.out" | xargs)
  [[ -s $fifo.err ]] && lab_log "$(head -3 "$fifo.err")"
  return 0
}

# lab_listen PORT...: TCP listeners in the target on :: (dual stack: every
# address of both AnyIP ranges and both veth addresses). Fails unless every
# port was bound.
lab_listen() {
  [[ -x ${LAB_LISTEN_BIN:-} ]] || { lab_log "LAB_LISTEN_BIN is not set"; return 1; }
  _lab_start_helper "$LAB_LISTEN_BIN" :: "$@"
  LAB_LISTENING=$LAB_STARTED
  [[ $LAB_STARTED == "$*" ]] || { lab_log "listeners bound '$LAB_STARTED', wanted '$*'"; return 1; }
}

# lab_udp PORT...: UDP responders in the target on both families.
lab_udp() {
  [[ -x ${LAB_UDP_BIN:-} ]] || { lab_log "LAB_UDP_BIN is not set"; return 1; }
  _lab_start_helper "$LAB_UDP_BIN" :: "$@"
  LAB_UDP_LISTENING=$LAB_STARTED
  [[ $LAB_STARTED == "$*" ]] || { lab_log "udp responders bound '$LAB_STARTED', wanted '$*'"; return 1; }
}

# lab_drop PORTSPEC [tcp|udp]: silently drop those destination ports (both
# families). PORTSPEC is nft syntax: 23, 1000-2000, or 23,25,1000-1010.
lab_drop() {
  local proto=${2:-tcp}
  lab_nft add rule inet lab input meta l4proto "$proto" "$proto" dport "{ $1 }" drop
}

# lab_reject PORTSPEC [tcp|udp]: answer with ICMP / ICMPv6 administratively
# prohibited (type 3 code 13 / type 1 code 1).
lab_reject() {
  local proto=${2:-tcp}
  lab_nft add rule inet lab input meta nfproto ipv4 meta l4proto "$proto" "$proto" dport "{ $1 }" \
    reject with icmp type admin-prohibited &&
    lab_nft add rule inet lab input meta nfproto ipv6 meta l4proto "$proto" "$proto" dport "{ $1 }" \
      reject with icmpv6 type admin-prohibited
}

# lab_drop_host ADDRESS: the address stops answering anything (a down host
# inside the AnyIP range).
lab_drop_host() {
  if [[ $1 == *:* ]]; then lab_nft add rule inet lab input ip6 daddr "$1" drop
  else lab_nft add rule inet lab input ip daddr "$1" drop; fi
}

# lab_loss PERCENT: drop that share of everything the target receives, at
# random, before any other rule (0 removes the loss rule).
lab_loss() {
  local handle
  handle=$(lab_nft -a list chain inet lab input | sed -n 's/.*lab-loss.*# handle \([0-9]*\)/\1/p')
  [[ -n $handle ]] && lab_nft delete rule inet lab input handle "$handle"
  ((${1} > 0)) || return 0
  lab_nft insert rule inet lab input numgen random mod 100 "<" "$1" drop comment '"lab-loss"'
}

# lab_icmp_ratelimit MS: the target's per-destination ICMP error rate limit,
# IPv4 and IPv6 (one token per MS milliseconds, burst of 6: the kernel default
# is 1000 ms for IPv4, 100 ms for IPv6). 0 removes every ICMP limit, the
# global icmp_msgs_per_sec bucket included; any other value restores the
# kernel's global defaults (1000 per second, burst 50).
lab_icmp_ratelimit() {
  if [[ $1 == 0 ]]; then
    _lab_sysctl "$LAB_TARGET" net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 \
      net.ipv4.icmp_msgs_per_sec=100000000 net.ipv4.icmp_msgs_burst=100000000
  else
    _lab_sysctl "$LAB_TARGET" "net.ipv4.icmp_ratelimit=$1" "net.ipv6.icmp.ratelimit=$1" \
      net.ipv4.icmp_msgs_per_sec=1000 net.ipv4.icmp_msgs_burst=50
  fi
}

# lab_drop_all_prerouting: the target drops every IP packet it receives at
# the earliest netfilter hook, so a sender's rate is not limited by the
# target's stack (for send-rate measurements).
lab_drop_all_prerouting() {
  lab_nft add table inet labsink
  lab_nft add chain inet labsink pre '{ type filter hook prerouting priority -400; policy drop; }'
}

# lab_tx_packets [IFACE]: packets the scan side's veth has transmitted.
lab_tx_packets() {
  ip netns exec "$LAB_SCAN" cat "/sys/class/net/${1:-$LAB_SCAN_IF}/statistics/tx_packets"
}
lab_tx_dropped() {
  ip netns exec "$LAB_SCAN" cat "/sys/class/net/${1:-$LAB_SCAN_IF}/statistics/tx_dropped"
}

# lab_wait_quiet: waits (at most 5 s) until the scan side's veth has sent
# nothing for 1 s, so a later counter comparison sees only what follows.
lab_wait_quiet() {
  local a b i
  for ((i = 0; i < 5; i++)); do
    a=$(lab_tx_packets); sleep 1; b=$(lab_tx_packets)
    [[ $a == "$b" ]] && return 0
  done
  return 1
}
