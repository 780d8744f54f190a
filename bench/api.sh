#!/usr/bin/env bash
# p50/p95 latency of each dashboard endpoint against 200 bots and about 1,000,000 activity rows, served by
# devhost with the real worker: first with the society paused (reads alone), then running at the fast pace
# with its caps lifted (reads beside the heartbeats' writes).
#   bench/api.sh [requests]      (BENCH_DB: where the fast-forwarded society is made once and kept)
#   BENCH_PROVIDER=postgres bench/api.sh [requests]
#       the same on PostgreSQL 15 (tools/postgres/pg.sh, started with --fast when this script starts it; inline
#       dispatch): the society is made once into the database `society` of the cluster in BENCH_PG_DATA
#       (default /tmp/botsociety-api-bench/postgres) and kept; each run serves a copy of it, dropped at exit.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
requests="${1:-200}"
provider="${BENCH_PROVIDER:-sqlite}"
db="${BENCH_DB:-/tmp/botsociety-api-bench/society.db}"
pg_data="${BENCH_PG_DATA:-/tmp/botsociety-api-bench/postgres}"
port="${PORT:-7398}"
cd "$repo"
source "$repo/bench/devhost-lib.sh"
[[ "$provider" == sqlite || "$provider" == postgres ]] || { echo "BENCH_PROVIDER must be sqlite or postgres; got '$provider'" >&2; exit 2; }

dotnet build BotSociety.sln -c Release --nologo -v quiet > /dev/null
bench=(dotnet "$repo/bench/BotSociety.Bench/bin/Release/net10.0/BotSociety.Bench.dll")
# The society: 200 bots through 1.5 simulated days at the fast pace, about 1,000,000 heartbeats.
make_args=(--bots 200 --days 1.5 --pace fast --token-cap 100000000)
# Caps lifted, so the running society's 200 bots are not asleep at their daily cap.
export Usage__DefaultDailyTokenCap=100000000
work="$(mktemp -d /tmp/botsociety-api-bench-run-XXXXXX)"
trap 'rm -rf "$work"' EXIT

if [[ "$provider" == sqlite ]]; then
  if [[ ! -f "$db" ]]; then
    mkdir -p "$(dirname "$db")"
    echo "Making the society once (200 bots, 1.5 simulated days at the fast pace: about 1,000,000 heartbeats; ~25 min)…"
    "${bench[@]}" fast-forward --db "$db" "${make_args[@]}"
    echo
  fi

  # Serve a copy, so the live run does not grow the kept society.
  cp "$db" "$work/society.db"
  for suffix in -wal -shm; do [[ -f "$db$suffix" ]] && cp "$db$suffix" "$work/society.db$suffix"; done
  served="$work/society.db"
else
  pg="$repo/tools/postgres/pg.sh"
  "$pg" check
  pg_started=0
  "$pg" status "$pg_data" > /dev/null 2>&1 || pg_started=1
  run_db="api_run_$$"
  sql() { PGOPTIONS='-c client_min_messages=warning' "$pg" psql "$pg_data" -d postgres -v ON_ERROR_STOP=1 -qAtc "$1"; }
  # At exit (after devhost, when it ran): the served copy goes, and the server stops if this script started it.
  after_devhost() {
    sql "drop database if exists $run_db with (force)" || true
    [[ $pg_started -eq 0 ]] || "$pg" stop "$pg_data" > /dev/null 2>&1 || true
    rm -rf "$work"
  }
  trap after_devhost EXIT
  mkdir -p "$(dirname "$pg_data")"
  server="$("$pg" start "$pg_data" --fast | sed -n 's/^SERVER=//p')"
  [[ -n "$server" ]] || { echo "PostgreSQL did not start in $pg_data" >&2; exit 1; }
  echo "PostgreSQL 15 in $pg_data (fsync $(sql 'show fsync'), synchronous_commit $(sql 'show synchronous_commit'))"
  if [[ "$(sql "select count(*) from pg_database where datname = 'society'")" != 1 ]]; then
    # Made under another name and renamed when complete, so a stopped making is never taken for the society.
    echo "Making the society once in PostgreSQL (200 bots, 1.5 simulated days at the fast pace: about 1,000,000 heartbeats; 1-4 h here)…"
    sql "drop database if exists society_making with (force)"
    sql "create database society_making"
    "${bench[@]}" fast-forward --postgres "$server;Database=society_making" "${make_args[@]}"
    # What autovacuum would have done over the society's 1.5 days: visibility map and planner statistics.
    PGOPTIONS='-c client_min_messages=warning' "$pg" psql "$pg_data" -d society_making -qc 'vacuum (analyze)'
    sql "alter database society_making rename to society"
    echo
  fi

  # Serve a copy, so the live run does not grow the kept society.
  sql "create database $run_db template society strategy file_copy"
  export Database__Provider=postgres
  served="$server;Database=$run_db"
fi

start_devhost "$work" "$served" "$port"

echo "== reads alone (the society paused)"
pace paused
"${bench[@]}" api --base "http://localhost:$port/" --requests "$requests"
echo
echo "== reads beside the society's writes (200 bots at the fast pace, caps lifted)"
pace fast
"${bench[@]}" api --base "http://localhost:$port/" --requests "$requests"
