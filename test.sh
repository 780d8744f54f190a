#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
# Installs what the tests need first (npm packages per suite, Debian's chromium and postgresql-15 when missing).
#
# The Core and Functions suites run twice: on SQLite, then against a throwaway PostgreSQL (tools/postgres/pg.sh,
# its superuser's connection string in BOTSOCIETY_TEST_POSTGRES; the fixtures make a database per test). Suites
# run side by side, at most TEST_JOBS at once (default 2): each has its own ports and folders. Each suite's output
# is printed when it ends.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
root="$(pwd)"

results_dir=".test-results"
rm -rf "$results_dir"
mkdir -p "$results_dir"
max_jobs="${TEST_JOBS:-2}"
[[ "$max_jobs" =~ ^[1-9][0-9]*$ ]] || { echo "TEST_JOBS must be a positive number; got '$max_jobs'"; exit 2; }

passed=0
failed=0
status=0
started_at=$SECONDS
# Only the second runs get a server; one from the caller's environment would turn the SQLite runs into more of them.
unset BOTSOCIETY_TEST_POSTGRES

# What runs in the background, so an interrupt ends it: the suites (each in its own process group, whose id is its
# pid) and the PostgreSQL server.
declare -A job_pids=()
pg="$root/tools/postgres/pg.sh"
pg_tmp=""
cleanup() {
  local pid
  for pid in "${job_pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  for pid in "${job_pids[@]}"; do wait "$pid" 2>/dev/null; done
  if [[ -n "$pg_tmp" ]]; then
    "$pg" stop "$pg_tmp/data" >/dev/null 2>&1
    rm -rf "$pg_tmp"
    pg_tmp=""
  fi
}
trap cleanup EXIT
trap 'echo; echo "interrupted: stopping the suites"; exit 130' INT TERM

dotnet tool restore >/dev/null || status=1

