#!/usr/bin/env bash
# A throwaway PostgreSQL primary and hot standby on this machine, for the failover test and the benchmark
# (issue 20). Two nodes, a and b, each in a temp folder owned by the `postgres` user, each on its own port of
# 127.0.0.1; streaming replication made with `pg_basebackup -R`; synchronous commit (`on`: a commit returns once
# the standby has the WAL on its disk — see SCALING.md for why `on` and not `remote_apply`).
#
#   scripts/pg-replica.sh start          prints PRIMARY_URL=…, STANDBY_URL=…, BOTH_URL=… (postgres://…@a,b/postgres)
#   scripts/pg-replica.sh urls           the same, for the running pair
#   scripts/pg-replica.sh kill-primary   kill -9 of the primary's postmaster (a machine that died)
#   scripts/pg-replica.sh promote        promotes the standby (pg_ctl promote); it commits alone until `reseed`
#   scripts/pg-replica.sh reseed         a new standby, from the new primary, where the dead node was (same port),
#                                        then synchronous replication to it again
#   scripts/pg-replica.sh pause-replay | resume-replay   stops / restarts applying WAL on the standby (a lag)
#   scripts/pg-replica.sh stop-standby | start-standby   a standby that is down
#   scripts/pg-replica.sh stop           stops both and deletes their files
# State: tmp/pg-replica.env (GONGYI_PG_REPLICA_STATE names another).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="${GONGYI_PG_REPLICA_STATE:-$ROOT/tmp/pg-replica.env}"
PASSWORD=gongyi-test-pw

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do [ -x "$d/initdb" ] && { echo "$d"; return 0; }; done
  return 1
}
load() { [ -f "$STATE" ] || { echo "pg-replica: not running" >&2; exit 1; }; . "$STATE"; }
save() {
  printf 'PGBIN=%q\nDIR=%q\nPORT_a=%q\nPORT_b=%q\nPRIMARY=%q\n' "$PGBIN" "$DIR" "$PORT_a" "$PORT_b" "$PRIMARY" >"$STATE"
}
other() { [ "$1" = a ] && echo b || echo a; }
port_of() { local v="PORT_$1"; echo "${!v}"; }
url_of() { echo "postgres://postgres:$PASSWORD@127.0.0.1:$(port_of "$1")/postgres"; }
psql_on() { PGPASSWORD=$PASSWORD "$PGBIN/psql" -X -q -t -A -h 127.0.0.1 -p "$(port_of "$1")" -U postgres -d postgres -c "$2"; }

# Settings every node has, whichever role it plays.
node_conf() {
  local node=$1
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $(port_of "$node")"
    echo "unix_socket_directories = '$DIR/$node'"
    echo "max_connections = 300"
    echo "shared_buffers = 128MB"
    echo "wal_keep_size = '512MB'"            # a standby that fell behind catches up from the primary's WAL
    echo "hot_standby = on"
    echo "hot_standby_feedback = on"          # a long export on the standby is not cancelled by the primary's vacuum
    echo "max_standby_streaming_delay = '30s'"
    echo "synchronous_commit = on"
    echo "cluster_name = 'node_$node'"        # the walreceiver's application_name: what synchronous_standby_names names
  } >>"$DIR/$node/data/postgresql.conf"
}

start_node() { as_pg "$PGBIN/pg_ctl" -D "$DIR/$1/data" -l "$DIR/$1/server.log" -w -t 120 start >/dev/null || { tail -20 "$DIR/$1/server.log" >&2; exit 1; }; }

# The primary waits for this standby's flush before a commit returns; waits until the standby streams.
make_synchronous() {
  local primary=$1 standby
  standby=$(other "$primary")
  for _ in $(seq 1 300); do
    [ "$(psql_on "$primary" "select count(*) from pg_stat_replication where application_name = 'node_$standby' and state = 'streaming'")" = 1 ] && break
    sleep 0.1
  done
  psql_on "$primary" "alter system set synchronous_standby_names = 'node_$standby'" >/dev/null
  psql_on "$primary" "select pg_reload_conf()" >/dev/null
  for _ in $(seq 1 100); do
    [ "$(psql_on "$primary" "select sync_state from pg_stat_replication where application_name = 'node_$standby'")" = sync ] && return 0
    sleep 0.1
  done
  echo "pg-replica: node_$standby did not become a synchronous standby" >&2
  exit 1
}

