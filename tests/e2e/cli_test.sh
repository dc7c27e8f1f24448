#!/usr/bin/env bash
# End-to-end checks of the ashiato command line: help, exit codes, filters, determinism.
set -u
bin=$1
corpora=$2
samples="$corpora/evtx/omerbenamram/samples"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_code() {  # expected-code description command...
  local want=$1 what=$2
  shift 2
  "$@" >/dev/null 2>&1
  local got=$?
  [ "$got" -eq "$want" ] || fail "$what: exit $got, want $want"
}

[ -d "$samples" ] || { echo "FAIL: corpora missing at $corpora"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every command has --help with examples; --version works.
for cmd in dump stats simulate hunt sweep beacons investigate "case show" "case timeline" "rules lint"; do
  out=$("$bin" $cmd --help 2>&1) || fail "$cmd --help exit code"
  grep -q "Examples:" <<<"$out" || fail "$cmd --help has no examples"
done
"$bin" --version | grep -q '^ashiato [0-9]' || fail "--version"

# Exit codes: usage error 2; input errors 0 without --strict, 3 with it; missing input counted.
expect_code 2 "unknown option" "$bin" dump --no-such-option "$samples/security.evtx"
expect_code 2 "bad --from" "$bin" dump --from yesterday "$samples/security.evtx"
expect_code 2 "no subcommand" "$bin"
expect_code 0 "corrupt file without --strict" "$bin" stats -q "$samples/sample_with_a_bad_chunk_magic.evtx"
expect_code 3 "corrupt file with --strict" "$bin" stats -q --strict "$samples/sample_with_a_bad_chunk_magic.evtx"
expect_code 3 "missing file with --strict" "$bin" dump -q --strict "$tmp/nope.evtx"
expect_code 0 "clean file with --strict" "$bin" stats -q --strict "$samples/security.evtx"
expect_code 1 "unwritable output" "$bin" dump -o /proc/version/x "$samples/security.evtx"

# Problems name the file, offset and chunk.
"$bin" stats "$samples/sample_with_a_bad_chunk_magic.evtx" 2>"$tmp/err" >/dev/null
grep -q "sample_with_a_bad_chunk_magic.evtx at offset 0x61000, chunk 6: bad chunk signature" "$tmp/err" ||
  fail "bad chunk report: $(head -3 "$tmp/err")"

# Filters: the count of 4624 records equals what stats reports for Security:4624.
want=$("$bin" stats "$samples/security.evtx" | tail -1 | tr '\t' '\n' | grep '^Security:4624=' | cut -d= -f2)
got=$("$bin" dump --event-id 4624 "$samples/security.evtx" | wc -l)
[ "$want" = "$got" ] && [ "$got" -gt 0 ] || fail "--event-id 4624: $got lines, stats says $want"
got=$("$bin" dump --channel security --event-id 4624 --event-id 4672 -f xml "$samples/security.evtx" | grep -c '<EventID>46\(24\|72\)</EventID>')
all=$("$bin" dump -f xml --channel SECURITY "$samples/security.evtx" | grep -c '<EventID>46\(24\|72\)</EventID>')
[ "$got" = "$all" ] || fail "--channel case-insensitive with two --event-id: $got vs $all"
# Every file after --event-id or --channel is read (each takes one value): the same file twice
# gives its 4624s twice.
got=$("$bin" dump --event-id 4624 "$samples/security.evtx" "$samples/security.evtx" | wc -l)
[ "$got" = $((want * 2)) ] || fail "dump --event-id N FILE FILE: $got lines, want $((want * 2))"
got=$("$bin" dump --channel security "$samples/system.evtx" "$samples/security.evtx" | wc -l)
all=$("$bin" dump --channel security "$samples/security.evtx" | wc -l)
[ "$got" = "$all" ] && [ "$got" -gt 0 ] || fail "dump --channel C FILE FILE: $got lines, want $all"
n=$("$bin" dump --from 2016-07-08T18:12:51Z --to 2016-07-08T18:12:52Z "$samples/security.evtx" | wc -l)
[ "$n" -ge 1 ] && [ "$n" -lt 2261 ] || fail "--from/--to selected $n records"
"$bin" dump -f json "$samples/system.evtx" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d)==1881, len(d)' ||
  fail "dump -f json is not a valid JSON array of 1881 records"
