#!/bin/sh
# Starts PostgreSQL 15 in the foreground. On first start (no $PGDATA/PG_VERSION) it runs initdb with the
# superuser `postgres`, database `postgres`, and the password read from the file named by POSTGRES_PASSWORD_FILE
# or else from POSTGRES_PASSWORD (the official image's convention). Local socket connections are trusted; TCP
# connections need the password (scram-sha-256). Then it exec's postgres, so postgres is PID 1 and gets
# `docker stop`'s signal. Extra arguments go to postgres (e.g. `-c log_statement=all`).
#
# Started as root (the default) it reads the password file as root and does everything else as user postgres,
# so it needs no capability beyond SETUID and SETGID (plus CHOWN when $PGDATA is a fresh volume owned by root).
# Stop it with SIGINT for a fast shutdown: postgres treats SIGTERM as "wait until every client has disconnected".
set -eu

PGDATA="${PGDATA:-/var/lib/postgresql/data}"
PGBIN=/usr/lib/postgresql/15/bin

log() { echo "db: $*" >&2; }

# Runs a command as postgres when we are root; as ourselves otherwise.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups "$@"
  else
    "$@"
  fi
}

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /run/postgresql
  for dir in "$PGDATA" /run/postgresql; do
    [ "$(stat -c %U "$dir")" = postgres ] || chown postgres:postgres "$dir"
  done
fi
[ "$(stat -c %a "$PGDATA")" = 700 ] || as_postgres chmod 700 "$PGDATA"

if ! as_postgres test -s "$PGDATA/PG_VERSION"; then
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
  # initdb reads the password from a file; this one lives only until initdb is done.
  printf '%s\n' "$password" | as_postgres sh -ec '
    pwfile="$(mktemp)"
    trap "rm -f \"$pwfile\"" EXIT
    cat >"$pwfile"
    "$1/initdb" --pgdata="$2" --username=postgres --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    echo "host all all all scram-sha-256" >>"$2/pg_hba.conf"
  ' sh "$PGBIN" "$PGDATA"
  log "initialised; connections over TCP need the password"
fi

if [ "$(id -u)" = 0 ]; then
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$PGBIN/postgres" -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$PGBIN/postgres" -D "$PGDATA" -c listen_addresses='*' "$@"
