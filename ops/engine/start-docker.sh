#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine, for the main job and the deploy tier.
# Idempotent: does nothing when `docker info` already works. Installs docker.io from the
# distribution's apt repositories when missing, starts dockerd in the background as root when it is not
# running (through ops/engine/daemon.sh: it inherits no descriptor, umask or folder of its caller), then waits
# (bounded) until the engine answers. Exits non-zero with a reason otherwise.
#   DOCKER_START_TIMEOUT  seconds to wait for the engine (default 60)
#   DOCKERD_LOG           dockerd's log (default /var/log/dockerd.log)
#   DOCKERD_ARGS          more arguments for dockerd, split on spaces (e.g. `--data-root /var/lib/docker-ci`)
set -euo pipefail
# shellcheck source=ops/engine/daemon.sh
source "$(dirname "${BASH_SOURCE[0]}")/daemon.sh"

WAIT_SECONDS="${DOCKER_START_TIMEOUT:-60}"
LOG_FILE="${DOCKERD_LOG:-/var/log/dockerd.log}"

say() { echo "start-docker: $*" >&2; }

if docker info >/dev/null 2>&1; then
  say "engine already answering ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  exit 0
fi

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then
    say "${missing[*]} not installed and we are not root: install them (or Docker Engine) first"
    exit 1
  fi
  say "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# This machine's dockerd is the one with the default pid file: the lab's daemons (ops/lab) have pid files of their own.
if [ "$(cat "/proc/$(cat /var/run/docker.pid 2>/dev/null)/comm" 2>/dev/null)" != dockerd ]; then
  if [ "$(id -u)" != "0" ]; then
    say "dockerd is not running and we are not root, so we cannot start it"
    exit 1
  fi
  say "starting dockerd${DOCKERD_ARGS:+ $DOCKERD_ARGS} in the background (log: $LOG_FILE)"
  mkdir -p "$(dirname "$LOG_FILE")"
  read -ra extra_args <<<"${DOCKERD_ARGS:-}"
  start_daemon "$LOG_FILE" dockerd "${extra_args[@]}"
fi

for _ in $(seq 1 "$WAIT_SECONDS"); do
  if docker info >/dev/null 2>&1; then
    say "engine answering ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    exit 0
  fi
  sleep 1
done

say "the Docker engine did not answer within ${WAIT_SECONDS}s; last lines of $LOG_FILE:"
tail -n 20 "$LOG_FILE" >&2 2>/dev/null || true
exit 1
