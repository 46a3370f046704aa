#!/usr/bin/env bash
# README's test command: starts the servers the store backend tests need (tests/servers.sh), runs
# every test project, and stops the servers again, whatever the tests did.
set -uo pipefail
cd "$(dirname "$0")/.."
env_lines=$(bash tests/servers.sh start) || { echo "tests/run.sh: could not start the test servers" >&2; exit 1; }
eval "$env_lines"
# The tests' temp folder is one of their own, so that whatever a test leaves behind is seen (and the
# machine's temp folder keeps nothing of theirs).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hike-test-run.XXXXXX")
trap 'bash tests/servers.sh stop; rm -rf "$tmp"' EXIT
# No debugger or diagnostics pipes (/tmp/clr-debug-pipe-*, dotnet-diagnostic-*): the processes the tests
# kill on purpose would leave theirs behind.
export DOTNET_EnableDiagnostics=0
TMPDIR=$tmp dotnet test Hike.slnx "$@"
rc=$?
# What the .NET tooling itself leaves (NuGet's and MSBuild's scratch, and the empty folders dotnet test
# makes) is not the tests'; anything else is, and fails the run.
leftovers=$(find "$tmp" -mindepth 1 -maxdepth 1 ! -name 'NuGetScratch*' ! -name 'MSBuildTemp*' ! -empty)
if [ -n "$leftovers" ]; then
  echo "Failed!  - Failed:     1, Passed:     0, Skipped:     0, Total:     1 - tests/run.sh: the tests left this in their temp folder:"
  echo "$leftovers" | head -20
  rc=1
fi
exit $rc
