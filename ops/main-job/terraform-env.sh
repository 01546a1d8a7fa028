# Sourced by ops/main-job/voting-app.sh and ops/review/review.sh: the environment Terraform needs here, the same for a
# deploy and for the review of the next one (a different database password would plan a replacement of db).

# The settings stick: a diff, review, destroy or deploy without VOTING_APP_IMAGES (and the others below) would
# otherwise compare the deployment with another app (the public images, another layout) and plan to replace it.
# What the environment sets wins; a deploy that succeeded records what it used (record_deploy_settings).
DEPLOY_SETTINGS_FILE=.voting-app.settings
DEPLOY_SETTINGS=(VOTING_APP_IMAGES VOTING_APP_SEGMENTATION VOTING_APP_ORCHESTRATOR VOTING_APP_SWARM_PUBLISH)
use_deploy_settings() {
  local name value
  [ -f "$DEPLOY_SETTINGS_FILE" ] || return 0
  while IFS='=' read -r name value; do
    if [[ " ${DEPLOY_SETTINGS[*]} " == *" $name "* ]] && [ -z "${!name:-}" ]; then
      export "$name=$value"
      echo "voting-app: $name=$value, as in the last deploy ($DEPLOY_SETTINGS_FILE); set $name to change it" >&2
    fi
  done <"$DEPLOY_SETTINGS_FILE"
}
# What this deploy used, without the host mode use_swarm_publish_mode chose for this kernel (chosen again each time).
record_deploy_settings() {
  local name
  for name in "${DEPLOY_SETTINGS[@]}"; do
    if [ -n "${!name:-}" ] && [ "$name=${!name}" != "$AUTO_SWARM_PUBLISH" ]; then printf '%s=%s\n' "$name" "${!name}"; fi
  done >"$DEPLOY_SETTINGS_FILE"
}

# `export STATE_PG_CONN_STR="$(npm run --silent state:start)"` whose script failed leaves it empty, and the state
# would silently stay local: refused before anything starts (main.ts refuses it too, for cdktf's own commands).
refuse_empty_state_connection() {
  if [ "${STATE_PG_CONN_STR+set}" = set ] && [ -z "${STATE_PG_CONN_STR// /}" ]; then
    echo "voting-app: STATE_PG_CONN_STR is set but empty (did npm run state:start fail?); set it to a postgres:// URL, or unset it to keep the state local" >&2
    exit 1
  fi
}

# An engine other than this machine's own: DOCKER_HOST set to anything but its default socket (e.g. the manager of
# the lab, npm run lab). The job then neither starts the local dockerd nor initialises a swarm there.
remote_engine() { [ -n "${DOCKER_HOST:-}" ] && [ "$DOCKER_HOST" != unix:///var/run/docker.sock ]; }

# The engine label by which an engine says its kernel has no IPVS (the lab's nodes carry it): a remote kernel's
# modules cannot be read from here.
NO_IPVS_LABEL=cdktf-docker-networking.ipvs=false
engine_lacks_ipvs() {
  if remote_engine; then
    # Read whole before grep: `docker info | grep -q` under pipefail fails when grep exits before docker's last write.
    local labels
    labels="$(docker info --format '{{range .Labels}}{{println .}}{{end}}' 2>/dev/null)" || return 1
    grep -qx "$NO_IPVS_LABEL" <<<"$labels"
  else
    ! bash ops/engine/swarm-init.sh --has-ipvs
  fi
}

AUTO_SWARM_PUBLISH=""
# Swarm on an engine without IPVS (this kernel, or a remote engine labelled so): the ingress mesh would never
# answer, so vote and result publish in host mode unless VOTING_APP_SWARM_PUBLISH says otherwise. The same for a
# deploy and its review.
use_swarm_publish_mode() {
  if [ "${VOTING_APP_ORCHESTRATOR:-containers}" = swarm ] && [ -z "${VOTING_APP_SWARM_PUBLISH:-}" ] && engine_lacks_ipvs; then
    export VOTING_APP_SWARM_PUBLISH=host
    AUTO_SWARM_PUBLISH=VOTING_APP_SWARM_PUBLISH=host
    if remote_engine; then
      echo "voting-app: the engine at $DOCKER_HOST says its kernel has no IPVS ($NO_IPVS_LABEL), so the ingress mesh would never answer; publishing vote and result in host mode (VOTING_APP_SWARM_PUBLISH=ingress overrides)" >&2
    else
      echo "voting-app: this kernel has no IPVS, so the ingress mesh would never answer; publishing vote and result in host mode (VOTING_APP_SWARM_PUBLISH=ingress overrides)" >&2
    fi
  fi
}

# On Swarm, db (with its volume) and redis run on the node Terraform talks to, which the swarm step labels
# (ops/engine/swarm-init.sh); the stack pins them by this label (stacks/voting-app.ts reads it).
use_data_node_label() {
  if [ "${VOTING_APP_ORCHESTRATOR:-containers}" = swarm ]; then export VOTING_APP_DATA_NODE_LABEL=voting-app.data=true; fi
}

# The database password never appears in cdk.tf.json: it reaches Terraform as a sensitive variable.
use_db_password() {
  if [ -n "${TF_VAR_db_password:-}" ]; then return; fi
  if [ "${VOTING_APP_IMAGES:-public}" = "local" ]; then
    mkdir -p .secrets && chmod 700 .secrets
    [ -s .secrets/db-password ] || (umask 077 && node -e "process.stdout.write(require('crypto').randomBytes(24).toString('base64url'))" > .secrets/db-password)
    chmod 600 .secrets/db-password
    TF_VAR_db_password="$(cat .secrets/db-password)"
  else
    echo "terraform-env: the public worker and result images hard-code the password 'postgres'; using it" >&2
    TF_VAR_db_password=postgres
  fi
  export TF_VAR_db_password
}

# TERRAFORM_BINARY_NAME=tofu runs OpenTofu (cdktf's variable, read by the main job too): installed where it is missing,
# at the version ops/terraform/install-tofu.sh pins (built through the Go module proxy, about 10 minutes once).
is_opentofu() { [[ "$(basename "${TERRAFORM_BINARY_NAME:-terraform}")" == tofu* ]]; }
use_terraform_binary() {
  if is_opentofu && ! command -v "$TERRAFORM_BINARY_NAME" >/dev/null 2>&1; then
    bash ops/terraform/install-tofu.sh >/dev/null
  fi
}

# The state's encryption (OpenTofu only; main.ts adds it to every stack): STATE_ENCRYPTION=on (the default under
# OpenTofu), off (the default under Terraform, which has none), or decrypt (writes the state back unencrypted, the
# way back to Terraform). Its passphrase is generated once into .secrets/state-passphrase (0600) unless
# TF_VAR_state_passphrase is set: without that file an encrypted state cannot be read again, so keep it with the state.
state_encryption_mode() { echo "${STATE_ENCRYPTION:-$(is_opentofu && echo on || echo off)}"; }
use_state_passphrase() {
  if [ -n "${TF_VAR_state_passphrase:-}" ] || [ "$(state_encryption_mode)" = off ]; then return; fi
  mkdir -p .secrets && chmod 700 .secrets
  [ -s .secrets/state-passphrase ] || (umask 077 && node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64url'))" > .secrets/state-passphrase)
  chmod 600 .secrets/state-passphrase
  TF_VAR_state_passphrase="$(cat .secrets/state-passphrase)"
  export TF_VAR_state_passphrase
}
