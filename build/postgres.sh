#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the tests.
#   build/postgres.sh start   initdb in a temp folder, start on a free port, print the connection string
#   build/postgres.sh stop    stop it and delete its folder
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
cd "$(dirname "$0")/.."
state=artifacts/postgres.dir
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case ${1:-} in
  start)
    [[ -x $bin/initdb ]] || { echo "PostgreSQL is not installed: run build/setup/postgres.sh" >&2; exit 1; }
    dir=$(mktemp -d /tmp/dangvu-pg.XXXXXX)
    chmod 755 "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    # Test hosts migrate in parallel against this one server, and two concurrent CREATE EXTENSION
    # IF NOT EXISTS race on PostgreSQL's catalog (duplicate key in pg_extension_name_index); a real
    # node migrates once. So the extension the Members migration asks for exists before any test.
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm;' >/dev/null \
      || { echo "could not create pg_trgm on the test server" >&2; exit 1; }
    mkdir -p artifacts
    echo "$dir" >"$state"
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    [[ -f $state ]] || exit 0
    dir=$(cat "$state")
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$state"
    ;;
  *)
    echo "usage: build/postgres.sh start|stop" >&2
    exit 2
    ;;
esac
