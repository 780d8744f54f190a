#!/usr/bin/env bash
# The contract suite: outside tools hold the OpenAPI document devhost serves to what the API does.
#   1. Redocly CLI lints the served document with its recommended rules (redocly.yaml): 0 errors, 0 warnings.
#   2. Kiota generates a C# client from the served document, with its backing store (explicit nulls are sent).
#   3. The client compiles (client/, against Microsoft.Kiota.Bundle).
#   4. client/Program.cs drives devhost through it: list bots, read a config and change part of it with If-Match,
#      a cost cap set and reset with an explicit null, pause and resume; one line per check.
# Builds nothing of the app (./test.sh builds the solution first); starts its own devhost on a free port with a
# temporary database and stops it by its pid. Ends with one line: "contract: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")" || exit 1
here="$(pwd)"
repo="$(cd ../.. && pwd)"
# shellcheck source=tools/ports.sh
source "$repo/tools/ports.sh"

passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }
finish() {
  if [[ $failed -gt 0 && -f "${work:-}/devhost.log" ]]; then
    echo "--- devhost's last lines"
    tail -20 "$work/devhost.log"
  fi
  echo "contract: $passed passed, $failed failed"
  [[ $failed -eq 0 && $passed -gt 0 ]]
  exit
}

devhost_dll="$repo/devhost/bin/Release/net10.0/BotSociety.DevHost.dll"
worker="$repo/functions/bin/Release/net10.0"
if [[ ! -f "$devhost_dll" || ! -f "$worker/BotSociety.Functions.dll" ]]; then
  not_ok "devhost and the worker are built (dotnet build BotSociety.sln -c Release)"
  finish
fi
if [[ ! -x node_modules/.bin/redocly ]]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null || { not_ok "npm ci (tests/contract)"; finish; }
fi
# Kiota is a local tool (.config/dotnet-tools.json); it runs without a network (its update check fails into kiota.log).
(cd "$repo" && dotnet tool restore >/dev/null) || { not_ok "dotnet tool restore (Kiota)"; finish; }

work="$(mktemp -d)"
devhost_pid=""
# shellcheck disable=SC2317  # runs from the EXIT trap
stop() {
  if [[ -n "$devhost_pid" ]]; then
    kill -TERM "$devhost_pid" 2>/dev/null
    wait "$devhost_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap stop EXIT

# No live stream: the sample's connection string names another address (./run.sh's), which this devhost must not
# publish to.
port="$(free_port)" || { not_ok "a free port for devhost"; finish; }
Database__Path="$work/society.db" Realtime__ConnectionString="" \
  dotnet "$devhost_dll" --script-root "$worker" --settings "$repo/local.settings.sample.json" --port "$port" \
  > "$work/devhost.log" 2>&1 &
devhost_pid=$!
api="http://127.0.0.1:$port"
for _ in $(seq 1 240); do
  curl -fsS "$api/api/health" >/dev/null 2>&1 && break
  kill -0 "$devhost_pid" 2>/dev/null || break
  sleep 0.5
done
if ! curl -fsS "$api/api/openapi/v3.json" -o "$work/openapi.json"; then
  tail -30 "$work/devhost.log"
  not_ok "devhost serves the OpenAPI document at $api/api/openapi/v3.json"
  finish
fi

# 1. Redocly: the JSON report's totals decide; the readable one is printed when anything was found.
npx --no-install redocly lint "$work/openapi.json" --config redocly.yaml --format=json > "$work/lint.json" 2> "$work/lint.err"
read -r errors warnings ignored < <(node -e "
  const t = require(process.argv[1]).totals ?? {};
  console.log(t.errors ?? 'none', t.warnings ?? 'none', t.ignored ?? 'none');" "$work/lint.json" 2>/dev/null || echo "none none none")
if [[ "$errors" == 0 && "$warnings" == 0 && "$ignored" == 0 ]]; then
  ok "redocly lint (recommended rules, redocly.yaml): 0 errors, 0 warnings"
else
  npx --no-install redocly lint "$work/openapi.json" --config redocly.yaml --format=stylish 2>&1 | grep -vE '^\s*(║|╔|╚)' | tail -40
  not_ok "redocly lint (recommended rules, redocly.yaml): $errors errors, $warnings warnings, $ignored ignored"
fi

# 2. Kiota, from the document just served, into client/Generated (never kept: see .gitignore).
if (cd "$repo" && KIOTA_TUTORIAL_ENABLED=false dotnet kiota generate --language CSharp --openapi "$work/openapi.json" \
      --output "$here/client/Generated" --class-name BotSocietyClient --namespace-name BotSociety.ContractClient.Kiota \
      --backing-store --exclude-backward-compatible --type-access-modifier Internal --clean-output --log-level Warning) \
    > "$work/kiota.log" 2>&1; then
  ok "kiota generate (C#, backing store) from the served document"
  # What Kiota says of the document, without its failed update check's stack trace.
  grep -E "OpenAPI warning|^\s+No server" "$work/kiota.log" | sed 's/^ */kiota: /'
else
  cat "$work/kiota.log"
  not_ok "kiota generate (C#, backing store) from the served document"
  finish
fi

# 3. The generated client compiles, under the repository's build policy (warnings are errors).
if dotnet build client -c Release --nologo -v quiet > "$work/build.log" 2>&1; then
  ok "the generated client compiles (dotnet build tests/contract/client)"
else
  grep -E "error|warning" "$work/build.log" | sort -u | head -30
  not_ok "the generated client compiles (dotnet build tests/contract/client)"
  finish
fi

# 4. The checks against devhost, each counted.
dotnet client/bin/Release/net10.0/BotSociety.ContractClient.dll "$api" > "$work/client.log" 2>&1
status=$?
cat "$work/client.log"
passed=$((passed + $(grep -c '^ok - ' "$work/client.log")))
failed=$((failed + $(grep -c '^not ok - ' "$work/client.log")))
if [[ $status -ne 0 ]] && ! grep -q '^not ok - ' "$work/client.log"; then
  not_ok "the client's checks ran to the end (exit status $status)"
fi
finish
