#!/usr/bin/env bash
# The whole build comparison in one run: opsbook against Hugo (and Zola, see below) on both
# shapes of the synthetic corpus, as a Markdown table for BENCHMARKS.md.
#
#   bench/compare.sh [N...]              (default: 10000)
#   RUNS=5 bench/compare.sh 1000 10000   (RUNS: builds per tool, default 3)
#
# For each size N and each shape of bench/gen_corpus.py (paginated: lists paginated by 50 and
# 3 of 200 tags a page; unpaginated: N/5 entries on each collection list and 3 of 50 tags a
# page), it writes the corpus, then builds it RUNS times with each tool, interleaved (opsbook,
# hugo, opsbook, hugo, …), under GNU time, each run into a fresh output folder. Output folders
# are deleted only once every build has run: on this project's ext4 VM a large recursive delete
# slows the writes of the next several seconds 3–10×, which would punish whichever build came
# next. So it needs about 0.4 GB of free disk per 1,000 pages at RUNS=3 (checked before it
# starts). The table is printed before the deletes, which can take minutes on a busy disk.
#
# The table gives, per tool, the median of the runs for wall time, CPU time (user+sys) and
# peak RSS, the HTML files it wrote, and the opsbook/Hugo ratios against issue 16's targets
# (wall ≤ 0.1×, peak memory ≤ 0.15×).
#
# It exits non-zero when a build fails, when one tool's HTML file count changes between runs,
# or when the two tools' counts differ by more than 5 % + 50 files (they would not be building
# the same site).
#
# Needs: python3, GNU time (/usr/bin/time), hugo (Debian's package: `apt-get install -y hugo`;
# the script installs it, and `time`, itself when run as root and they are missing) and the
# release binary, which it builds with `cargo build --release` unless OPSBOOK_BIN names one.
# Zola: bench/gen_corpus.py writes no Zola site yet, so Zola is always skipped with a note.
#
# Environment: RUNS (3), OPSBOOK_BIN (the repo's target/release/opsbook), WORK (bench/out:
# corpora, outputs and the raw timings, results.tsv, which is kept).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
runs="${RUNS:-3}"
work="${WORK:-$here/out}"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000)
shapes=(paginated unpaginated)

