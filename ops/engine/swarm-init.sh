#!/usr/bin/env bash
# The Swarm step of ops/main-job/voting-app.sh (VOTING_APP_ORCHESTRATOR=swarm).
#   ops/engine/swarm-init.sh ACTION   deploy/diff: make the engine a single-node swarm manager if it is in no swarm
#   ops/engine/swarm-init.sh --has-ipvs   exit 0 when this kernel has IPVS (virtual IPs and the ingress mesh need it)
# Destroy leaves the swarm as it is: other services may run in it (`docker swarm leave --force` ends it).
set -euo pipefail

if [ "${1:-}" = "--has-ipvs" ]; then
  [ -d /sys/module/ip_vs ] || grep -qw '^ip_vs' /proc/modules 2>/dev/null
  exit
fi

action="${1:-deploy}"
state="$(docker info --format '{{.Swarm.LocalNodeState}}')"
if [ "$state" = "active" ]; then
  if [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" != "true" ]; then
    echo "voting-app: this engine is a swarm worker; point DOCKER_HOST at a manager to deploy services" >&2
    exit 1
  fi
  exit 0
fi
if [ "$action" = "destroy" ]; then
  echo "voting-app: the engine is in no swarm (state: $state); nothing of the Swarm app can be running" >&2
  exit 0
fi
echo "voting-app: the engine is in no swarm (state: $state); initialising a single-node swarm: docker swarm init --advertise-addr 127.0.0.1" >&2
docker swarm init --advertise-addr 127.0.0.1 >/dev/null