"$bin" dump -f jsonl "$samples/system.evtx" | /usr/bin/python3 -c '
import json,sys
n=sum(1 for line in sys.stdin if json.loads(line)["Event"]["System"]["Channel"]=="System")
assert n==1881, n' || fail "dump -f jsonl lines are not JSON records"

# Output is identical for any thread count.
"$bin" dump -j 1 -f xml "$corpora/evtx" >"$tmp/one.xml" 2>/dev/null
"$bin" dump -j 4 -f xml "$corpora/evtx" >"$tmp/four.xml" 2>/dev/null
cmp -s "$tmp/one.xml" "$tmp/four.xml" || fail "dump output differs between -j 1 and -j 4"
[ "$(grep -c '^<?xml' "$tmp/one.xml")" -gt 30000 ] || fail "dump of the whole corpus is too short"

# The demo case: simulate writes EVTX that reads back with the planted events.
"$bin" simulate --out "$tmp/demo" >/dev/null || fail "simulate"
"$bin" dump --event-id 4698 "$tmp/demo/evtx" | grep -q 'At1' || fail "demo task registration missing"
"$bin" dump --event-id 7045 "$tmp/demo/evtx" | grep -q 'WinUpdateSvc' || fail "demo service install missing"

# Hunt: the bundled rules find every planted trace of the demo case; machine formats parse.
"$bin" hunt -q -f jsonl "$tmp/demo/evtx" >"$tmp/demo.jsonl" || fail "hunt on the demo"
for title in "Remote Task Registered With at.exe" "Task Registered With at" "Service Installed From A Temporary"; do
  grep -q "\"title\":\"$title" "$tmp/demo.jsonl" || fail "demo hunt misses: $title"
done
"$bin" hunt -q -f json "$tmp/demo/evtx" | /usr/bin/python3 -c 'import json,sys; assert len(json.load(sys.stdin)) >= 3' ||
  fail "hunt -f json is not a JSON array of the detections"
"$bin" hunt -q -f csv "$tmp/demo/evtx" | /usr/bin/python3 -c '
import csv,sys
rows=list(csv.DictReader(sys.stdin))
import re
assert rows and all(r["rule_id"] and re.fullmatch(r"2015-06-0\dT\d\d:\d\d:\d\d\.\d{6}Z", r["time"]) for r in rows), rows' ||
  fail "hunt -f csv"
n_high=$("$bin" hunt -q --min-level critical -f jsonl "$tmp/demo/evtx" | wc -l)
[ "$n_high" -eq 0 ] || fail "--min-level critical should leave no demo detection, got $n_high"
expect_code 2 "hunt with bad --min-level" "$bin" hunt --min-level severe "$tmp/demo/evtx"

# rules lint: the bundled rules are clean; a broken rule is explained with file:line and exit 3.
expect_code 0 "lint bundled rules" "$bin" rules lint "$(dirname "$0")/../../rules"
printf 'title: broken\nlogsource: {product: windows}\ndetection:\n  sel: {a: 1}\n  condition: sel and nope\n' >"$tmp/bad.yml"
expect_code 3 "lint a broken rule" "$bin" rules lint "$tmp/bad.yml"
"$bin" rules lint "$tmp/bad.yml" | grep -q "bad.yml:5: condition names unknown search identifier 'nope'" ||
  fail "lint does not explain the broken rule"

