# Sourced by the sample sessions: a scratch folder to work in (removed on exit), the hike to run, and
# `hike`, which echoes each command before running it as a process of its own, as a shell script would.
# HIKE names an already built hike to run instead of building one (the test suite runs the samples that way).
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${HIKE:-}" ]; then
  read -r -a cli <<<"$HIKE"
else
  dotnet build "$repo/src/Hike.Cli" -c Release -o "$work/bin" -v quiet -nologo >/dev/null
  cli=("$work/bin/Hike.Cli")
fi

hike() {
  printf '\n$ hike'
  for a in "$@"; do
    if [[ $a =~ [[:space:]\"\[\{\(] ]]; then printf " '%s'" "$a"; else printf ' %s' "$a"; fi
  done
  printf '\n'
  "${cli[@]}" "$@"
}
