#!/usr/bin/env bash
# Builds and starts the whole society on this machine: devhost runs the real Functions worker,
# its timers and its HTTP API on one port. Ctrl-C stops everything.
#
#   ./run.sh                      your society, kept between runs in $BOTSOCIETY_DATA (SQLite)
#   ./run.sh --demo               a demo society with three simulated days of history behind it (see DEMO.md)
#   ./run.sh --postgres           your society on PostgreSQL with queue dispatch: starts its own PostgreSQL 15
#                                 (data kept in $BOTSOCIETY_DATA/postgres) and Azurite ($BOTSOCIETY_DATA/azurite)
#   ./run.sh --postgres --instances N
#                                 N devhosts on ports PORT..PORT+N-1 sharing them, and one relay for the live stream
#
#   PORT              the port to listen on, the first instance's (default 7071, as `func start`)
#   BOTSOCIETY_DATA   the folder of the society's data, kept between runs (default ./data)
set -euo pipefail
# Ctrl-C sends SIGINT to run.sh's process group, and the trap at the end turns it into an orderly stop. A shell that
# starts run.sh in the background without job control (a script's `./run.sh &`, or under nohup) hands SIGINT down as
# ignored, and bash can neither trap nor restore a signal ignored on entry: run.sh then starts itself again with it
# restored (coreutils' env), so Ctrl-C or `kill -INT` still stops everything.
if [[ -z "${BOTSOCIETY_RUN_SIGINT:-}" && -r /proc/$$/status ]] \
  && (( 0x$(awk '/^SigIgn:/ { print $2 }' /proc/$$/status) & 2 )) && env --default-signal=INT true 2>/dev/null; then
  BOTSOCIETY_RUN_SIGINT=restored exec env --default-signal=INT "$0" "$@"
fi
cd "$(dirname "$0")"
root="$(pwd)"

port="${PORT:-7071}"
data="${BOTSOCIETY_DATA:-$root/data}"
demo=0
demo_made=0
postgres=0
instances=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --demo) demo=1 ;;
    --postgres) postgres=1 ;;
    --instances|--instances=*)
      if [[ "$1" == --instances=* ]]; then instances="${1#--instances=}"
      elif [[ $# -ge 2 ]]; then instances="$2"; shift
      else printf 'run.sh: --instances needs a number\n' >&2; exit 2
      fi ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) printf 'run.sh: unknown option %s (try --help)\n' "$1" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '%s\n' "$*"; }
fail() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

