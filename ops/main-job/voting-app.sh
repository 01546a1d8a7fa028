#!/usr/bin/env bash
# The main job: synthesize the voting-app stack and deploy it on the local Docker engine.
#   ops/main-job/voting-app.sh [deploy|diff|destroy] [main-job options]   (npm run deploy / npm run diff / npm run destroy)
# VOTING_APP_IMAGES=local builds and uses the images from Debian packages (no registry needed);
# without it the stack pulls the maintained public images.
# This script prepares the machine (engine, images, password); ops/main-job/main-job.ts takes the provider from the
# filesystem mirror where needed, does the synth and drives Terraform in cdktf.out/stacks/voting-app, on the state
# cdktf uses.
set -euo pipefail
cd "$(dirname "$0")/../.."
action="${1:-deploy}"
shift || true
actions='^(deploy|diff|destroy)$'
if [[ ! "$action" =~ $actions ]]; then
  echo "usage: $0 [deploy|diff|destroy] [main-job options]" >&2
  exit 2
fi
export CHECKPOINT_DISABLE=1

# The Terraform state and its backup hold the database password in clear text, unless OpenTofu encrypts them
# (STATE_ENCRYPTION, ops/main-job/terraform-env.sh). Private files are made private where they are written
# (main-job.ts runs Terraform under umask 077; the password file is created 0600), never by a umask here: the
# engine, the image builds and PostgreSQL that this job may start must not inherit it. State files an older run
# left readable are made private (chmod).
shopt -s nullglob
state_files=(terraform.*.tfstate terraform.*.tfstate.* cdktf.out/stacks/*/terraform.tfstate*)
[ ${#state_files[@]} -eq 0 ] || chmod go-rwx "${state_files[@]}"
shopt -u nullglob

# One deploy, diff or destroy of this project at a time: they share cdktf.out, dist and the state, and the
# leftover check below must not take a running apply's new objects for leftovers. The lock is on fd 8, which every
# program this script runs inherits: the servers it may start (ops/engine/daemon.sh) close it first, or they would
# hold the lock for as long as they run.
exec 8>.voting-app.lock
if ! flock -n 8; then
  echo "voting-app: refused: another npm run deploy/diff/destroy of this project is running (it holds $PWD/.voting-app.lock); wait for it to finish, then run the command again" >&2
  exit 75
fi

source ops/main-job/terraform-env.sh
refuse_empty_state_connection
use_deploy_settings
use_terraform_binary

# This machine's engine is started where it is the one to deploy on; an engine elsewhere (DOCKER_HOST, with its
# TLS material in DOCKER_CERT_PATH: the provider and the docker CLI read them) must answer as it is.
if remote_engine; then
  if ! why="$(timeout 30 docker version --format '{{.Server.Version}}' 2>&1 >/dev/null)"; then
    echo "voting-app: the engine at DOCKER_HOST=$DOCKER_HOST does not answer: ${why:-no reply}" >&2
    exit 1
  fi
else
  bash ops/engine/start-docker.sh
fi

# --- Swarm (VOTING_APP_ORCHESTRATOR=swarm): services need a swarm manager; see ops/engine/swarm-init.sh. ---
use_data_node_label
if [ "${VOTING_APP_ORCHESTRATOR:-containers}" = "swarm" ]; then
  bash ops/engine/swarm-init.sh "$action"
fi
use_swarm_publish_mode
# --- end Swarm ---
# Only a deploy builds images: a diff reads, and shows a missing image as a change instead. For an engine elsewhere
# they are built on this machine's engine (never started for it) and copied into every node of its swarm.
if [ "${VOTING_APP_IMAGES:-public}" = "local" ] && [ "$action" = deploy ]; then
  if remote_engine; then
    if ! DOCKER_HOST='' DOCKER_TLS_VERIFY='' DOCKER_CERT_PATH='' docker info >/dev/null 2>&1; then
      echo "voting-app: VOTING_APP_IMAGES=local with DOCKER_HOST=$DOCKER_HOST: the images are built on this machine's engine and copied to the swarm's nodes, and no engine answers here; start it (npm run engine:start) and run again" >&2
      exit 1
    fi
    DOCKER_HOST='' DOCKER_TLS_VERIFY='' DOCKER_CERT_PATH='' bash ops/images/build-local-images.sh
    mapfile -t local_images < <(bash ops/images/build-local-images.sh --list)
    bash ops/images/load-into-nodes.sh "${local_images[@]}"
  else
    bash ops/images/build-local-images.sh
  fi
fi

use_db_password
use_state_passphrase

# Build mode: when nothing changed since the last build it only compares timestamps (0.2 s against 4-13 s). Called
# directly, not through npx or npm run, which add 0.4 s and 0.2 s to every deploy, diff and destroy.
node node_modules/typescript/bin/tsc -b tsconfig.json
extra=()
[ "$action" = deploy ] && extra=(--outputs-file "${CDKTF_OUTDIR:-cdktf.out}/voting-app-outputs.json")
status=0
node dist/ops/main-job/main-job.js "$action" --stack voting-app "${extra[@]}" "$@" || status=$?
# Only a deploy that succeeded records its settings: a misspelt value that failed must not stick.
if [ "$action" = deploy ] && [ "$status" = 0 ]; then record_deploy_settings; fi
exit "$status"
