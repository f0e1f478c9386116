#!/usr/bin/env bash
# Safety: a raw scan of an address the scan namespace has no route to fails
# with one "no route" line and sends nothing (the veth's tx counter does not
# move); special-use ranges given as a range or CIDR are skipped without
# --scan-special (nothing sent), while a single address typed explicitly is
# scanned.
# Usage: safety_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"

lab_listen 80 || failt "listener"
lab_assert_isolated && pass "scan namespace isolated (lo and $LAB_SCAN_IF, no default route)" ||
  failt "scan namespace isolated"

# sends_nothing TEST_NAME RUN ARGS...: runs the scan between two reads of the
# tx counter, after the link has been quiet for a second. Kernel chatter
# (IPv6 neighbour/MLD timers) can move the counter on its own, so a moved
# counter is re-checked once before it counts as a failure.
sends_nothing() {
  local name=$1 run=$2 try before after
  shift 2
  for try in 1 2; do
    lab_wait_quiet || true
    before=$(lab_tx_packets)
    pscan "$run" 60 "$@"
    after=$(lab_tx_packets)
    [[ $after -eq $before ]] && { pass "$name: tx counter unchanged ($before)"; return 0; }
  done
  failt "$name: nothing sent" "tx counter moved by $((after - before))"
}

for target in 192.0.2.1 "--scan-special 203.0.113.5" "--scan-special 198.51.100.0/24" "-6 2001:db8:2::1"; do
  # shellcheck disable=SC2086
  sends_nothing "-sS $target" noroute -sS -n -Pn -p 80 $target
  one_line_error "-sS $target fails with 'no route'" noroute "no route"
done

# Special-use CIDR without --scan-special: skipped, nothing sent.
sends_nothing "-sS 198.18.0.0/24 without --scan-special" skip -sS -n -Pn -p 80 198.18.0.0/24 -oX "$S/skip.xml"
n=$(report hosts "$S/skip.xml" 2>/dev/null | wc -l)
[[ $n -eq 0 ]] && pass "198.18.0.0/24 without --scan-special: no host scanned (exit $RC)" ||
  failt "198.18.0.0/24 without --scan-special is skipped" "$n hosts reported"
# ... and a single special-use address typed explicitly is scanned.
pscan explicit 60 -sS -n -Pn -p 80 198.18.0.1 -oX "$S/explicit.xml"
ran_ok "-sS 198.18.0.1 runs" explicit &&
  { [[ $(report open "$S/explicit.xml") == "198.18.0.1 80" ]] && pass "explicit 198.18.0.1 is scanned without --scan-special" ||
    failt "explicit 198.18.0.1 is scanned" "$(report open "$S/explicit.xml")"; }
pscan explicit6 60 -6 -sS -n -Pn -p 80 2001:db8:1::1 -oX "$S/explicit6.xml"
ran_ok "-6 -sS 2001:db8:1::1 runs" explicit6 &&
  { [[ $(report open "$S/explicit6.xml") == "2001:db8:1::1 80" ]] && pass "explicit 2001:db8:1::1 is scanned without --scan-special" ||
    failt "explicit 2001:db8:1::1 is scanned" "$(report open "$S/explicit6.xml")"; }
finish
