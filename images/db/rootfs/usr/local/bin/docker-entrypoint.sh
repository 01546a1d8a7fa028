#!/bin/sh
# Starts PostgreSQL 15 in the foreground. On first start (empty $PGDATA) it runs initdb as user postgres, with
# the superuser `postgres`, database `postgres`, and the password read from the file named by
# POSTGRES_PASSWORD_FILE or else from POSTGRES_PASSWORD (the official image's convention). Local socket
# connections are trusted; TCP connections need the password (scram-sha-256). Then it exec's postgres, as user
# postgres when started as root, so postgres is PID 1 and gets `docker stop`'s signal. Extra arguments go to
# postgres (e.g. `-c log_statement=all`). Use SIGINT as the stop signal for a fast shutdown: postgres treats
# SIGTERM as "wait until every client has disconnected".
set -eu

PGDATA="${PGDATA:-/var/lib/postgresql/data}"
PGBIN=/usr/lib/postgresql/15/bin

log() { echo "db: $*" >&2; }

# Runs a command as postgres when we are root; as ourselves otherwise.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    exec_prefix="setpriv --reuid=postgres --regid=postgres --init-groups"
  else
    exec_prefix=""
  fi
  $exec_prefix "$@"
}

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /run/postgresql
  chown postgres:postgres "$PGDATA" /run/postgresql
  chmod 700 "$PGDATA"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
    if [ ! -r "$POSTGRES_PASSWORD_FILE" ]; then
      log "POSTGRES_PASSWORD_FILE=$POSTGRES_PASSWORD_FILE is not a readable file"
      exit 1
    fi
    password="$(cat "$POSTGRES_PASSWORD_FILE")"
  else
    password="${POSTGRES_PASSWORD:-}"
  fi
  if [ -z "$password" ]; then
    log "no password: set POSTGRES_PASSWORD_FILE (the path of a file that holds it) or POSTGRES_PASSWORD"
    exit 1
  fi

  log "initialising $PGDATA"
  pwfile="$(mktemp)"
  printf '%s\n' "$password" >"$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
  as_postgres "$PGBIN/initdb" --pgdata="$PGDATA" --username=postgres --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  log "initialised; remote connections need the password"
fi

if [ "$(id -u)" = 0 ]; then
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$PGBIN/postgres" -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$PGBIN/postgres" -D "$PGDATA" -c listen_addresses='*' "$@"
