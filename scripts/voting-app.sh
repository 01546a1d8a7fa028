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
if [ "${VOTING_APP_IMAGES:-public}" = "local" ] && [ "$action" != "destroy" ]; then
  npm run --silent images:local
fi

source scripts/terraform-env.sh
use_db_password
use_provider_mirror

npm run --silent build
# --skip-provider-lock: cdktf would otherwise run `terraform providers lock`, which ignores filesystem mirrors.
case "$action" in
  deploy) npx cdktf deploy voting-app --auto-approve --skip-provider-lock --outputs-file cdktf.out/voting-app-outputs.json ;;
  diff) npx cdktf diff voting-app --skip-provider-lock ;;
  destroy) npx cdktf destroy voting-app --auto-approve --skip-provider-lock ;;
  *) echo "usage: $0 [deploy|diff|destroy]" >&2; exit 2 ;;
esac
