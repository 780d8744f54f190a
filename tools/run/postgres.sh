# ./run.sh --postgres [--instances N], sourced by run.sh after the build: PostgreSQL, Azurite, with several instances
# one relay, then the devhosts. It uses run.sh's variables and functions (root, data, port, instances, say, fail,
# realtime_*). It does not return: it waits until Ctrl-C or until a part stops. Each part logs to $data/logs (the
# devhosts to the terminal too); Ctrl-C, a failed start or a part that stops ends every part started, newest first.
# shellcheck shell=bash disable=SC2154  # the variables named above are set by run.sh
logs="$data/logs"
mkdir -p "$logs" "$data/azurite"
pg="$root/tools/postgres/pg.sh"
pg_data="$data/postgres"

# Two runs on one data folder would share (and corrupt) Azurite's files; the lock lives as long as any child.
lock="$data/.run-postgres.lock"
exec 9>"$lock"
flock -n 9 || fail "another ./run.sh --postgres is using $data (a run that was killed can leave its processes: fuser -v $lock lists them)."

if [[ ! -f tools/azurite/node_modules/.package-lock.json || tools/azurite/package-lock.json -nt tools/azurite/node_modules/.package-lock.json ]]; then
  say "Installing Azurite (tools/azurite)…"
  npm_log="$logs/azurite-npm.log"
  npm ci --prefix tools/azurite --ignore-scripts --no-audit --no-fund --loglevel=error >"$npm_log" 2>&1 \
    || { tail -30 "$npm_log" >&2; fail "npm ci failed in tools/azurite (errors above; log: $npm_log)."; }
fi

source "$root/tools/ports.sh"
taken_ports=()
# Sets $free to a free port apart from the instances' ports and those chosen before.
next_free_port() {
  free="$(free_port "${taken_ports[@]}" $(seq "$port" $((port + instances - 1))))" || fail "found no free port between 20000 and 32000."
  taken_ports+=("$free")
}
for ((i = 0; i < instances; i++)); do
  port_free $((port + i)) || fail "port $((port + i)) (instance $((i + 1))) is in use; set PORT to another first port."
done

devhost_pids=()
devhost_ports=()
relay_pid=""
azurite_pid=""
pg_started=0
# Stops one process: TERM, then KILL after 20 s.
# shellcheck disable=SC2317  # stop_process and stop_all run from the EXIT trap
stop_process() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317
stop_all() {
  local code=$?
  set +e
  # A second Ctrl-C while stopping would leave parts running; every wait here has a time limit.
  trap - EXIT
  trap '' INT TERM
  local pid
  # The devhosts first (they stop their workers), all at once; then what they used.
  for pid in "${devhost_pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${devhost_pids[@]}"; do stop_process "$pid"; done
  [[ -n "$relay_pid" ]] && stop_process "$relay_pid"
  [[ -n "$azurite_pid" ]] && stop_process "$azurite_pid"
  [[ $pg_started -eq 1 ]] && "$pg" stop "$pg_data" 9>&-
  exit "$code"
}
trap stop_all EXIT
trap 'say ""; say "Stopping…"; exit 0' INT TERM

# A part that stopped during its start: say which, with its exit code and log, and stop the rest (EXIT above).
start_failed() {
  local what="$1" pid="$2" log="$3" code=0
  wait "$pid" 2>/dev/null || code=$?
  tail -20 "$log" >&2 2>/dev/null || true
  fail "$what stopped during its start (exit $code); its log: $log; stopping the parts already started."
}

# PostgreSQL: the society's database, kept in $data/postgres. pg.sh says what went wrong on stderr.
say "Starting PostgreSQL…"
pg_started=1   # before the start: Ctrl-C during it can leave a server running (stopping none is no error)
pg_out="$("$pg" start "$pg_data" --database botsociety 9>&-)" \
  || fail "PostgreSQL did not start (above; its log: $pg_data/postgres.log). Nothing else was started."
pg_connection="$(sed -n 's/^CONNECTION=//p' <<<"$pg_out")"

# Azurite: the queue of heartbeat batches and the timers' blob leases. Without --disableTelemetry it would try to
# reach Microsoft's telemetry service, and on a machine without that network it outlives a stop by a minute.
next_free_port; blob_port="$free"
next_free_port; queue_port="$free"
next_free_port; table_port="$free"
azurite_log="$logs/azurite.log"
say "Starting Azurite…"
tools/azurite/node_modules/.bin/azurite --blobHost 127.0.0.1 --blobPort "$blob_port" \
  --queueHost 127.0.0.1 --queuePort "$queue_port" --tableHost 127.0.0.1 --tablePort "$table_port" \
  --location "$data/azurite" --skipApiVersionCheck --silent --disableTelemetry >"$azurite_log" 2>&1 &
azurite_pid=$!
for _ in $(seq 1 120); do
  kill -0 "$azurite_pid" 2>/dev/null || start_failed Azurite "$azurite_pid" "$azurite_log"
  if ! port_free "$blob_port" && ! port_free "$queue_port" && ! port_free "$table_port"; then break; fi
  sleep 0.25
done
port_free "$queue_port" && fail "Azurite did not listen within 30 s; its log: $azurite_log."
account_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$account_key;"
storage+="BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;"
storage+="TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"

