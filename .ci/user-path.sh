#!/usr/bin/env bash
# Tier 0, the user's path: what a new user does first, exactly as the README writes it, on a machine whose engine
# is stopped and that has none of the voting app's images (.ci/engine.sh). Then a vote on 5000 must be counted on
# 5001, `npm run diff` must find nothing to change, and `npm run destroy` must leave nothing of the stack.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "user-path: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

# The command as the README's first lines give it; the check keeps the two from drifting apart.
FIRST_COMMAND='npm ci && VOTING_APP_IMAGES=local npm run deploy'
grep -qF "$FIRST_COMMAND    # the main job" README.md || fail "the README's first command is no longer: $FIRST_COMMAND"
# --again: the same path a second time on the machine the first left (engine running, images built), e.g. on
# OpenTofu (TERRAFORM_BINARY_NAME=tofu): the command, the vote, the diff and the destroy are the same.
if [ "${1:-}" != --again ] && docker info >/dev/null 2>&1; then fail "an engine answers already: this would not be a new user's machine"; fi
say "with ${TERRAFORM_BINARY_NAME:-terraform}"

say "\$ $FIRST_COMMAND"
eval "$FIRST_COMMAND"

say "a vote on http://127.0.0.1:5000, the tally on http://127.0.0.1:5001"
node - <<'JS'
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const get = async (url, init = {}) => {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
};
(async () => {
  const vote = await get('http://127.0.0.1:5000/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'voter_id=ci-user-path' },
    body: 'vote=a',
  });
  if (vote.status !== 200) throw new Error(`vote answered ${vote.status}: ${vote.body}`);
  let last;
  for (let i = 0; i < 120; i++) {
    last = await get('http://127.0.0.1:5001/results.json');
    if (last.status === 200 && JSON.parse(last.body).a >= 1) {
      console.error(`user-path: counted: ${last.body.trim()}`);
      return;
    }
    await sleep(500);
  }
  throw new Error(`the vote was not counted within 60 s; result answered ${last.status}: ${last.body}`);
})().catch((error) => {
  console.error(`user-path: FAILED: ${error.message}`);
  process.exit(1);
});
JS

say "\$ npm run diff"
diff_log="$(mktemp)"
npm run diff 2>&1 | tee "$diff_log" || fail "npm run diff exited ${PIPESTATUS[0]}"
grep -q 'No changes. Your infrastructure matches the configuration' "$diff_log" || fail "npm run diff found changes right after the deploy"
rm -f "$diff_log"

say "\$ npm run destroy"
npm run destroy
label=cdktf-docker-networking.stack=voting-app
left="$(docker ps -aq --filter "label=$label"; docker network ls -q --filter "label=$label"; docker volume ls -q --filter "label=$label")"
[ -z "$left" ] || fail "npm run destroy left objects of the stack on the engine: $left"
say "ok: deployed${1:+ again}${1:- from a stopped engine without images} with ${TERRAFORM_BINARY_NAME:-terraform}, a vote counted, no changes, destroyed, nothing left"
