#!/usr/bin/env bash
# npm run review -- <stack>: plans the stack against its state (shared in PostgreSQL when STATE_PG_CONN_STR is set)
# and writes cdktf.out/review/<stack>.md and .json from the saved plan's JSON (terraform show -json), never from
# the text of cdktf diff. Exit status 0: no changes, 2: changes, 1: an error (terraform plan -detailed-exitcode).
#   REVIEW_LOCK_TIMEOUT  how long the plan waits for a state lock held by a deploy (default 120s)
#   REVIEW_KEEP_PLAN=1   keep the saved plan and its JSON in cdktf.out/stacks/<stack>/ (they hold sensitive values)
set -euo pipefail
trap 'exit 1' ERR
cd "$(dirname "$0")/../.."
stack="${1:-}"
if [ -z "$stack" ]; then
  echo "usage: npm run review -- <stack>   (e.g. voting-app, network-basics)" >&2
  exit 1
fi
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

source ops/main-job/terraform-env.sh
refuse_empty_state_connection
use_deploy_settings
use_data_node_label
use_swarm_publish_mode
use_terraform_binary
use_db_password
use_state_passphrase

say() { echo "review: $*" >&2; }
quietly() {
  local log
  log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    say "failed: $*"
    return 1
  fi
  rm -f "$log"
}

say "building"
quietly node node_modules/typescript/bin/tsc -b tsconfig.json
# The main job's driver: the app synthesized in this process, terraform init only when the providers, the backend
# or the CLI configuration changed, the plan with refresh, saved in the stack folder.
say "synthesizing and planning $stack ($( [ -n "${STATE_PG_CONN_STR:-}" ] && echo 'state in PostgreSQL' || echo 'local state'))"
quietly node dist/ops/main-job/main-job.js diff --stack "$stack" --plan-out review.tfplan --lock-timeout "${REVIEW_LOCK_TIMEOUT:-120s}"
dir="${CDKTF_OUTDIR:-cdktf.out}/stacks/$stack"
# The CLI that saved the plan reads it (OpenTofu decrypts it with the stack's encryption).
"${TERRAFORM_BINARY_NAME:-terraform}" -chdir="$dir" show -json review.tfplan > "$dir/review-plan.json"

# In an || list: the review's exit status 2 (changes) is no error for the ERR trap.
status=0
node dist/ops/review/cli.js "$stack" "$dir/review-plan.json" "$dir/policy-report.json" || status=$?
[ "${REVIEW_KEEP_PLAN:-0}" = 1 ] || rm -f "$dir/review.tfplan" "$dir/review-plan.json"
exit "$status"
