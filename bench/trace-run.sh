#!/usr/bin/env bash
# Records one command for bench/trace.ts: Terraform's trace log (TF_LOG=trace), `docker events` as JSON lines and
# the wall-clock start and end. Run it under the engine lock; it creates nothing itself.
#   flock /tmp/docker-engine.lock bench/trace-run.sh /tmp/trace/npm-deploy npm run deploy
#   node dist/bench/trace.js /tmp/trace/npm-deploy
set -uo pipefail
out="$1"; shift
rm -rf "$out"; mkdir -p "$out"
docker events --format '{{json .}}' > "$out/events.jsonl" &
events=$!
sleep 0.3 # let docker events subscribe
echo "start $(date +%s.%N)" > "$out/wall"
TF_LOG=trace TF_LOG_PATH="$out/tf.log" "$@" > "$out/stdout" 2>&1
rc=$?
echo "end $(date +%s.%N) rc $rc" >> "$out/wall"
sleep 0.3
kill "$events"
echo "$(basename "$out"): exit $rc" >&2
exit "$rc"
