#!/usr/bin/env bash
# `ashiato investigate` on a generated case of mixed logs (default about 2.2 GB): a Squid and a
# ProxySG W3C proxy log (bench/gen_proxy_logs.py), a large EVTX (simulate --bulk-evtx-mb) and the
# demo incident (firewall, DHCP, EVTX of PCs and servers, its notice). Reports wall time,
# throughput, peak RSS and the time per stage that investigate prints, with the similar-
# communications analysis (beacon series stored, C2 candidates) and without it (--no-similar),
# alternately, and what it adds (median over the repeats).
# Env: PROXY_MB (default 900 per proxy log), EVTX_MB (default 400), REPEATS (default 2),
#      BENCH_DIR (default /tmp/ashiato-bench), ASHIATO (binary, default build/src/cli/ashiato).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ASHIATO:-$root/build/src/cli/ashiato}
proxy_mb=${PROXY_MB:-900}
evtx_mb=${EVTX_MB:-400}
repeats=${REPEATS:-2}
dir=${BENCH_DIR:-/tmp/ashiato-bench}/investigate
[ -x "$bin" ] || { echo "investigate_bench: build first (make build)" >&2; exit 1; }
mkdir -p "$dir/evidence"
[ -f "$dir/evidence/proxy/access.log" ] || {
  mkdir -p "$dir/evidence/proxy"
  /usr/bin/python3 "$root/bench/gen_proxy_logs.py" squid "$proxy_mb" "$dir/evidence/proxy/access.log"
  /usr/bin/python3 "$root/bench/gen_proxy_logs.py" w3c "$proxy_mb" "$dir/evidence/proxy/SG_main.log"
}
[ -f "$dir/evidence/bulk/bulk.evtx" ] || "$bin" simulate --out "$dir/evidence/bulk" --bulk-evtx-mb "$evtx_mb" >/dev/null
[ -d "$dir/demo" ] || "$bin" simulate --out "$dir/demo" >/dev/null
/usr/bin/python3 "$root/bench/gen_proxy_logs.py" iocs 100 "$dir/iocs.txt"
inputs=("$dir/evidence/proxy" "$dir/evidence/bulk/bulk.evtx" "$dir/demo/proxy" "$dir/demo/firewall" "$dir/demo/dhcp" "$dir/demo/evtx")
bytes=$(du -cb "${inputs[@]}" | tail -1 | cut -f1)
echo "evidence: $(awk -v b="$bytes" 'BEGIN {printf "%.2f GB", b / 1e9}') in ${#inputs[@]} folders"
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
: >"$dir/with.times"
: >"$dir/without.times"
for i in $(seq "$repeats"); do
  for mode in with without; do
    flags=()
    [ "$mode" = without ] && flags=(--no-similar)
    rm -rf "$dir/case"
    /usr/bin/time -f "%e %M" -o "$dir/time.out" "$bin" investigate --lang en --ioc "$dir/iocs.txt" "${flags[@]}" \
      --notice "$dir/demo/notice.txt" --case "$dir/case" "${inputs[@]}" >"$dir/out.txt" 2>/dev/null || true
    read -r t m <"$dir/time.out"
    echo "$t" >>"$dir/$mode.times"
    printf 'run %d, %-7s similar communications: %.1f s, %.0f MB/s, peak RSS %d MB; %s\n' "$i" "$mode" "$t" \
      "$(awk -v b="$bytes" -v t="$t" 'BEGIN {print b / 1e6 / t}')" "$((m / 1024))" "$(grep '^stages' "$dir/out.txt")"
  done
done
with=$(median <"$dir/with.times")
without=$(median <"$dir/without.times")
awk -v a="$with" -v b="$without" 'BEGIN {printf "median: %.1f s with, %.1f s without: the analysis adds %.0f %%\n", a, b, (a / b - 1) * 100}'
grep -E "files read|host\(s\)" "$dir/out.txt" | head -3