# The live stream. One instance mounts the relay on its own port, as without --postgres; several send to one
# standalone relay with the settings file's key, so every dashboard sees every instance's events.
relay_port=""
if [[ $realtime_from_env -eq 0 && $realtime_local -eq 1 && $instances -gt 1 ]]; then
  next_free_port; relay_port="$free"
  relay_log="$logs/relay.log"
  relay_dll="$root/relay/bin/Release/net10.0/BotSociety.Relay.dll"
  [[ -f "$relay_dll" ]] || fail "the relay was not built ($relay_dll is missing)."
  say "Starting the relay…"
  Relay__ConnectionString="$(realtime_at "$relay_port")" \
    dotnet "$relay_dll" --urls "http://localhost:$relay_port" >"$relay_log" 2>&1 &
  relay_pid=$!
  for _ in $(seq 1 120); do
    kill -0 "$relay_pid" 2>/dev/null || start_failed "The relay" "$relay_pid" "$relay_log"
    curl -fsS "http://localhost:$relay_port/api/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://localhost:$relay_port/api/health" >/dev/null 2>&1 \
    || fail "the relay did not answer /api/health within 60 s; its log: $relay_log."
fi

export Database__Provider=postgres
export Database__ConnectionString="$pg_connection"
export Society__Dispatch=queue
export AzureWebJobsStorage="$storage"
for ((i = 0; i < instances; i++)); do
  p=$((port + i))
  log="$logs/devhost-$p.log"
  : >"$log"
  realtime="${Realtime__ConnectionString:-}"
  if [[ $realtime_from_env -eq 0 && $realtime_local -eq 1 ]]; then
    realtime="$(realtime_at "${relay_port:-$p}")"
  fi
  # Each devhost's output goes to the terminal, marked with its port, and to its own log. (env execs dotnet, so
  # $! is devhost's own process.)
  env ${realtime:+"Realtime__ConnectionString=$realtime"} dotnet "$devhost" --script-root "$script_root" \
    --settings "$root/functions/local.settings.json" --port "$p" --static-root "$root/static-web/dist" \
    > >(tee -a "$log" | sed -u "s/^/[$p] /") 2>&1 &
  devhost_pids+=($!)
  devhost_ports+=("$p")
done

# Every instance's API must answer; one that stops on the way fails the start.
waiting=("${devhost_ports[@]}")
for _ in $(seq 1 240); do
  still=()
  for i in "${!devhost_pids[@]}"; do
    p="${devhost_ports[$i]}"
    [[ " ${waiting[*]} " == *" $p "* ]] || continue
    kill -0 "${devhost_pids[$i]}" 2>/dev/null || start_failed "devhost on port $p" "${devhost_pids[$i]}" "$logs/devhost-$p.log"
    curl -fsS "http://localhost:$p/api/health" >/dev/null 2>&1 || still+=("$p")
  done
  waiting=("${still[@]}")
  [[ ${#waiting[@]} -eq 0 ]] && break
  sleep 0.5
done

say ""
label="on PostgreSQL with queue dispatch"
[[ $instances -gt 1 ]] && label="$label, $instances instances"
say "BotSociety is running $label"
for i in "${!devhost_ports[@]}"; do
  p="${devhost_ports[$i]}"
  say "  instance $((i + 1)): http://localhost:$p/   (API http://localhost:$p/api/swagger/ui; log $logs/devhost-$p.log)"
done
if [[ -n "$relay_port" ]]; then
  say "  relay:      http://localhost:$relay_port   (the live stream of every instance; log $relay_log)"
elif [[ $realtime_from_env -eq 1 ]]; then
  say "  live stream: $(sed -n 's/.*[Ee]ndpoint=\([^;]*\).*/\1/p' <<<"$Realtime__ConnectionString") (Realtime__ConnectionString from the environment)"
fi
# shellcheck disable=SC2001
say "  PostgreSQL: $(sed 's/Password=[^;]*;\{0,1\}//' <<<"$pg_connection")   (password in $pg_data/botsociety.password; log $pg_data/postgres.log)"
say "  Azurite:    blob 127.0.0.1:$blob_port, queue 127.0.0.1:$queue_port, table 127.0.0.1:$table_port   (data $data/azurite; log $azurite_log)"
if [[ ${#waiting[@]} -gt 0 ]]; then
  say "run.sh: the API of port(s) ${waiting[*]} did not answer /api/health within 120 s; they keep running (see their logs)." >&2
fi
say "Press Ctrl-C to stop."

# Until Ctrl-C, or until a part stops by itself: then the rest stop too, so nothing runs half-alive.
parts=("${devhost_pids[@]}" "$azurite_pid")
[[ -n "$relay_pid" ]] && parts+=("$relay_pid")
wait -n "${parts[@]}" || true
for i in "${!devhost_pids[@]}"; do
  kill -0 "${devhost_pids[$i]}" 2>/dev/null || fail "devhost on port ${devhost_ports[$i]} stopped (its log: $logs/devhost-${devhost_ports[$i]}.log); stopping the rest."
done
kill -0 "$azurite_pid" 2>/dev/null || fail "Azurite stopped (its log: $azurite_log); stopping the rest."
fail "the relay stopped (its log: $relay_log); stopping the rest."
