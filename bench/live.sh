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
source "$repo/bench/devhost-lib.sh"
dotnet build BotSociety.sln -c Release --nologo -v quiet > /dev/null
npm ci --prefix tests/compat --ignore-scripts --no-audit --no-fund --loglevel=error > /dev/null

work="$(mktemp -d /tmp/botsociety-live-bench-XXXXXX)"
start_devhost "$work" "$work/society.db" "$port"
pace fast
node tests/compat/bench-live.mjs "http://localhost:$port" "$seconds"
