#!/usr/bin/env bash
# The Web PubSub compatibility suite: the official npm packages, unchanged, against the built relay.
# Needs `npm ci` first and relay/bin/Release/net10.0/BotSociety.Relay.dll. Ends with one line the top-level
# test script counts: "compat: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

out="$(mktemp)"
trap 'rm -f "$out"' EXIT

# One file at a time: each starts its own relay, and the machine may have two cores.
node --test --test-concurrency=1 --test-reporter=tap test/*.test.mjs 2>&1 | tee "$out"

summary() { grep -E "^# $1 [0-9]+" "$out" | tail -1 | awk '{print $3}'; }
passed="$(summary pass)"
failed="$(summary fail)"
cancelled="$(summary cancelled)"
# A failed before() hook (the relay would not start) cancels its tests rather than failing them; they did not
# pass, so they count as failed.
failed=$(( ${failed:-0} + ${cancelled:-0} ))
if [[ -z "$passed" || "$passed" -eq 0 ]] && [[ "$failed" -eq 0 ]]; then
  # No summary, or no test at all: the runner itself failed. Count it so the total cannot look green.
  failed=1
fi

echo "compat: $passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
