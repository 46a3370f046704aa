#!/usr/bin/env bash
# README's test command: starts the servers the store backend tests need (tests/servers.sh), runs
# every test project, and stops the servers again, whatever the tests did.
set -uo pipefail
cd "$(dirname "$0")/.."
env_lines=$(bash tests/servers.sh start) || { echo "tests/run.sh: could not start the test servers" >&2; exit 1; }
eval "$env_lines"
trap 'bash tests/servers.sh stop' EXIT
# No debugger or diagnostics pipes (/tmp/clr-debug-pipe-*, dotnet-diagnostic-*): the processes the tests
# kill on purpose would leave theirs behind.
export DOTNET_EnableDiagnostics=0
dotnet test Hike.slnx "$@"
