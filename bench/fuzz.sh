#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for a bounded time and prints executions and
# findings per target.
#
#   bench/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
#
# Uses cargo fuzz (libFuzzer) on the stable toolchain: RUSTC_BOOTSTRAP lets cargo fuzz pass its
# one unstable flag, and `--sanitizer none` needs no nightly runtime. Installs cargo-fuzz when
# missing. Corpora start from the shipped content and grow under fuzz/corpus/ (not committed);
# a crash or hang is saved under fuzz/artifacts/<target>/ and makes the script fail. Each
# finding, once fixed, is kept as a regression test in tests/fuzz_regressions.rs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
secs="${1:-60}"
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cd "$repo/fuzz"
cargo fuzz build -O --sanitizer none >/dev/null 2>&1 || cargo fuzz build -O --sanitizer none
status=0
echo "| target | seconds | executions | exec/s | findings |"
echo "|---|---|---|---|---|"
for target in front_matter schema markdown diagram; do
  corpus="corpus/$target"
  mkdir -p "$corpus" "artifacts/$target"
  # Seed with real entries (the schema target reads its first byte as the collection).
  if [ -z "$(ls -A "$corpus")" ] && [ "$target" = diagram ]; then
    # Seed with the shipped diagrams: each ```mermaid block, its info string as the first line.
    awk -v dir="$corpus" '/^```mermaid/ {n++; f=dir "/seed-" n; print substr($0, 4) > f; inside=1; next}
      /^```/ && inside {inside=0; close(f); next} inside {print >> f}' "$repo"/content/*/*.md
  fi
  if [ -z "$(ls -A "$corpus")" ]; then
    i=0
    for f in "$repo"/content/*.md "$repo"/content/*/*.md; do
      i=$((i + 1)); [ $((i % 7)) -eq 0 ] || continue
      if [ "$target" = schema ]; then { printf '\001'; cat "$f"; } > "$corpus/seed-$i"; else cp "$f" "$corpus/seed-$i"; fi
    done
  fi
  log="artifacts/$target/last-run.log"
  before=$(find "artifacts/$target" -type f ! -name '*.log' | wc -l)
  if ! cargo fuzz run -O --sanitizer none "$target" "$corpus" -- \
      -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
      > "$log" 2>&1; then
    status=1
  fi
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  speed=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -1)
  after=$(find "artifacts/$target" -type f ! -name '*.log' | wc -l)
  echo "| $target | $secs | ${runs:-?} | ${speed:-?} | $((after - before)) |"
  if [ "$after" -gt "$before" ]; then
    status=1
    grep -m5 -E 'panicked|ERROR|Test unit written' "$log" || true
  fi
done
exit $status
