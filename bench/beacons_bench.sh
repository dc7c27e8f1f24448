#!/usr/bin/env bash
# `ashiato beacons` side by side with a plain Python + numpy implementation of the same RITA v5
# scores (bench/beacons_reference.py: the log read line by line, a dict of lists, numpy for the
# statistics) on the same generated Squid native logs:
#   squid-beacons  an office over days (bench/gen_proxy_logs.py squid-beacons: 400 PCs browsing
#                  in office hours, periodic services, five implants, a strobe; about 200,000
#                  series; 1 GB is about 19 days of evidence, so every series has many windows);
#   squid          the sweep benchmark's log (2,000 PCs to 20,000 hosts at random over hours:
#                  nearly every request is a series of its own, the series map's worst case).
# ashiato runs with all cores and with one thread (-j 1). Both outputs (`-f csv`) must agree —
# the same series in the same order, the same counts and every score to three decimals
# (bench/beacons_compare.py) — before the times are printed; the script fails otherwise.
# Usage: beacons_bench.sh [SIZE_MB]   (default 1024; each log is SIZE_MB)
# Env: REPEATS (default 3), LAYOUTS (default "squid-beacons squid"), BENCH_DIR (default
#      /tmp/ashiato-bench), ASHIATO (binary, default build/src/cli/ashiato), PYTHON (default
#      /usr/bin/python3, with numpy: Debian's python3-numpy, scripts/install-deps).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ASHIATO:-$root/build/src/cli/ashiato}
python=${PYTHON:-/usr/bin/python3}
size_mb=${1:-${SIZE_MB:-1024}}
repeats=${REPEATS:-3}
layouts=${LAYOUTS:-squid-beacons squid}
dir=${BENCH_DIR:-/tmp/ashiato-bench}/beacons
[ -x "$bin" ] || { echo "beacons_bench: build first (make build)" >&2; exit 1; }
"$python" -c "import numpy" 2>/dev/null || { echo "beacons_bench: numpy missing (scripts/install-deps)" >&2; exit 1; }
mkdir -p "$dir"
for layout in $layouts; do
  log=$dir/$layout-$size_mb.log
  [ -f "$log" ] || "$python" "$root/bench/gen_proxy_logs.py" "$layout" "$size_mb" "$log"
done

source "$root/bench/measure.sh"

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); ashiato $(stat -c %y "$bin" | cut -d. -f1); repeats $repeats"
results=()
for layout in $layouts; do
  log=$dir/$layout-$size_mb.log
  bytes=$(stat -c %s "$log")
  read -r py_s py_rss < <(measure "$dir/python.csv" "$python" "$root/bench/beacons_reference.py" "$log")
  read -r one_s one_rss < <(measure "$dir/ashiato-j1.csv" "$bin" beacons -q -j 1 -f csv "$log")
  read -r all_s all_rss < <(measure "$dir/ashiato.csv" "$bin" beacons -q -f csv "$log")
  echo "$layout, $((bytes >> 20)) MB, $(wc -l <"$log") lines:"
  # the same table from both thread counts, and the reference's
  cmp -s "$dir/ashiato.csv" "$dir/ashiato-j1.csv" || { echo "  ashiato -j 1 and -j $(nproc) differ" >&2; exit 1; }
  "$python" "$root/bench/beacons_compare.py" "$dir/ashiato.csv" "$dir/python.csv" | sed 's/^/  /' ||
    { echo "beacons_bench: ashiato and the reference disagree on $log" >&2; exit 1; }
  series=$("$bin" beacons -f csv --all "$log" 2>&1 >/dev/null | sed -n 's/^ashiato: \([0-9]*\) series.*/\1/p')
  echo "  $series series in all (ashiato --all)"
  for row in "python reference:$py_s:$py_rss" "ashiato -j1:$one_s:$one_rss" "ashiato -j$(nproc):$all_s:$all_rss"; do
    results+=("$layout:$((bytes >> 20)):$row:$py_s")
  done
done
echo
printf '%-14s %6s  %-18s %8s %8s %8s %9s\n' log MB tool seconds MB/s "RSS MB" "vs python"
for r in "${results[@]}"; do
  IFS=: read -r layout mb tool s rss py <<<"$r"
  printf '%-14s %6s  %-18s %8.2f %8.1f %8.0f %8.2fx\n' "$layout" "$mb" "$tool" "$s" \
    "$(awk -v m="$mb" -v s="$s" 'BEGIN {print m / s}')" "$((rss / 1024))" "$(awk -v p="$py" -v s="$s" 'BEGIN {print p / s}')"
done