fail() { echo "compare.sh: $*" >&2; exit 1; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || fail "RUNS must be a positive number, not '$runs'"
for n in "${sizes[@]}"; do [[ "$n" =~ ^[0-9]+$ ]] || fail "a size is a page count, not '$n'"; done

install_missing() { # command, Debian package
  command -v "$1" > /dev/null && return 0
  [ "$(id -u)" -eq 0 ] || fail "$1 is missing: apt-get install -y $2"
  echo "installing Debian's $2 (apt-get install -y $2)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" > /dev/null \
    || { apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" > /dev/null; } \
    || fail "could not install $2"
}
install_missing python3 python3
install_missing hugo hugo
[ -x /usr/bin/time ] || install_missing /usr/bin/time time

if [ -n "${OPSBOOK_BIN:-}" ]; then
  bin="$OPSBOOK_BIN"
else
  echo "cargo build --release (up to date is a no-op)" >&2
  (cd "$repo" && cargo build --release --quiet) || fail "cargo build --release failed"
  bin="$repo/target/release/opsbook"
fi
[ -x "$bin" ] || fail "no opsbook binary at $bin"

if command -v zola > /dev/null; then
  echo "note: $(zola --version) is on PATH, but bench/gen_corpus.py writes no Zola site yet: Zola skipped" >&2
else
  echo "note: no zola binary on PATH: Zola skipped" >&2
fi

mkdir -p "$work"
# Every output stays until the end: ~32 KB a page per build, ~10 KB a page per corpus (10k).
need_kb=0
for n in "${sizes[@]}"; do need_kb=$((need_kb + n * (runs * 4 * 32 + 2 * 10))); done
free_kb=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
[ "$free_kb" -gt "$need_kb" ] \
  || fail "needs about $((need_kb / 1024 / 1024 + 1)) GiB free in $work for corpora and outputs, has $((free_kb / 1024 / 1024)) GiB (WORK= to put them elsewhere)"
results="$work/results.tsv"
outputs=()
cleanup() { [ ${#outputs[@]} -eq 0 ] || rm -rf "${outputs[@]}"; }
trap cleanup EXIT

commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$repo" diff --quiet HEAD 2>/dev/null || commit="$commit+uncommitted changes"
{
  echo "# started $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo "# commit $commit"
  echo "# opsbook $("$bin" --version)"
  echo "# $(hugo version | cut -d' ' -f1-2)"
  echo "# runs $runs"
  echo "# machine $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "# load_start $(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'pages\tshape\ttool\trun\twall\tuser\tsys\trss_kb\thtml\n'
} > "$results"

# One build under GNU time into a fresh folder; appends a row to results.tsv.
measure() { # pages, shape, tool, run, corpus
  local n=$1 shape=$2 tool=$3 run=$4 corpus=$5
  local out="$work/$tool-$shape-$n-$run" timing="$work/time.txt" log="$work/build.log"
  rm -rf "$out"
  outputs+=("$out")
  local cmd
  case $tool in
    opsbook) cmd=("$bin" --root "$corpus/opsbook" build --out "$out") ;;
    hugo) cmd=(hugo --source "$corpus/hugo" --destination "$out" --quiet) ;;
  esac
  sync; sleep 2
  if ! /usr/bin/time -f '%e %U %S %M' -o "$timing" "${cmd[@]}" > "$log" 2>&1; then
    tail -20 "$log" >&2
    fail "$tool failed to build the $shape corpus of $n pages (run $run): ${cmd[*]}"
  fi
  local wall user sys rss html
  read -r wall user sys rss < <(tail -1 "$timing")
  html=0
  [ ! -d "$out" ] || html=$(find "$out" -name '*.html' | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$shape" "$tool" "$run" "$wall" "$user" "$sys" "$rss" "$html" >> "$results"
  echo "  $tool run $run: ${wall} s wall, ${user} s user, ${sys} s sys, $((rss / 1024)) MiB, $html HTML files" >&2
}

for n in "${sizes[@]}"; do
  for shape in "${shapes[@]}"; do
    corpus="$work/corpus-$shape-$n"
    outputs+=("$corpus")
    echo "$shape corpus, $n pages: writing it" >&2
    python3 "$here/gen_corpus.py" "$n" "$corpus" --shape "$shape"
    for run in $(seq 1 "$runs"); do
      for tool in opsbook hugo; do
        measure "$n" "$shape" "$tool" "$run" "$corpus"
      done
    done
  done
done
echo "# load_end $(cut -d' ' -f1-3 /proc/loadavg)" >> "$results"

# The tables, and the sanity checks on the HTML counts (exit 1 when they fail), printed before
# the deletes, which can take minutes on a busy disk.
status=0
python3 - "$results" <<'PY' || status=$?
import statistics
import sys
from collections import defaultdict

meta, rows = {}, []
with open(sys.argv[1]) as f:
    header = None
    for line in f:
        line = line.rstrip("\n")
        if line.startswith("# "):
            key, _, value = line[2:].partition(" ")
            meta[key] = value
        elif header is None:
            header = line.split("\t")
        else:
            rows.append(dict(zip(header, line.split("\t"))))

runs = defaultdict(list)
for r in rows:
    runs[(int(r["pages"]), r["shape"], r["tool"])].append(r)
order = []
for r in rows:
    key = (int(r["pages"]), r["shape"])
    if key not in order:
        order.append(key)

def med(key, field):
    return statistics.median(float(r[field]) for r in runs[key])

def cpu(key):
    return statistics.median(float(r["user"]) + float(r["sys"]) for r in runs[key])

def met(ratio, target):
    return f"{'met' if ratio <= target else '**NOT met**'} (≤ {target}×)"

print(f"Build comparison, {meta.get('started', '?')}, commit {meta.get('commit', '?')}: "
      f"`RUNS={meta.get('runs', '?')} bench/compare.sh {' '.join(str(n) for n in dict.fromkeys(n for n, _ in order))}`.")
print()
print(f"Each figure is the median of {meta.get('runs', '?')} builds per tool, run interleaved "
      "(opsbook, hugo, opsbook, …), each into a fresh output folder, none deleted until all had run. "
      f"{meta.get('opsbook', 'opsbook')} (release build) against Hugo {meta.get('hugo', '?')}. "
      "Shapes (bench/gen_corpus.py): *paginated* lists 50 entries a page and 3 of 200 tags a page; "
      "*unpaginated* lists every entry on one page (N/5 a list) and 3 of 50 tags a page (~N×0.06 entries a tag). "
      f"Machine: {meta.get('machine', '?')}; load average (1, 5, 15 min) {meta.get('load_start', '?')} "
      f"before the first build and {meta.get('load_end', '?')} after the last (before the first, "
      "anything above ~0.5 is other work sharing the CPU: then compare the ratios of one run, "
      "not absolute times across runs).")
print()
print("| shape | pages | tool | wall, median (min–max) | CPU user+sys | peak RSS | HTML files |")
print("|---|---|---|---|---|---|---|")
problems = []
for n, shape in order:
    for tool in ("opsbook", "hugo"):
        key = (n, shape, tool)
        walls = [float(r["wall"]) for r in runs[key]]
        counts = sorted({int(r["html"]) for r in runs[key]})
        if len(counts) > 1:
            problems.append(f"{tool} wrote {counts} HTML files in different runs of the {shape} corpus of {n} pages")
        print(f"| {shape} | {n} | {tool} | {med(key, 'wall'):.2f} s ({min(walls):.2f}–{max(walls):.2f}) "
              f"| {cpu(key):.2f} s | {med(key, 'rss_kb') / 1024:.0f} MiB | {'/'.join(map(str, counts))} |")
print()
print("| shape | pages | wall opsbook/Hugo | target wall ≤ 0.1× | peak RSS opsbook/Hugo | target memory ≤ 0.15× | CPU opsbook/Hugo |")
print("|---|---|---|---|---|---|---|")
for n, shape in order:
    ops, hugo = (n, shape, "opsbook"), (n, shape, "hugo")
    wall = med(ops, "wall") / med(hugo, "wall")
    rss = med(ops, "rss_kb") / med(hugo, "rss_kb")
    print(f"| {shape} | {n} | {wall:.3f}× | {met(wall, 0.1)} | {rss:.3f}× | {met(rss, 0.15)} "
          f"| {cpu(ops) / cpu(hugo):.3f}× |")
    a, b = (int(statistics.median(int(r["html"]) for r in runs[k])) for k in (ops, hugo))
    if abs(a - b) > 0.05 * max(a, b) + 50:
        problems.append(f"opsbook wrote {a} HTML files and Hugo {b} for the {shape} corpus of {n} pages: not the same site")
for p in problems:
    print(f"compare.sh: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "raw timings: $results; deleting the output folders and corpora" >&2
cleanup
outputs=()
exit "$status"
