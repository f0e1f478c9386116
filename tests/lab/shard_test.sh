#!/usr/bin/env bash
# Sharding: --shard 1/3, 2/3 and 3/3 with the same --seed over
# 198.18.0.0/24 x 20 ports together scan exactly what the unsharded scan
# does: the union of their host-port states equals the whole scan, and no
# host:port is reported by two shards.
# Usage: shard_test.sh PORTOLAN_BINARY LISTEN_PORTS_BINARY UDP_RESPONDER_BINARY
source "$(dirname "$0")/lab_test_lib.sh" "$@"

lab_listen 22 25 30 33 || failt "listeners"
lab_drop 36-37
common=(-sS -n -Pn --scan-special --seed 20261121 -p 20-39 198.18.0.0/24)
total=$((256 * 20))

pscan whole 300 "${common[@]}" --json "$S/whole.json" -oX "$S/whole.xml"
ran_ok "unsharded scan runs" whole || { finish; exit 1; }
n=$(report states "$S/whole.json" | wc -l)
[[ $n -eq $total ]] && pass "unsharded: $total host-ports" || failt "unsharded: $total host-ports" "got $n"

shard_files=()
for i in 1 2 3; do
  pscan "shard$i" 300 "${common[@]}" --shard "$i/3" --json "$S/shard$i.json" -oX "$S/shard$i.xml"
  ran_ok "--shard $i/3 runs" "shard$i" || continue
  shard_files+=("$S/shard$i.json")
  k=$(report states "$S/shard$i.json" | wc -l)
  # Each shard holds its share; a third of 5120 is 1707.
  ((k > total / 6 && k < total / 2)) && pass "--shard $i/3 scans $k host-ports" ||
    failt "--shard $i/3 scans about a third" "$k of $total"
  xmllint --noout --dtdvalid "$DTD" "$S/shard$i.xml" 2>/dev/null || failt "--shard $i/3 XML validates"
done
if [[ ${#shard_files[@]} -eq 3 ]]; then
  out=$(report dups "${shard_files[@]}") && pass "no host:port in two shards" || failt "no host:port in two shards" "$out"
  report states "${shard_files[@]}" | cut -d' ' -f1-4 | sort >"$S/union"
  report states "$S/whole.json" | cut -d' ' -f1-4 | sort >"$S/whole.states"
  cmp -s "$S/union" "$S/whole.states" && pass "union of the shards equals the whole scan ($(wc -l <"$S/union") host-ports)" ||
    failt "union of the shards equals the whole scan" "$(diff "$S/union" "$S/whole.states" | head -10)"
  # XML too: the three shard reports read together give the same states.
  report states "$S/shard1.xml" "$S/shard2.xml" "$S/shard3.xml" | cut -d' ' -f1-4 | sort >"$S/union_xml"
  cmp -s "$S/union_xml" "$S/whole.states" && pass "XML: union of the shards equals the whole scan" ||
    failt "XML: union of the shards equals the whole scan" "$(diff "$S/union_xml" "$S/whole.states" | head -10)"
fi

# Bad shard specifications fail with one line.
pscan bad_shard 30 "${common[@]}" --shard 4/3
one_line_error "--shard 4/3 is refused" bad_shard "shard"
pscan bad_shard0 30 "${common[@]}" --shard 0/3
one_line_error "--shard 0/3 is refused" bad_shard0 "shard"
finish
