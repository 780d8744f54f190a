#!/usr/bin/env bash
# The Web PubSub compatibility suite: the official npm packages, unchanged, against the built relay.
# Needs `npm ci` first and relay/bin/Release/net10.0/BotSociety.Relay.dll. Ends with one line the top-level
# test script counts: "compat: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

exec ../node-test.sh compat test/*.test.mjs
