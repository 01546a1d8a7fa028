# Sourced by .ci/run: the Docker engine of a CI run.
#
# cold_engine: the machine as a new user finds it. No engine may answer yet (CI starts after every process of the
# session that prepared it has ended), and the engine that the README's first command starts gets a data root of
# this run's own, through DOCKERD_ARGS, which npm run engine:start passes to dockerd: no images (the voting
# app's are built by that command), no containers, networks, volumes or swarm left by an earlier session. On exit
# the engine (and the PostgreSQL server the run started) is stopped and the data root removed.
CI_DATA_ROOTS=/var/lib/docker-ci

cold_engine() {
  if docker info >/dev/null 2>&1; then
    echo "ci: a Docker engine already answers; the user's path needs a machine whose engine is stopped" >&2
    return 1
  fi
  # Data roots of earlier runs that ended without their trap (no engine runs, so none is in use).
  rm -rf --one-file-system "$CI_DATA_ROOTS"
  mkdir -p "$CI_DATA_ROOTS"
  CI_DATA_ROOT="$(mktemp -d "$CI_DATA_ROOTS/run.XXXXXX")"
  export DOCKERD_ARGS="--data-root $CI_DATA_ROOT"
  trap stop_services EXIT
}

# Stops what the run started: this clone's PostgreSQL server, then dockerd (which stops the containers), then
# removes the run's data root. Bounded: 60 s for dockerd to exit.
stop_services() {
  local status=$? pid _
  npm run --silent state:stop || true
  # Where this clone's folder was private, its cluster lives under the postgres user's home (start-postgres.sh).
  local cluster
  for cluster in /var/lib/postgresql/cdktf-docker-networking/*; do
    if [ "$(cat "$cluster/project" 2>/dev/null)" = "$PWD/.postgres" ]; then rm -rf --one-file-system "$cluster"; fi
  done
  pid="$(cat /var/run/docker.pid 2>/dev/null || true)"
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  [ -n "${CI_DATA_ROOT:-}" ] && rm -rf --one-file-system "$CI_DATA_ROOT"
  return "$status"
}