# A standby of $primary in $node's folder (emptied first), on $node's port.
basebackup() {
  local node=$1 primary=$2
  as_pg "$PGBIN/pg_ctl" -D "$DIR/$node/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR/$node/data"
  mkdir -p "$DIR/$node"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR/$node"
  as_pg env PGPASSWORD=$PASSWORD "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$(port_of "$primary")" -U postgres \
    -D "$DIR/$node/data" -R -X stream -c fast >"$DIR/$node/basebackup.log" 2>&1 || { cat "$DIR/$node/basebackup.log" >&2; exit 1; }
  # The copy carries the primary's settings; a standby promoted later must not wait for a standby it lacks.
  as_pg sh -c "echo \"synchronous_standby_names = ''\" >> '$DIR/$node/data/postgresql.auto.conf'"
  node_conf "$node"
  start_node "$node"
}

start() {
  if [ -f "$STATE" ]; then . "$STATE"; if as_pg "$PGBIN/pg_ctl" -D "$DIR/$PRIMARY/data" status >/dev/null 2>&1; then urls; return 0; fi; rm -f "$STATE"; fi
  PGBIN="$(find_bin)" || { echo "pg-replica: PostgreSQL is not installed (scripts/pg-cluster.sh installs it)" >&2; exit 1; }
  DIR="$(mktemp -d "${TMPDIR:-/tmp}/gongyi-pgrep.XXXXXX")"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
  chmod 700 "$DIR"
  PORT_a="$(free_port)"
  PORT_b="$(free_port)"
  while [ "$PORT_b" = "$PORT_a" ]; do PORT_b="$(free_port)"; done
  PRIMARY=a
  mkdir -p "$ROOT/tmp"
  save
  mkdir -p "$DIR/a"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR/a"
  echo "$PASSWORD" >"$DIR/pw"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR/pw"
  as_pg "$PGBIN/initdb" -D "$DIR/a/data" -U postgres --pwfile="$DIR/pw" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$DIR/a/initdb.log" 2>&1 || { cat "$DIR/a/initdb.log" >&2; exit 1; }
  node_conf a
  start_node a
  basebackup b a
  make_synchronous a
  urls
}

urls() {
  load
  echo "PRIMARY_URL=$(url_of "$PRIMARY")"
  echo "STANDBY_URL=$(url_of "$(other "$PRIMARY")")"
  echo "BOTH_URL=postgres://postgres:$PASSWORD@127.0.0.1:$PORT_a,127.0.0.1:$PORT_b/postgres"
}

kill_primary() {
  load
  local pid
  pid="$(head -1 "$DIR/$PRIMARY/data/postmaster.pid")"
  kill -9 "$pid"
  # Its backends notice the postmaster is gone and exit; wait until none is left on the data folder.
  # (their process titles start with the cluster_name)
  for _ in $(seq 1 200); do
    pgrep -u postgres -f "^postgres: node_$PRIMARY:" >/dev/null 2>&1 || break
    sleep 0.05
  done
  echo "killed node_$PRIMARY (postmaster $pid)"
}

promote() {
  load
  local standby
  standby=$(other "$PRIMARY")
  as_pg "$PGBIN/pg_ctl" -D "$DIR/$standby/data" -w -t 60 promote >/dev/null
  # Alone now: commit without waiting for a standby until one is reseeded (what Patroni's synchronous_mode does).
  psql_on "$standby" "alter system set synchronous_standby_names = ''" >/dev/null
  psql_on "$standby" "select pg_reload_conf()" >/dev/null
  PRIMARY=$standby
  save
  echo "promoted node_$standby"
}

reseed() {
  load
  basebackup "$(other "$PRIMARY")" "$PRIMARY"
  make_synchronous "$PRIMARY"
  echo "node_$(other "$PRIMARY") is a synchronous standby of node_$PRIMARY"
}

stop() {
  [ -f "$STATE" ] || return 0
  . "$STATE"
  for n in a b; do as_pg "$PGBIN/pg_ctl" -D "$DIR/$n/data" -m immediate -w stop >/dev/null 2>&1 || true; done
  case "$DIR" in "${TMPDIR:-/tmp}"/gongyi-pgrep.*) rm -rf "$DIR" ;; esac
  rm -f "$STATE"
}

case "${1:-}" in
  start) start ;;
  urls) urls ;;
  kill-primary) kill_primary ;;
  promote) promote ;;
  reseed) reseed ;;
  pause-replay) load; psql_on "$(other "$PRIMARY")" "select pg_wal_replay_pause()" >/dev/null ;;
  resume-replay) load; psql_on "$(other "$PRIMARY")" "select pg_wal_replay_resume()" >/dev/null ;;
  stop-standby) load; as_pg "$PGBIN/pg_ctl" -D "$DIR/$(other "$PRIMARY")/data" -m fast -w stop >/dev/null ;;
  start-standby) load; start_node "$(other "$PRIMARY")" ;;
  stop) stop ;;
  *) echo "usage: $0 start | urls | kill-primary | promote | reseed | pause-replay | resume-replay | stop-standby | start-standby | stop" >&2; exit 2 ;;
esac
