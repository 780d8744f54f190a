#!/usr/bin/env bash
# Relay figures: delivery latency p50/p99 at 1, 50 and 200 clients (REST send to receipt), delivered messages
# per second, and relay memory per 1,000 idle connections. The measuring code is tests/compat/bench.mjs, which
# shares the compat suite's relay launcher and packages.
#   bench/relay.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
dotnet build relay/BotSociety.Relay.csproj -c Release --nologo -v quiet > /dev/null
npm ci --prefix tests/compat --ignore-scripts --no-audit --no-fund --loglevel=error > /dev/null
node tests/compat/bench.mjs
