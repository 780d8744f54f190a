#!/usr/bin/env bash
# The dashboard's first load in Chromium: gzipped JavaScript of a first visit, the time to the first activity item, and
# Lighthouse's scores for / and /stats on mobile and desktop, against devhost on a freshly fast-forwarded society (one
# simulated day, about a minute to make). Lighthouse (bench/package.json) drives Debian's Chromium; it never
# downloads a browser.
#   bench/dashboard.sh        (LOADS: timed loads, default 20; LIGHTHOUSE=0: no Lighthouse; LH_RUNS: runs per score, default 3)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

dotnet build BotSociety.sln -c Release --nologo -v quiet > /dev/null
npm ci --prefix static-web --ignore-scripts --no-audit --no-fund --loglevel=error > /dev/null
npm run --prefix static-web build > /dev/null
# playwright-core (never a downloaded browser) comes from the browser suite's packages.
[[ -d tests/e2e/node_modules/playwright-core ]] || npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error > /dev/null
# Lighthouse lives in the bench's own packages, so ./test.sh never installs it.
if [[ "${LIGHTHOUSE:-1}" != 0 && ! -d bench/node_modules/lighthouse ]]; then
  npm ci --prefix bench --ignore-scripts --no-audit --no-fund --loglevel=error > /dev/null
fi
[[ -x "${CHROMIUM:-/usr/bin/chromium}" ]] || { echo "Chromium is missing: apt-get install -y chromium (./test.sh does it)" >&2; exit 1; }
node bench/dashboard.mjs
