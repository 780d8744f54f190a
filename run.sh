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
  # PostgreSQL, Azurite, the relay when several instances share them, and the devhosts; it waits until Ctrl-C.
  # shellcheck source=tools/run/postgres.sh
  source "$root/tools/run/postgres.sh"
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
