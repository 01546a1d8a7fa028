/**
 * Synth of a compose project of 200 services: `ComposeProject` reading the file at synth, against the same stack
 * written with the constructs (the module the converter writes of that file, compiled). Both make the same JSON,
 * checked before measuring; the ratio compose/constructs is the price of reading, validating, merging and
 * translating the file at every synth. Nothing is kept between synths: each reads the file anew (js-yaml, without
 * lines) and validates it (the compose-spec schema's validator ships compiled). `compose-warned` adds a key that
 * the library does not translate, skipped with `UnsupportedKeys.WARN`: its warning names a line, so the file is read
 * a second time, with lines (the yaml library), as for any error or warning that names one.
 *
 *   npm run bench:compose                  # BENCH_ROUNDS=5, COMPOSE_SERVICES=200
 *
 * Each measurement is its own node process (wall time from spawn to exit, CPU time of the child, peak RSS from GNU
 * time), so module loading counts (yaml and ajv for the compose variant); the rounds alternate which variant runs
 * first. Never part of `npm test` or CI.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { measure } from './measure';

const ROOT = path.resolve(__dirname, '..', '..');
const LIBRARY = path.join(ROOT, 'dist', 'lib');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SERVICES = Number(process.env.COMPOSE_SERVICES ?? 200);
const VARIANTS = ['constructs', 'compose', 'compose-warned'] as const;
type Variant = (typeof VARIANTS)[number];

const log = (message: string) => process.stderr.write(`bench:compose: ${message}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A compose file of `n` services on n/10 networks, with ports, environment, limits, health-gated dependencies. */
function composeFile(n: number): string {
  const pad = (i: number) => String(i).padStart(3, '0');
  const lines = ['name: scale', 'services:'];
  for (let i = 1; i <= n; i++) {
    const networks = [`net-${i % Math.max(1, n / 10)}`, `net-${(i + 1) % Math.max(1, n / 10)}`];
    lines.push(
      `  svc-${pad(i)}:`,
      `    image: example/svc-${pad(i)}:1.0`,
      `    ports: ["${10000 + i}:8080"]`,
      '    environment:',
      ...[1, 2, 3, 4, 5].map((k) => `      VAR_${k}: value-${i}-${k}`),
      `    labels: {team: team-${i % 7}, service: svc-${pad(i)}}`,
      '    mem_limit: 256m',
      '    cpus: 0.5',
      '    restart: unless-stopped',
      `    networks: [${[...new Set(networks)].join(', ')}]`,
      ...(i % 10 === 0 ? ['    healthcheck:', '      test: ["CMD", "true"]', '      interval: 10s'] : []),
      ...(i % 10 === 1 && i > 10 ? ['    depends_on:', `      svc-${pad(i - 1)}: {condition: service_healthy}`] : []),
      ...(i % 10 === 5 ? [`    volumes: ["data-${i}:/data"]`] : []),
    );
  }
  lines.push('networks:', ...Array.from({ length: Math.max(1, n / 10) }, (_, k) => `  net-${k}:`));
  lines.push('volumes:', ...Array.from({ length: n }, (_, k) => k + 1).filter((i) => i % 10 === 5).map((i) => `  data-${i}:`));
  return `${lines.join('\n')}\n`;
}

