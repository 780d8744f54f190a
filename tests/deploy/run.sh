#!/usr/bin/env bash
# The deploy's checks that run without a Docker engine: docker-compose config, Bicep build and lint, the dashboard's
# nginx template against devhost in Chromium, and what can be read of the Dockerfiles. Builds nothing of the app
# (./test.sh builds the solution and the dashboard first). Ends with one line: "deploy: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
here="$(pwd)"

setup_failed() { echo "$1"; echo "deploy: 0 passed, 1 failed"; exit 1; }

# Debian's nginx, docker-compose (the client alone: --no-install-recommends keeps the engine out) and envsubst,
# installed when missing, as test.sh installs chromium.
missing=()
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v envsubst >/dev/null 2>&1 || missing+=(gettext-base)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >/dev/null 2>&1 \
    || setup_failed "could not install ${missing[*]} (apt-get needs root and Debian's package lists)"
fi

# playwright-core: this suite's own, and the browser suite's, whose helpers it imports.
for folder in . ../e2e; do
  if [[ ! -d "$folder/node_modules/playwright-core" ]]; then
    npm ci --prefix "$folder" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null || setup_failed "npm ci failed in $folder"
  fi
done

# The Bicep CLI from its NuGet package, restored once into .tools/ (git-ignored) by a project made for the purpose
# outside the repository, so the repository's build settings do not apply to it.
bicep_version="0.49.2"
export BICEP="$here/.tools/nuget/azure.bicep.commandline.linux-x64/$bicep_version/tools/bicep"
if [[ ! -x "$BICEP" ]]; then
  project="$(mktemp -d)"
  cat > "$project/bicep.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$bicep_version]" /></ItemGroup>
</Project>
PROJECT
  dotnet restore "$project/bicep.csproj" --packages "$here/.tools/nuget" >/dev/null 2>&1; restored=$?
  rm -rf "$project"
  [[ $restored -eq 0 && -f "$BICEP" ]] || setup_failed "could not restore Azure.Bicep.CommandLine.linux-x64 $bicep_version from NuGet"
  chmod +x "$BICEP"
fi

exec ../node-test.sh deploy ./*.test.mjs
