#!/usr/bin/env bash
# Bad input: every malformed option, target, port spec, file or command gets
# exactly one line on standard error naming the problem, a non-zero exit, and
# nothing on standard output (no partial scan).
# Usage: cli_errors_test.sh PORTOLAN_BINARY
source "$(dirname "$0")/lib.sh"
BIN=$1
empty="$SCRATCH/empty.txt"; : >"$empty"
comments="$SCRATCH/comments.txt"; printf '# only a comment\n\n   \n' >"$comments"
long_label=$(printf 'a%.0s' $(seq 1 70)).example

# expect_error "description" "expected fragment" args...
expect_error() {
  local name=$1 fragment=$2; shift 2
  local out err rc
  out=$("$BIN" "$@" 2>"$SCRATCH/err" </dev/null); rc=$?
  err=$(cat "$SCRATCH/err")
  local lines; lines=$(printf '%s' "$err" | grep -c '')
  if [[ $rc -eq 0 ]]; then failt "$name" "exit status 0" "stderr: $err"; return; fi
  if [[ $rc -ge 128 ]]; then failt "$name" "killed by a signal (status $rc)" "stderr: $err"; return; fi
  if [[ $lines -ne 1 ]]; then failt "$name" "expected one line on stderr, got $lines" "$err"; return; fi
  if [[ -n $out ]]; then failt "$name" "printed on stdout: ${out:0:200}"; return; fi
  if [[ $err != *"$fragment"* ]]; then failt "$name" "message lacks '$fragment'" "$err"; return; fi
  pass "$name: $err"
}

expect_error "unknown command" "unknown command 'bogus'" bogus
expect_error "option without command" "options go after a command" -sT 127.0.0.1
expect_error "no targets" "no targets" scan
expect_error "octet out of range" "10.0.0.300" scan 10.0.0.300
expect_error "bad CIDR prefix" "1.2.3.4/33" scan 1.2.3.4/33
expect_error "bad IPv6 prefix" "::1/129" scan ::1/129
expect_error "reversed octet range" "10.0.0.9-1" scan 10.0.0.9-1
expect_error "garbage target" "1..2" scan 1..2
expect_error "overlong host name label" "label longer than 63" scan "$long_label"
expect_error "bad exclude" "10.0.0.999" scan --exclude 10.0.0.999 127.0.0.1
expect_error "port out of range" "99999" scan -p 99999 127.0.0.1
expect_error "reversed port range" "80-20" scan -p 80-20 127.0.0.1
expect_error "unknown service name" "nosuchservice" scan -p nosuchservice 127.0.0.1
expect_error "empty port item" "22,,80" scan -p 22,,80 127.0.0.1
expect_error "negative port" "-5" scan -p=-5-x 127.0.0.1
expect_error "top-ports zero" "--top-ports" scan --top-ports 0 127.0.0.1
expect_error "top-ports not a number" "--top-ports" scan --top-ports many 127.0.0.1
expect_error "-p with -F" "-p" scan -p 22 -F 127.0.0.1
expect_error "missing -iL file" "/nonexistent/targets.txt" scan -iL /nonexistent/targets.txt
expect_error "empty -iL file" "no targets" scan -iL "$empty"
expect_error "-iL with only comments" "no targets" scan -iL "$comments"
expect_error "missing excludefile" "/nonexistent/ex.txt" scan --excludefile /nonexistent/ex.txt 127.0.0.1
expect_error "conflicting scan types" "cannot be combined" scan -sL -sT 127.0.0.1
expect_error "raw scan without privileges" "needs raw sockets" scan --unprivileged -sS 127.0.0.1
expect_error "raw ping without privileges" "needs raw sockets" scan --unprivileged -PE 127.0.0.1
expect_error "unsupported raw scan type" "not supported yet" scan -sF 127.0.0.1
expect_error "bad shard" "--shard" scan -sS --shard 4/3 127.0.0.1
expect_error "shard not a fraction" "--shard" scan -sS --shard x 127.0.0.1
expect_error "checkpoint with connect scan" "--checkpoint" scan -sT --checkpoint /tmp/x 127.0.0.1
expect_error "resume with other options" "--resume takes no other options" scan --resume /tmp/x -p 80
expect_error "missing resume file" "/nonexistent/cp" scan --resume /nonexistent/cp
expect_error "bad discovery ports" "-PS" scan -PS99999 127.0.0.1
expect_error "timestamp ping in IPv6" "-PP" scan -6 -PP ::1
expect_error "bad source address" "-S" scan -sS -S 1.2.3 127.0.0.1
expect_error "sU with sT" "-sU cannot be combined with -sT" scan -sU -sT 127.0.0.1
expect_error "unknown scan type" "-sQ" scan -sQ 127.0.0.1
expect_error "unknown option" "--bogus" scan --bogus 127.0.0.1
expect_error "bad timing template" "-T" scan -T9 127.0.0.1
expect_error "bad timing name" "-T" scan -T fastest 127.0.0.1
expect_error "min-rate above max-rate" "--min-rate" scan --min-rate 100 --max-rate 10 127.0.0.1
expect_error "bad rate" "--max-rate" scan --max-rate fast 127.0.0.1
expect_error "bad host-timeout" "--host-timeout" scan --host-timeout abc 127.0.0.1
expect_error "bad scan-delay unit" "--scan-delay" scan --scan-delay 5x 127.0.0.1
expect_error "negative retries" "--max-retries" scan --max-retries -1 127.0.0.1
expect_error "unwritable output" "/nonexistent/dir/out.xml" scan -oX /nonexistent/dir/out.xml 127.0.0.1
expect_error "-oA to stdout" "-oA" scan -oA - 127.0.0.1
expect_error "two formats to stdout" "standard output" scan -oX - --json - 127.0.0.1
expect_error "ports with -sn" "-sn" scan -sn -p 22 127.0.0.1
expect_error "ports with -sL" "-sL" scan -sL -p 22 127.0.0.1
expect_error "-sn with -Pn" "-Pn" scan -sn -Pn 127.0.0.1
expect_error "IPv4 literal with -6" "127.0.0.1" scan -6 127.0.0.1
expect_error "-n with -R" "-R" scan -n -R 127.0.0.1
expect_error "info bad port" "99999" info 99999
expect_error "info unknown service" "nosuchservice" info nosuchservice
expect_error "info without query" "query" info
# Detection options.
expect_error "-sV with -sL" "-sV cannot be used with -sL" scan -sV -sL 127.0.0.1
expect_error "-sV with -sn" "-sV cannot be used with -sn" scan -sV -sn 127.0.0.1
expect_error "version option without -sV" "need -sV" scan --version-light -n 127.0.0.1
expect_error "intensity out of range" "--version-intensity" scan -sV --version-intensity 12 -n 127.0.0.1
expect_error "two intensities" "choose one of" scan -sV --version-light --version-all -n 127.0.0.1
expect_error "missing versiondb" "no such file or directory" scan -sV --versiondb /nonexistent -n 127.0.0.1
printf 'probes:\n  - name: x\n    send: y\n    colour: red\n' >"$SCRATCH/bad.yaml"
expect_error "bad versiondb entry" "bad.yaml: line 2: unknown probe key 'colour'" \
  scan -sV --versiondb "$SCRATCH/bad.yaml" -n 127.0.0.1
