#!/usr/bin/env bash
# Search relevance benchmark: the queries in bench/search/queries.json through the real search
# page of the shipped site (built and served as static files) in headless Chromium, and through
# Pagefind (npm `pagefind`, pinned in package.json) indexing the same built site. Prints
# success@3 and MRR per kind for both, the held-out third apart, and bytes per query.
#
#   bench/search/run.sh
#
# Needs Debian chromium + chromium-driver and node/npm. CI runs ours alone, with a floor:
# `cargo test --test search_relevance`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if [ ! -x "$here/node_modules/.bin/pagefind" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
cd "$repo"
PAGEFIND_BIN="$here/node_modules/.bin/pagefind" \
  cargo test --test search_relevance -- --ignored side_by_side_with_pagefind --nocapture 2>&1 |
  sed -n '/^| kind/,/^test side_by_side/p' | grep -v '^test side_by_side'

# Bytes per query on the 10k-page synthetic corpus (the worst case for shard sizes: 60 words,
# each on nearly every page).
corpus="$here/out/corpus-10000"
[ -d "$corpus/opsbook" ] || python3 "$repo/bench/gen_corpus.py" 10000 "$corpus" >/dev/null
OPSBOOK_SEARCH_ROOT="$corpus/opsbook" \
  cargo test --test search_relevance -- --ignored bytes_on_the_bench_corpus --nocapture 2>&1 |
  grep '^bench corpus'