# Sweep: a defanged domain finds exactly the Squid lines whose request host is it or below it
# (counted here with awk on the URL column), never a host that merely ends in the same letters.
squid="$corpora/network/squid/access1_secrepo_first100.log"
printf '# from the notice\nhxxps://yahoo[.]com/\nyahoo[.]com\n' >"$tmp/ioc.txt"
want=$(awk '{u=$7; sub(/^[a-z]+:\/\//,"",u); sub(/[:\/].*$/,"",u); if (u=="yahoo.com" || u ~ /\.yahoo\.com$/) n++} END{print n+0}' "$squid")
got=$("$bin" sweep -q --ioc "$tmp/ioc.txt" -f csv "$squid" | tail -n +2 | wc -l)
[ "$want" -gt 0 ] && [ "$got" = "$want" ] || fail "sweep yahoo.com: $got hits, awk says $want"
printf '1157689312.049 1 10.0.0.9 TCP_MISS/200 1 GET http://notyahoo.com/x - DIRECT/1.2.3.4 -\n' >"$tmp/near.log"
got=$("$bin" sweep -q --ioc "$tmp/ioc.txt" -f csv "$tmp/near.log" | tail -n +2 | wc -l)
[ "$got" = 0 ] || fail "sweep matched notyahoo.com for yahoo.com"
"$bin" sweep -q --ioc "$tmp/ioc.txt" -f json "$corpora/network/squid" | /usr/bin/python3 -c '
import json,sys
d=json.load(sys.stdin)
assert set(d) >= {"hits","indicators","hosts","sources"}, d.keys()
assert d["hosts"] and d["hosts"][0]["internal_host"] == "10.105.21.199", d["hosts"][:1]
assert all(s["format"] == "squid" for s in d["sources"] if s["path"].endswith(".log")), d["sources"]' ||
  fail "sweep -f json"
rita="$corpora/network/rita/test_data/missing_host"
echo 64.225.56.201 >"$tmp/ip.txt"
"$bin" sweep -q -j 1 --ioc "$tmp/ip.txt" -f csv --no-summary "$rita" >"$tmp/one.csv" 2>/dev/null
"$bin" sweep -q -j 2 --ioc "$tmp/ip.txt" -f csv --no-summary "$rita" >"$tmp/two.csv" 2>/dev/null
cmp -s "$tmp/one.csv" "$tmp/two.csv" || fail "sweep output differs between -j 1 and -j 2"
[ "$(wc -l <"$tmp/one.csv")" -gt 100000 ] || fail "sweep of RITA for the sensor address is too short"
expect_code 2 "sweep without --ioc or --notice" "$bin" sweep "$squid"
: >"$tmp/empty.txt"
expect_code 1 "sweep with no indicators" "$bin" sweep --ioc "$tmp/empty.txt" "$squid"
expect_code 0 "sweep over a folder with non-log files" "$bin" sweep -q --ioc "$tmp/ioc.txt" "$corpora/network/squid"
expect_code 3 "same with --strict" "$bin" sweep -q --strict --ioc "$tmp/ioc.txt" "$corpora/network/squid"

# beacons: RITA's missing_host sensor logs; its beacon listed in every format, with its window.
mh="$corpora/network/rita/test_data/missing_host"
"$bin" beacons -q -f csv --src 73.54.23.243 "$mh"/*/conn.*.gz "$mh"/*/http.*.gz >"$tmp/beacons.csv" ||
  fail "beacons exit code"
head -1 "$tmp/beacons.csv" | grep -q '^score,threat,src,dst,kind,ts_score,ds_score,dur_score,hist_score,' ||
  fail "beacons csv header"
grep -q ',73.54.23.243,64.225.56.201,ip,' "$tmp/beacons.csv" || fail "beacons: the missing_host beacon is listed"
# Every file given after --src is read (the option takes one value), and each TCP session is one
# sample: its 951 conn records, not also the 950 HTTP requests without a Host header on them.
grep -q ',73.54.23.243,64.225.56.201,ip,[^,]*,[^,]*,[^,]*,[^,]*,951,' "$tmp/beacons.csv" ||
  fail "beacons: the missing_host beacon has 951 connections: $(grep 73.54.23.243 "$tmp/beacons.csv" | head -1)"
