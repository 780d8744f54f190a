#!/usr/bin/env bash
# The live stream end to end at 1, 50 and 200 connected clients: devhost with the worker and the mounted relay on
# a fresh society (the sample settings, the fast pace), clients from the official `ws` package connected with
# /api/negotiate's address; tick start to receipt, p50/p99 (an upper bound of commit to receipt).
#   bench/live.sh [seconds per client count, default 60]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
port="${PORT:-7397}"
cd "$repo"
dotnet build BotSociety.sln -c Release --nologo -v quiet > /dev/null
npm ci --prefix tests/compat --ignore-scripts --no-audit --no-fund --loglevel=error > /dev/null

work="$(mktemp -d /tmp/botsociety-live-bench-XXXXXX)"
Database__Path="$work/society.db" dotnet "$repo/devhost/bin/Release/net10.0/BotSociety.DevHost.dll" \
  --script-root "$repo/functions/bin/Release/net10.0" --settings "$repo/local.settings.sample.json" --port "$port" > "$work/devhost.log" 2>&1 &
devhost_pid=$!
trap 'kill -TERM "$devhost_pid" 2>/dev/null || true; wait "$devhost_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://localhost:$port/api/health" > /dev/null 2>&1 && break
  kill -0 "$devhost_pid" 2>/dev/null || { cat "$work/devhost.log"; exit 1; }
  sleep 0.5
done
curl -fsS -X PUT "http://localhost:$port/api/pace" -H 'content-type: application/json' -d '{"pace": "fast"}' > /dev/null
node tests/compat/bench-live.mjs "http://localhost:$port" "$seconds"
