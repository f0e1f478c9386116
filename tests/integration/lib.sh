# Shared helpers for the integration tests (bash). Source it; call `finish` last.
# Every test prints "ok - name" or "not ok - name" and the run ends with the
# plain "N passed, N failed" line.
set -uo pipefail
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
failt() { FAILED=$((FAILED + 1)); echo "not ok - $1"; shift; for l in "$@"; do echo "    $l"; done; }
finish() {
  echo "$PASSED passed, $FAILED failed"
  [[ $FAILED -eq 0 ]]
}
# A scratch directory removed on exit; tests add their own cleanup with `on_exit`.
SCRATCH=$(mktemp -d)
EXIT_HOOKS=("rm -rf '$SCRATCH'")
on_exit() { EXIT_HOOKS+=("$1"); }
run_exit_hooks() { for h in "${EXIT_HOOKS[@]}"; do eval "$h" || true; done; }
trap run_exit_hooks EXIT

# start_listener ADDRESS PORT... : starts portolan_listen_ports; sets LISTENER_PID
# and LISTENING (the ports it could bind).
start_listener() {
  local fifo="$SCRATCH/listener.$RANDOM"
  mkfifo "$fifo.in"
  "$LISTEN_BIN" "$@" <"$fifo.in" >"$fifo.out" 2>/dev/null &
  LISTENER_PID=$!
  exec {LISTENER_HOLD}>"$fifo.in"   # keep its stdin open; closing it stops the listener
  on_exit "kill $LISTENER_PID 2>/dev/null"
  local i
  for i in $(seq 1 100); do
    if [[ -s "$fifo.out" ]]; then break; fi
    sleep 0.05
  done
  LISTENING=$(sed -n 's/^listening//p' "$fifo.out" | xargs)
}
