/**
 * `node dist/ops/review/cli.js <stack> <plan.json> [policy-report.json]`: writes cdktf.out/review/<stack>.md and
 * .json from the plan JSON. Exit status 0 for no changes, 2 for changes, 1 for an error (like
 * `terraform plan -detailed-exitcode`). ops/review/review.sh makes the plan and calls this.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderMarkdown } from './markdown';
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
  const review = reviewPlan(plan, { stack, policyReport });
  const outDir = path.resolve(process.env.REVIEW_OUT_DIR ?? path.join('cdktf.out', 'review'));
  fs.mkdirSync(outDir, { recursive: true });
  const markdown = renderMarkdown(review);
  fs.writeFileSync(path.join(outDir, `${stack}.md`), markdown);
  fs.writeFileSync(path.join(outDir, `${stack}.json`), reviewJson(review));
  process.stderr.write(`review: wrote ${path.join(outDir, `${stack}.md`)} and .json\n`);
  process.stdout.write(markdown);
  return review.hasChanges ? 2 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`review: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
}
