#!/usr/bin/env bash
# Proves the images of npm run images:local work together, with plain docker commands (no Terraform):
# one user network; redis and db (reached by those names), the password file copied into db, worker and
# result; vote and result published on 127.0.0.1 only; votes POSTed to vote show up in result's /results.json.
# Also checks the healthcheck commands the stacks use, name resolution from the toolbox, that the worker
# survives a restart of redis and of db, and that every container stops within a few seconds.
#
#   npm run images:smoke     # exit 0 = pass; leaves nothing behind (containers, network, temp files)
#
# Containers are named smoke-<pid>-<role> and reached through network aliases (redis, db, vote, result), so a
# run does not collide with other containers on the engine, e.g. a deployed voting-app stack.
set -euo pipefail

PREFIX="smoke-$$"
NET="$PREFIX-net"
REPO=voting-app-local
WAIT_SECONDS="${SMOKE_WAIT_SECONDS:-60}"
TMP="$(mktemp -d)"
CONTAINERS=()
FAILED=0

say() { echo "smoke: $*" >&2; }
pass() { say "ok   - $*"; }
fail() { say "FAIL - $*"; FAILED=1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
  local status=$? c
  if [ "$FAILED" != 0 ] || [ "$status" != 0 ]; then
    for c in "${CONTAINERS[@]}"; do
      say "--- last log lines of $c"
      docker logs --tail 15 "$c" 2>&1 | sed 's/^/    /' >&2 || true
    done
  fi
  for c in "${CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  docker network rm "$NET" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# curl talks to vote and result from the host.
if ! command -v curl >/dev/null; then
  say "installing curl with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends curl >/dev/null
fi

for role in redis db vote worker result toolbox; do
  docker image inspect "$REPO/$role:local" >/dev/null 2>&1 \
    || { say "image $REPO/$role:local is missing: run npm run images:local first"; exit 1; }
done

# Runs `docker create` for a role with the given docker options, returns after it is created (not started).
create() {
  local role="$1"; shift
  docker create --name "$PREFIX-$role" --network "$NET" --network-alias "$role" "$@" "$REPO/$role:local" >/dev/null
  CONTAINERS+=("$PREFIX-$role")
}

# Waits (bounded) until a container's healthcheck reports healthy; prints the seconds it took.
wait_healthy() {
  local c="$PREFIX-$1" started status i; started="$2"
  for i in $(seq 1 $((WAIT_SECONDS * 4))); do
    status="$(docker inspect --format '{{.State.Health.Status}}' "$c")"
    [ "$status" = healthy ] && { elapsed "$started"; return 0; }
    [ "$(docker inspect --format '{{.State.Running}}' "$c")" = true ] || break
    sleep 0.25
  done
  return 1
}

# Waits (bounded) until `curl` of a URL answers 200; prints the body.
wait_http() {
  local url="$1" i
  for i in $(seq 1 $((WAIT_SECONDS * 4))); do
    curl -fsS --max-time 2 "$url" 2>/dev/null && return 0
    sleep 0.25
  done
  return 1
}

# POSTs vote=$2 as voter $1 (the voter_id cookie) to the vote container.
cast() {
  curl -fsS --max-time 5 -o /dev/null -b "voter_id=$1" --data "vote=$2" "$VOTE_URL/"
}

# Waits (bounded) until result's /results.json equals $1 exactly.
wait_tally() {
  local want="$1" got="" i
  for i in $(seq 1 $((WAIT_SECONDS * 4))); do
    got="$(curl -fsS --max-time 2 "$RESULT_URL/results.json" 2>/dev/null || true)"
    [ "$got" = "$want" ] && return 0
    sleep 0.25
  done
  say "    last /results.json: ${got:-<no answer>}"
  return 1
}

docker network create "$NET" >/dev/null
say "network $NET"

# The password travels as a file, like the secret Terraform uploads; nothing is baked into the images.
mkdir -p "$TMP/secrets"
head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$TMP/secrets/db-password"
chmod 644 "$TMP/secrets/db-password"

create redis --health-cmd 'redis-cli ping' --health-interval 1s --health-timeout 3s --health-retries 30
create db --health-cmd 'pg_isready -U postgres -h 127.0.0.1' --health-interval 1s --health-timeout 3s \
  --health-retries 30 --stop-signal SIGINT -e POSTGRES_PASSWORD_FILE=/run/secrets/db-password
create worker -e DB_PASSWORD_FILE=/run/secrets/db-password
create result -p 127.0.0.1::80 -e DB_PASSWORD_FILE=/run/secrets/db-password
create vote -p 127.0.0.1::80
create toolbox
# One file, as the provider uploads it: copying the folder would also set /run/secrets' own mode from ours.
for role in db worker result; do docker cp "$TMP/secrets/db-password" "$PREFIX-$role:/run/secrets/db-password"; done

started="$(now)"
docker start "$PREFIX-redis" "$PREFIX-db" >/dev/null
if t="$(wait_healthy redis "$started")"; then pass "redis healthy (redis-cli ping) after ${t}s"
else fail "redis did not become healthy within ${WAIT_SECONDS}s"; exit 1; fi
if t="$(wait_healthy db "$started")"; then pass "db healthy (pg_isready -U postgres -h 127.0.0.1) after ${t}s, first start"
else fail "db did not become healthy within ${WAIT_SECONDS}s"; exit 1; fi

docker start "$PREFIX-worker" "$PREFIX-result" "$PREFIX-vote" "$PREFIX-toolbox" >/dev/null
VOTE_URL="http://$(docker port "$PREFIX-vote" 80/tcp | head -n1)"
RESULT_URL="http://$(docker port "$PREFIX-result" 80/tcp | head -n1)"
case "$VOTE_URL $RESULT_URL" in
  "http://127.0.0.1:"*" http://127.0.0.1:"*) pass "vote on $VOTE_URL, result on $RESULT_URL (127.0.0.1 only)" ;;
  *) fail "ports not published on 127.0.0.1 only: $VOTE_URL $RESULT_URL" ;;
