#!/usr/bin/env bash
# Hike's HTTP API with nothing but curl, in Datahike's tagged JSON (README, "HTTP server"): a server
# on the file store, then create a database, connect, transact, take a database value, query it and
# pull from it. Each curl is echoed before its answer, with the server's address as $HIKE_URL.
set -euo pipefail
source "$(dirname "$0")/echoed-hike.sh"
cd "$work"

echo '{:port 0 :token "secret"}' > server.edn
"${cli[@]}" serve --config server.edn > serve.out &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 600); do [ -s serve.out ] && break; sleep 0.1; done
HIKE_URL=$(sed -n 's/^{:url "\(.*\)"}$/\1/p' serve.out)
echo "\$ hike serve --config server.edn    # server.edn: {:port 0 :token \"secret\"}"
cat serve.out

# Echoes the call as README shows it, makes it, and prints the answer (cut at 200 characters), which stays in $answer.
api() {
  printf "\n\$ curl -s \$HIKE_URL/%s -H 'Authorization: token secret' -H 'Content-Type: application/json' -d '%s'\n" "$1" "$2"
  answer=$(curl -sS "$HIKE_URL/$1" -H 'Authorization: token secret' -H 'Content-Type: application/json' -d "$2")
  if [ ${#answer} -gt 300 ]; then printf '%s …\n' "${answer:0:300}"; else printf '%s\n' "$answer"; fi
}

api create-database '["{:store {:backend :file :path \"trails\"} :schema-flexibility :read}"]'
api connect '["{:store {:backend :file :path \"trails\"}}"]'
conn=$answer
api transact "[$conn, [{\"name\": \"Alpine Loop\", \"km\": 12}, {\"name\": \"Ridge Walk\", \"km\": 7}]]"
api db "[$conn]"
db=$answer
api q "[\"[:find ?n ?k :in \$1 :where [\$1 ?e :km ?k] [\$1 ?e :name ?n] [(> ?k 10)]]\", $db]"
api q "[\"[:find (sum ?k) . :where [_ :km ?k]]\", $db]"
api delete-database '["{:store {:backend :file :path \"trails\"}}"]'
