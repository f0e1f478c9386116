#!/usr/bin/env bash
# Checkpoint and resume: a scan writing --checkpoint, -oX, -oG and --json is
# killed with SIGKILL mid-scan; `portolan scan --resume FILE` finishes it.
# The final reports hold every host exactly once, equal an uninterrupted run
# of the same scan, and the XML still validates.
# Usage: resume_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"

lab_listen 22 80 443 || failt "listeners"
lab_drop 30-31
# 1,024 hosts x 20 ports (open, closed and dropped) in 8 groups of 128 hosts
# (hosts are reported, and the checkpoint written, as each group ends). At
# 8,000 probes/s the sending alone takes at least 2.5 s, about 0.3 s a group,
# and each group then waits for its dropped ports: about 5 s in all. The scan
# is killed as soon as two groups are written, so 6 of the 8 groups (seconds
# of work, bounded below by --max-rate) are still to do: the kill lands
# mid-scan however fast or slow the machine is, without a time-based wait.
common=(-sS -n -Pn --scan-special --seed 7 --max-rate 8000 --max-hostgroup 128
  -p 20-31,80,443,1000-1005 198.18.0.0/22)
N=1024
G=128

pscan full 600 "${common[@]}" -oX "$S/full.xml" -oG "$S/full.gnmap" --json "$S/full.json"
ran_ok "uninterrupted scan runs" full || { finish; exit 1; }

ck="$S/scan.checkpoint"
# Started without `timeout`, so $pid is the scanner itself (ip netns exec
# execs it); the loop below bounds it and kills it in every case.
ip netns exec "$LAB_SCAN" "$BIN" scan "${common[@]}" --checkpoint "$ck" \
  -oX "$S/r.xml" -oG "$S/r.gnmap" --json "$S/r.json" >"$S/r1.out" 2>"$S/r1.err" &
pid=$!
on_exit "kill -KILL $pid 2>/dev/null"
# Wait (at most 60 s) for the checkpoint and two finished groups, then kill -9.
interrupted=0
for ((i = 0; i < 600; i++)); do
  kill -0 "$pid" 2>/dev/null || break
  hosts_written=$(grep -c '^{"type":"host"' "$S/r.json" 2>/dev/null)
  if [[ -s $ck && ${hosts_written:-0} -ge $((2 * G)) ]]; then
    kill -KILL "$pid" 2>/dev/null && interrupted=1
    break
  fi
  sleep 0.1
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [[ $interrupted -ne 1 ]]; then
  failt "scan interrupted mid-way" "it ended first (or wrote no checkpoint/hosts in 60 s): $(head -3 "$S/r1.err")" \
    "checkpoint: $(ls -l "$ck" 2>&1)"
  finish
  exit 1
fi
before=$(grep -c '^{"type":"host"' "$S/r.json")
if [[ $before -ge $((2 * G)) && $before -lt $N ]]; then
  pass "killed with SIGKILL after $before of $N hosts (checkpoint $(stat -c %s "$ck") bytes)"
else
  failt "killed with SIGKILL mid-scan" "$before of $N hosts written when killed"
  finish
  exit 1
fi

# --resume takes no other options.
pscan resume_extra 30 --resume "$ck" -p 80
one_line_error "--resume with other options is refused" resume_extra "resume"

pscan resume 600 --resume "$ck"
ran_ok "--resume finishes the scan" resume || { finish; exit 1; }
xml_valid "resumed XML validates against nmap.dtd" "$S/r.xml"
for f in r.xml r.gnmap r.json; do
  out=$(report dups "$S/$f")
  n=$(report hosts "$S/$f" | wc -l)
  [[ $n -eq $N && $out == "no duplicates" ]] && pass "$f: $N hosts, each once" ||
    failt "$f: $N hosts, each once" "hosts: $n" "$out"
done
same_states "resumed XML equals the uninterrupted run" "$S/full.xml" "$S/r.xml" --reasons
same_states "resumed JSON equals the uninterrupted run" "$S/full.json" "$S/r.json" --reasons
report hosts "$S/full.gnmap" | awk '{print $1, $2}' >"$S/full.hosts"
report hosts "$S/r.gnmap" | awk '{print $1, $2}' >"$S/r.hosts"
cmp -s "$S/full.hosts" "$S/r.hosts" && pass "resumed grepable lists the same hosts" ||
  failt "resumed grepable lists the same hosts" "$(diff "$S/full.hosts" "$S/r.hosts" | head)"
grep -q 'exit="success"' "$S/r.xml" && pass "resumed XML ends with exit=success" ||
  failt "resumed XML ends with exit=success" "$(tail -3 "$S/r.xml")"
finish
