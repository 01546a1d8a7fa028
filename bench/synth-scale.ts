/**
 * Synth at scale: how long `app.synth()` takes and how much memory it needs for 10 to 5000 containers, with the
 * library (and with the policy pack and the reachability check) against the same containers, networks and images
 * written straight against the provider's classes ("raw"). See bench/scale-stacks.ts for the three stacks.
 *
 *   npm run bench:synth                     # BENCH_ROUNDS=3, sizes 10 100 1000 5000 (SCALE_SIZES="10 100")
 *
 * Each measurement is its own node process (wall time from spawn to exit, peak RSS from GNU time), so module
 * loading counts and no heap carries over; the table shows medians and the ratios library/raw, and the ratios of the
 * lowest CPU times (on a shared machine the least disturbed run of each variant). Before measuring,
 * the raw and library stacks of 10 containers are synthesized and compared, so the two write the same resources.
 * Never part of `npm test` or CI. Results also go to bench/results/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measure } from './measure';
import { STACK_ID, VARIANTS, Variant, scaleApp } from './scale-stacks';

const ROOT = path.resolve(__dirname, '..', '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIZES = (process.env.SCALE_SIZES ?? '10 100 1000 5000').split(/\s+/).filter(Boolean).map(Number);
/** Also: this many containers on a single network, with the pack. */
const ONE_NETWORK = Number(process.env.SCALE_ONE_NETWORK ?? 1000);
const CHILD_TIMEOUT_MS = 600_000;

interface Case {
  readonly containers: number;
  readonly networks: number;
}

interface Sample {
  readonly ms: number;
  /** CPU time (user + system) of the child: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly rssMib: number;
  /** Size of reachability.md, where written. */
  readonly reachabilityBytes: number;
}

const log = (message: string) => process.stderr.write(`bench:synth: ${message}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function synthInto(variant: Variant, c: Case, outdir: string): Record<string, number> {
  scaleApp(variant, c.containers, c.networks, outdir).synth();
  const dir = path.join(outdir, 'stacks', STACK_ID);
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.statSync(path.join(dir, f)).size]));
}

/** The child: one synth, then a JSON line with what it wrote. */
function child(variant: Variant, c: Case): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-scale-'));
  try {
    const files = synthInto(variant, c, outdir);
    const cpu = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ files, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The docker_* resources of a synthesized stack, keyed by Docker name, with references replaced by names. */
function dockerObjects(outdir: string): Record<string, unknown> {
  const tf = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', STACK_ID, 'cdk.tf.json'), 'utf8'));
  const names = new Map<string, string>();
  for (const [type, resources] of Object.entries<Record<string, any>>(tf.resource)) {
    for (const [id, cfg] of Object.entries(resources)) names.set(`${type}.${id}`, `${type}:${cfg.name}`);
  }
  const byName: Record<string, unknown> = {};
  for (const [type, resources] of Object.entries<Record<string, any>>(tf.resource)) {
    for (const cfg of Object.values(resources)) {
      const { '//': _metadata, ...rest } = cfg;
      const text = JSON.stringify(rest).replace(/\$\{([a-z_]+\.[^.}]+)\.([a-z_]+)\}/g, (_m, ref, attr) => `${names.get(ref)}.${attr}`);
      // Several objects may have one name (an image per container): number them in order.
      let key = `${type}:${cfg.name}`;
      for (let i = 1; key in byName; i++) key = `${type}:${cfg.name}#${i}`;
      byName[key] = JSON.parse(text);
    }
  }
  return byName;
}

function checkSameResources(): void {
  const c = { containers: 10, networks: 2 };
  const [rawDir, libDir] = ['raw', 'library'].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'synth-scale-check-')));
  try {
    synthInto('raw', c, rawDir);
    synthInto('library', c, libDir);
    const [raw, lib] = [dockerObjects(rawDir), dockerObjects(libDir)];
    const rawText = JSON.stringify(raw, Object.keys(raw).sort());
    const differing = Object.keys({ ...raw, ...lib }).filter((k) => JSON.stringify(raw[k]) !== JSON.stringify(lib[k]));
    if (differing.length > 0 || Object.keys(raw).length !== Object.keys(lib).length || rawText.length === 0) {
      throw new Error(
        `the raw and library stacks differ in ${differing.join(', ')}:\nraw ${JSON.stringify(raw[differing[0]])}\n` +
          `library ${JSON.stringify(lib[differing[0]])}`,
      );
    }
  } finally {
    [rawDir, libDir].forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  }
}

