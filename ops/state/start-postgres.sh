#!/usr/bin/env bash
# Makes sure a PostgreSQL server for shared Terraform state answers on 127.0.0.1, for development and the deploy
# tier, and prints its connection string on stdout (everything else goes to stderr):
#   export STATE_PG_CONN_STR="$(npm run --silent state:start)"   # ops/state/start-postgres.sh
#   npm run state:stop                                            # stops this project's server, if it runs
# Idempotent: when the server of this project already runs, it only prints the string. Installs Debian's
# postgresql package with apt-get when the binaries are missing, creates the cluster in .postgres/ (git-ignored)
# on first use, starts it listening on 127.0.0.1 only, then waits (bounded) until it accepts connections.
#   STATE_PG_PORT     port on 127.0.0.1 (default 55432, away from a system server's 5432)
#   STATE_PG_DIR      where the cluster lives (default <project>/.postgres; see below for a private project folder)
#   PG_BIN            the PostgreSQL binaries (default /usr/lib/postgresql/15/bin, else the newest installed)
#   PG_START_TIMEOUT  seconds to wait for the server (default 30)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=ops/engine/daemon.sh
source ops/engine/daemon.sh

PORT="${STATE_PG_PORT:-55432}"
# BASE holds the password file (and, where the cluster's owner can enter it, the cluster); CLUSTER holds data/
# and log/.
BASE="$(realpath -m "${STATE_PG_DIR:-$PWD/.postgres}")"
CLUSTER="$BASE"
WAIT_SECONDS="${PG_START_TIMEOUT:-30}"
DB=terraform_state
ROLE=terraform

say() { echo "start-postgres: $*" >&2; }

find_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  if [ -x /usr/lib/postgresql/15/bin/initdb ]; then echo /usr/lib/postgresql/15/bin; return; fi
  find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1
}

BIN="$(find_bin)"
if { [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; } && [ "${1:-}" = stop ]; then
  say "PostgreSQL is not installed; nothing to stop"
  exit 0
fi
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  if [ "$(id -u)" != "0" ]; then
    say "the PostgreSQL server binaries are missing and we are not root: install Debian's postgresql package first"
    exit 1
  fi
  say "PostgreSQL missing: installing postgresql with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  BIN="$(find_bin)"
fi

# initdb refuses to run as root: as root, the cluster belongs to the postgres user the package creates. It runs
# from / : the project folder may be one it cannot enter.
if [ "$(id -u)" = "0" ]; then
  OWNER=postgres
  as_owner() { (cd / && runuser -u "$OWNER" -- "$@"); }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

# A project in a folder the postgres user cannot enter (root's home is drwx------ on Debian, mktemp -d makes 0700
# folders): its cluster goes under the postgres user's home instead, one folder a project, named after the
# project's path. An explicit STATE_PG_DIR is taken as it is, or refused with the fix. (BASE itself is made 711.)
entered="$BASE"
[ -d "$BASE" ] || entered="$(dirname "$BASE")"
if [ "$OWNER" != "$(id -un)" ] && ! as_owner test -x "$entered"; then
  if [ -n "${STATE_PG_DIR:-}" ]; then
    say "the PostgreSQL server runs as $OWNER, who cannot enter STATE_PG_DIR=$BASE (a folder above it is private);"
    say "fix: let $OWNER pass (chmod o+x on each private folder above it) or set STATE_PG_DIR to a folder $OWNER can enter,"
    say "or unset STATE_PG_DIR: the cluster then goes under $OWNER's home"
    exit 1
  fi
  home="$(getent passwd "$OWNER" | cut -d: -f6)"
  CLUSTER="$home/cdktf-docker-networking/$(printf '%s' "$BASE" | sha256sum | cut -c1-12)"
fi
DATA="$CLUSTER/data"
LOG="$CLUSTER/log"

if [ "${1:-}" = stop ]; then
  if [ -s "$DATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1; then
    as_owner "$BIN/pg_ctl" stop -D "$DATA" -m fast >/dev/null
    say "stopped the server of $DATA"
  else
    say "no server of this project runs ($DATA)"
  fi
  exit 0
fi

mkdir -p "$BASE"
# The owner must pass through to data/; listing and the password file stay private.
chmod 711 "$BASE"
if [ "$CLUSTER" != "$BASE" ] && [ ! -d "$CLUSTER" ]; then
  say "$OWNER cannot enter $BASE (a folder above it is private): the cluster goes to $CLUSTER"
  mkdir -p "$CLUSTER"
  printf '%s\n' "$BASE" >"$CLUSTER/project"
  chown "$OWNER" "$CLUSTER"
fi

# The password of the terraform role, readable by whoever runs this script (and so the deploys).
if [ ! -s "$BASE/password" ]; then
  (umask 077 && node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))" > "$BASE/password")
fi
PASSWORD="$(cat "$BASE/password")"
CONN="postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB?sslmode=disable"

if [ ! -s "$DATA/PG_VERSION" ]; then
  say "creating a cluster in $DATA (owner $OWNER)"
  mkdir -p "$DATA" "$LOG"
  chown "$OWNER" "$DATA" "$LOG"
  # trust on the Unix socket only: it lives in the data folder, which only the owner can enter.
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >/dev/null
fi

if as_owner "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1; then
  say "server already running ($DATA)"
else
  say "starting PostgreSQL on 127.0.0.1:$PORT (log: $LOG/server.log)"
  # pg_ctl -W returns at once; the loop below waits for the server.
  if [ "$OWNER" = "$(id -un)" ]; then
    start_daemon "$LOG/pg_ctl.log" "$BIN/pg_ctl" start -D "$DATA" -l "$LOG/server.log" -W \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories='$DATA'"
  else
    start_daemon "$LOG/pg_ctl.log" runuser -u "$OWNER" -- "$BIN/pg_ctl" start -D "$DATA" -l "$LOG/server.log" -W \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories='$DATA'"
  fi
fi

psql_admin() { as_owner "$BIN/psql" -h "$DATA" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
ready=false
for _ in $(seq 1 "$WAIT_SECONDS"); do
  if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && psql_admin -c 'select 1' >/dev/null 2>&1; then
    ready=true
    break
  fi
  sleep 1
done
if [ "$ready" != true ]; then
  say "PostgreSQL did not accept connections on 127.0.0.1:$PORT within ${WAIT_SECONDS}s; last lines of the log:"
  tail -n 20 "$LOG/server.log" >&2 2>/dev/null || true
  exit 1
fi

# The role and database the Terraform pg backend uses; each stack gets its own schema in it (main.ts).
# The password is set every time, so that it matches the file also after the file was replaced.
if [ "$(psql_admin -c "select 1 from pg_roles where rolname = '$ROLE'")" != 1 ]; then
  psql_admin -c "create role $ROLE login" >/dev/null
fi
psql_admin -c "alter role $ROLE password '$PASSWORD'" >/dev/null
if [ "$(psql_admin -c "select 1 from pg_database where datname = '$DB'")" != 1 ]; then
  psql_admin -c "create database $DB owner $ROLE" >/dev/null
fi

say "ready: $(psql_admin -c 'show server_version') on 127.0.0.1:$PORT, database $DB"
echo "$CONN"
