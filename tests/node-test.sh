#!/usr/bin/env bash
# Runs node:test files one at a time and ends with the line ./test.sh counts: "<name>: N passed, N failed".
#   tests/node-test.sh <name> <test file>...      (exit status: 0 only when nothing failed)
# One file at a time: each starts its own servers, and the machine may have two cores.
set -uo pipefail
name="$1"
shift

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results" \
  "$@"
status=$?

count() { grep -E "^# $1 [0-9]+" "$results" | tail -1 | awk '{print $3}'; }
passed="$(count pass)"
failed="$(count fail)"
skipped="$(count skipped)"
# A failed before() hook (a server that would not start) cancels its tests rather than failing them; they did not
# pass, so they count as failed. A run that died before reporting counts too, so the total cannot look green.
cancelled="$(count cancelled)"
failed=$(( ${failed:-0} + ${cancelled:-0} ))
passed=${passed:-0}
if [[ $status -ne 0 || $passed -eq 0 ]] && [[ $failed -eq 0 ]]; then failed=1; fi
if [[ ${skipped:-0} -gt 0 ]]; then echo "$name: $skipped skipped (see above)"; fi
echo "$name: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
