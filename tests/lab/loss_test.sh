#!/usr/bin/env bash
# SYN scan through 2% random loss (the target drops 2% of what it receives,
# probes and the scanner's own RSTs alike): every open port is found and the
# states equal those of a clean run, in each of three runs.
# Usage: loss_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"

open_ports=(21 22 25 53 80 110 143 443 445 993 3306 3389 4444 4999)
lab_listen "${open_ports[@]}" || failt "listeners"
lab_drop 3000-3099
ports=1-5000
: >"$S/want"
want "$S/want" 198.18.0.1 tcp "$(IFS=,; echo "${open_ports[*]}")" open syn-ack
want "$S/want" 198.18.0.1 tcp 3000-3099 filtered no-response
closed=$(comm -23 <(seq 1 5000 | sort) <(printf '%s\n' "${open_ports[@]}" $(seq 3000 3099) | sort) | sort -n | paste -sd,)
want "$S/want" 198.18.0.1 tcp "$closed" closed reset

pscan clean 300 -sS -n -Pn -p "$ports" 198.18.0.1 -oX "$S/clean.xml"
ran_ok "clean run" clean && states_match "clean run: states as configured" "$S/clean.xml" "$S/want" 5

lab_loss 2
for run in 1 2 3; do
  pscan "loss$run" 600 -sS -n -Pn -p "$ports" 198.18.0.1 -oX "$S/loss$run.xml"
  ran_ok "2% loss, run $run" "loss$run" || continue
  found=$(report open "$S/loss$run.xml" | awk '{print $2}')
  want_open=$(IFS=,; echo "${open_ports[*]}")
  [[ $found == "$want_open" ]] && pass "2% loss, run $run: all ${#open_ports[@]} open ports found" ||
    failt "2% loss, run $run: all open ports found" "found: $found" "want:  $want_open"
  same_states "2% loss, run $run: states equal the clean run" "$S/clean.xml" "$S/loss$run.xml"
done
finish