"$bin" beacons -q -f json --min-score 0.8 --src 73.54.23.243 "$mh"/*/conn.*.gz |
  python3 -c 'import json,sys; r=json.load(sys.stdin); assert len(r)==1 and float(r[0]["score"])>=0.8, r' ||
  fail "beacons json with --min-score"
expect_code 2 "beacons --min-score out of range" "$bin" beacons --min-score 2 "$mh"
# The demo's second C2 (ground-truth.json "similar_c2"): its series carries the implant's
# User-Agent and every one of its requests.
"$bin" beacons -q -f json --dst www.arima-onsen.example.jp "$tmp/demo/proxy" >"$tmp/similar-beacons.json" ||
  fail "beacons --dst on the demo proxy"
python3 - "$tmp/demo/ground-truth.json" "$tmp/similar-beacons.json" <<'PY' || fail "beacons: the demo's second C2"
import json, sys
truth = json.load(open(sys.argv[1]))["similar_c2"]
rows = [r for r in json.load(open(sys.argv[2])) if r["dst"] == truth["domain"]]
assert rows, "no series to the second C2"
assert {r["user_agent"] for r in rows} == {truth["user_agent"]}, [r["user_agent"] for r in rows]
assert sum(int(r["connections"]) for r in rows) == truth["requests"], ([r["connections"] for r in rows], truth["requests"])
PY

# preserve: copies listed in sha256sum format, one custody entry each, the chain checkable without
# ashiato; verify exits 0 when intact and 3 with one line per problem after tampering.
for cmd in preserve blocklist; do
  "$bin" $cmd --help 2>&1 | grep -q "Examples:" || fail "$cmd --help has no examples"
done
pcase="$tmp/pcase"
"$bin" preserve -q --case "$pcase" --note E2E-1 "$corpora/network/squid" "$samples/security.evtx" >"$tmp/kept.sha256" ||
  fail "preserve exit code"
(cd "$pcase" && sha256sum -c --quiet "$tmp/kept.sha256") || fail "preserve: sha256sum -c of the listed copies"
[ "$(wc -l <"$tmp/kept.sha256")" -ge 4 ] && [ "$(wc -l <"$pcase/custody.jsonl")" = "$(wc -l <"$tmp/kept.sha256")" ] ||
  fail "preserve: one custody entry per copy"
chain_check='
import hashlib, json, sys
prev = "0" * 64
for n, line in enumerate(open(sys.argv[1], "rb"), 1):
    line = line.rstrip(b"\n")
    entry = json.loads(line)
    content = line[: line.rindex(b",\"prev\":\"")] + b"}"
    assert entry["prev"] == prev, f"chain break at entry {n}"
    assert hashlib.sha256(prev.encode() + content).hexdigest() == entry["hash"], f"entry {n} altered"
    prev = entry["hash"]'
/usr/bin/python3 -c "$chain_check" "$pcase/custody.jsonl" || fail "custody chain does not match the documented hashing"
expect_code 0 "preserve --verify, intact" "$bin" preserve --verify -q --case "$pcase"
expect_code 0 "preserve of the same files again" "$bin" preserve -q --case "$pcase" "$samples/security.evtx"
[ "$(grep -c '"type":"preserve"' "$pcase/custody.jsonl")" = "$(wc -l <"$tmp/kept.sha256")" ] ||
  fail "preserve recorded an identical file twice"
expect_code 2 "preserve without sources" "$bin" preserve --case "$pcase"
expect_code 2 "preserve --verify with sources" "$bin" preserve --verify --case "$pcase" "$samples/system.evtx"
expect_code 3 "preserve --strict with a missing source" "$bin" preserve -q --strict --case "$pcase" "$tmp/nope.log"
expect_code 0 "preserve with a missing source, not strict" "$bin" preserve -q --case "$pcase" "$tmp/nope.log"
expect_code 1 "preserve --verify without a case" "$bin" preserve --verify --case "$tmp/no-case"
verify_reports() {  # description expected-stderr-pattern
  "$bin" preserve --verify --case "$pcase" >/dev/null 2>"$tmp/verify.err"
  local rc=$?
  [ "$rc" -eq 3 ] || fail "verify after $1: exit $rc, want 3"
  grep -q "$2" "$tmp/verify.err" || fail "verify after $1: no '$2' in: $(head -3 "$tmp/verify.err")"
}
changed=$(sed -n 2p "$tmp/kept.sha256" | cut -c67-)
chmod u+w "$pcase/$changed" && printf 'x' >>"$pcase/$changed"
verify_reports "a modified copy" "^ashiato: changed: $changed: changed (entry 2)"
gone=$(sed -n 3p "$tmp/kept.sha256" | cut -c67-)
chmod u+w "$(dirname "$pcase/$gone")" && rm -f "$pcase/$gone"
verify_reports "a deleted copy" "^ashiato: missing: $gone: missing (entry 3)"
sed -i '1s/"note":"E2E-1"/"note":"E2E-X"/' "$pcase/custody.jsonl"
verify_reports "an edited custody entry" "^ashiato: altered: entry 1 altered"
sed -i '4d' "$pcase/custody.jsonl"
verify_reports "a removed custody entry" "^ashiato: chain-break: chain break at entry 4"
pcase="$tmp/pcase2"
"$bin" preserve -q --case "$pcase" "$corpora/network/squid" >/dev/null || fail "preserve into a second case"
/usr/bin/python3 -c '
import sys
lines = open(sys.argv[1]).readlines()
lines[1], lines[2] = lines[2], lines[1]
open(sys.argv[1], "w").writelines(lines)' "$pcase/custody.jsonl"
verify_reports "reordered custody entries" "^ashiato: chain-break: chain break at entry 2"
sed -i '$d' "$pcase/custody.jsonl"
expect_code 1 "preserve after the log's end was cut" "$bin" preserve -q --case "$pcase" "$samples/system.evtx"
verify_reports "a cut-off last entry" "^ashiato: truncated: custody log has"
chmod -R u+w "$tmp/pcase" "$tmp/pcase2"  # read-only copies: let the cleanup remove them

# blocklist: from a case's indicators and the findings that confirm them; sorted, deterministic,
# never a block of everything.
printf 'yahoo.com\n64.225.56.201\nhttp://evil.example.com/gate.php\n0.0.0.0/0\n' >"$tmp/c2.txt"
"$bin" investigate -q --ioc "$tmp/c2.txt" --case "$tmp/bcase" "$corpora/network/squid" >/dev/null 2>&1 ||
  fail "investigate for blocklist"
"$bin" blocklist -q --case "$tmp/bcase" -f squid >"$tmp/c2.squid" || fail "blocklist -f squid exit code"
grep -q '^acl ashiato_c2_dom dstdomain \.yahoo\.com$' "$tmp/c2.squid" || fail "blocklist squid: no yahoo.com acl"
grep -B1 '^acl ashiato_c2_dom' "$tmp/c2.squid" | grep -q "c2.txt:1; seen 2006-09-08T.* hits" ||
  fail "blocklist squid: yahoo.com not commented as seen"
grep -q '^acl ashiato_c2_url url_regex -i \^http://evil\\\.example\\\.com/gate\\\.php$' "$tmp/c2.squid" ||
  fail "blocklist squid: no url_regex"
grep -q '^acl .* 0\.0\.0\.0/0' "$tmp/c2.squid" && fail "blocklist squid blocks 0.0.0.0/0"
"$bin" blocklist -q --case "$tmp/bcase" -f plain --confirmed-only | cut -f1 | grep -qx '64.225.56.201' &&
  fail "blocklist --confirmed-only kept an indicator the logs never saw"
"$bin" blocklist -q --case "$tmp/bcase" -f nftables >"$tmp/one.nft" 2>/dev/null
"$bin" blocklist -q --case "$tmp/bcase" -f nftables >"$tmp/two.nft" 2>/dev/null
cmp -s "$tmp/one.nft" "$tmp/two.nft" || fail "blocklist output differs between runs"
grep -q '64.225.56.201,' "$tmp/one.nft" || fail "blocklist nftables: address missing"
expect_code 1 "blocklist without a case" "$bin" blocklist --case "$tmp/no-case"
expect_code 2 "blocklist with a bad --own" "$bin" blocklist --case "$tmp/bcase" --own not-a-network
expect_code 2 "blocklist with an unknown format" "$bin" blocklist --case "$tmp/bcase" -f pf

if [ "$failures" -gt 0 ]; then
  echo "$failures e2e check(s) failed"
  exit 1
fi
echo "all e2e checks passed"