/** The compose file and the converter's module of it (compiled), in dist/bench, where its imports resolve. */
function prepare(): { dir: string; file: string; converted: string } {
  const dir = fs.mkdtempSync(path.join(ROOT, 'dist', 'bench', 'compose-scale-'));
  const file = path.join(dir, 'docker-compose.yml');
  fs.writeFileSync(file, composeFile(SERVICES));
  // The converter as users run it: the package's bin, a process of its own.
  const source = path.join(dir, 'converted.ts');
  const convert = spawnSync(process.execPath, [path.join(LIBRARY, 'compose', 'cli.js'), file, '--out', source, '--library', LIBRARY, '--class', 'Scale'], {
    encoding: 'utf8',
  });
  if (convert.status !== 0) throw new Error(`the converter failed: ${convert.stderr}`);
  const { outputText } = ts.transpileModule(fs.readFileSync(source, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const converted = path.join(dir, 'converted.js');
  fs.writeFileSync(converted, outputText);
  return { dir, file, converted };
}

/** One synth of one variant into `outdir`. */
function synth(variant: Variant, file: string, converted: string, outdir: string): void {
  const { App, TerraformStack } = require('cdktf') as typeof import('cdktf');
  const { DockerProvider } = require('@cdktf/provider-docker/lib/provider') as typeof import('@cdktf/provider-docker/lib/provider');
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'scale');
  new DockerProvider(stack, 'docker');
  if (variant !== 'constructs') {
    const { ComposeProject, UnsupportedKeys } = require(LIBRARY) as typeof import('../lib');
    if (variant === 'compose-warned') {
      const warned = path.join(path.dirname(file), `warned-${process.pid}.yml`);
      const text = fs.readFileSync(file, 'utf8').replace('    restart: unless-stopped\n', '    restart: unless-stopped\n    oom_score_adj: 100\n');
      if (!text.includes('oom_score_adj')) throw new Error('compose-warned: no service to add oom_score_adj to');
      fs.writeFileSync(warned, text);
      new ComposeProject(stack, 'project', { files: [warned], projectName: 'scale', unsupported: UnsupportedKeys.WARN });
      fs.rmSync(warned);
    } else {
      new ComposeProject(stack, 'project', { files: [file], projectName: 'scale' });
    }
  } else {
    const { Scale } = require(converted) as { Scale: new (scope: unknown, id: string) => unknown };
    new Scale(stack, 'project');
  }
  app.synth();
}

function child(variant: Variant, file: string, converted: string): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-scale-out-'));
  try {
    synth(variant, file, converted, outdir);
    const cpu = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Both variants write the same cdk.tf.json (the stack's own label and the outdir aside, which are equal too). */
function checkSame(file: string, converted: string): void {
  const [a, b] = (['constructs', 'compose'] as const).map((variant) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-scale-check-'));
    synth(variant, file, converted, outdir);
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'scale', 'cdk.tf.json'), 'utf8'));
    fs.rmSync(outdir, { recursive: true, force: true });
    delete json['//'];
    return JSON.stringify(json);
  });
  if (a !== b) throw new Error('the compose and constructs variants synthesize different JSON');
}

async function main(): Promise<void> {
  const { dir, file, converted } = prepare();
  try {
    checkSame(file, converted);
    log(`${SERVICES} services: ComposeProject and the converted constructs write the same cdk.tf.json`);
    const samples = Object.fromEntries(VARIANTS.map((v) => [v, []])) as unknown as Record<Variant, { ms: number; cpuMs: number; rssMib: number }[]>;
    for (let round = 1; round <= ROUNDS; round++) {
      // Each round starts with another variant, so none always runs first or last.
      const order = VARIANTS.map((_, k) => VARIANTS[(k + round - 1) % VARIANTS.length]);
      for (const variant of order) {
        const m = await measure(process.execPath, [__filename, 'child', variant, file, converted], { cwd: ROOT, timeoutMs: 600_000 });
        const line = m.output.split('\n').find((l) => l.startsWith('{"cpuMs"'));
        if (m.code !== 0 || !line) throw new Error(`${variant} failed (exit ${m.code}):\n${m.output.slice(-3000)}`);
        const sample = { ms: m.ms, cpuMs: (JSON.parse(line) as { cpuMs: number }).cpuMs, rssMib: (m.maxRssKib ?? 0) / 1024 };
        samples[variant].push(sample);
        log(`round ${round} ${variant}: ${(sample.ms / 1000).toFixed(2)} s (cpu ${(sample.cpuMs / 1000).toFixed(2)} s), ${sample.rssMib.toFixed(0)} MiB`);
      }
    }
    const med = (v: Variant, k: 'ms' | 'cpuMs' | 'rssMib') => median(samples[v].map((s) => s[k]));
    const lowest = (v: Variant) => Math.min(...samples[v].map((s) => s.cpuMs));
    const ratio = (v: Variant, k: 'ms' | 'cpuMs' | 'rssMib') => (med(v, k) / med('constructs', k)).toFixed(2);
    const others = VARIANTS.filter((v) => v !== 'constructs');
    const row = (label: string, k: 'ms' | 'cpuMs' | 'rssMib', unit: (x: number) => string) =>
      `| ${label} | ${unit(med('constructs', k))} | ${others.map((v) => `${unit(med(v, k))} (${ratio(v, k)})`).join(' | ')} |`;
    const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
    const lowestRatio = (v: Variant) => (lowest(v) / lowest('constructs')).toFixed(2);
    process.stdout.write(
      [
        `\n${SERVICES} services, medians of ${ROUNDS} (load average ${os.loadavg()[0].toFixed(1)} at the end):\n`,
        '| | constructs (converted) | ComposeProject (ratio) | ComposeProject, a key skipped with a warning (ratio) |',
        '| --- | --- | --- | --- |',
        row('wall', 'ms', s),
        row('CPU', 'cpuMs', s),
        `| lowest CPU | ${s(lowest('constructs'))} | ${others.map((v) => `${s(lowest(v))} (${lowestRatio(v)})`).join(' | ')} |`,
        row('peak RSS', 'rssMib', (x) => `${x.toFixed(0)} MiB`),
        '',
      ].join('\n'),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') {
  const [variant, file, converted] = process.argv.slice(3);
  child(variant as Variant, file, converted);
} else {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  });
}
