#!/usr/bin/env bash
# The browser suite: builds nothing (./test.sh builds the solution and the dashboard first), starts its own devhost
# on a temporary database, and ends with one line: "e2e: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

if [[ ! -d node_modules/playwright-core || ! -d node_modules/axe-core ]]; then
  npm ci --no-audit --no-fund >/dev/null || { echo "npm ci failed"; echo "e2e: 0 passed, 1 failed"; exit 1; }
fi

exec ../node-test.sh e2e ./*.test.mjs
