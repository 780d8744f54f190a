#!/usr/bin/env bash
# p50/p95 latency of each dashboard endpoint against 200 bots and about 1,000,000 activity rows, served by
# devhost with the real worker: first with the society paused (reads alone), then running at the fast pace
# with its caps lifted (reads beside the heartbeats' writes).
#   bench/api.sh [requests]      (BENCH_DB: where the fast-forwarded society is made once and kept)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
requests="${1:-200}"
db="${BENCH_DB:-/tmp/botsociety-api-bench/society.db}"
port="${PORT:-7398}"
cd "$repo"
source "$repo/bench/devhost-lib.sh"

dotnet build BotSociety.sln -c Release --nologo -v quiet > /dev/null
bench=(dotnet "$repo/bench/BotSociety.Bench/bin/Release/net10.0/BotSociety.Bench.dll")

if [[ ! -f "$db" ]]; then
  mkdir -p "$(dirname "$db")"
  echo "Making the society once (200 bots, 1.5 simulated days at the fast pace: about 1,000,000 heartbeats; ~25 min)…"
  "${bench[@]}" fast-forward --db "$db" --bots 200 --days 1.5 --pace fast --token-cap 100000000
  echo
fi

# Serve a copy, so the live run does not grow the kept society.
work="$(mktemp -d /tmp/botsociety-api-bench-run-XXXXXX)"
cp "$db" "$work/society.db"
for suffix in -wal -shm; do [[ -f "$db$suffix" ]] && cp "$db$suffix" "$work/society.db$suffix"; done

# Caps lifted, so the running society's 200 bots are not asleep at their daily cap.
export Usage__DefaultDailyTokenCap=100000000
start_devhost "$work" "$work/society.db" "$port"

echo "== reads alone (the society paused)"
pace paused
"${bench[@]}" api --base "http://localhost:$port/" --requests "$requests"
echo
echo "== reads beside the society's writes (200 bots at the fast pace, caps lifted)"
pace fast
"${bench[@]}" api --base "http://localhost:$port/" --requests "$requests"
