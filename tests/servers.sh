#!/usr/bin/env bash
# Starts (or stops) the database servers the store backend tests run against, on 127.0.0.1, with
# their data under $HIKE_SERVERS (default /tmp/hike-servers), and prints the environment the tests
# read: HIKE_TEST_POSTGRES, HIKE_TEST_REDIS, HIKE_TEST_S3, and HIKE_TEST_CHROMIUM (the browser the query
# console's test drives). Installs what is missing (Debian's postgresql, redis-server and chromium, npm's
# s3rver into $HIKE_SERVERS_CACHE).
# Usage: eval "$(bash tests/servers.sh start)"; ...; bash tests/servers.sh stop
set -euo pipefail
dir=${HIKE_SERVERS:-/tmp/hike-servers}
cache=${HIKE_SERVERS_CACHE:-/tmp/hike-servers-cache}
pg_port=${HIKE_PG_PORT:-55432}
redis_port=${HIKE_REDIS_PORT:-56379}
s3_port=${HIKE_S3_PORT:-54568}
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

# A PostgreSQL cluster of its own in folder $1 on port $2, for a test that kills and restarts its server:
# created the first time, started again on the same data after a kill.
pg_cluster_start() {
  local data=$1 port=$2
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
    as_postgres "$pgbin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  as_postgres "$pgbin/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k /tmp" start >/dev/null
}

start_redis() {
  if ! command -v redis-server >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server) >/dev/null 2>&1
  fi
  mkdir -p "$dir/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$dir/redis" --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log"
  for _ in $(seq 1 100); do redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  echo "export HIKE_TEST_REDIS='127.0.0.1:$redis_port'"
}

stop_redis() {
  [ -f "$dir/redis/redis.pid" ] && kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null || true
  rm -rf "$dir/redis"
}

start_s3() {
  [ -x "$cache/s3rver/node_modules/.bin/s3rver" ] ||
    npm install --prefix "$cache/s3rver" --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null 2>&1
  mkdir -p "$dir/s3/data"
  # s3rver's continuation tokens use DES, which Node 17+ keeps behind the legacy provider.
  NODE_OPTIONS=--openssl-legacy-provider nohup "$cache/s3rver/node_modules/.bin/s3rver" -d "$dir/s3/data" \
    -a 127.0.0.1 -p "$s3_port" --no-vhost-buckets --silent > "$dir/s3/s3rver.log" 2>&1 &
  echo $! > "$dir/s3/s3rver.pid"
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$s3_port/" && break; sleep 0.1; done
  echo "export HIKE_TEST_S3='http://127.0.0.1:$s3_port'"
}

stop_s3() {
  [ -f "$dir/s3/s3rver.pid" ] && kill "$(cat "$dir/s3/s3rver.pid")" 2>/dev/null || true
  rm -rf "$dir/s3"
}

# Not a server: the headless browser the query console's test starts itself (tests/Hike.Server.Tests/ConsoleBrowser.cs).
find_chromium() {
  if ! command -v chromium >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core) >/dev/null 2>&1 ||
      echo "tests/servers.sh: could not install chromium; the query console's browser test will fail" >&2
  fi
  if command -v chromium >/dev/null; then echo "export HIKE_TEST_CHROMIUM='$(command -v chromium)'"; fi
}

case "${1:-}" in
  start) mkdir -p "$dir" "$cache"; stop_s3; stop_redis; stop_postgres; start_postgres; start_redis; start_s3; find_chromium ;;
  stop) stop_s3; stop_redis; stop_postgres ;;
  pg-start) pg_cluster_start "$2" "$3" ;;
  pg-kill) as_postgres "$pgbin/pg_ctl" -D "$2" -m immediate -w stop >/dev/null ;;
  pg-remove) as_postgres "$pgbin/pg_ctl" -D "$2" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$2" ;;
  *) echo "usage: $0 start|stop | pg-start DIR PORT | pg-kill DIR | pg-remove DIR" >&2; exit 2 ;;
esac
