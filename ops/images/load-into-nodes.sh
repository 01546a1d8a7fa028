#!/usr/bin/env bash
# Copies images from this machine's Docker engine into the engine at DOCKER_HOST, or into every node of the swarm it
# manages, so that its containers and services can run images no registry holds (VOTING_APP_IMAGES=local on a
# remote engine; ops/main-job):
#   bash ops/images/load-into-nodes.sh IMAGE...
# The nodes come from the swarm (`docker node ls` on the manager). Each node's engine is reached on its swarm
# address at DOCKER_HOST's port, with the same TLS material (DOCKER_CERT_PATH, DOCKER_TLS_VERIFY): the lab's nodes
# (npm run lab) share one CA and one client certificate. Each node gets `docker save | docker load` of the images
# it lacks or holds in another version (compared by image ID), all nodes at once; a node that is down is skipped
# and named (Swarm schedules nothing there).
set -euo pipefail

say() { echo "images: $*" >&2; }
die() { say "$*"; exit 1; }
local_docker() { DOCKER_HOST='' DOCKER_TLS_VERIFY='' DOCKER_CERT_PATH='' DOCKER_CONTEXT='' docker "$@"; }

[ $# -gt 0 ] || die "usage: $0 IMAGE..."
tcp_host='^tcp://([^:/]+):([0-9]+)/?$'
[[ "${DOCKER_HOST:-}" =~ $tcp_host ]] || die "DOCKER_HOST=${DOCKER_HOST:-} is not tcp://HOST:PORT: images are copied to the nodes of a swarm reached over tcp (with TLS)"
port="${BASH_REMATCH[2]}"

declare -A local_id
for image in "$@"; do
  if ! local_id[$image]="$(local_docker image inspect --format '{{.Id}}' "$image" 2>/dev/null)"; then
    die "$image is not on this machine's engine; build it first (npm run images:local)"
  fi
done

self="$(docker info --format '{{.Swarm.NodeID}}')"

# Copies what the node with engine $1 (hostname $2) lacks; says what it did.
load_into() {
  local endpoint="$1" name="$2" image missing=() started
  for image in "${images[@]}"; do
    [ "$(DOCKER_HOST="$endpoint" docker image inspect --format '{{.Id}}' "$image" 2>/dev/null)" = "${local_id[$image]}" ] \
      || missing+=("$image")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "$name ($endpoint): has all ${#images[@]} images"
    return 0
  fi
  started="$(date +%s)"
  local_docker save "${missing[@]}" | DOCKER_HOST="$endpoint" docker load -q >/dev/null \
    || { say "$name ($endpoint): docker load failed"; return 1; }
  say "$name ($endpoint): loaded ${missing[*]} in $(( $(date +%s) - started ))s"
}

images=("$@")
if [ -z "$self" ]; then
  load_into "$DOCKER_HOST" "the engine"
  exit
fi
pids=()
while read -r id hostname state addr; do
  if [ "$state" != ready ]; then
    say "$hostname: skipped, the node is $state"
    continue
  fi
  endpoint="tcp://$addr:$port"
  [ "$id" = "$self" ] && endpoint="$DOCKER_HOST"
  load_into "$endpoint" "$hostname" &
  pids+=($!)
done < <(docker node inspect --format '{{.ID}} {{.Description.Hostname}} {{.Status.State}} {{.Status.Addr}}' $(docker node ls -q))

failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ "$failed" = 0 ] || die "the images did not reach every node; see above"
