#!/usr/bin/env bash
# Times each benchmark on DataScript (../shared/bench/datascript) and on Hike, alternating per
# benchmark so that both see the same machine load, and prints one line per benchmark:
#   name  datascript_ms  hike_ms  ratio (datascript / hike)
# Usage: bench/compare.sh [--history] [--quick] [names...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data_dir="$root/../shared/bench"
# The shared harness may be read-only: it runs from a copy with its own node_modules.
ds_dir="${HIKE_DS_DIR:-$root/bench/.datascript}"
timing=()
hike_flags=()
names=()
for arg in "$@"; do
  case "$arg" in
    --history) hike_flags+=(--history) ;;
    --quick) timing=(--warmup-ms 500 --bench-ms 500 --samples 3) ;;
    *) names+=("$arg") ;;
  esac
done

mkdir -p "$ds_dir"
cp -f "$data_dir"/datascript/*.mjs "$data_dir"/datascript/package*.json "$ds_dir"/
[ -d "$ds_dir/node_modules/datascript" ] || (cd "$ds_dir" && npm ci --no-audit --no-fund >&2)
dotnet build -c Release "$root/bench/Hike.Bench/Hike.Bench.csproj" -v q -nologo >&2
hike_dll="$root/bench/Hike.Bench/bin/Release/net10.0/Hike.Bench.dll"
if [ ${#names[@]} -eq 0 ]; then
  mapfile -t names < <(dotnet "$hike_dll" --list)
fi

printf '%-20s %14s %10s %8s\n' benchmark datascript_ms hike_ms ratio
for name in "${names[@]}"; do
  ds=$(node "$ds_dir/bench.mjs" "$name" --data "$data_dir" ${timing[@]+"${timing[@]}"} 2>/dev/null | awk -v n="$name" '$1 == n { print $2 }')
  hk=$(dotnet "$hike_dll" "$name" ${timing[@]+"${timing[@]}"} ${hike_flags[@]+"${hike_flags[@]}"} 2>/dev/null | awk -v n="$name" '$1 == n { print $2 }')
  awk -v n="$name" -v d="$ds" -v h="$hk" 'BEGIN { printf "%-20s %14s %10s %7.1fx\n", n, d, h, (h > 0 ? d / h : 0) }'
done
