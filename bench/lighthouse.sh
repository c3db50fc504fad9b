#!/usr/bin/env bash
# Lighthouse (npm lighthouse 12.x, mobile preset, Debian Chromium) on the built Cluster Ops site
# served with gzip: home, catalog, an architecture and the conformance matrix. Prints one line
# per page with the four category scores (0-100). Not part of CI (slow, and performance depends
# on the machine); the figures are quoted in reviews.
#
#   bench/lighthouse.sh            # installs lighthouse into bench/lighthouse/ on first run
#   PAGES="tools/" bench/lighthouse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
here=bench/lighthouse
if [ ! -x "$here/node_modules/.bin/lighthouse" ]; then
  npm install --prefix "$here" --no-audit --no-fund >/dev/null
fi
port=${PORT:-8765}
out=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$out"' EXIT
cargo run -q -- build --out "$out/site" --base-url "http://127.0.0.1:$port/" >/dev/null
node tests/a11y/serve-static.mjs "$out/site" "$port" >/dev/null &
server=$!
sleep 1
pages=${PAGES:-"/ tools/ architectures/bare-metal-kubeadm-ha/ conformance/"}
for page in $pages; do
  page=${page#/}
  "$here/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/$page" \
    --chrome-path=/usr/bin/chromium \
    --chrome-flags="--headless=new --no-sandbox --disable-dev-shm-usage" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$out/report.json" --quiet
  node -e '
    const r = require(process.argv[1]);
    const s = k => Math.round(r.categories[k].score * 100);
    const fails = Object.values(r.audits).filter(a => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary").map(a => a.id);
    console.log(`/${process.argv[2]}\tperformance ${s("performance")}\taccessibility ${s("accessibility")}\tbest-practices ${s("best-practices")}\tseo ${s("seo")}` + (fails.length ? `\tfailing: ${fails.join(",")}` : ""));
  ' "$out/report.json" "$page"
done
