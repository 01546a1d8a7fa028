/**
 * Reads what bench/trace-run.sh recorded for one command (Terraform's TF_LOG=trace log, `docker events` as JSON
 * lines, the wall-clock start and end) and prints where the time went, as Markdown tables:
 * - phases: before Terraform (CLI start, build, synth), each Terraform process (init, plan, apply...), after it;
 * - refresh per resource type (Terraform's `NodeAbstractResourceInstance.refresh` until the refreshed state is
 *   written) and apply or destroy per resource (`Starting apply for` until its vertex completes);
 * - from docker events: each container's create, start, healthy, kill and destroy, relative to the start.
 *
 *   node dist/bench/trace.js /tmp/trace/npm-deploy [more folders...]
 */
import * as fs from 'fs';
import * as path from 'path';

interface Line {
  readonly at: number;
  readonly text: string;
}

const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) \[\w+\]\s+(.*)$/;
const s = (ms: number) => (ms / 1000).toFixed(2);

function readLog(file: string): Line[] {
  const lines: Line[] = [];
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = STAMP.exec(raw);
    if (m) lines.push({ at: Date.parse(m[1]), text: m[2] });
  }
  return lines;
}

/** Splits the log into one part per Terraform process (each starts with its version line). */
function processes(lines: Line[]): Line[][] {
  const parts: Line[][] = [];
  for (const line of lines) {
    if (line.text.startsWith('Terraform version:') || parts.length === 0) parts.push([]);
    parts[parts.length - 1].push(line);
  }
  return parts;
}

function commandOf(part: Line[]): string {
  const args = part.find((l) => l.text.startsWith('CLI args:'))?.text ?? '';
  const words = [...args.matchAll(/"([^"]*)"/g)].map((m) => m[1]).slice(1);
  return words.filter((w) => !w.startsWith('-no-color')).join(' ') || '?';
}

/** Pairs the first line matching `start` for an address with the next line matching `end` for it. */
function spans(part: Line[], start: RegExp, end: (address: string) => RegExp): { address: string; from: number; to: number }[] {
  const found: { address: string; from: number; to: number }[] = [];
  part.forEach((line, i) => {
    const m = start.exec(line.text);
    if (!m) return;
    const address = m[1];
    const endPattern = end(address);
    const closing = part.slice(i + 1).find((l) => endPattern.test(l.text));
    if (closing) found.push({ address, from: line.at, to: closing.at });
  });
  return found;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const typeOf = (address: string) => address.split('.')[0];

interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { Attributes: Record<string, string> };
  timeNano: number;
}

function report(dir: string): string {
  const wall = fs.readFileSync(path.join(dir, 'wall'), 'utf8');
  const started = Number(/start (\S+)/.exec(wall)![1]) * 1000;
  const ended = Number(/end (\S+)/.exec(wall)![1]) * 1000;
  const log = fs.existsSync(path.join(dir, 'tf.log')) ? readLog(path.join(dir, 'tf.log')) : [];
  const out: string[] = [`### ${path.basename(dir)}: ${s(ended - started)} s wall`, ''];
  const rel = (at: number) => s(at - started);

  out.push('| phase | from s | to s | took s |', '| --- | ---: | ---: | ---: |');
  const parts = processes(log);
  let cursor = started;
  for (const part of parts) {
    const from = part[0].at;
    const to = part[part.length - 1].at;
    if (from - cursor > 50) out.push(`| outside Terraform (CLI start, build, synth, between processes) | ${rel(cursor)} | ${rel(from)} | ${s(from - cursor)} |`);
    const plugins = part.filter((l) => l.text.startsWith('provider: plugin started')).length;
    out.push(`| terraform ${commandOf(part)} (provider started ${plugins}x) | ${rel(from)} | ${rel(to)} | ${s(to - from)} |`);
    cursor = to;
  }
  out.push(`| after Terraform (outputs, exit) | ${rel(cursor)} | ${rel(ended)} | ${s(ended - cursor)} |`, '');

  const refreshes = parts.flatMap((part) =>
    spans(part, /^NodeAbstractResourceInstance\.refresh for (\S+)/, (a) => new RegExp(`writeResourceInstanceState to refreshState for ${escape(a)}$`)),
  );
  if (refreshes.length > 0) {
    out.push('| refresh, per resource type | count | first start s | last end s | longest s |', '| --- | ---: | ---: | ---: | ---: |');
    for (const type of [...new Set(refreshes.map((r) => typeOf(r.address)))]) {
      const rs = refreshes.filter((r) => typeOf(r.address) === type);
      out.push(
        `| ${type} | ${rs.length} | ${rel(Math.min(...rs.map((r) => r.from)))} | ${rel(Math.max(...rs.map((r) => r.to)))} | ` +
          `${s(Math.max(...rs.map((r) => r.to - r.from)))} |`,
      );
    }
    out.push('');
  }

  const applies = parts.flatMap((part) =>
    spans(part, /^Starting apply for (\S+)/, (a) => new RegExp(`^vertex "${escape(a)}(?: \\(destroy\\))?": visit complete`)),
  );
  if (applies.length > 0) {
    out.push('| apply, per resource | start s | end s | took s |', '| --- | ---: | ---: | ---: |');
    for (const a of [...applies].sort((x, y) => x.from - y.from)) {
      out.push(`| ${a.address.replace(/_[0-9A-F]{8}$/, '')} | ${rel(a.from)} | ${rel(a.to)} | ${s(a.to - a.from)} |`);
    }
    out.push('');
  }

  const eventsFile = path.join(dir, 'events.jsonl');
  const events = fs.existsSync(eventsFile)
    ? fs
        .readFileSync(eventsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as DockerEvent)
    : [];
  const interesting = ['create', 'start', 'health_status: healthy', 'kill', 'die', 'destroy'];
  const containers = [...new Set(events.filter((e) => e.Type === 'container').map((e) => e.Actor.Attributes.name))];
  if (containers.length > 0) {
    out.push(`| container (docker events, s from start) | ${interesting.join(' | ')} |`, `| --- |${' ---: |'.repeat(interesting.length)}`);
    for (const name of containers) {
      const at = (action: string) => {
        const e = events.find((x) => x.Type === 'container' && x.Actor.Attributes.name === name && x.Action === action);
        return e ? rel(e.timeNano / 1e6) : '-';
      };
      out.push(`| ${name} | ${interesting.map(at).join(' | ')} |`);
    }
    const others = events.filter((e) => (e.Type === 'network' || e.Type === 'volume') && ['create', 'destroy'].includes(e.Action));
    const described = others.map((e) => `${e.Type} ${e.Actor.Attributes.name ?? ''} ${e.Action} ${rel(e.timeNano / 1e6)}`);
    if (described.length > 0) out.push('', `Networks and volumes: ${described.join('; ')}.`);
    out.push('');
  }
  return out.join('\n');
}

for (const dir of process.argv.slice(2)) process.stdout.write(`${report(dir)}\n`);
