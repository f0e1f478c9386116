# shellcheck shell=bash
# shellcheck disable=SC2034,SC2120  # variables for the caller; trap helper
# The two-namespace lab of the real-server tests (bash library; source it).
# ../../../shared/LAB.md's pattern, with names of our own so it never collides
# with tests/lab/lab.sh's plab-* namespaces:
#
#   scan ns  pl-sv-<pid>-s   veth pl-svs 198.19.255.1/30
#   target   pl-sv-<pid>-t   veth pl-svt 198.19.255.2/30, AnyIP 198.18.0.0/16
#   the scan namespace routes 198.18.0.0/15's lab part to the target, nothing
#   else: no default route, no link to the root namespace.
#
# sv_up creates both (and chains sv_down onto the EXIT trap), sv_down kills every
# process inside them (servers included) and deletes them. Namespaces left by a
# dead shell (a test killed by a CTest timeout) are reaped by the next sv_up.
# Servers listen on 0.0.0.0; scan SV_TARGET_IP (198.19.255.2): daemons that bind
# their interfaces' addresses do not answer on the AnyIP range.

SV_SCAN_IF=pl-svs
SV_TARGET_IF=pl-svt
SV_SCAN_IP=198.19.255.1
SV_TARGET_IP=198.19.255.2
SV_SCAN=
SV_TARGET=

sv_log() { echo "servers: $*" >&2; }

# sv_usable: root, ip netns works. Sets SV_UNUSABLE otherwise.
sv_usable() {
  [[ $(id -u) -eq 0 ]] || { SV_UNUSABLE="not root"; return 1; }
  command -v ip >/dev/null || { SV_UNUSABLE="ip missing"; return 1; }
  local probe="pl-sv-$$-probe"
  ip netns add "$probe" 2>/dev/null || { SV_UNUSABLE="ip netns add fails"; return 1; }
  ip netns del "$probe"
}

# Kills every process in namespace $1: TERM, then KILL after up to 3 s.
sv_kill_ns() {
  local ns=$1 pids i
  pids=$(ip netns pids "$ns" 2>/dev/null | xargs)
  [[ -z $pids ]] && return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    pids=$(ip netns pids "$ns" 2>/dev/null | xargs)
    [[ -z $pids ]] && return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  sleep 0.2
}

sv_reap_stale() {
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^pl-sv-[0-9]+-[st]$' || true); do
    pid=${ns#pl-sv-}; pid=${pid%%-*}
    [[ -d /proc/$pid ]] && continue
    sv_log "removing stale namespace $ns (pid $pid is gone)"
    sv_kill_ns "$ns"
    ip netns del "$ns" 2>/dev/null || true
  done
}

sv_down() {
  local ns
  for ns in "$SV_SCAN" "$SV_TARGET"; do
    [[ -n $ns ]] || continue
    sv_kill_ns "$ns"
    ip netns del "$ns" 2>/dev/null || true
  done
  SV_SCAN=
  SV_TARGET=
  return 0
}

_sv_chain_exit_trap() {
  local prev
  prev=$(trap -p EXIT)
  if [[ -n $prev ]]; then
    eval "set -- $prev"
    prev=$3
  fi
  # shellcheck disable=SC2064
  trap -- "sv_down; ${prev}" EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  trap 'exit 129' HUP
}

sv_up() {
  sv_reap_stale
  SV_SCAN="pl-sv-$$-s"
  SV_TARGET="pl-sv-$$-t"
  export SV_SCAN SV_TARGET
  _sv_chain_exit_trap
  ip netns add "$SV_SCAN" || return 1
  ip netns add "$SV_TARGET" || return 1
  ip -n "$SV_SCAN" link set lo up
  ip -n "$SV_TARGET" link set lo up
  ip link add "$SV_SCAN_IF" netns "$SV_SCAN" type veth peer name "$SV_TARGET_IF" netns "$SV_TARGET" ||
    return 1
  ip -n "$SV_SCAN" addr add "$SV_SCAN_IP/30" dev "$SV_SCAN_IF"
  ip -n "$SV_TARGET" addr add "$SV_TARGET_IP/30" dev "$SV_TARGET_IF"
  ip -n "$SV_SCAN" link set "$SV_SCAN_IF" up
  ip -n "$SV_TARGET" link set "$SV_TARGET_IF" up
  ip -n "$SV_SCAN" route add 198.18.0.0/16 via "$SV_TARGET_IP" dev "$SV_SCAN_IF" || return 1
  ip -n "$SV_TARGET" route add local 198.18.0.0/16 dev lo || return 1
  # Daemons that drop root before binding (exim with its own config) may bind
  # low ports in this namespace; the setting is per network namespace.
  ip netns exec "$SV_TARGET" sysctl -q -w net.ipv4.ip_unprivileged_port_start=0 >/dev/null
  sv_assert_isolated
}

# The scan namespace has only lo and its veth, and no default route.
sv_assert_isolated() {
  local links routes
  links=$(ip -n "$SV_SCAN" -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | xargs)
  [[ $links == "lo $SV_SCAN_IF" ]] || { sv_log "scan namespace has links: $links"; return 1; }
  routes=$( (ip -n "$SV_SCAN" route show; ip -n "$SV_SCAN" -6 route show) | grep -E '^default' || true)
  [[ -z $routes ]] || { sv_log "scan namespace has a default route: $routes"; return 1; }
}

sv_scan() { ip netns exec "$SV_SCAN" "$@"; }
sv_target() { ip netns exec "$SV_TARGET" "$@"; }

# sv_ports [tcp|udp] < STARTED_FILE: the comma-separated ports of that protocol
# among the started servers (servers.sh writes STATE_DIR/started, one
# "NAME PROTO/PORT" a line).
sv_ports() {
  awk -v p="$1" '{split($2, a, "/"); if (a[1] == p) print a[2]}' | sort -n | uniq | paste -sd, -
}

# sv_port_args STARTED_FILE: the scanners' -p argument for what started
# (T:..,U:..) and whether UDP is in it (sets SV_PORTS, SV_HAVE_UDP).
sv_port_args() {
  local t u
  t=$(sv_ports tcp <"$1")
  u=$(sv_ports udp <"$1")
  SV_PORTS=
  [[ -n $t ]] && SV_PORTS="T:$t"
  [[ -n $u ]] && SV_PORTS="${SV_PORTS:+$SV_PORTS,}U:$u"
  SV_HAVE_UDP=$([[ -n $u ]] && echo 1 || echo 0)
}
