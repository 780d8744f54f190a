#!/usr/bin/env bash
# devhost figures: time from ./run.sh to a healthy /api/health on a fresh clone (cold build) and again
# (warm build), then HTTP round trips through devhost against the worker's own port, in one run.
#   bench/devhost.sh [requests]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
requests="${1:-500}"
work="$(mktemp -d /tmp/botsociety-devhost-bench-XXXXXX)"
git clone -q "$repo" "$work/project"
cd "$work/project"
port="${PORT:-7399}"
export PORT=$port BOTSOCIETY_DATA="$work/data"

start_until_healthy() {
  local label="$1" started=$SECONDS
  set -m
  ./run.sh > "$work/run-$label.log" 2>&1 < /dev/null &
  run_pid=$!
  set +m
  local t0; t0=$(date +%s%N)
  until curl -fsS "http://localhost:$port/api/health" > /dev/null 2>&1; do
    kill -0 "$run_pid" 2>/dev/null || { echo "run.sh exited; see $work/run-$label.log"; exit 1; }
    (( SECONDS - started < 600 )) || { echo "not healthy after 600 s"; exit 1; }
    sleep 0.2
  done
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  printf '%-22s %d.%d s\n' "$label" $((ms / 1000)) $(((ms % 1000) / 100))
}

stop() { kill -INT -- -"$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; }

echo "Time from ./run.sh to a healthy /api/health (fresh clone in $work):"
start_until_healthy "cold (fresh build)"
stop
start_until_healthy "warm (built)"

worker=$(grep -o 'HTTP at http://localhost:[0-9]*/' "$work/run-warm (built).log" | tail -1 | sed 's/HTTP at //')
echo
echo "HTTP round trip (the direct call reaches the worker's Kestrel with no host invocation behind it, so it"
echo "measures the worker's own HTTP pipeline; the devhost call runs the Health function end to end):"
dotnet run -c Release --project bench/BotSociety.Bench --no-build -- roundtrip \
  --via "http://localhost:$port/api/health" --direct "${worker}api/health" --requests "$requests"
stop
rm -rf "$work"
