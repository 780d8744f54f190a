#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
# Installs what the tests need first (npm packages per suite).
set -uo pipefail
cd "$(dirname "$0")"

results_dir=".test-results"
rm -rf "$results_dir"
mkdir -p "$results_dir"

passed=0
failed=0
status=0

# One .NET test project per project under test; each writes a TRX file we count from.
run_dotnet_suite() {
  local project="$1"
  local name
  name="$(basename "$project" .csproj)"
  echo "== $name"
  if ! dotnet test "$project" --configuration Release --no-build --logger "trx;LogFileName=$name.trx" \
      --results-directory "$results_dir" --nologo; then
    status=1
  fi
  local trx="$results_dir/$name.trx"
  if [[ -f "$trx" ]]; then
    local p f
    p=$(grep -o 'passed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*')
    f=$(grep -o 'failed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*')
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
  else
    # The suite did not run (a build error): count it as one failure so the total cannot look green.
    failed=$((failed + 1))
  fi
}

dotnet tool restore >/dev/null || status=1

# The browser suite drives Debian's Chromium (never a downloaded one); install it when it is missing.
if [[ ! -x /usr/bin/chromium ]]; then
  echo "== installing Debian's chromium for the browser suite"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >/dev/null 2>&1; then
    echo "could not install chromium (apt-get needs root and Debian's package lists); the browser suite will fail"
  fi
fi

# Build everything once in Release: the end-to-end suites run the built worker and devhost.
echo "== build (Release)"
if ! dotnet build BotSociety.sln -c Release --nologo -v quiet; then
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

for project in tests/*/*.Tests.csproj; do
  run_dotnet_suite "$project"
done

# The dashboard's unit tests (Vitest), counted from its JSON report.
echo "== vitest (static-web)"
(cd static-web && npx vitest run --reporter=default --reporter=json --outputFile="../$results_dir/vitest.json") || status=1
if [[ -f "$results_dir/vitest.json" ]]; then
  read -r p f < <(node -e "const r = require('./$results_dir/vitest.json'); console.log(r.numPassedTests, r.numFailedTests)")
  passed=$((passed + p))
  failed=$((failed + f))
else
  failed=$((failed + 1))
fi

# A node suite: npm ci in its folder, then its run.sh, whose last line is "<name>: N passed, N failed".
# A setup that cannot run counts as one failure, so a broken suite never looks green.
run_node_suite() {
  local name="$1" folder="$2"
  echo "== $name ($folder)"
  if ! npm ci --prefix "$folder" --ignore-scripts --no-audit --no-fund --loglevel=error; then
    echo "npm ci failed in $folder"
    failed=$((failed + 1))
    status=1
    return
  fi
  "$folder/run.sh" > "$results_dir/$name.log" 2>&1 || status=1
  grep -E "^(not ok|$name:)" "$results_dir/$name.log" || true
  local line p f
  line="$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" "$results_dir/$name.log" | tail -1)"
  p="$(awk '{print $2}' <<<"$line")"
  f="$(awk '{print $4}' <<<"$line")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-1}))
}

# The Web PubSub compatibility suite: the official npm packages, unchanged, against the built relay.
run_node_suite compat tests/compat

# The browser suite: the built dashboard in Chromium against devhost (worker, relay) on a temporary database.
run_node_suite e2e tests/e2e

# The deploy: docker-compose config, Bicep build and lint, the dashboard's nginx against devhost (no Docker engine here).
run_node_suite deploy tests/deploy

echo "$passed passed, $failed failed"
if [[ $failed -gt 0 || $status -ne 0 ]]; then
  exit 1
fi