async function run(variant: Variant, c: Case): Promise<Sample> {
  const m = await measure(process.execPath, [__filename, 'child', variant, String(c.containers), String(c.networks)], {
    cwd: ROOT,
    timeoutMs: CHILD_TIMEOUT_MS,
  });
  const line = m.output.split('\n').find((l) => l.startsWith('{"files"'));
  if (m.code !== 0 || m.timedOut || !line || m.maxRssKib === undefined) {
    throw new Error(`${variant} ${c.containers}/${c.networks} failed (exit ${m.code}, timed out ${m.timedOut}):\n${m.output.slice(-3000)}`);
  }
  const { files, cpuMs } = JSON.parse(line) as { files: Record<string, number>; cpuMs: number };
  return { ms: m.ms, cpuMs, rssMib: m.maxRssKib / 1024, reachabilityBytes: files['reachability.md'] ?? 0 };
}

const fmtS = (ms: number) => (ms / 1000).toFixed(2);
const fmtMib = (mib: number) => mib.toFixed(0);
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const fmtBytes = (b: number) => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(0)} kB`);

async function main(): Promise<void> {
  checkSameResources();
  log('raw and library stacks synthesize the same docker resources (checked at 10 containers)');
  const cases: (Case & { label: string; variants: readonly Variant[] })[] = [
    ...SIZES.map((n) => ({ containers: n, networks: Math.max(1, n / 10), label: `${n} on ${Math.max(1, n / 10)}`, variants: VARIANTS })),
    ...(ONE_NETWORK > 0 ? [{ containers: ONE_NETWORK, networks: 1, label: `${ONE_NETWORK} on 1`, variants: VARIANTS }] : []),
  ];
  const results: { label: string; medians: Record<string, Sample>; samples: Record<string, Sample[]> }[] = [];
  const header =
    '| containers on networks | raw s | library s | pack s | library/raw | pack/raw | raw CPU s | library CPU s | pack CPU s | ' +
    'library/raw CPU | pack/raw CPU | library/raw lowest CPU | pack/raw lowest CPU | raw MiB | library MiB | pack MiB | ' +
    'library/raw MiB | pack/raw MiB | reachability.md |';
  const rows: string[] = [];
  for (const c of cases) {
    const samples: Record<string, Sample[]> = {};
    for (let round = 1; round <= ROUNDS; round++) {
      // Each round starts with another variant, so no variant always runs first or last (a shared machine's
      // throughput drifts within a round).
      const order = c.variants.map((_, k) => c.variants[(k + round - 1) % c.variants.length]);
      for (const variant of order) {
        const s = await run(variant, c);
        (samples[variant] ??= []).push(s);
        log(`${c.label} ${variant} round ${round}: ${fmtS(s.ms)} s (cpu ${fmtS(s.cpuMs)} s), ${fmtMib(s.rssMib)} MiB`);
      }
    }
    const medians = Object.fromEntries(
      Object.entries(samples).map(([v, xs]) => [
        v,
        { ms: median(xs.map((x) => x.ms)), cpuMs: median(xs.map((x) => x.cpuMs)), rssMib: median(xs.map((x) => x.rssMib)),
          reachabilityBytes: median(xs.map((x) => x.reachabilityBytes)),
        },
      ]),
    );
    results.push({ label: c.label, medians, samples });
    const { raw, library, pack } = medians;
    const lowestCpu = (v: Variant) => Math.min(...samples[v].map((x) => x.cpuMs));
    rows.push(
      `| ${c.label} | ${fmtS(raw.ms)} | ${fmtS(library.ms)} | ${fmtS(pack.ms)} | ${ratio(library.ms, raw.ms)} | ${ratio(pack.ms, raw.ms)} | ` +
        `${fmtS(raw.cpuMs)} | ${fmtS(library.cpuMs)} | ${fmtS(pack.cpuMs)} | ${ratio(library.cpuMs, raw.cpuMs)} | ${ratio(pack.cpuMs, raw.cpuMs)} | ` +
        `${ratio(lowestCpu('library'), lowestCpu('raw'))} | ${ratio(lowestCpu('pack'), lowestCpu('raw'))} | ` +
        `${fmtMib(raw.rssMib)} | ${fmtMib(library.rssMib)} | ${fmtMib(pack.rssMib)} | ${ratio(library.rssMib, raw.rssMib)} | ` +
        `${ratio(pack.rssMib, raw.rssMib)} | ${fmtBytes(pack.reachabilityBytes)} |`,
    );
    process.stdout.write(`${rows[rows.length - 1]}\n`);
  }
  const table = [header, `|${' --- |'.repeat(19)}`, ...rows].join('\n');
  process.stdout.write(
    `\nMedians of ${ROUNDS} (and the lowest CPU time of each variant): wall and CPU time (user + system) of the whole node process, peak RSS from GNU time; ` +
      `load average ${os.loadavg()[0].toFixed(1)} at the end:\n\n${table}\n`,
  );
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `synth-scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ rounds: ROUNDS, node: process.version, cpus: os.cpus().length, results, table }, null, 2)}\n`);
  log(`results in ${path.relative(ROOT, file)}`);
}

if (process.argv[2] === 'child') {
  const [variant, containers, networks] = process.argv.slice(3);
  child(variant as Variant, { containers: Number(containers), networks: Number(networks) });
} else {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  });
}
