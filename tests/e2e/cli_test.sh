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
for cmd in dump stats simulate hunt sweep "rules lint"; do
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
expect_code 2 "sweep without --ioc" "$bin" sweep "$squid"
: >"$tmp/empty.txt"
expect_code 1 "sweep with no indicators" "$bin" sweep --ioc "$tmp/empty.txt" "$squid"
expect_code 0 "sweep over a folder with non-log files" "$bin" sweep -q --ioc "$tmp/ioc.txt" "$corpora/network/squid"
expect_code 3 "same with --strict" "$bin" sweep -q --strict --ioc "$tmp/ioc.txt" "$corpora/network/squid"

if [ "$failures" -gt 0 ]; then
  echo "$failures e2e check(s) failed"
  exit 1
fi
echo "all e2e checks passed"