# Prerequisites: say what is missing rather than fail somewhere in the middle of a build.
command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK is missing: install .NET 10 (https://dot.net) and run again."
sdk_major="$(dotnet --version 2>/dev/null | cut -d. -f1)"
[[ "${sdk_major:-0}" -ge 10 ]] || fail "the .NET SDK is $(dotnet --version 2>/dev/null || echo unknown); BotSociety needs .NET 10 or later."
command -v curl >/dev/null 2>&1 || fail "curl is missing (it is used to wait for the API to answer)."
command -v npm >/dev/null 2>&1 || fail "npm is missing: install Node.js with npm (the build fetches the API explorer's files from npm)."
if ! [[ "$port" =~ ^[0-9]+$ ]] || (( port < 1 || port > 65535 )); then
  fail "PORT must be a number from 1 to 65535; got '$port'."
fi
if [[ -n "$instances" ]]; then
  [[ $postgres -eq 1 ]] || fail "--instances needs --postgres: SQLite takes one writer, so several instances share PostgreSQL (./run.sh --postgres --instances $instances)."
  if ! [[ "$instances" =~ ^[0-9]+$ ]] || (( instances < 1 || instances > 16 )); then
    fail "--instances must be a number from 1 to 16; got '$instances'."
  fi
  (( port + instances - 1 <= 65535 )) || fail "the instances' ports $port..$((port + instances - 1)) pass 65535; set a lower PORT."
fi
instances="${instances:-1}"
if [[ $postgres -eq 1 ]]; then
  [[ $demo -eq 0 ]] || fail "--demo and --postgres do not go together: the demo society is made in SQLite."
  # Before the build, so a machine without PostgreSQL says so at once.
  "$root/tools/postgres/pg.sh" check || fail "--postgres needs PostgreSQL 15's server binaries (above)."
fi

say "Building BotSociety (Release)…"
build_log="$(mktemp)"
if ! dotnet build BotSociety.sln -c Release --nologo -v quiet >"$build_log" 2>&1; then
  grep -E "error|Error" "$build_log" | head -20 >&2 || cat "$build_log" >&2
  rm -f "$build_log"
  fail "the build failed (errors above)."
fi
rm -f "$build_log"

# The dashboard: packages again only when the lock file changed, a build only when a source is newer than it.
dash_log="$(mktemp)"
if [[ ! -f static-web/node_modules/.package-lock.json || static-web/package-lock.json -nt static-web/node_modules/.package-lock.json ]]; then
  say "Installing the dashboard's packages…"
  npm ci --prefix static-web --ignore-scripts --no-audit --no-fund --loglevel=error >"$dash_log" 2>&1 \
    || { tail -30 "$dash_log" >&2; rm -f "$dash_log"; fail "npm ci failed in static-web (errors above)."; }
fi
if [[ ! -f static-web/dist/index.html ]] || [[ -n "$(find static-web/src static-web/public static-web/index.html static-web/package-lock.json static-web/vite.config.ts staticwebapp.config.json -newer static-web/dist/index.html -print -quit)" ]]; then
  say "Building the dashboard (static-web)…"
  npm run --prefix static-web build >"$dash_log" 2>&1 \
    || { tail -30 "$dash_log" >&2; rm -f "$dash_log"; fail "the dashboard did not build (errors above)."; }
fi
rm -f "$dash_log"

# Settings: functions/local.settings.json is the developer's own copy (git-ignored), as `func start` uses it.
# The live stream's AccessKey signs every token; each copy gets its own random one rather than the sample's.
if [[ ! -f functions/local.settings.json ]]; then
  key="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 44)"
  sed "s/local-development-key-replaced-by-run-sh-000000/$key/" local.settings.sample.json > functions/local.settings.json
  say "Created functions/local.settings.json from local.settings.sample.json."
fi
if ! grep -q '"Realtime__ConnectionString"' functions/local.settings.json; then
  say "Note: functions/local.settings.json has no Realtime__ConnectionString, so dashboards poll instead of streaming;"
  say "      copy the Realtime__ lines from local.settings.sample.json to turn the live stream on."
fi

mkdir -p "$data"
# Environment wins over local.settings.json Values (as with `func start`), so the data folder is set here.
[[ $postgres -eq 1 ]] || export Database__Path="$data/botsociety.db"

# The live stream: devhost mounts its relay only when Realtime__ConnectionString names devhost's own address, so a
# local endpoint in the settings file is pointed at this run's port (with the file's key). A string in the
# environment wins, as it does for the app; so does one naming another host (Azure Web PubSub).
settings_realtime="$(node -e '
  const values = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).Values || {};
  process.stdout.write(values.Realtime__ConnectionString || "");' functions/local.settings.json)" \
  || fail "could not read functions/local.settings.json (is it valid JSON?)."
realtime_key="$(sed -n 's/.*[Aa]ccess[Kk]ey=\([^;]*\).*/\1/p' <<<"$settings_realtime")"
realtime_endpoint="$(sed -n 's/.*[Ee]ndpoint=\([^;]*\).*/\1/p' <<<"$settings_realtime")"
realtime_local=0
if [[ -n "$realtime_key" && "$realtime_endpoint" =~ ^https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?/?$ ]]; then
  realtime_local=1
fi
realtime_from_env=0
[[ -n "${Realtime__ConnectionString:-}" ]] && realtime_from_env=1
# The string for a devhost that mounts the relay itself, or for any devhost when a standalone relay runs on $1.
realtime_at() { printf 'Endpoint=http://localhost:%s;AccessKey=%s;Version=1.0;' "$1" "$realtime_key"; }
if [[ $postgres -eq 0 && $realtime_from_env -eq 0 && $realtime_local -eq 1 ]]; then
  Realtime__ConnectionString="$(realtime_at "$port")"
  export Realtime__ConnectionString
fi

