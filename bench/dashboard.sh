#!/usr/bin/env bash
# The dashboard's first load in Chromium: gzipped JavaScript of a first visit and the time to the first activity
# item, against devhost on a freshly fast-forwarded society (one simulated day, about a minute to make).
#   bench/dashboard.sh        (LOADS: how many timed loads, default 20)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

dotnet build BotSociety.sln -c Release --nologo -v quiet > /dev/null
npm ci --prefix static-web --ignore-scripts --no-audit --no-fund --loglevel=error > /dev/null
npm run --prefix static-web build > /dev/null
# playwright-core (never a downloaded browser) comes from the browser suite's packages.
[[ -d tests/e2e/node_modules/playwright-core ]] || npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error > /dev/null
[[ -x "${CHROMIUM:-/usr/bin/chromium}" ]] || { echo "Chromium is missing: apt-get install -y chromium (./test.sh does it)" >&2; exit 1; }
node bench/dashboard.mjs
