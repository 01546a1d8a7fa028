/** Wall times of cdktf commands, appended to .e2e/timings.jsonl (git-ignored) and printed, for docs/deploy-tier.md. */
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from './cdktf';

export function recordTiming(stack: string, command: string, ms: number): void {
  const dir = path.join(PROJECT_ROOT, '.e2e');
  fs.mkdirSync(dir, { recursive: true });
  const line = { at: new Date().toISOString(), stack, command, seconds: Math.round(ms / 100) / 10 };
  fs.appendFileSync(path.join(dir, 'timings.jsonl'), `${JSON.stringify(line)}\n`);
  process.stderr.write(`timing: ${stack} ${command} ${line.seconds}s\n`);
}
