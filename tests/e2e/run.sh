#!/usr/bin/env bash
# The browser suite: builds nothing (./test.sh builds the solution and the dashboard first), starts its own devhost
# on a temporary database, and ends with one line: "e2e: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

if [[ ! -d node_modules/playwright-core ]]; then
  npm ci --no-audit --no-fund >/dev/null || { echo "npm ci failed"; echo "e2e: 0 passed, 1 failed"; exit 1; }
fi

results="$(mktemp)"
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results" \
  ./*.test.mjs
status=$?

passed=$(grep -E '^# pass ' "$results" | awk '{print $3}')
failed=$(grep -E '^# fail ' "$results" | awk '{print $3}')
skipped=$(grep -E '^# skipped ' "$results" | awk '{print $3}')
rm -f "$results"
passed=${passed:-0}
failed=${failed:-0}
# A run that died before reporting counts as a failure, so the total cannot look green.
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
if [[ ${skipped:-0} -gt 0 ]]; then echo "e2e: $skipped skipped (see above)"; fi
echo "e2e: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
