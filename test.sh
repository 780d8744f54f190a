#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
# Installs what the tests need first; later issues add the npm and browser suites here.
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

# Build everything once in Release: the end-to-end suites run the built worker and devhost.
echo "== build (Release)"
if ! dotnet build BotSociety.sln -c Release --nologo -v quiet; then
  echo "the build failed; no suite can run"
  echo "0 passed, 1 failed"
  exit 1
fi

for project in tests/*/*.Tests.csproj; do
  run_dotnet_suite "$project"
done

echo "$passed passed, $failed failed"
if [[ $failed -gt 0 || $status -ne 0 ]]; then
  exit 1
fi
