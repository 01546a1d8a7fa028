#!/usr/bin/env bash
# The Swarm step of ops/main-job/voting-app.sh (VOTING_APP_ORCHESTRATOR=swarm).
#   ops/engine/swarm-init.sh ACTION   deploy/diff: make this machine's engine a single-node swarm manager if it is in
#                                     no swarm (a remote engine in none is refused: its address is not known here);
#                                     deploy: label the node Terraform talks to with VOTING_APP_DATA_NODE_LABEL when no
#                                     node has it: db and redis are pinned by that label, and db's volume is created
#                                     on that node
#   ops/engine/swarm-init.sh --has-ipvs   exit 0 when this kernel has IPVS (virtual IPs and the ingress mesh need it)
# Destroy leaves the swarm and the label as they are: other services may run in it (`docker swarm leave --force`
# ends it).
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
elif [ "$action" = "destroy" ]; then
  echo "voting-app: the engine is in no swarm (state: $state); nothing of the Swarm app can be running" >&2
  exit 0
elif [ -n "${DOCKER_HOST:-}" ] && [ "$DOCKER_HOST" != unix:///var/run/docker.sock ]; then
  echo "voting-app: the engine at DOCKER_HOST=$DOCKER_HOST is in no swarm (state: $state); make it a manager (docker swarm init --advertise-addr <its address>), or unset DOCKER_HOST to deploy on this machine's engine" >&2
  exit 1
else
  echo "voting-app: the engine is in no swarm (state: $state); initialising a single-node swarm: docker swarm init --advertise-addr 127.0.0.1" >&2
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null
fi

# The data node (db, its volume, redis): the one Terraform talks to, where the stack's volume is created.
label="${VOTING_APP_DATA_NODE_LABEL:-}"
[ -n "$label" ] && [ "$action" = deploy ] || exit 0
self="$(docker info --format '{{.Swarm.NodeID}}')"
labelled="$(docker node ls -q --filter "node.label=$label")"
if [ -z "$labelled" ]; then
  echo "voting-app: labelling this node ($(docker node inspect --format '{{.Description.Hostname}}' "$self")) $label: db and redis run where db's volume is created, on the node Terraform talks to" >&2
  docker node update --label-add "$label" "$self" >/dev/null
elif [ "$labelled" != "$self" ]; then
  echo "voting-app: node(s) $(echo "$labelled" | paste -sd ' ') carry $label, but Terraform talks to node $self, where db's volume is created; move the label (docker node update --label-rm ${label%%=*} <node>) or point DOCKER_HOST at that node" >&2
  exit 1
fi
