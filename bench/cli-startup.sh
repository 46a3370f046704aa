#!/usr/bin/env bash
# Start-up time of `hike query` on a small file-store database: the median wall time of 25 runs of a
# fresh process, for the framework-dependent build, for a ReadyToRun publish, and for the hike tool as
# `dotnet tool install` puts it from the package (the ReadyToRun build on linux-x64).
# Usage: bench/cli-startup.sh   (prints "cli-startup <build> median_ms")
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build src/Hike.Cli -c Release -o "$work/jit" >/dev/null
rid=$(dotnet --info | awk '/RID:/ { print $2; exit }')
dotnet publish src/Hike.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" >/dev/null
dotnet pack src/Hike.Cli -c Release -o "$work/feed" >/dev/null
version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)
NUGET_PACKAGES="$work/packages" dotnet tool install Hike.Cli --tool-path "$work/tool" --add-source "$work/feed" --version "$version" >/dev/null
ln -s hike "$work/tool/Hike.Cli"

cat > "$work/cfg.edn" <<EDN
{:store {:backend :file :path "$work/db"} :keep-history? true :schema-flexibility :read}
EDN
"$work/jit/Hike.Cli" create-database "$work/cfg.edn" >/dev/null
"$work/jit/Hike.Cli" transact "conn:$work/cfg.edn" "[$(for i in $(seq 1 100); do printf '{:name "p%d" :age %d} ' "$i" "$i"; done)]" >/dev/null

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for build in jit r2r tool; do
  for i in $(seq 1 25); do
    start=$(date +%s%N)
    "$work/$build/Hike.Cli" query '[:find (count ?e) . :where [?e :name]]' "db:$work/cfg.edn" >/dev/null
    echo $(( ($(date +%s%N) - start) / 1000000 ))
  done | median | sed "s/^/cli-startup $build /"
done
