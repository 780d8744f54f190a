#!/usr/bin/env bash
# Heartbeats/s of the real app under devhost at 10,000 bots, four ways measured alike and printed side by side:
# SQLite inline, PostgreSQL inline, PostgreSQL with queue dispatch on one instance and on two (two devhosts on one
# Azurite and one PostgreSQL). Then the in-process figures (`heartbeat --bots N`, on SQLite and on PostgreSQL).
#
# Each variant serves a fresh copy of one kept society (fast-forwarded once: N bots, 0.01 simulated days at the slow
# pace, the same seed and end on both databases), with a 1-second HeartbeatSchedule, caps lifted, no live stream
# (Realtime__ConnectionString unset: events go to the debug log) and a fresh Azurite for the timers' lease and the
# queue. A warm-up burst of SCALE_WARMUP bots comes first; then every bot is made due at one moment, and the bench's
# `drain` command reads the activity log every 100 ms until each bot has a row answering that due time.
# heartbeats/s = bots / seconds from due to the last row seen. CPU is what the app's processes (devhost and worker),
# PostgreSQL's and Azurite's used during that burst (the drain poller not included).
#
#   bench/scale.sh
#     SCALE_BOTS (10000), SCALE_WARMUP (2000), SCALE_TIMEOUT (seconds per burst, 300), PORT (first devhost's, 7401)
#     SCALE_VARIANTS (default "sqlite-inline postgres-inline postgres-queue-1 postgres-queue-2")
#     SCALE_INPROCESS=0 skips the in-process figures
#     SCALE_DATA (/tmp/botsociety-scale-bench): the kept societies (SQLite file, PostgreSQL cluster) and their logs
#
# PostgreSQL comes from tools/postgres/pg.sh with --fast (fsync, full-page writes and synchronous commit off): a
# throwaway server, compared with SQLite in WAL mode at synchronous=NORMAL (no fsync per commit either).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
bots="${SCALE_BOTS:-10000}"
warmup="${SCALE_WARMUP:-2000}"
timeout="${SCALE_TIMEOUT:-300}"
port="${PORT:-7401}"
variants="${SCALE_VARIANTS:-sqlite-inline postgres-inline postgres-queue-1 postgres-queue-2}"
data="${SCALE_DATA:-/tmp/botsociety-scale-bench}"
pg="$repo/tools/postgres/pg.sh"
# The kept society's end is pinned, so both databases hold the same one and every run starts from it.
end="2026-01-05T00:00:00Z"

say() { printf '%s\n' "$*"; }
fail() { printf 'scale.sh: %s\n' "$*" >&2; exit 1; }

"$pg" check || fail "PostgreSQL 15's server binaries are needed (above)."
dotnet build BotSociety.sln -c Release --nologo -v quiet > /dev/null
if [[ ! -f tools/azurite/node_modules/.package-lock.json || tools/azurite/package-lock.json -nt tools/azurite/node_modules/.package-lock.json ]]; then
  npm ci --prefix tools/azurite --ignore-scripts --no-audit --no-fund --loglevel=error > /dev/null
fi
bench=(dotnet "$repo/bench/BotSociety.Bench/bin/Release/net10.0/BotSociety.Bench.dll")
devhost_dll="$repo/devhost/bin/Release/net10.0/BotSociety.DevHost.dll"

mkdir -p "$data"
work="$(mktemp -d /tmp/botsociety-scale-run-XXXXXX)"
devhost_pids=()
azurite_pid=""
# Stops what this script started: devhosts (they stop their workers), Azurite, the bench's PostgreSQL.
cleanup() {
  set +e
  stop_parts
  "$pg" stop "$data/postgres" > /dev/null 2>&1
  rm -rf "$work"
}
stop_parts() {
  local pid
  for pid in "${devhost_pids[@]}" $azurite_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${devhost_pids[@]}" $azurite_pid; do
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  devhost_pids=()
  azurite_pid=""
}
trap cleanup EXIT

