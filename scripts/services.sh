#!/usr/bin/env bash
# Finds or starts the PostgreSQL and Redis this checkout uses, and writes the
# resulting environment to .var/env.sh.
#
#   scripts/services.sh up   STATEFILE   find or start; record what was started
#   scripts/services.sh down STATEFILE   stop only what "up" recorded
#
# PostgreSQL: $DATABASE_URL if set; else the server on 127.0.0.1:5432 if we can
# log in there as "postgres"; else a project-local cluster under .var/postgres
# on port $GEOCASES_LOCAL_PG_PORT (54329). GEOCASES_LOCAL_PG=1 forces the last.
# Redis: $CELERY_BROKER_URL if set; else 127.0.0.1:6379, started if silent.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
var=$root/.var
mkdir -p "$var/log"

say() { printf '[services] %s\n' "$*"; }
action=${1:?usage: services.sh up|down STATEFILE}
state=${2:?usage: services.sh up|down STATEFILE}

pg_bin() { echo "/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -n | tail -1)/bin"; }
local_pg_port=${GEOCASES_LOCAL_PG_PORT:-54329}
local_pg_data=$var/postgres
as_postgres=()
[ "$(id -u)" -eq 0 ] && as_postgres=(runuser -u postgres --)

local_pg_start() {
  local bin; bin=$(pg_bin)
  if [ ! -s "$local_pg_data/PG_VERSION" ]; then
    say "initialising a project-local PostgreSQL cluster in $local_pg_data"
    mkdir -p "$local_pg_data"
    [ ${#as_postgres[@]} -gt 0 ] && chown postgres: "$local_pg_data"
    if ! "${as_postgres[@]}" test -w "$local_pg_data"; then
      say "the postgres user cannot write to $local_pg_data (a parent folder is private);"
      say "move the checkout somewhere readable, or set DATABASE_URL"
      exit 1
    fi
    "${as_postgres[@]}" "$bin/initdb" -D "$local_pg_data" -U postgres --auth=trust \
      -E UTF8 --locale=C.UTF-8 >"$var/log/initdb.log"
  fi
  say "starting the project-local PostgreSQL on 127.0.0.1:$local_pg_port"
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$local_pg_data" -l "$local_pg_data/server.log" -w \
    -o "-p $local_pg_port -k $local_pg_data -c listen_addresses=127.0.0.1" start >/dev/null
  echo postgres >>"$state"
}

database_url() {
  if [ -n "${DATABASE_URL:-}" ]; then
    say "PostgreSQL: DATABASE_URL from your environment"
    echo "$DATABASE_URL" >"$var/database_url"
    return
  fi
  if [ "${GEOCASES_LOCAL_PG:-0}" != 1 ] && psql -h 127.0.0.1 -p 5432 -U postgres -d postgres \
      -Atqc 'select 1' >/dev/null 2>&1; then
    say "PostgreSQL: the server on 127.0.0.1:5432"
    echo "postgis://postgres@127.0.0.1:5432/geocases" >"$var/database_url"
    return
  fi
  if "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$local_pg_port"; then
    say "PostgreSQL: the project-local cluster on 127.0.0.1:$local_pg_port (already running)"
  else
    if [ "${GEOCASES_LOCAL_PG:-0}" != 1 ] && "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p 5432; then
      say "127.0.0.1:5432 answers but does not let 'postgres' in without a password;"
      say "using a project-local cluster instead (set DATABASE_URL to use that server)"
    fi
    local_pg_start
  fi
  echo "postgis://postgres@127.0.0.1:$local_pg_port/geocases" >"$var/database_url"
}

broker_url() {
  if [ -n "${CELERY_BROKER_URL:-}" ]; then
    say "Redis: CELERY_BROKER_URL from your environment"
    echo "$CELERY_BROKER_URL" >"$var/broker_url"
    return
  fi
  if [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; then
    say "Redis: the server on 127.0.0.1:6379"
  else
    say "starting Redis on 127.0.0.1:6379"
    mkdir -p "$var/redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir "$var/redis" --pidfile "$var/redis/redis.pid" --logfile "$var/log/redis.log"
    for _ in $(seq 50); do
      [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ] && break
      sleep 0.1
    done
    echo redis >>"$state"
  fi
  echo "redis://127.0.0.1:6379/0" >"$var/broker_url"
}

secret_key() {
  # A random key per checkout, kept so that sessions survive a restart.
  [ -s "$var/secret_key" ] || python3 -c 'import secrets; print(secrets.token_urlsafe(64))' >"$var/secret_key"
  chmod 600 "$var/secret_key"
}

case "$action" in
  up)
    : >"$state"
    database_url
    broker_url
    secret_key
    cat >"$var/env.sh" <<ENV
# Written by scripts/services.sh; values you export yourself take precedence.
export DATABASE_URL="\${DATABASE_URL:-$(cat "$var/database_url")}"
export CELERY_BROKER_URL="\${CELERY_BROKER_URL:-$(cat "$var/broker_url")}"
export SECRET_KEY="\${SECRET_KEY:-$(cat "$var/secret_key")}"
export DEBUG="\${DEBUG:-true}"
ENV
    # The same, for manage.py and the site to read without sourcing anything
    # (geocases/config.py; exported variables still take precedence).
    cat >"$var/env" <<ENV
DATABASE_URL=$(cat "$var/database_url")
CELERY_BROKER_URL=$(cat "$var/broker_url")
SECRET_KEY=$(cat "$var/secret_key")
DEBUG=true
ENV
    chmod 600 "$var/env"
    ;;
  down)
    [ -f "$state" ] || exit 0
    if grep -qx redis "$state"; then
      say "stopping the Redis started by this run"
      redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1 || true
    fi
    if grep -qx postgres "$state"; then
      say "stopping the project-local PostgreSQL"
      "${as_postgres[@]}" "$(pg_bin)/pg_ctl" -D "$local_pg_data" -m fast -w stop >/dev/null || true
    fi
    rm -f "$state"
    ;;
  *) echo "usage: services.sh up|down STATEFILE" >&2; exit 2 ;;
esac
