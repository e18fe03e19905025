#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, CI and benchmarks.
#
#   scripts/pg-cluster.sh start [--durable]   prints the server URL, e.g. postgres://postgres:pw@127.0.0.1:54321
#   scripts/pg-cluster.sh url                 prints the URL of the running one
#   scripts/pg-cluster.sh stop                stops it and deletes its files
#
# Installs postgresql + postgresql-contrib with apt-get when initdb is missing. The cluster lives in a temp folder
# owned by the `postgres` user (PostgreSQL refuses to run as root), listens on a free port on 127.0.0.1 only and
# wants a password for TCP logins (scram-sha-256). Without --durable it trades crash safety for speed (fsync off):
# fine for a cluster that is thrown away; benchmarks start it with --durable.
# Where it is: tmp/pg-cluster.env in the project (git-ignored), read by `url` and `stop`; GONGYI_PG_STATE names
# another such file, for a second cluster (the restart test starts its own, so as not to restart everyone's).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="${GONGYI_PG_STATE:-$ROOT/tmp/pg-cluster.env}"
PASSWORD=gongyi-test-pw

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  return 1
}

as_pg() {
  # PostgreSQL will not run as root: drop to the postgres user when we are root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local durable=0
  [ "${1:-}" = --durable ] && durable=1
  if [ -f "$STATE" ]; then
    # shellcheck disable=SC1090
    . "$STATE"
    if [ -n "${PGBIN:-}" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then echo "$PGURL"; return 0; fi
    rm -f "$STATE"
  fi
  local bin
  if ! bin="$(find_bin)"; then
    echo "pg-cluster: installing postgresql (initdb not found)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql postgresql-contrib >&2
    bin="$(find_bin)"
  fi
  local dir port pwfile
  dir="$(mktemp -d "${TMPDIR:-/tmp}/gongyi-pg.XXXXXX")"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  chmod 700 "$dir"
  pwfile="$dir/pw"
  echo "$PASSWORD" >"$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  port="$(free_port)"
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$dir'"
    echo "max_connections = 300"
    echo "shared_buffers = 256MB"
    if [ "$durable" = 0 ]; then
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } >>"$dir/data/postgresql.conf"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  local url="postgres://postgres:$PASSWORD@127.0.0.1:$port"
  mkdir -p "$ROOT/tmp"
  printf 'PGBIN=%q\nPGDATA=%q\nPGDIR=%q\nPGURL=%q\n' "$bin" "$dir/data" "$dir" "$url" >"$STATE"
  echo "$url"
}

stop() {
  [ -f "$STATE" ] || return 0
  # shellcheck disable=SC1090
  . "$STATE"
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  case "$PGDIR" in "${TMPDIR:-/tmp}"/gongyi-pg.*) rm -rf "$PGDIR" ;; esac
  rm -f "$STATE"
}

url() {
  [ -f "$STATE" ] || { echo "pg-cluster: not running" >&2; exit 1; }
  # shellcheck disable=SC1090
  . "$STATE"
  echo "$PGURL"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  url) url ;;
  restart-server)
    # For tests: a fast restart of the running server (connections are cut, as in a real restart).
    . "$STATE"; as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 restart -l "$PGDIR/server.log" >/dev/null ;;
  *) echo "usage: $0 start [--durable] | url | stop" >&2; exit 2 ;;
esac
