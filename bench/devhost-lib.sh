# shellcheck shell=bash disable=SC2154  # $repo is the sourcing script's
# Sourced by the bench scripts: devhost (worker, mounted relay) on a society's database with the sample
# settings, stopped and its folder removed when the script exits. The caller's exported variables reach the worker.
#   start_devhost <work folder> <database> <port>   then   pace <paused|slow|normal|fast>
# <database> is the SQLite file, or with Database__Provider=postgres exported the Npgsql connection string. A function
# after_devhost, when the caller defines one, runs at exit after devhost has stopped.

start_devhost() {
  local work="$1" database="$2"
  devhost_port="$3"
  local setting=Database__Path
  [[ "${Database__Provider:-sqlite}" == postgres ]] && setting=Database__ConnectionString
  # env execs dotnet, so $! is devhost's own process.
  env "$setting=$database" dotnet "$repo/devhost/bin/Release/net10.0/BotSociety.DevHost.dll" \
    --script-root "$repo/functions/bin/Release/net10.0" --settings "$repo/local.settings.sample.json" \
    --port "$devhost_port" > "$work/devhost.log" 2>&1 &
  devhost_pid=$!
  trap 'kill -TERM "$devhost_pid" 2>/dev/null || true; wait "$devhost_pid" 2>/dev/null || true; rm -rf "'"$work"'"; if declare -F after_devhost > /dev/null; then after_devhost; fi' EXIT

  # A database from before the read models gets them filled at start (a million rows: tens of seconds).
  for _ in $(seq 1 600); do
    curl -fsS "http://localhost:$devhost_port/api/health" > /dev/null 2>&1 && return 0
    kill -0 "$devhost_pid" 2>/dev/null || { cat "$work/devhost.log"; exit 1; }
    sleep 0.5
  done
  echo "devhost was not healthy after 300 s; see $work/devhost.log" >&2
  exit 1
}

pace() {
  curl -fsS -X PUT "http://localhost:$devhost_port/api/pace" -H 'content-type: application/json' -d "{\"pace\": \"$1\"}" > /dev/null
}
