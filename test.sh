#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
# Installs what the tests need first (npm packages per suite, Debian's chromium and postgresql-15 when missing).
#
# The Core and Functions suites run twice: on SQLite, then against a throwaway PostgreSQL (tools/postgres/pg.sh,
# its superuser's connection string in BOTSOCIETY_TEST_POSTGRES; the fixtures make a database per test). Suites
# run in two lanes side by side (TEST_JOBS=1: one at a time): each has its own ports and folders. Each suite's
# output is printed when it ends; one that runs past TEST_SUITE_LIMIT (default 15m) is stopped and counts as failed.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
root="$(pwd)"

results_dir=".test-results"
rm -rf "$results_dir"
mkdir -p "$results_dir"
max_jobs="${TEST_JOBS:-2}"
[[ "$max_jobs" =~ ^[12]$ ]] || { echo "TEST_JOBS must be 1 (one suite at a time) or 2; got '$max_jobs'"; exit 2; }
# One suite's time limit (timeout(1)'s duration), far above any suite's time on two busy cores.
suite_limit="${TEST_SUITE_LIMIT:-15m}"

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
  # A process that outlives TERM by 10 s (one finishing its work first) is killed; the group must not outlive us.
  for pid in "${job_pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  job_pids=()
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
  for folder in tests/compat tests/e2e tests/deploy tests/contract tools/azurite; do
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

# The suites. A .NET suite writes <name>.trx; a node suite's log ends with "<name>: N passed, N failed"; vitest
# writes vitest.json.
dotnet_suite() {  # <trx name> <project> [env assignments]...
  local name="$1" project="$2"
  shift 2
  env "$@" dotnet test "$project" --configuration Release --no-build --logger "trx;LogFileName=$name.trx" \
    --results-directory "$results_dir" --nologo
}
export -f dotnet_suite
export results_dir
declare -A command_of=(
  [e2e]="tests/e2e/run.sh"
  [deploy]="tests/deploy/run.sh"
  [compat]="tests/compat/run.sh"
  [contract]="tests/contract/run.sh"
  [vitest]="cd static-web && npx vitest run --reporter=default --reporter=json --outputFile=../$results_dir/vitest.json"
)
for project in tests/*/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  command_of[$name]="dotnet_suite $name $project"
done
if [[ -n "$pg_server" ]]; then
  for name in BotSociety.Core.Tests BotSociety.Functions.Tests; do
    command_of[$name.postgres]="dotnet_suite $name.postgres tests/$name/$name.csproj BOTSOCIETY_TEST_POSTGRES=\"\$TEST_POSTGRES_SERVER\""
  done
fi

# Two lanes, each running its suites one after another, side by side. Measured on two cores: the browser suites
# (e2e, deploy) time what the dashboard shows, so they share the machine with suites that mostly wait on processes
# and timers (Functions, DevHost), never with the CPU-bound Core suite; the lanes end about together.
lane_a=(e2e deploy BotSociety.ScaleOut.Tests compat contract BotSociety.Relay.Tests vitest)
lane_b=(BotSociety.Functions.Tests)
[[ -n "$pg_server" ]] && lane_b+=(BotSociety.Functions.Tests.postgres)
lane_b+=(BotSociety.DevHost.Tests BotSociety.Core.Tests)
[[ -n "$pg_server" ]] && lane_b+=(BotSociety.Core.Tests.postgres)
# A test project in neither lane (a new one) runs last in lane b.
for name in "${!command_of[@]}"; do
  [[ " ${lane_a[*]} ${lane_b[*]} " == *" $name "* ]] || lane_b+=("$name")
done
# A listed suite whose project is gone is left out.
for list in lane_a lane_b; do
  declare -n lane_list="$list"
  kept=()
  for name in "${lane_list[@]}"; do [[ -n "${command_of[$name]:-}" ]] && kept+=("$name"); done
  lane_list=("${kept[@]}")
  unset -n lane_list
done
if [[ $max_jobs -eq 1 ]]; then
  lanes=("${lane_a[*]} ${lane_b[*]}")
else
  lanes=("${lane_a[*]}" "${lane_b[*]}")
fi
read -r -a order <<<"${lanes[*]}"

declare -A job_started=() job_status=() lane_of=()
# Starts the next suite of lane $1, if any. setsid: the suite and everything it starts form one process group, which
# an interrupt ends whole, and so does timeout when the suite outlives its limit (a hung suite must not hold the lane).
start_next() {
  local lane="$1" rest name
  read -r name rest <<<"${lanes[$lane]}"
  [[ -n "$name" ]] || return 0
  lanes[lane]="$rest"
  job_started[$name]=$SECONDS
  lane_of[$name]=$lane
  setsid timeout --kill-after=30 "$suite_limit" bash -c "${command_of[$name]}" > "$results_dir/$name.log" 2>&1 < /dev/null &
  job_pids[$name]=$!
}
# Prints a finished suite's output: a .NET suite's and vitest's whole, a node suite's failures and summary.
report() {
  local name="$1" log="$results_dir/$1.log"
  echo "== $name ($(( SECONDS - job_started[$1] )) s)"
  if [[ "${job_status[$name]}" -eq 124 || "${job_status[$name]}" -eq 137 ]]; then
    echo "$name ran longer than $suite_limit and was stopped (TEST_SUITE_LIMIT sets the limit)"
  fi
  case "$name" in
    e2e|deploy|compat|contract) grep -E "^(not ok|$name:)" "$log" || tail -20 "$log" ;;
    *) cat "$log" ;;
  esac
}
for lane in "${!lanes[@]}"; do start_next "$lane"; done
while [[ ${#job_pids[@]} -gt 0 ]]; do
  code=0
  wait -n -p done_pid "${job_pids[@]}" || code=$?
  for name in "${!job_pids[@]}"; do
    if [[ "${job_pids[$name]}" == "$done_pid" ]]; then
      unset "job_pids[$name]"
      job_status[$name]=$code
      report "$name"
      start_next "${lane_of[$name]}"
      break
    fi
  done
done

cleanup

# The counts.
postgres_lines=()
for name in "${order[@]}"; do
  [[ "${job_status[$name]:-1}" -eq 0 ]] || status=1
  p=""
  f=""
  case "$name" in
    vitest)
      if [[ -f "$results_dir/vitest.json" ]]; then
        read -r p f < <(node -e "const r = require('./$results_dir/vitest.json'); console.log(r.numPassedTests, r.numFailedTests)")
      fi ;;
    e2e|deploy|compat|contract)
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
# The failed tests by name, so a log cut to its tail still says what failed.
for name in "${order[@]}"; do
  case "$name" in
    vitest) [[ ! -f "$results_dir/vitest.json" ]] || node -e "
      const r = require('./$results_dir/vitest.json');
      for (const f of r.testResults) for (const t of f.assertionResults)
        if (t.status === 'failed') console.log('failed: vitest ' + t.fullName);" || true ;;
    e2e|deploy|compat|contract) { grep -E "^not ok" "$results_dir/$name.log" 2>/dev/null || true; } | sed "s/^/failed: $name /" ;;
    *) { grep -o '<UnitTestResult [^>]*outcome="Failed"' "$results_dir/$name.trx" 2>/dev/null || true; } |
         sed -E 's/.*testName="([^"]*)".*/\1/' | sed "s/^/failed: $name /" ;;
  esac
done
echo "$passed passed, $failed failed"
if [[ $failed -gt 0 || $status -ne 0 ]]; then
  exit 1
fi