if [[ $demo -eq 1 ]]; then
  # The demo society lives apart from yours. Its history is simulated on the offline model up to now (the
  # same fast-forward the benchmarks use); one older than 12 hours is made again, so the history reads as recent.
  # Its budget lets every bot keep acting for hours after the start; DEMO.md shows how to cap one.
  demo_dir="$data/demo"
  export Database__Path="$demo_dir/botsociety.db"
  export Usage__DefaultDailyTokenCap="${DEMO_TOKEN_CAP:-1000000}"
  if [[ -f "$Database__Path" && -n "$(find "$Database__Path" -mmin +720 -print -quit)" ]]; then
    say "The demo society is more than 12 hours old; making it again."
    rm -f "$Database__Path" "$Database__Path-wal" "$Database__Path-shm"
  fi
  if [[ ! -f "$Database__Path" ]]; then
    mkdir -p "$demo_dir"
    remove_making() { rm -f "$Database__Path.making" "$Database__Path.making-wal" "$Database__Path.making-shm"; }
    remove_making  # a stopped earlier attempt
    say "Making the demo society: 16 bots, 3 simulated days on the offline model (a minute or two)…"
    ff_log="$demo_dir/fast-forward.log"
    if ! dotnet "$root/bench/BotSociety.Bench/bin/Release/net10.0/BotSociety.Bench.dll" fast-forward \
        --db "$Database__Path.making" --bots 16 --days 3 --pace slow --token-cap "$Usage__DefaultDailyTokenCap" >"$ff_log" 2>&1; then
      tail -20 "$ff_log" >&2
      remove_making
      fail "making the demo society failed (see $ff_log)."
    fi
    # Only a finished society becomes the demo: a stopped run leaves no half-made history behind.
    # SQLite folds its log into the file when the last connection closes; a log left behind moves with the file.
    [[ -f "$Database__Path.making-wal" ]] && mv "$Database__Path.making-wal" "$Database__Path-wal"
    rm -f "$Database__Path.making-shm"
    mv "$Database__Path.making" "$Database__Path"
    demo_made=1
    sed -n '/^Simulated/,/^Reputation/p' "$ff_log"
  fi
fi

script_root="$root/functions/bin/Release/net10.0"
devhost="$root/devhost/bin/Release/net10.0/BotSociety.DevHost.dll"
[[ -f "$devhost" ]] || fail "devhost was not built ($devhost is missing)."

if [[ $postgres -eq 1 ]]; then
  # PostgreSQL, Azurite, with several instances one relay, then the devhosts. Each part logs to $data/logs (the
  # devhosts to the terminal too); Ctrl-C, a failed start or a part that stops ends every part started, newest first.
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
fi

dotnet "$devhost" --script-root "$script_root" --settings "$root/functions/local.settings.json" --port "$port" \
  --static-root "$root/static-web/dist" &
devhost_pid=$!

# Forward Ctrl-C and termination to devhost, which stops its worker; then wait for it to finish.
stop() {
  trap - INT TERM
  kill -TERM "$devhost_pid" 2>/dev/null || true
  wait "$devhost_pid" 2>/dev/null || true
  exit 0
}
trap stop INT TERM

ready=0
for _ in $(seq 1 240); do
  if ! kill -0 "$devhost_pid" 2>/dev/null; then
    code=0; wait "$devhost_pid" || code=$?
    fail "BotSociety did not start: devhost stopped before the API answered (exit $code); the reason is the line above."
  fi
  if curl -fsS "http://localhost:$port/api/health" >/dev/null 2>&1; then
    say ""
    say "BotSociety is running at http://localhost:$port"
    say "  dashboard: http://localhost:$port/"
    say "  API:       http://localhost:$port/api/swagger/ui"
    say "  data:      $Database__Path"
    [[ $demo -eq 1 ]] && say "  demo:      a simulated society (offline model); DEMO.md says what to show"
    say "Press Ctrl-C to stop."
    # The history was made at the slow pace; on a screen the new demo moves at the normal one (the header's control changes it).
    if [[ $demo_made -eq 1 ]]; then
      curl -fsS -X PUT "http://localhost:$port/api/pace" -H 'content-type: application/json' -d '{"pace": "normal"}' >/dev/null \
        || say "Note: could not set the demo's pace to normal; the header's pace control does it."
    fi
    ready=1
    break
  fi
  sleep 0.5
done
if [[ $ready -eq 0 ]]; then
  say "run.sh: the API did not answer /api/health within 120 s; devhost keeps running (its output is above). Ctrl-C stops it." >&2
fi

wait "$devhost_pid"
