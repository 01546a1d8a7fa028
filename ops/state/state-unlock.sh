#!/usr/bin/env bash
# npm run state:unlock -- <stack> [--force]: who holds the lock on the stack's state in PostgreSQL, and with
# --force, ends that database session so that the lock goes.
#
# Terraform's pg backend locks with a session-level advisory lock (pg_try_advisory_lock on the state row's id).
# PostgreSQL drops it when the session ends, so a deploy that dies takes its lock with it; a lock stays only while
# the session holding it lives: a deploy that hangs, a runner that stopped without closing its connection.
# `terraform force-unlock` cannot clear that one (it unlocks from a new session, which holds nothing), so this
# script ends the holder's session instead (pg_terminate_backend). Make sure no deploy of the stack is running.
set -euo pipefail
cd "$(dirname "$0")/../.."
stack="${1:-}"
force="${2:-}"
if [ -z "$stack" ] || { [ -n "$force" ] && [ "$force" != "--force" ]; }; then
  echo "usage: npm run state:unlock -- <stack> [--force]" >&2
  exit 1
fi
if [ -z "${STATE_PG_CONN_STR:-}" ]; then
  echo "state-unlock: STATE_PG_CONN_STR is not set: the state is local, and a local lock goes with its process" >&2
  exit 1
fi
if ! command -v psql >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    echo "state-unlock: psql is missing and we are not root: install postgresql-client first" >&2
    exit 1
  fi
  echo "state-unlock: psql missing: installing postgresql-client with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-client >/dev/null
fi

# The schema main.ts gives the stack.
schema="$(printf '%s%s' "${STATE_PG_SCHEMA_PREFIX:-}" "$stack" | sed 's/[^A-Za-z0-9_]/_/g')"

# Advisory locks on one bigint key show in pg_locks as classid (high 32 bits) and objid (low 32 bits): the state
# row's id, or -1 (all bits set), the lock Terraform takes while it creates the row.
holders_sql="
  select a.pid, coalesce(host(a.client_addr), 'local'), a.application_name, a.backend_start, a.state,
         date_trunc('second', now() - a.state_change)
  from pg_locks l join pg_stat_activity a on a.pid = l.pid
  where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
    and ((l.classid = 4294967295 and l.objid = 4294967295)
         or (l.classid = 0 and l.objid in (select id from \"$schema\".states)))"

q() { psql "$STATE_PG_CONN_STR" -v ON_ERROR_STOP=1 -qtA -F ' | ' -c "$1"; }
if [ "$(q "select count(*) from information_schema.tables where table_schema = '$schema' and table_name = 'states'")" = 0 ]; then
  echo "state-unlock: no state for stack $stack (schema $schema) in this database" >&2
  exit 1
fi
holders="$(q "$holders_sql")"
if [ -z "$holders" ]; then
  echo "state-unlock: the state of $stack is not locked"
  exit 0
fi
echo "state-unlock: the state of $stack (schema $schema) is locked by (pid | client | application | connected | state | for):"
echo "$holders" | sed 's/^/  /'
if [ "$force" != "--force" ]; then
  echo "state-unlock: if no deploy of $stack is running, end that session: npm run state:unlock -- $stack --force"
  exit 2
fi
q "select pg_terminate_backend(pid) from ($holders_sql) h" >/dev/null
echo "state-unlock: ended the session(s) holding the lock; the next deploy refreshes the state from the engine"
