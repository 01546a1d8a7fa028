/**
 * `node dist/ops/review/cli.js <stack> <plan.json> [policy-report.json]`: writes cdktf.out/review/<stack>.md (the
 * whole review), <stack>.json, and <stack>.comments.json (the review as pull-request comments, each within GitHub's
 * 65,536 characters) from the plan JSON. Exit status 0 for no changes, 2 for changes, 1 for an error (like
 * `terraform plan -detailed-exitcode`). ops/review/review.sh makes the plan and calls this.
 *   REVIEW_RUN_URL  where the whole review can be read (the workflow run that keeps it as an artifact); a review
 *                   split into several comments links to it
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderComments, renderMarkdown } from './markdown';
import { PolicyReportJson } from './policy';
import { PlanJson } from './plan';
import { reviewJson, reviewPlan } from './review';

function main(argv: string[]): number {
  const [stack, planFile, reportFile] = argv;
  if (!stack || !planFile) {
    process.stderr.write('usage: cli.js <stack> <plan.json> [policy-report.json] (outputs in cdktf.out/review/)\n');
    return 1;
  }
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as PlanJson;
  const policyReport =
    reportFile && fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as PolicyReportJson) : undefined;
  const review = reviewPlan(plan, { stack, policyReport, ipvs: engineHasIpvs() });
  const outDir = path.resolve(process.env.REVIEW_OUT_DIR ?? path.join('cdktf.out', 'review'));
  fs.mkdirSync(outDir, { recursive: true });
  const markdown = renderMarkdown(review);
  fs.writeFileSync(path.join(outDir, `${stack}.md`), markdown);
  fs.writeFileSync(path.join(outDir, `${stack}.json`), reviewJson(review));
  const comments = renderComments(review, { fullReviewUrl: process.env.REVIEW_RUN_URL || undefined });
  fs.writeFileSync(path.join(outDir, `${stack}.comments.json`), `${JSON.stringify(comments, null, 1)}\n`);
  process.stderr.write(
    `review: wrote ${path.join(outDir, `${stack}.md`)}, .json and .comments.json (${comments.length} ${comments.length > 1 ? 'comments' : 'comment'})\n`,
  );
  process.stdout.write(markdown);
  return review.hasChanges ? 2 : 0;
}

/**
 * Whether the engine's kernel has IPVS, where the engine is on this machine (no DOCKER_HOST, or a unix socket): the
 * `ip_vs` module in /sys/module or /proc/modules, as ops/engine/swarm-init.sh --has-ipvs reads it (and the deploy then
 * publishes in host mode). Undefined for a remote engine.
 */
function engineHasIpvs(): boolean | undefined {
  const host = process.env.DOCKER_HOST ?? '';
  if (host !== '' && !host.startsWith('unix://')) return undefined;
  if (fs.existsSync('/sys/module/ip_vs')) return true;
  try {
    return /^ip_vs\s/m.test(fs.readFileSync('/proc/modules', 'utf8'));
  } catch {
    return false;
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`review: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
}
