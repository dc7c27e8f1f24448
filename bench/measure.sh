# shellcheck shell=bash disable=SC2154
# Sourced by the bench scripts. `measure OUT COMMAND...`: runs COMMAND $repeats times (standard
# output to OUT, standard error dropped) and prints the median wall time in seconds and the largest
# peak RSS in KB. Needs $dir (a scratch folder) and $repeats.
measure() {
  local out=$1 times=() rss=0 t m
  shift
  for _ in $(seq "$repeats"); do
    /usr/bin/time -f "%e %M" -o "$dir/time.out" "$@" >"$out" 2>/dev/null || true
    # the last line: /usr/bin/time first notes a non-zero exit status (rules lint exits 3 when
    # some rule is rejected, e.g. SigmaHQ's two placeholder rules)
    read -r t m < <(tail -1 "$dir/time.out")
    times+=("$t")
    if [ "$m" -gt "$rss" ]; then rss=$m; fi
  done
  echo "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') $rss"
}