# The browser suites drive Debian's Chromium (never a downloaded one), and the PostgreSQL runs Debian's server
# binaries; install them when missing.
apt_missing=()
[[ -x /usr/bin/chromium ]] || apt_missing+=(chromium)
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || apt_missing+=(postgresql-15)
if [[ ${#apt_missing[@]} -gt 0 ]]; then
  echo "== installing Debian's ${apt_missing[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}"; } >/dev/null 2>&1; then
    echo "could not install ${apt_missing[*]} (apt-get needs root and Debian's package lists); their suites will fail"
  fi
fi

# The node suites' packages (and Azurite, which the devhost suite starts) install while the solution builds.
npm_install() {
  local folder
  for folder in tests/compat tests/e2e tests/deploy tools/azurite; do
    echo "== npm ci ($folder)"
    npm ci --prefix "$folder" --ignore-scripts --no-audit --no-fund --loglevel=error || echo "npm ci failed in $folder"
  done
}
npm_install > "$results_dir/npm-ci.log" 2>&1 &
npm_pid=$!

# Build everything once in Release: the end-to-end suites run the built worker and devhost.
echo "== build (Release)"
if ! dotnet build BotSociety.sln -c Release --nologo -v quiet; then
  wait "$npm_pid"
  echo "the build failed; no suite can run"
  echo "0 passed, 1 failed"
  exit 1
fi

# The dashboard: its packages and its production build (devhost serves static-web/dist to the browser suite).
echo "== build (static-web)"
if ! { npm ci --prefix static-web --ignore-scripts --no-audit --no-fund --loglevel=error && npm run --prefix static-web build; } > "$results_dir/static-web-build.log" 2>&1; then
  cat "$results_dir/static-web-build.log"
  echo "the dashboard did not build"
  failed=$((failed + 1))
  status=1
fi

wait "$npm_pid"
grep -E "^(== |npm ci failed)" "$results_dir/npm-ci.log"
# A suite whose packages did not install runs anyway and fails in its own way, counted below.
grep -q "^npm ci failed" "$results_dir/npm-ci.log" && status=1

# A throwaway PostgreSQL for the second runs: fsync off, data in a temporary folder removed at the end.
echo "== PostgreSQL (tools/postgres/pg.sh)"
pg_tmp="$(mktemp -d)"
chmod 755 "$pg_tmp"   # the server's user (postgres, when root runs this) enters it
pg_server=""
pg_why=""
if pg_out="$("$pg" start "$pg_tmp/data" --fast 2> "$results_dir/postgres-start.log")"; then
  pg_server="$(sed -n 's/^SERVER=//p' <<<"$pg_out")"
  export TEST_POSTGRES_SERVER="$pg_server"
  echo "PostgreSQL 15 on 127.0.0.1:$(sed -n 's/^PORT=//p' <<<"$pg_out") (data $pg_tmp/data)"
else
  pg_why="$(grep -v '^pg.sh: making' "$results_dir/postgres-start.log" | tail -5)"
  echo "PostgreSQL could not start, so the suites' PostgreSQL runs are skipped and count as one failure:"
  echo "$pg_why"
  failed=$((failed + 1))
  status=1
fi

# The suites, longest first so two lanes end close together. Each line: a name, then the command. A .NET suite
# writes <name>.trx; a node suite's log ends with "<name>: N passed, N failed"; vitest writes vitest.json.
dotnet_suite() {  # <trx name> <project> [env assignments]...
  local name="$1" project="$2"
  shift 2
  env "$@" dotnet test "$project" --configuration Release --no-build --logger "trx;LogFileName=$name.trx" \
    --results-directory "$results_dir" --nologo
}
suites=(
  "e2e|tests/e2e/run.sh"
  "BotSociety.Functions.Tests|dotnet_suite BotSociety.Functions.Tests tests/BotSociety.Functions.Tests/BotSociety.Functions.Tests.csproj"
)
[[ -n "$pg_server" ]] && suites+=("BotSociety.Functions.Tests.postgres|dotnet_suite BotSociety.Functions.Tests.postgres tests/BotSociety.Functions.Tests/BotSociety.Functions.Tests.csproj BOTSOCIETY_TEST_POSTGRES=\"\$TEST_POSTGRES_SERVER\"")
suites+=(
  "deploy|tests/deploy/run.sh"
  "BotSociety.Core.Tests|dotnet_suite BotSociety.Core.Tests tests/BotSociety.Core.Tests/BotSociety.Core.Tests.csproj"
)
[[ -n "$pg_server" ]] && suites+=("BotSociety.Core.Tests.postgres|dotnet_suite BotSociety.Core.Tests.postgres tests/BotSociety.Core.Tests/BotSociety.Core.Tests.csproj BOTSOCIETY_TEST_POSTGRES=\"\$TEST_POSTGRES_SERVER\"")
suites+=(
  "BotSociety.DevHost.Tests|dotnet_suite BotSociety.DevHost.Tests tests/BotSociety.DevHost.Tests/BotSociety.DevHost.Tests.csproj"
  "compat|tests/compat/run.sh"
  "BotSociety.Relay.Tests|dotnet_suite BotSociety.Relay.Tests tests/BotSociety.Relay.Tests/BotSociety.Relay.Tests.csproj"
  "vitest|cd static-web && npx vitest run --reporter=default --reporter=json --outputFile=../$results_dir/vitest.json"
)
# A test project that is not in the list above (a new one) runs too, last.
for project in tests/*/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  [[ " ${suites[*]} " == *" $name|"* ]] || suites+=("$name|dotnet_suite $name $project")
done

declare -A job_started=() job_status=()
# Prints a finished suite's output: a .NET suite's and vitest's whole, a node suite's failures and summary.
report() {
  local name="$1" log="$results_dir/$1.log"
  echo "== $name ($(( SECONDS - job_started[$1] )) s)"
  case "$name" in
    e2e|deploy|compat) grep -E "^(not ok|$name:)" "$log" || tail -20 "$log" ;;
    *) cat "$log" ;;
  esac
}
# Waits for one suite to end and reports it.
reap() {
  local done_pid name code=0
  wait -n -p done_pid "${job_pids[@]}" || code=$?
  for name in "${!job_pids[@]}"; do
    if [[ "${job_pids[$name]}" == "$done_pid" ]]; then
      unset "job_pids[$name]"
      job_status[$name]=$code
      report "$name"
      return
    fi
  done
}
export -f dotnet_suite
export results_dir
for entry in "${suites[@]}"; do
  name="${entry%%|*}"
  while [[ ${#job_pids[@]} -ge $max_jobs ]]; do reap; done
  job_started[$name]=$SECONDS
  # setsid: the suite and everything it starts form one process group, which an interrupt ends whole.
  setsid bash -c "${entry#*|}" > "$results_dir/$name.log" 2>&1 < /dev/null &
  job_pids[$name]=$!
done
while [[ ${#job_pids[@]} -gt 0 ]]; do reap; done

cleanup

# The counts, in the order of the list.
postgres_lines=()
for entry in "${suites[@]}"; do
  name="${entry%%|*}"
  [[ "${job_status[$name]:-1}" -eq 0 ]] || status=1
  p=""
  f=""
  case "$name" in
    vitest)
      if [[ -f "$results_dir/vitest.json" ]]; then
        read -r p f < <(node -e "const r = require('./$results_dir/vitest.json'); console.log(r.numPassedTests, r.numFailedTests)")
      fi ;;
    e2e|deploy|compat)
      # A setup that cannot run counts as one failure, so a broken suite never looks green.
      line="$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" "$results_dir/$name.log" | tail -1)"
      if [[ -n "$line" ]]; then p="$(awk '{print $2}' <<<"$line")"; f="$(awk '{print $4}' <<<"$line")"; fi ;;
    *)
      trx="$results_dir/$name.trx"
      if [[ -f "$trx" ]]; then
        p=$(grep -o 'passed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*')
        f=$(grep -o 'failed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*')
        p="${p:-0}"
        f="${f:-0}"
      fi ;;
  esac
  # A suite that did not report (a crash, a build error) counts as one failure so the total cannot look green.
  if [[ -z "$p" ]]; then p=0; f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
  if [[ "$name" == *.postgres ]]; then postgres_lines+=("postgres: ${name%.postgres} $p passed, $f failed"); fi
done

echo "== summary ($(( (SECONDS - started_at) / 60 )) min $(( (SECONDS - started_at) % 60 )) s)"
if [[ -n "$pg_why" ]]; then
  echo "postgres: not run, PostgreSQL could not start: $(tail -1 <<<"$pg_why")"
fi
for line in "${postgres_lines[@]}"; do echo "$line"; done
echo "$passed passed, $failed failed"
if [[ $failed -gt 0 || $status -ne 0 ]]; then
  exit 1
fi