esac

# Embedded DNS: every service resolves and answers from a peer container on the network.
for check in "nslookup redis" "nslookup db" "ping -c1 -W2 redis" "nc -w2 db 5432 </dev/null" \
  "printf 'PING\\r\\n' | nc -w2 redis 6379 | grep -q PONG" \
  "wget -qO /dev/null http://vote/" "wget -qO /dev/null http://result/results.json"; do
  if docker exec "$PREFIX-toolbox" sh -c "$check" >/dev/null 2>&1; then pass "toolbox: $check"
  else fail "toolbox: $check"; fi
done

if page="$(wait_http "$VOTE_URL/")" && grep -q 'value="a">Cats' <<<"$page" && grep -q 'value="b">Dogs' <<<"$page"
then pass "GET vote / shows the ballot (a=Cats, b=Dogs)"
else fail "GET vote / did not show the ballot"; fi

if wait_tally '{"a": 0, "b": 0, "total": 0}'; then pass "result counts zero before any vote"
else fail "result did not count zero before any vote"; fi

# A new voter gets a voter_id cookie.
if curl -fsS --max-time 5 -o /dev/null -D "$TMP/headers" --data vote=a "$VOTE_URL/" \
  && grep -qiE '^set-cookie: voter_id=[0-9a-f]+' "$TMP/headers"; then pass "POST without a cookie sets voter_id"
else fail "POST without a cookie did not set voter_id"; fi

started="$(now)"
cast voter-1 a && cast voter-2 b && cast voter-2 a
if wait_tally '{"a": 3, "b": 0, "total": 3}'; then pass "3 voters, one changed b->a: tally a=3 b=0 after $(elapsed "$started")s"
else fail "tally after the first votes"; fi

# The worker reconnects when redis or db go away.
docker restart "$PREFIX-redis" >/dev/null
wait_healthy redis "$(now)" >/dev/null || fail "redis not healthy again after restart"
cast voter-3 b || fail "vote after the redis restart was not accepted"
if wait_tally '{"a": 3, "b": 1, "total": 4}'; then pass "worker reconnected to redis after a restart"
else fail "worker did not recover from a redis restart"; fi

docker restart "$PREFIX-db" >/dev/null
started="$(now)"
if t="$(wait_healthy db "$started")"; then pass "db healthy again ${t}s after a restart (existing data dir)"
else fail "db not healthy again after restart"; fi
cast voter-4 b || fail "vote after the db restart was not accepted"
if wait_tally '{"a": 3, "b": 2, "total": 5}'; then pass "worker reconnected to db after a restart"
else fail "worker did not recover from a db restart"; fi

if grep -q 'stored vote b of voter voter-4' <<<"$(docker logs "$PREFIX-worker" 2>&1)"; then pass "worker logs what it stores"
else fail "worker log does not mention the stored vote"; fi

# No password in any image: the db entrypoint refuses to initialise without one.
if docker run --rm --network none "$REPO/db:local" >"$TMP/nopw.log" 2>&1; then fail "db started without a password"
elif grep -q 'no password' "$TMP/nopw.log"; then pass "db refuses to initialise without a password"
else fail "db without a password failed for another reason: $(tail -n1 "$TMP/nopw.log")"; fi

# Every container stops within a few seconds (PID 1 handles SIGTERM; db uses SIGINT, see above).
for c in "${CONTAINERS[@]}"; do
  started="$(now)"
  docker stop --time 10 "$c" >/dev/null
  t="$(elapsed "$started")"
  code="$(docker inspect --format '{{.State.ExitCode}}' "$c")"
  if awk -v t="$t" 'BEGIN { exit !(t < 5) }' && [ "$code" != 137 ]; then pass "${c#"$PREFIX-"} stopped in ${t}s (exit $code)"
  else fail "${c#"$PREFIX-"} took ${t}s to stop (exit $code)"; fi
done

if [ "$FAILED" = 0 ]; then say "PASS"; else say "FAILED"; fi
exit "$FAILED"
