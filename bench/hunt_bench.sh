#!/usr/bin/env bash
# Sigma hunting speed and memory, side by side with parse-only on the same inputs:
#   parse-only = `ashiato stats` (every record decoded into fields), hunt = `ashiato hunt` with the
#   whole SigmaHQ Windows rule set (rules, rules-emerging-threats, rules-threat-hunting).
# Inputs: the shared EVTX corpus; the same corpus COPIES times over (symbolic links), real events
# in seconds rather than the corpus' hundredths, which the hunt's own timer rounds to 0.01 s;
# a large file of real events: the corpus' EVTX chunks one after another in a single file of
# BULK_MB (bench/join_evtx.py); and a large synthetic file written by `ashiato simulate
# --bulk-evtx-mb`, every event a process creation, logon or service installation (the heaviest
# rule categories, each command line new: a worst case for matching, not a typical log).
# Also times rule loading alone (`ashiato rules lint` on the same rule set).
# Env: BULK_MB (default 1024), COPIES (default 20), REPEATS (default 5), BENCH_DIR (default
#      /tmp/ashiato-bench), ASHIATO (binary, default build/src/cli/ashiato), ASHIATO_CORPORA.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ASHIATO:-$root/build/src/cli/ashiato}
corpora=${ASHIATO_CORPORA:-$root/../shared/corpora}
bulk_mb=${BULK_MB:-1024}
copies=${COPIES:-20}
repeats=${REPEATS:-5}
dir=${BENCH_DIR:-/tmp/ashiato-bench}
sigma=$corpora/sigma
rules=(-r "$sigma/rules/windows" -r "$sigma/rules-emerging-threats" -r "$sigma/rules-threat-hunting")
[ -x "$bin" ] || { echo "hunt_bench: build first (make build)" >&2; exit 1; }

bulk=$dir/bulk-${bulk_mb}mb/bulk.evtx
if [ ! -f "$bulk" ]; then
  mkdir -p "$dir/bulk-${bulk_mb}mb"
  "$bin" simulate --out "$dir/bulk-${bulk_mb}mb" --bulk-evtx-mb "$bulk_mb" >/dev/null
fi

joined=$dir/joined-${bulk_mb}mb/joined.evtx
if [ ! -f "$joined" ]; then
  mkdir -p "$dir/joined-${bulk_mb}mb"
  /usr/bin/python3 "$root/bench/join_evtx.py" "$bulk_mb" "$joined" "$corpora/evtx" >/dev/null
fi

many=$dir/corpus-x$copies
if [ ! -d "$many" ]; then
  rm -rf "$many.tmp"
  for c in $(seq "$copies"); do
    mkdir -p "$many.tmp/$c"
    i=0
    while IFS= read -r -d '' f; do
      ln -s "$f" "$many.tmp/$c/$i.evtx"
      i=$((i + 1))
    done < <(find "$corpora/evtx" -name '*.evtx' -print0 | sort -z)
  done
  mv "$many.tmp" "$many"
fi

source "$root/bench/measure.sh"

# the same for a hunt, plus the median of the scan time hunt reports itself (from the end of rule
# loading to the end of writing the timeline), written to a file so that the summary goes to stderr
measure_hunt() {
  local times=() scans=() rss=0 t m
  for _ in $(seq "$repeats"); do
    /usr/bin/time -f "%e %M" -o "$dir/time.out" "$bin" hunt -f jsonl -o "$dir/hunt.out" "$@" 2>"$dir/hunt.err" || true
    read -r t m < <(tail -1 "$dir/time.out")
    times+=("$t")
    scans+=("$(sed -n 's/^Scanned .* in \([0-9.]*\) s (.*/\1/p' "$dir/hunt.err")")
    if [ "$m" -gt "$rss" ]; then rss=$m; fi
  done
  median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  echo "$(median "${times[@]}") $(median "${scans[@]}") $rss"
}

records() { "$bin" stats -q "$@" | awk -F'\t' 'NR>1 {n+=$2} END {print n}'; }
# every file's size, links followed and each copy counted (du counts a file once)
bytes() { find -L "$@" -type f -printf '%s\n' | awk '{n += $1} END {print n}'; }

echo "# ashiato hunt benchmark"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "rules: SigmaHQ rules/windows + rules-emerging-threats + rules-threat-hunting"
read -r load_s load_rss < <(measure /dev/null "$bin" rules lint -q "$sigma/rules/windows" "$sigma/rules-emerging-threats" "$sigma/rules-threat-hunting")
echo "rule loading (rules lint, all of them): median ${load_s} s, peak RSS $((load_rss / 1024)) MB"
echo
printf '%-11s %-11s %-3s %9s %12s %9s %9s %11s\n' input mode j seconds events/s MB/s RSS_MB hunt/parse
for input in corpus "corpus-x$copies" joined bulk; do
  case $input in
    corpus) args=("$corpora/evtx") ;;
    joined) args=("$joined") ;;
    bulk) args=("$bulk") ;;
    *) args=("$many") ;;
  esac
  n=$(records "${args[@]}")
  size=$(bytes "${args[@]}")
  for j in 1 0; do
    read -r ps prss < <(measure /dev/null "$bin" stats -q -j "$j" "${args[@]}")
    # hunt time includes rule loading; hunt-scan is the scan time hunt reports (loading excluded)
    read -r hs scan hrss < <(measure_hunt -j "$j" "${rules[@]}" "${args[@]}")
    for row in "parse $ps $prss" "hunt $hs $hrss" "hunt-scan $scan $hrss"; do
      set -- $row
      awk -v in_="$input" -v mode="$1" -v j="$j" -v s="$2" -v rss="$3" -v n="$n" -v b="$size" -v p="$ps" \
        'BEGIN {printf "%-11s %-11s %-3s %9.3f %12.0f %9.1f %9.1f %11s\n", in_, mode, (j==0?"all":j), s, n/s, b/s/1048576, rss/1024, (mode=="parse"?"-":sprintf("%.2f", s/p))}'
    done
  done
done
