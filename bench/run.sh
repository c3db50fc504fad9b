#!/usr/bin/env bash
# Build benchmark: opsbook vs Hugo on the same synthetic corpus.
#
#   bench/run.sh [SIZES...]        (default: 1000 10000)
#
# For each size: generates the corpus (bench/gen_corpus.py), then builds it 3 times with each
# tool under /usr/bin/time -v and keeps the fastest run (wall time), printing a Markdown table
# row with wall time, CPU time (user+sys), peak RSS and the number of HTML files written.
#
# Every run writes into a fresh output folder and the folders are deleted only at the end:
# on this VM's ext4 a large recursive delete makes the next few seconds of writes several times
# slower, which would punish whichever tool runs right after a cleanup.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
bin="${OPSBOOK_BIN:-$repo/target/release/opsbook}"
[ -x "$bin" ] || { echo "build it first: cargo build --release" >&2; exit 2; }
command -v hugo >/dev/null || apt-get install -y hugo >/dev/null
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
work="$here/out"
mkdir -p "$work"

measure() { # label, outdir, command...
  local label=$1 out=$2; shift 2
  sync; sleep 2
  /usr/bin/time -v "$@" > /dev/null 2> "$work/time.txt"
  local wall user sys rss html
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  user=$(awk -F': ' '/User time/ {print $2}' "$work/time.txt")
  sys=$(awk -F': ' '/System time/ {print $2}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time.txt")
  html=$(find "$out" -name '*.html' | wc -l)
  echo "$label $wall $user $sys $rss $html"
}

echo "| tool | pages | wall (best of 3) | CPU user+sys | peak RSS | HTML files |"
echo "|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  python3 "$here/gen_corpus.py" "$n" "$corpus"
  for tool in opsbook hugo; do
    best=""
    for run in 1 2 3; do
      out="$work/$tool-$n-$run"
      rm -rf "$out"
      if [ $tool = opsbook ]; then
        line=$(measure opsbook "$out" "$bin" --root "$corpus/opsbook" build --out "$out")
      else
        line=$(measure hugo "$out" hugo --source "$corpus/hugo" --destination "$out" --quiet)
      fi
      if [ -z "$best" ] || awk -v a="$(echo "$line" | cut -d' ' -f2)" -v b="$(echo "$best" | cut -d' ' -f2)" 'BEGIN{exit !(a<b)}'; then best=$line; fi
    done
    read -r label wall user sys rss html <<< "$best"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
    printf '| %s | %s | %.2f s | %s s | %d MB | %s |\n' "$label" "$n" "$wall" "$cpu" "$((rss / 1024))" "$html"
  done
  rm -rf "$work"/opsbook-"$n"-* "$work"/hugo-"$n"-*
done