# The app as built, with one host.json change: an idle queue is polled at least every SCALE_QUEUE_POLL. With the
# extension's default (1 minute) a second instance that found the queue empty for a while sleeps through a burst of
# a few seconds, and the two-instance figure would be the one-instance one. SCALE_QUEUE_POLL=default keeps host.json.
queue_poll="${SCALE_QUEUE_POLL:-00:00:01}"
script_root="$work/app"
cp -r "$repo/functions/bin/Release/net10.0" "$script_root"
if [[ "$queue_poll" != default ]]; then
  jq --arg poll "$queue_poll" '.extensions.queues.maxPollingInterval = $poll' "$repo/functions/bin/Release/net10.0/host.json" > "$script_root/host.json"
fi

pg_out="$("$pg" start "$data/postgres" --fast)" || fail "PostgreSQL did not start (above)."
server="$(sed -n 's/^SERVER=//p' <<<"$pg_out")"
postmaster_pid() { head -1 "$data/postgres/postmaster.pid"; }
psql_do() { PGOPTIONS='-c client_min_messages=warning' "$pg" psql "$data/postgres" -d postgres -v ON_ERROR_STOP=1 -qAtc "$1"; }
# A server already running keeps the settings of its own start; say which ones hold.
fsync="$(psql_do 'show fsync')"
[[ "$fsync" == off ]] && pg_note="pg.sh --fast: fsync, full-page writes, synchronous commit off" || pg_note="fsync on (a server started without --fast)"

# The kept society, made once per size on each database; a stopped making leaves nothing that looks finished.
society="$data/society-$bots.db"
pg_society="scale_society_$bots"
make_args=(--bots "$bots" --days 0.01 --pace slow --end "$end" --seed 42 --token-cap 1000000000)
if [[ ! -f "$society" ]]; then
  say "Making the $bots-bot society in SQLite once (fast-forward, 0.01 simulated days at the slow pace)…"
  rm -f "$society.making" "$society.making-wal" "$society.making-shm"
  "${bench[@]}" fast-forward --db "$society.making" "${make_args[@]}" > "$data/fast-forward-sqlite-$bots.log"
  "${bench[@]}" drain --db "$society.making" --park true > /dev/null
  sqlite3 "$society.making" 'PRAGMA wal_checkpoint(TRUNCATE);' > /dev/null
  rm -f "$society.making-wal" "$society.making-shm"
  mv "$society.making" "$society"
fi
if [[ "$(psql_do "select count(*) from pg_database where datname = '$pg_society'")" != 1 ]]; then
  say "Making the $bots-bot society in PostgreSQL once (the same fast-forward)…"
  psql_do "drop database if exists ${pg_society}_making with (force)"
  psql_do "create database ${pg_society}_making"
  "${bench[@]}" fast-forward --postgres "$server;Database=${pg_society}_making" "${make_args[@]}" > "$data/fast-forward-postgres-$bots.log"
  "${bench[@]}" drain --postgres "$server;Database=${pg_society}_making" --park true > /dev/null
  psql_do "alter database ${pg_society}_making rename to $pg_society"
fi

source "$repo/tools/ports.sh"

# CPU seconds (user + system) used so far by the given processes and all their descendants.
cpu_seconds() {
  # cat goes on past the processes that exit while it reads (and then fails, which is no error here); awk would stop.
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v roots="$*" -v hz="$(getconf CLK_TCK)" '
    { pid = $1; line = $0; sub(/^.*\) /, "", line); split(line, f, " "); parent[pid] = f[2]; cpu[pid] = f[12] + f[13] }
    END {
      n = split(roots, r, " "); for (i = 1; i <= n; i++) want[r[i]] = 1
      for (more = 1; more; ) { more = 0; for (p in parent) if (!(p in want) && (parent[p] in want)) { want[p] = 1; more = 1 } }
      for (p in want) if (p in cpu) total += cpu[p]
      printf "%.1f", total / hz
    }'
}

