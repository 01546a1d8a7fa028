#!/usr/bin/env bash
# The main job: synthesize the voting-app stack and deploy it on the local Docker engine.
#   scripts/voting-app.sh [deploy|diff|destroy]      (npm run deploy / npm run diff / npm run destroy)
# VOTING_APP_IMAGES=local builds and uses the images from Debian packages (no registry needed);
# without it the stack pulls the maintained public images.
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:-deploy}"
export CHECKPOINT_DISABLE=1

bash scripts/start-docker.sh

# --- Swarm (VOTING_APP_ORCHESTRATOR=swarm): services need a swarm manager; see scripts/swarm-init.sh. ---
if [ "${VOTING_APP_ORCHESTRATOR:-containers}" = "swarm" ]; then
  bash scripts/swarm-init.sh "$action"
  if [ -z "${VOTING_APP_SWARM_PUBLISH:-}" ] && [ -z "${DOCKER_HOST:-}" ] && ! bash scripts/swarm-init.sh --has-ipvs; then
    export VOTING_APP_SWARM_PUBLISH=host
    echo "voting-app: this kernel has no IPVS, so the ingress mesh would never answer; publishing vote and result in host mode (VOTING_APP_SWARM_PUBLISH=ingress overrides)" >&2
  fi
fi
# --- end Swarm ---
if [ "${VOTING_APP_IMAGES:-public}" = "local" ] && [ "$action" != "destroy" ]; then
  npm run --silent images:local
fi

# The database password never appears in cdk.tf.json: it reaches Terraform as a sensitive variable.
if [ -z "${TF_VAR_db_password:-}" ]; then
  if [ "${VOTING_APP_IMAGES:-public}" = "local" ]; then
    mkdir -p .secrets && chmod 700 .secrets
    [ -s .secrets/db-password ] || node -e "process.stdout.write(require('crypto').randomBytes(24).toString('base64url'))" > .secrets/db-password
    chmod 600 .secrets/db-password
    TF_VAR_db_password="$(cat .secrets/db-password)"
  else
    echo "voting-app: the public worker and result images hard-code the password 'postgres'; using it" >&2
    TF_VAR_db_password=postgres
  fi
  export TF_VAR_db_password
fi

# Where the kreuzwerker/docker provider cannot be downloaded, take it from a filesystem mirror
# (unless a CLI config that exists says otherwise: an environment may name one that is not there).
mirror="${TF_PROVIDER_MIRROR:-/opt/terraform-provider-mirror}"
if [ ! -f "${TF_CLI_CONFIG_FILE:-}" ] && compgen -G "$mirror/*/kreuzwerker/docker/*" >/dev/null; then
  export TF_CLI_CONFIG_FILE="$PWD/.terraform-cli.tfrc"
  cat > "$TF_CLI_CONFIG_FILE" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["kreuzwerker/docker"]
  }
  direct {
    exclude = ["kreuzwerker/docker"]
  }
}
TFRC
  echo "voting-app: using the provider from the filesystem mirror $mirror" >&2
fi

npm run --silent build
# --skip-provider-lock: cdktf would otherwise run `terraform providers lock`, which ignores filesystem mirrors.
case "$action" in
  deploy) npx cdktf deploy voting-app --auto-approve --skip-provider-lock --outputs-file cdktf.out/voting-app-outputs.json ;;
  diff) npx cdktf diff voting-app --skip-provider-lock ;;
  destroy) npx cdktf destroy voting-app --auto-approve --skip-provider-lock ;;
  *) echo "usage: $0 [deploy|diff|destroy]" >&2; exit 2 ;;
esac
