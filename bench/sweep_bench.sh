#!/usr/bin/env bash
# Indicator sweep speed, side by side with grep and ripgrep on the same generated proxy logs:
#   grep -F -f / rg -F -f: substring matching of the indicator list anywhere in the line (fast but
#   wrong on domain boundaries: evil.com also hits notevil.com and ?q=evil.com);
#   ashiato sweep: field-aware matching (request host on label boundaries), one thread and all.
# Logs: a Squid native and a W3C (ProxySG ELFF) log of SIZE_MB each (bench/gen_proxy_logs.py);
# indicator lists of 100, 10,000 and 100,000 domains. Output goes to a file (grep stops early
# when writing to /dev/null).
# Env: SIZE_MB (default 1024), REPEATS (default 3), BENCH_DIR (default /tmp/ashiato-bench),
#      ASHIATO (binary, default build/src/cli/ashiato).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ASHIATO:-$root/build/src/cli/ashiato}
size_mb=${SIZE_MB:-1024}
repeats=${REPEATS:-3}
dir=${BENCH_DIR:-/tmp/ashiato-bench}/sweep
[ -x "$bin" ] || { echo "sweep_bench: build first (make build)" >&2; exit 1; }
command -v rg >/dev/null || { echo "sweep_bench: ripgrep missing (scripts/install-deps)" >&2; exit 1; }
mkdir -p "$dir"
for layout in squid w3c; do
  [ -f "$dir/$layout.log" ] || /usr/bin/python3 "$root/bench/gen_proxy_logs.py" "$layout" "$size_mb" "$dir/$layout.log"
done
for n in 100 10000 100000; do
  [ -f "$dir/iocs-$n.txt" ] || /usr/bin/python3 "$root/bench/gen_proxy_logs.py" iocs "$n" "$dir/iocs-$n.txt"
done

source "$root/bench/measure.sh"

printf '%-6s %7s  %-22s %8s %8s %9s %8s\n' log iocs tool seconds GB/s "RSS MB" "vs grep"
for layout in squid w3c; do
  log=$dir/$layout.log
  gb=$(awk -v b="$(stat -c %s "$log")" 'BEGIN {print b / 1e9}')
  for n in 100 10000 100000; do
    iocs=$dir/iocs-$n.txt
    read -r grep_s grep_rss < <(measure "$dir/out.txt" env LC_ALL=C grep -F -f "$iocs" "$log")
    grep_lines=$(wc -l <"$dir/out.txt")
    read -r rg_s rg_rss < <(measure "$dir/out.txt" rg -F -f "$iocs" "$log")
    read -r one_s one_rss < <(measure "$dir/out.txt" "$bin" sweep -q -j 1 --no-summary -f csv --ioc "$iocs" "$log")
    hits=$(($(wc -l <"$dir/out.txt") - 1))
    read -r all_s all_rss < <(measure "$dir/out.txt" "$bin" sweep -q --no-summary -f csv --ioc "$iocs" "$log")
    for row in "grep -F -f:$grep_s:$grep_rss" "rg -F -f:$rg_s:$rg_rss" "ashiato sweep -j1:$one_s:$one_rss" \
      "ashiato sweep -j$(nproc):$all_s:$all_rss"; do
      IFS=: read -r tool s rss <<<"$row"
      printf '%-6s %7s  %-22s %8.2f %8.2f %9.0f %7.2fx\n' "$layout" "$n" "$tool" "$s" \
        "$(awk -v g="$gb" -v s="$s" 'BEGIN {print g / s}')" "$((rss / 1024))" \
        "$(awk -v a="$grep_s" -v s="$s" 'BEGIN {print a / s}')"
    done
    echo "       ($n iocs: grep printed $grep_lines lines, ashiato found $hits field-aware hits)"
  done
done
