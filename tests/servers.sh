#!/usr/bin/env bash
# Starts (or stops) the database servers the store backend tests run against, on 127.0.0.1, with
# their data under $HIKE_SERVERS (default /tmp/hike-servers), and prints the environment the tests
# read: HIKE_TEST_POSTGRES. Usage: eval "$(bash tests/servers.sh start)"; ...; bash tests/servers.sh stop
set -euo pipefail
dir=${HIKE_SERVERS:-/tmp/hike-servers}
pg_port=${HIKE_PG_PORT:-55432}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  if [ -z "$pgbin" ]; then
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql) >/dev/null 2>&1
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  rm -rf "$dir/pg"; mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/pg"
  as_postgres "$pgbin/initdb" -D "$dir/pg" -U postgres --auth=trust -E UTF8 >/dev/null
  as_postgres "$pgbin/pg_ctl" -D "$dir/pg" -l "$dir/pg/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k /tmp -c fsync=off -c max_connections=200" start >/dev/null
  echo "export HIKE_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres'"
}

stop_postgres() {
  [ -f "$dir/pg/postmaster.pid" ] && as_postgres "$pgbin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir/pg"
}

case "${1:-}" in
  start) mkdir -p "$dir"; stop_postgres; start_postgres ;;
  stop) stop_postgres ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
