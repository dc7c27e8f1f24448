#!/usr/bin/env bash
# EVTX throughput benchmark: ashiato vs libevtx's evtxexport vs python-evtx,
# all run on the same files, one after the other, on an otherwise idle machine.
#
#   bench/evtx_bench.sh                 # full run (BULK_MB=1024, 5/3/1 repeats)
#   QUICK=1 bench/evtx_bench.sh         # smoke run (BULK_MB=64, fewer repeats)
#
# Environment:
#   ASHIATO_CORPORA  corpora root, relative paths are taken from the repo root
#                    (default ../shared/corpora; the EVTX files are under evtx/)
#   ASHIATO          ashiato binary (default build/src/cli/ashiato)
#   BENCH_DIR        scratch dir; the generated bulk file is cached there
#                    (default /tmp/ashiato-bench)
#   BULK_MB          size asked of `ashiato simulate --bulk-evtx-mb` (default 1024)
#   REAL_MB          size of the file of real events (default 256): the chunks of the corpus
#                    files that evtxexport exports completely, joined (bench/join_evtx.py)
#   TRUNC_MIB        size of the truncated copy used for python-evtx (default 64)
#   REPEATS_ASHIATO, REPEATS_EVTXEXPORT, REPEATS_PYTHON   (default 5, 3, 1)
#   SKIP_PYTHON=1    leave python-evtx out (it dominates the run time)
#   TOOL_TIMEOUT     seconds allowed per evtxexport/python invocation (default 1800)
#   WAIT_IDLE_S      total seconds the run may spend, before measurements,
#                    waiting for other processes to go quiet (default 0: only warn)
#   RETRY_BUDGET_S   total seconds of measurements the run may throw away and
#                    repeat because other processes used > 0.25 cores meanwhile
#                    (default 0: keep every repeat, noisy or not)
#   TS_EVTX_CMD      command that dumps one EVTX file with @ts-evtx/core; only
#                    used when that npm package is already installed
#
# Output: a Markdown report on stdout; raw per-run data in $BENCH_DIR/run-*/.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ASHIATO=${ASHIATO:-$REPO_ROOT/build/src/cli/ashiato}
CORPORA=${ASHIATO_CORPORA:-../shared/corpora}
[[ $CORPORA == /* ]] || CORPORA=$REPO_ROOT/$CORPORA
CORPUS_DIR=$CORPORA/evtx
BENCH_DIR=${BENCH_DIR:-/tmp/ashiato-bench}

QUICK=${QUICK:-0}
if [[ $QUICK == 1 ]]; then
  BULK_MB=${BULK_MB:-64}
  REPEATS_ASHIATO=${REPEATS_ASHIATO:-2}
  REPEATS_EVTXEXPORT=${REPEATS_EVTXEXPORT:-1}
else
  BULK_MB=${BULK_MB:-1024}
  REPEATS_ASHIATO=${REPEATS_ASHIATO:-5}
  REPEATS_EVTXEXPORT=${REPEATS_EVTXEXPORT:-3}
fi
REPEATS_PYTHON=${REPEATS_PYTHON:-1}
TRUNC_MIB=${TRUNC_MIB:-64}
SKIP_PYTHON=${SKIP_PYTHON:-0}
export TOOL_TIMEOUT=${TOOL_TIMEOUT:-1800}

EVTXEXPORT=/usr/bin/evtxexport
PYTHON=/usr/bin/python3
EVTX_DUMP_PY=/usr/bin/evtx_dump.py
NPROC=$(nproc)

die() { echo "evtx_bench: $*" >&2; exit 1; }
log() { echo "evtx_bench: $*" >&2; }

[[ -x $ASHIATO ]] || die "ashiato binary not found at $ASHIATO (build it first)"
[[ -d $CORPUS_DIR ]] || die "corpus folder $CORPUS_DIR not found"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is required for peak RSS"
HAVE_EVTXEXPORT=0; [[ -x $EVTXEXPORT ]] && HAVE_EVTXEXPORT=1
HAVE_PYTHON=0; [[ $SKIP_PYTHON != 1 && -x $PYTHON && -r $EVTX_DUMP_PY ]] && HAVE_PYTHON=1

mkdir -p "$BENCH_DIR"
RUN_DIR=$(mktemp -d "$BENCH_DIR/run-$(date +%Y%m%d-%H%M%S)-XXXX")
RESULTS=$RUN_DIR/results.tsv
: >"$RESULTS"

# Measure a private copy: a rebuild of build/ in the middle of a run would
# otherwise mix two binaries in one table.
cp "$ASHIATO" "$RUN_DIR/ashiato"
ASHIATO_ORIG=$ASHIATO
export ASHIATO=$RUN_DIR/ashiato
ASHIATO_SHA=$(sha256sum "$ASHIATO" | cut -c1-12)
ASHIATO_BUILT=$(date -u -r "$ASHIATO_ORIG" '+%Y-%m-%d %H:%M UTC')
# Timings are only as good as the machine is idle; the report shows both ends.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- inputs

# Sorted so every tool walks the files in the same order run after run.
mapfile -d '' CORPUS_FILES < <(find "$CORPUS_DIR" -type f -name '*.evtx' -print0 | sort -z)
((${#CORPUS_FILES[@]} > 0)) || die "no *.evtx files under $CORPUS_DIR"

# The bulk file is slow to make and identical for a given size (simulate is
# deterministic), so it is cached; building into a temp dir first means an
# interrupted run never leaves a half-written file that looks reusable.
BULK_DIR=$BENCH_DIR/bulk-${BULK_MB}mb
BULK=$BULK_DIR/bulk.evtx
if [[ ! -s $BULK ]]; then
  log "generating $BULK (--bulk-evtx-mb $BULK_MB)"
  rm -rf "$BULK_DIR.tmp"
  "$ASHIATO" simulate --out "$BULK_DIR.tmp" --bulk-evtx-mb "$BULK_MB" >&2
  rm -rf "$BULK_DIR"
  mv "$BULK_DIR.tmp" "$BULK_DIR"
fi

# python-evtx needs ~2.5 ms per record, so a 1 GiB run would take hours. It
# gets the first TRUNC_MIB MiB of whole chunks instead (4 KiB header + 64 KiB
# chunks). The header still claims the full chunk count; tools that walk chunks
# by file size (python-evtx, ashiato) just stop at EOF.
TRUNC_BYTES=$((4096 + TRUNC_MIB * 16 * 65536))
TRUNC=$BULK_DIR/bulk-first${TRUNC_MIB}MiB.evtx
if [[ ! -s $TRUNC || $(stat -c %s "$TRUNC") -ne $(($(stat -c %s "$BULK") < TRUNC_BYTES ? $(stat -c %s "$BULK") : TRUNC_BYTES)) ]]; then
  head -c "$TRUNC_BYTES" "$BULK" >"$TRUNC.tmp" && mv "$TRUNC.tmp" "$TRUNC"
fi

# Record counts come from ashiato stats for every tool: neither evtxexport nor
# evtx_dump.py prints a count, and counting their output would add the cost of
# a second pass to their timings.
count_records() {
  "$ASHIATO" stats -q -j 0 "$@" | awk -F'\t' 'NR > 1 { n += $2 } END { print n + 0 }'
}
total_bytes() { stat -c %s "$@" | awk '{ n += $1 } END { print n + 0 }'; }

# Real events in one large file, for a ratio that synthetic events cannot give: the chunks of the
# corpus files evtxexport reads to the end (it stops at the first record it cannot read, which
# would make it look faster than it is), joined to REAL_MB. Record counts of both tools are
# compared on each file first, and again on the joined file (reported with the results).
REAL_MB=${REAL_MB:-256}
REAL_DIR=$BENCH_DIR/real-${REAL_MB}mb
REAL=$REAL_DIR/real.evtx
REAL_CHECK=""
if ((HAVE_EVTXEXPORT)); then
  if [[ ! -s $REAL ]]; then
    log "choosing the corpus files evtxexport exports completely"
    fully=()
    for f in "${CORPUS_FILES[@]}"; do
      want=$("$ASHIATO" stats -q -j 0 "$f" | awk -F'\t' 'NR > 1 { n += $2; e += $3 } END { print (e > 0 ? -1 : n + 0) }')
      ((want > 0)) || continue
      got=$("$EVTXEXPORT" -f xml "$f" 2>/dev/null | grep -c '<EventRecordID>' || true)
      [[ $got == "$want" ]] && fully+=("$f")
    done
    log "${#fully[@]} of ${#CORPUS_FILES[@]} files; joining their chunks to $REAL_MB MB"
    rm -rf "$REAL_DIR.tmp" && mkdir -p "$REAL_DIR.tmp"
    "$PYTHON" "$REPO_ROOT/bench/join_evtx.py" "$REAL_MB" "$REAL_DIR.tmp/real.evtx" "${fully[@]}" >&2
    printf '%s\n' "${#fully[@]}" >"$REAL_DIR.tmp/files"
    rm -rf "$REAL_DIR" && mv "$REAL_DIR.tmp" "$REAL_DIR"
  fi
  real_want=$(count_records "$REAL")
  real_got=$("$EVTXEXPORT" -f xml "$REAL" 2>/dev/null | grep -c '<EventRecordID>' || true)
  REAL_CHECK="real.evtx ($(cat "$REAL_DIR/files") corpus files read completely by evtxexport, chunks joined): evtxexport exports $real_got of the $real_want records ashiato reads"
  [[ $real_got == "$real_want" ]] || REAL_CHECK+=" (MISMATCH: its ratio is not comparable)"
fi

declare -A SET_RECORDS SET_BYTES SET_NFILES SET_DESC
SETS=(corpus bulk "bulk-${TRUNC_MIB}MiB")
[[ -s $REAL ]] && SETS=(corpus real bulk "bulk-${TRUNC_MIB}MiB")
set_files() {  # prints nothing; fills the global FILES array for a set name
  case $1 in
    corpus) FILES=("${CORPUS_FILES[@]}") ;;
    bulk) FILES=("$BULK") ;;
    real) FILES=("$REAL") ;;
    bulk-*MiB) FILES=("$TRUNC") ;;
  esac
}
for s in "${SETS[@]}"; do
  set_files "$s"
  SET_RECORDS[$s]=$(count_records "${FILES[@]}")
  SET_BYTES[$s]=$(total_bytes "${FILES[@]}")
  SET_NFILES[$s]=${#FILES[@]}
done
SET_DESC[corpus]="real EVTX files under ${CORPUS_DIR#"$REPO_ROOT"/}"
SET_DESC[real]="the corpus files evtxexport reads completely, their chunks joined to $REAL_MB MB → $REAL"
SET_DESC[bulk]="ashiato simulate --bulk-evtx-mb $BULK_MB → $BULK"
SET_DESC[bulk-${TRUNC_MIB}MiB]="head -c $TRUNC_BYTES of bulk.evtx → $TRUNC"

# ------------------------------------------------------------ measuring

# On a shared 2-core box another process (a compiler, say) silently halves the
# thread scaling. Busy CPU time from /proc/stat minus the tool's own user+sys
# is what others used meanwhile; it is reported per row so a polluted number
# can be recognised rather than trusted.
CLK_TCK=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
other_cores_now() {  # cores' worth of CPU in use over the next second
  local b0 b1
  b0=$(busy_ticks); sleep 1; b1=$(busy_ticks)
  awk -v d=$((b1 - b0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", d / hz }'
}
IDLE_BUDGET=${WAIT_IDLE_S:-0}
RETRY_BUDGET=${RETRY_BUDGET_S:-0}
wait_idle() {
  local load
  load=$(other_cores_now)
  while awk -v l="$load" 'BEGIN { exit !(l > 0.15) }'; do
    if ((IDLE_BUDGET <= 0)); then
      log "warning: $load cores busy with other work; timings will be noisy"
      return
    fi
    log "waiting for the machine to go idle ($load cores busy, ${IDLE_BUDGET}s of waiting left)"
    sleep 9; IDLE_BUDGET=$((IDLE_BUDGET - 10))
    load=$(other_cores_now)
  done
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# measure SET TOOL MODE THREADS REPEATS SCRIPT FILES...
# Runs SCRIPT (a bash -c body; files arrive as "$@") REPEATS times under GNU
# time. Wall time comes from $EPOCHREALTIME because time's %e has only 10 ms
# resolution, too coarse for the small corpus; %M is the peak RSS, which for a
# bash loop is the largest of the child processes it waited for.
declare -a COMMANDS_USED
measure() {
  local set=$1 tool=$2 mode=$3 threads=$4 reps=$5 script=$6
  shift 6
  local i t0 t1 b0 b1 usr sys rc=0 rss peak=0 notes="" tfile=$RUN_DIR/time.out efile=$RUN_DIR/stderr.out
  local wall other tries rerun=0
  local -a walls=() others=() cpus=()
  wait_idle
  log "[$set] $tool $mode -j $threads: $reps run(s)"
  for ((i = 0; i < reps; i++)); do
    tries=0
    while :; do
      b0=$(busy_ticks)
      t0=$EPOCHREALTIME
      /usr/bin/time -f "%e %M %U %S" -o "$tfile" bash -c "$script" bench "$@" 2>"$efile" || rc=$?
      t1=$EPOCHREALTIME
      b1=$(busy_ticks)
      wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
      # time prepends "Command exited with non-zero status N" on failure.
      read -r _ rss usr sys < <(tail -n 1 "$tfile")
      other=$(awk -v d=$((b1 - b0)) -v hz="$CLK_TCK" -v u="$usr" -v s="$sys" -v w="$wall" \
        'BEGIN { o = (d / hz - u - s) / w; printf "%.2f", o < 0 ? 0 : o }')
      # A repeat that shared the CPUs is thrown away and run again once the
      # machine is quiet, within RETRY_BUDGET_S, so noise doesn't become data.
      if awk -v o="$other" 'BEGIN { exit !(o > 0.25) }' && ((tries < 3)) &&
        awk -v b="$RETRY_BUDGET" -v w="$wall" 'BEGIN { exit !(b >= w) }'; then
        RETRY_BUDGET=$(awk -v b="$RETRY_BUDGET" -v w="$wall" 'BEGIN { printf "%d", b - w }')
        tries=$((tries + 1)) rerun=$((rerun + 1))
        log "  repeat shared the CPU with others ($other cores); running it again"
        wait_idle
        continue
      fi
      break
    done
    walls+=("$wall")
    others+=("$other")
    cpus+=("$(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }')")
    ((rss > peak)) && peak=$rss
  done
  ((rc != 0)) && notes="exit status $rc"
  ((rerun > 0)) && notes="${notes:+$notes; }$rerun noisy repeat(s) re-run"
  if grep -q '^failed=' "$efile"; then
    local f
    f=$(grep '^failed=' "$efile" | tail -n 1 | cut -d= -f2)
    [[ ${f%%/*} != 0 ]] && notes="${notes:+$notes; }$f invocations failed or timed out"
  fi
  local med spread cpu
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  other=$(printf '%s\n' "${others[@]}" | awk '{ t += $1 } END { printf "%.2f", t / NR }')
  med=$(printf '%s\n' "${walls[@]}" | median)
  spread=$(printf '%s\n' "${walls[@]}" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f–%.3f", lo, hi }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$set" "$tool" "$mode" "$threads" "$med" "$reps" "$peak" "$notes" "$spread" "$other" "$cpu" >>"$RESULTS"
  COMMANDS_USED+=("$(printf '%s' "$script" | sed "s|\"\$ASHIATO\"|ashiato|g; s|timeout \"\$TOOL_TIMEOUT\" ||g")")
}

# The per-file tools get one invocation per file. A failing file is counted,
# not fatal: libevtx gives up on some damaged samples, and the timing of the
# whole set is still what a user of that tool would wait.
# shellcheck disable=SC2016  # expanded by the inner bash, not here
PER_FILE_LOOP='fail=0; for f; do timeout "$TOOL_TIMEOUT" %s "$f" >/dev/null 2>&1 || fail=$((fail + 1)); done; echo "failed=$fail/$#" >&2'
# shellcheck disable=SC2059
EVTXEXPORT_SCRIPT=$(printf "$PER_FILE_LOOP" "$EVTXEXPORT -f xml")
# shellcheck disable=SC2059
PYTHON_SCRIPT=$(printf "$PER_FILE_LOOP" "$PYTHON $EVTX_DUMP_PY")

# @ts-evtx/core is optional and never installed here; it has no CLI of its own,
# so a dump command must be supplied through TS_EVTX_CMD.
TS_EVTX=""
if command -v node >/dev/null 2>&1 &&
  (cd "$REPO_ROOT" && node -e "require.resolve('@ts-evtx/core')" >/dev/null 2>&1 ||
    NODE_PATH=$(npm root -g 2>/dev/null) node -e "require.resolve('@ts-evtx/core')" >/dev/null 2>&1); then
  if [[ -n ${TS_EVTX_CMD:-} ]]; then
    # shellcheck disable=SC2059
    TS_EVTX=$(printf "$PER_FILE_LOOP" "$TS_EVTX_CMD")
  else
    log "@ts-evtx/core is installed but TS_EVTX_CMD is unset; skipping it"
  fi
fi

# A 16-chunk cut of the bulk file checks, in a few seconds, that the
# truncated-copy trick holds: python-evtx must print every record ashiato
# counts even though the header promises more chunks than the file has.
TRUNC_CHECK=""
if ((HAVE_PYTHON)); then
  probe=$RUN_DIR/probe-16chunks.evtx
  head -c $((4096 + 16 * 65536)) "$BULK" >"$probe"
  want=$(count_records "$probe")
  got=$("$PYTHON" "$EVTX_DUMP_PY" "$probe" 2>/dev/null | grep -c '<EventRecordID>' || true)
  if [[ $got == "$want" ]]; then
    TRUNC_CHECK="python-evtx on a 16-chunk cut of bulk.evtx: $got of $want records (ok)"
  else
    TRUNC_CHECK="python-evtx on a 16-chunk cut of bulk.evtx: $got of $want records (MISMATCH: python-evtx left out of bulk sets)"
  fi
  if ((HAVE_EVTXEXPORT)); then
    ee_got=$("$EVTXEXPORT" -f xml "$probe" 2>/dev/null | grep -c '<EventRecordID>' || true)
    TRUNC_CHECK+="; evtxexport on the same cut: $ee_got of $want records"
  fi
  rm -f "$probe"
fi

# ---------------------------------------------------------------- runs

for s in "${SETS[@]}"; do
  set_files "$s"
  # Warm the page cache so every tool starts from the same state; otherwise
  # the first tool pays for disk reads the others don't.
  cat "${FILES[@]}" >/dev/null

  for j in 1 0; do
    threads=$j; ((j == 0)) && threads="$NPROC (-j 0)"
    measure "$s" ashiato "stats (parse only)" "$threads" "$REPEATS_ASHIATO" \
      "\"\$ASHIATO\" stats -q -j $j \"\$@\" >/dev/null" "${FILES[@]}"
    measure "$s" ashiato "dump -f jsonl" "$threads" "$REPEATS_ASHIATO" \
      "\"\$ASHIATO\" dump -q -f jsonl -j $j \"\$@\" >/dev/null" "${FILES[@]}"
    measure "$s" ashiato "dump -f xml" "$threads" "$REPEATS_ASHIATO" \
      "\"\$ASHIATO\" dump -q -f xml -j $j \"\$@\" >/dev/null" "${FILES[@]}"
  done

  ((HAVE_EVTXEXPORT)) &&
    measure "$s" evtxexport "-f xml" 1 "$REPEATS_EVTXEXPORT" "$EVTXEXPORT_SCRIPT" "${FILES[@]}"

  # python-evtx only on inputs it finishes in minutes: the corpus and the
  # truncated copy, never the full bulk file.
  if ((HAVE_PYTHON)) && [[ $s == corpus || ($s == bulk-* && $TRUNC_CHECK == *"(ok)"*) ]]; then
    measure "$s" python-evtx "evtx_dump.py (xml)" 1 "$REPEATS_PYTHON" "$PYTHON_SCRIPT" "${FILES[@]}"
  fi

  [[ -n $TS_EVTX ]] && [[ $s == corpus || $s == bulk-* ]] &&
    measure "$s" ts-evtx "$TS_EVTX_CMD" 1 1 "$TS_EVTX" "${FILES[@]}"
done

# ------------------------------------------------------- memory flatness

# Peak RSS from GNU time counts the mmap'ed input pages the process touched,
# which grow with the file even when nothing is retained. Sampling
# /proc/PID/status separates anonymous memory (what ashiato allocates) from
# file-backed pages (reclaimable page cache mapped into the process).
peak_rss_split() {  # runs "$@" to /dev/null, prints "peak_anon_kb peak_file_kb"
  local pid anon=0 file=0 a f
  "$@" >/dev/null 2>&1 &
  pid=$!
  while [[ -r /proc/$pid/status ]]; do
    read -r a f < <(awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { print a + 0, f + 0 }' "/proc/$pid/status" 2>/dev/null || echo "0 0")
    ((a > anon)) && anon=$a
    ((f > file)) && file=$f
    sleep 0.02
  done
  wait "$pid" || true
  echo "$anon $file"
}

MEM_TSV=$RUN_DIR/memory.tsv
: >"$MEM_TSV"
for cmd in "stats -q" "dump -q -f jsonl"; do
  for f in "$TRUNC" "$BULK"; do
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %M" -o "$RUN_DIR/time.out" "$ASHIATO" $cmd "$f" >/dev/null 2>&1 || true
    read -r secs rss < <(tail -n 1 "$RUN_DIR/time.out")
    # shellcheck disable=SC2086
    read -r anon file < <(peak_rss_split "$ASHIATO" $cmd "$f")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "ashiato $cmd" "${f##*/}" "$(stat -c %s "$f")" "$secs" "$rss" "$anon" "$file" >>"$MEM_TSV"
  done
done

# --------------------------------------------------------------- report

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

echo "# ashiato EVTX benchmark"
echo
echo "## Machine"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "- CPU: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), nproc = $NPROC"
echo "- memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo); kernel $(uname -r)"
echo "- ashiato: $("$ASHIATO" --version 2>&1 | head -n 1), ${ASHIATO_ORIG#"$REPO_ROOT"/} sha256 $ASHIATO_SHA (built $ASHIATO_BUILT; repo HEAD $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"
((HAVE_EVTXEXPORT)) && echo "- evtxexport: $("$EVTXEXPORT" -V 2>&1 | head -n 1) (Debian libevtx-utils $(dpkg-query -W -f '${Version}' libevtx-utils 2>/dev/null || echo '?'))"
((HAVE_PYTHON)) && echo "- python-evtx: Debian python3-evtx $(dpkg-query -W -f '${Version}' python3-evtx 2>/dev/null || echo '?') on $("$PYTHON" --version 2>&1)"
echo "- load average (1/5/15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- repeats: ashiato $REPEATS_ASHIATO, evtxexport $REPEATS_EVTXEXPORT, python-evtx $REPEATS_PYTHON (median reported)$([[ $QUICK == 1 ]] && echo "; QUICK=1")"
echo
echo "## Inputs"
echo
for s in "${SETS[@]}"; do
  echo "- **$s**: ${SET_NFILES[$s]} file(s), $(mib "${SET_BYTES[$s]}") MiB, ${SET_RECORDS[$s]} records (ashiato stats) — ${SET_DESC[$s]}"
done
[[ -n $TRUNC_CHECK ]] && echo "- truncation check: $TRUNC_CHECK"
[[ -n $REAL_CHECK ]] && echo "- real events check: $REAL_CHECK"
echo
echo "## Throughput"
echo
echo "records/s and MB/s (10^6 bytes of input) use the record count and size of the"
echo "input set above for every tool. \"× evtxexport\" = evtxexport median / this median"
echo "on the same set (> 1 means faster than evtxexport). \"other load\" = CPU cores'"
echo "worth used by other processes during the runs (mean); near 0 means the numbers"
echo "are clean, ≥ 0.5 means another process competed for the $NPROC cores. \"CPU s\" is the"
echo "median user+sys time; for a single-threaded tool it stays close to the uncontended"
echo "wall time even when others compete, so it is the fairer figure on a busy box. Peak RSS is"
echo "GNU time's maximum resident set; for ashiato it includes the touched pages of the"
echo "mmap'ed input, which is why it tracks file size (see the memory section)."
echo
for s in "${SETS[@]}"; do
  awk -F'\t' -v set="$s" -v recs="${SET_RECORDS[$s]}" -v bytes="${SET_BYTES[$s]}" '
    $1 == set { n++; row[n] = $0; if ($2 == "evtxexport") ee = $5 }
    END {
      if (!n) exit
      printf "### %s\n\n", set
      print "| tool | mode | threads | median s | runs (min–max s) | CPU s | records/s | MB/s | peak RSS MB | × evtxexport | other load | notes |"
      print "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
      for (i = 1; i <= n; i++) {
        split(row[i], c, "\t")
        t = c[5] > 0 ? c[5] : 1e-9
        ratio = ee ? sprintf("%.3g", ee / t) : "n/a"
        printf "| %s | %s | %s | %.3f | %d (%s) | %.2f | %.0f | %.1f | %.1f | %s | %.2f | %s |\n",
          c[2], c[3], c[4], c[5], c[6], c[9], c[11], recs / t, bytes / 1e6 / t, c[7] / 1024, ratio, c[10], c[8]
      }
      print ""
    }' "$RESULTS"
done
echo "## Peak memory vs input size"
echo
echo "| command | input | size MiB | wall s | peak RSS MB (time %M) | peak anon RSS MB | peak file-backed RSS MB |"
echo "|---|---|---:|---:|---:|---:|---:|"
awk -F'\t' '{ printf "| %s | %s | %.1f | %.2f | %.1f | %.1f | %.1f |\n", $1, $2, $3 / 1048576, $4, $5 / 1024, $6 / 1024, $7 / 1024 }' "$MEM_TSV"
echo
echo "## Commands"
echo
echo "Each was run as \`/usr/bin/time -f \"%e %M %U %S\" bash -c '<command>' bench FILES...\`"
echo "(FILES = every file of the input set, in sorted order), wall time taken from"
echo "bash \$EPOCHREALTIME around it. Per-file tools ran under \`timeout \$TOOL_TIMEOUT\`."
echo
echo '```'
printf '%s\n' "${COMMANDS_USED[@]}" | awk '!seen[$0]++'
echo "ashiato simulate --out $BULK_DIR --bulk-evtx-mb $BULK_MB"
echo "head -c $TRUNC_BYTES $BULK > $TRUNC"
echo '```'
echo
echo "Raw results: $RESULTS"