expect_error "short version timeout" "at least 100ms" scan -sV --version-timeout 5ms -n 127.0.0.1
expect_error "-O unprivileged" "-O (OS detection) needs raw sockets" scan --unprivileged -O -n 127.0.0.1
expect_error "--traceroute unprivileged" "--traceroute needs raw sockets" \
  scan --unprivileged --traceroute -n 127.0.0.1

# The audit: options, policy files, the offline command, the database.
expect_error "--fail-on without --audit" "--fail-on needs --audit" scan --fail-on high -n 127.0.0.1
expect_error "bad --fail-on" "--fail-on expects info, low, medium, high or critical" \
  scan --audit --fail-on severe -n 127.0.0.1
expect_error "unknown audit check" "'nosuch' names no check" scan --audit --audit-checks tls,nosuch -n 127.0.0.1
expect_error "audit rate zero" "--audit-rate expects" scan --audit --audit-rate 0 -n 127.0.0.1
expect_error "--audit with -sn" "--audit cannot be used with -sn" scan --audit -sn 127.0.0.1
expect_error "audit option without --audit" "need --audit" scan --audit-checks tls -n 127.0.0.1
printf 'allow-exposed: [mysql]\nexposure: none\n' >"$SCRATCH/policy.yaml"
expect_error "bad audit policy" "policy.yaml: line 2: exposure: unknown key" \
  scan --audit --audit-policy "$SCRATCH/policy.yaml" -n 127.0.0.1
expect_error "missing vulndb" "--vulndb: no vulnerability database at /nonexistent.sqlite" \
  scan --audit --vulndb /nonexistent.sqlite -n 127.0.0.1
expect_error "audit without a file" "give the scan's XML report" audit
expect_error "audit of a missing file" "/nonexistent.xml" audit /nonexistent.xml
printf '<nmaprun><host><address addr="300.1.1.1" addrtype="ipv4"/></host></nmaprun>\n' >"$SCRATCH/bad.xml"
expect_error "audit of a bad address" "bad.xml: line 1" audit "$SCRATCH/bad.xml"
printf 'not xml at all' >"$SCRATCH/notxml.xml"
expect_error "audit of a non-XML file" "notxml.xml" audit "$SCRATCH/notxml.xml"
expect_error "audit bad --fail-on" "--fail-on expects" audit --fail-on nope "$SCRATCH/bad.xml"
printf '{"vulnerabilities": [' >"$SCRATCH/feed.json"
expect_error "vulndb import of broken JSON" "feed.json" vulndb import --db "$SCRATCH/v.sqlite" "$SCRATCH/feed.json"
expect_error "vulndb import of a missing file" "/nonexistent.json" vulndb import --db "$SCRATCH/v.sqlite" /nonexistent.json
expect_error "vulndb unknown subcommand" "vulndb" vulndb frobnicate
expect_error "vulndb info without a database" "no vulnerability database" vulndb info --db /nonexistent.sqlite

finish