start_azurite() {
  local dir="$1" blob queue table
  blob="$(free_port)" || fail "no free port for Azurite"
  queue="$(free_port "$blob")" || fail "no free port for Azurite"
  table="$(free_port "$blob" "$queue")" || fail "no free port for Azurite"
  mkdir -p "$dir/azurite"
  tools/azurite/node_modules/.bin/azurite --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" --location "$dir/azurite" --skipApiVersionCheck --silent --disableTelemetry \
    > "$dir/azurite.log" 2>&1 &
  azurite_pid=$!
  for _ in $(seq 1 120); do
    port_free "$blob" || port_free "$queue" || break
    kill -0 "$azurite_pid" 2>/dev/null || { cat "$dir/azurite.log" >&2; fail "Azurite stopped during its start"; }
    sleep 0.25
  done
  local key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
  storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;"
  storage+="QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
}

# The sample settings with the bench's: every tick each second, compression never during a run, nobody capped, no
# live stream. Variables exported by the caller still win, as they do for the app.
write_settings() {
  local file="$1" provider="$2" database="$3" dispatch="$4"
  jq --arg provider "$provider" --arg database "$database" --arg dispatch "$dispatch" --arg storage "$storage" '
    .Values += {
      HeartbeatSchedule: "* * * * * *", CompressMemorySchedule: "0 0 0 1 1 *",
      Database__Provider: $provider, Society__Dispatch: $dispatch, AzureWebJobsStorage: $storage,
      Society__MaxBotsPerTick: "2000", Society__QueueBatchSize: "25",
      Usage__DefaultDailyTokenCap: "1000000000", Usage__DefaultDailyCostCapUsd: "1000"
    }
    | if $provider == "postgres" then .Values.Database__ConnectionString = $database else .Values.Database__Path = $database end
    | del(.Values.Realtime__ConnectionString)' local.settings.sample.json > "$file"
}

results=()
run_variant() {
  local name="$1" provider dispatch instances label dir db_args database out
  case "$name" in
    sqlite-inline) provider=sqlite dispatch=inline instances=1 label="SQLite, inline" ;;
    postgres-inline) provider=postgres dispatch=inline instances=1 label="PostgreSQL, inline" ;;
    postgres-queue-1) provider=postgres dispatch=queue instances=1 label="PostgreSQL, queue, 1 instance" ;;
    postgres-queue-2) provider=postgres dispatch=queue instances=2 label="PostgreSQL, queue, 2 instances" ;;
    *) fail "unknown variant '$name' (sqlite-inline, postgres-inline, postgres-queue-1, postgres-queue-2)" ;;
  esac
  dir="$work/$name"
  mkdir -p "$dir"
  if [[ $provider == sqlite ]]; then
    database="$dir/society.db"
    cp "$society" "$database"
    db_args=(--db "$database")
  else
    psql_do "drop database if exists scale_run with (force)"
    psql_do "create database scale_run template $pg_society"
    database="$server;Database=scale_run"
    db_args=(--postgres "$database")
  fi
  start_azurite "$dir"
  write_settings "$dir/local.settings.json" "$provider" "$database" "$dispatch"

  local i p
  for ((i = 0; i < instances; i++)); do
    p=$((port + i))
    port_free "$p" || fail "port $p is in use; set PORT to another first port"
    dotnet "$devhost_dll" --script-root "$script_root" --settings "$dir/local.settings.json" --port "$p" > "$dir/devhost-$p.log" 2>&1 &
    devhost_pids+=($!)
  done
  for ((i = 0; i < instances; i++)); do
    p=$((port + i))
    for _ in $(seq 1 240); do
      curl -fsS "http://localhost:$p/api/health" > /dev/null 2>&1 && break
      kill -0 "${devhost_pids[$i]}" 2>/dev/null || { tail -20 "$dir/devhost-$p.log" >&2; fail "devhost on port $p stopped during its start"; }
      sleep 0.5
    done
    curl -fsS "http://localhost:$p/api/health" > /dev/null 2>&1 || fail "devhost on port $p did not answer within 120 s; see $dir/devhost-$p.log"
  done

  say "== $label"
  out="$("${bench[@]}" drain "${db_args[@]}" --bots "$warmup" --timeout "$timeout" --label "warm-up")" \
    || { say "$out"; fail "the warm-up did not finish; see $dir"; }
  say "$out" | grep -v '^RESULT'
  local load app0 pg0 az0 app1 pg1 az1 result
  load="$(cut -d' ' -f1 /proc/loadavg)"
  app0="$(cpu_seconds "${devhost_pids[@]}")"; pg0="$(cpu_seconds "$(postmaster_pid)")"; az0="$(cpu_seconds "$azurite_pid")"
  out="$("${bench[@]}" drain "${db_args[@]}" --timeout "$timeout" --label "burst")" || true
  app1="$(cpu_seconds "${devhost_pids[@]}")"; pg1="$(cpu_seconds "$(postmaster_pid)")"; az1="$(cpu_seconds "$azurite_pid")"
  say "$out" | grep -v '^RESULT'
  result="$(grep '^RESULT' <<<"$out")" || fail "the burst printed no result; see $dir"
  local cpu
  if [[ $provider == sqlite ]]; then
    cpu="$(awk -v a="$app0" -v b="$app1" -v z0="$az0" -v z1="$az1" 'BEGIN { printf "%.1f / - / %.1f", b - a, z1 - z0 }')"
  else
    cpu="$(awk -v a="$app0" -v b="$app1" -v p0="$pg0" -v p1="$pg1" -v z0="$az0" -v z1="$az1" 'BEGIN { printf "%.1f / %.1f / %.1f", b - a, p1 - p0, z1 - z0 }')"
  fi
  say "  CPU during the burst: app $cpu s (app / PostgreSQL / Azurite); 1-minute load before it $load"
  results+=("$label	$result	$cpu	$load")
  stop_parts
  [[ $provider == sqlite ]] || psql_do "drop database if exists scale_run with (force)"
  say ""
}

