#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on 127.0.0.1 for the storage tests and prints its URL
# (export it as WCF_TEST_DATABASE_URL). `scripts/test-postgres.sh stop` stops it.
# Needs Debian's postgresql package (.ci/run installs it). Runs the server as the postgres user
# when started as root, since PostgreSQL refuses to run as root.
set -euo pipefail
PORT="${WCF_TEST_PG_PORT:-54329}"
DIR="${WCF_TEST_PG_DIR:-/tmp/wcf-test-postgres}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "${1:-start}" = stop ]; then
  [ -d "$DIR/data" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true
  exit 0
fi
if [ -f "$DIR/data/postmaster.pid" ]; then
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
fi
rm -rf "$DIR"
mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
as_owner "$BIN/initdb" -D "$DIR/data" -U wcf --auth=trust -E UTF8 >"$DIR/initdb.log"
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -p $PORT -c max_connections=200" start >/dev/null
as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U wcf wcf_test
echo "postgres://wcf@127.0.0.1:$PORT/wcf_test"
