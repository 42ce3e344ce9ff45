#!/usr/bin/env bash
# A private, throwaway PostgreSQL 15 cluster for the tests.
#
#   scripts/pg-test-cluster.sh start DIR   # prints postgresql://postgres@127.0.0.1:PORT/wangge_test
#   scripts/pg-test-cluster.sh stop DIR    # stops the cluster and removes DIR
#   scripts/pg-test-cluster.sh url DIR     # prints the URL of a running cluster again
#
# DIR holds the data folder, the server log (postgres.log) and the unix socket. The server runs
# as user postgres when started by root (PostgreSQL refuses to run as root), else as the caller.
# Durability is off (fsync, full_page_writes, synchronous_commit): the data is disposable.
# PGBIN overrides the binaries' folder (default /usr/lib/postgresql/15/bin).
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DB=wangge_test

die() {
  echo "pg-test-cluster: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start|stop|url DIR" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
cmd=$1
dir=$2

as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  getent passwd postgres >/dev/null || die "running as root but there is no user 'postgres'"
  as_owner=(runuser -u postgres --)
fi

# Runs a command as the cluster's owner, with a umask the server accepts.
run() {
  (umask 077 && "${as_owner[@]}" "$@")
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

url_of() {
  echo "postgresql://postgres@127.0.0.1:$(cat "$1/port")/$DB"
}

start() {
  [[ -x $PGBIN/initdb ]] || die "no $PGBIN/initdb (install postgresql-15)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ ! -e $dir/data ]] || die "$dir/data exists; stop that cluster first"
  # The socket path must fit in sun_path (107 bytes) with "/.s.PGSQL.NNNNN" appended.
  ((${#dir} <= 90)) || die "DIR path too long for a unix socket: $dir"
  if ((${#as_owner[@]})); then
    chown postgres: "$dir"
    chmod 700 "$dir"
    run test -w "$dir" || die "user postgres cannot write $dir (a parent folder is closed to it)"
  fi

  run "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  }

  local port attempt
  for attempt in $(seq 1 20); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    port_in_use "$port" && continue
    cat >"$dir/data/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
full_page_writes = off
synchronous_commit = off
max_connections = 300
max_wal_size = '2GB'
logging_collector = off
EOF
    chown --reference="$dir/data/PG_VERSION" "$dir/data/postgresql.auto.conf"
    if run "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 -s start >/dev/null; then
      echo "$port" >"$dir/port"
      run "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE $DB" >/dev/null || die "could not create database $DB"
      url_of "$dir"
      return 0
    fi
    # Lost a race for the port: try another one; anything else is fatal.
    grep -q "could not bind\|Address already in use" "$dir/postgres.log" 2>/dev/null ||
      { cat "$dir/postgres.log" >&2; die "the server did not start"; }
    : >"$dir/postgres.log"
  done
  die "no free port found after $attempt attempts"
}

stop() {
  [[ -e $dir ]] || return 0
  dir=$(cd "$dir" && pwd)
  if [[ -f $dir/data/postmaster.pid ]]; then
    run "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w -t 60 -s stop >/dev/null 2>&1 ||
      echo "pg-test-cluster: pg_ctl stop failed; removing $dir anyway" >&2
  fi
  rm -rf -- "$dir"
}

case $cmd in
start) start ;;
stop) stop ;;
url) [[ -f $dir/port ]] || die "no cluster in $dir" && url_of "$dir" ;;
*) usage ;;
esac