say "Started $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for v in $variants; do run_variant "$v"; done

say "$bots bots, all due at once after a $warmup-bot warm-up; HeartbeatSchedule every second, MaxBotsPerTick ${Society__MaxBotsPerTick:-2000},"
say "QueueBatchSize ${Society__QueueBatchSize:-25}, ModelConcurrency ${Society__ModelConcurrency:-4}, offline model, no live stream, queue polled at least every $queue_poll;"
say "PostgreSQL 15 ($pg_note)."
say "heartbeats/s = bots / seconds from due to the last row committed; CPU s = app (devhost + worker) / PostgreSQL / Azurite"
say "during the burst, CPU/beat their sum per heartbeat (2 cores give 2,000 ms of CPU a second, shared with whatever else runs)."
printf '%-32s %12s %9s %9s %17s %14s %22s %10s %6s\n' variant heartbeats/s "all done" "1st row" "due→done p50/p95" "per instance" "CPU s app/pg/azurite" "CPU/beat" load
for r in "${results[@]}"; do
  IFS=$'\t' read -r label _ finished due seconds rate first p50 p95 failed split cpu load <<<"$r"
  note=""
  [[ "$finished" == "$due" ]] || note="  ($finished of $due done)"
  [[ "$failed" == 0 ]] || note="$note  ($failed failed)"
  per_beat="$(awk -v cpu="$cpu" -v n="$finished" 'BEGIN { split(cpu, c, " / "); printf "%.2f ms", (n > 0) ? (c[1] + c[2] + c[3]) * 1000 / n : 0 }')"
  printf '%-32s %12s %8ss %8ss %17s %14s %22s %10s %6s%s\n' "$label" "$rate" "$seconds" "$first" "$p50 / $p95 s" "${split//,/ + }" "$cpu" "$per_beat" "$load" "$note"
done

if [[ "${SCALE_INPROCESS:-1}" != 0 ]]; then
  say ""
  say "In process (the engine on a virtual clock, no host, no queue: bench heartbeat --bots $bots):"
  "${bench[@]}" heartbeat --bots "$bots"
  "${bench[@]}" heartbeat --bots "$bots" --postgres "$server"
fi
