#!/usr/bin/env bash
# Load test of `opsbook serve` with wrk on loopback, and an edit made while it runs.
#
#   bench/serve_load.sh [SECONDS] [CONNECTIONS]      (default 20 s, 64 connections)
#
# Serves a copy of the shipped site, drives it with wrk (2 threads) over a mix of pages (home,
# catalog, a tool, an architecture, a note, the matrix, a stylesheet, a search shard), and
# halfway through edits a tool page: prints the time from the edit to the new text being
# served and whether the live-reload stream announced it, then wrk's figures. Fails on any
# socket error or non-2xx answer.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
secs="${1:-20}"
conns="${2:-64}"
bin="${OPSBOOK_BIN:-$repo/target/release/opsbook}"
[ -x "$bin" ] || { echo "build it first: cargo build --release" >&2; exit 2; }
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
command -v curl >/dev/null || apt-get install -y curl >/dev/null

site="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$site"' EXIT
cp -r "$repo/book.toml" "$repo/content" "$repo/themes" "$site/"

"$bin" serve --root "$site" --port 0 > "$site/serve.log" 2>&1 &
for _ in $(seq 100); do grep -q 'Serving at' "$site/serve.log" 2>/dev/null && break; sleep 0.1; done
url="$(grep -o 'http://[0-9.:]*/' "$site/serve.log" | head -1)"
[ -n "$url" ] || { cat "$site/serve.log"; exit 1; }

cat > "$site/mix.lua" <<'LUA'
local paths = { "/", "/tools/", "/tools/kubeadm/", "/architectures/bare-metal-kubeadm-ha/",
  "/notes/etcd-restore-after-disk-loss/", "/conformance/", "/style.css", "/search/data/meta.json" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA

curl -sN "${url}__opsbook/events" > "$site/events.log" &
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$site/mix.lua" "$url" > "$site/wrk.log" 2>&1 &
wrk_pid=$!

sleep "$((secs / 2))"
token="edited-under-load-$RANDOM"
start=$(date +%s.%N)
printf '\nThis line was added while the server was under load: %s.\n' "$token" >> "$site/content/tools/kubeadm.md"
seen=""
for _ in $(seq 200); do
  if curl -s "${url}tools/kubeadm/" | grep -q "$token"; then seen=yes; break; fi
  sleep 0.02
done
end=$(date +%s.%N)
wait "$wrk_pid"

echo "edit under load: $([ -n "$seen" ] && echo "served after $(echo "($end - $start) * 1000" | bc | cut -d. -f1) ms" || echo "NOT served")"
echo "reload event sent: $(grep -c '^event: reload' "$site/events.log" || true)"
cat "$site/wrk.log"
if [ -z "$seen" ] || grep -qE 'Socket errors|Non-2xx' "$site/wrk.log"; then
  echo "FAILED: errors under load or the edit was not served" >&2
  exit 1
fi
