/**
 * Real-world compose files (corpus/README.md says where each comes from): each either synthesizes with the networks,
 * aliases, ports and order recorded in corpus/expected.json, or fails with the message recorded there.
 * `UPDATE_CORPUS=1 npx jest corpus` rewrites expected.json from what the library does now; review its diff.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { ComposeProject, Orchestrator } from '../../lib';
import { resourcesOf } from '../helpers';

const CORPUS = path.join(__dirname, 'corpus');
const EXPECTED = path.join(CORPUS, 'expected.json');
const ORCHESTRATORS: Record<string, string> = JSON.parse(fs.readFileSync(path.join(CORPUS, 'orchestrator.json'), 'utf8'));

/** Every compose file of the corpus (relative), with the override file compose reads beside it by default. */
function units(dir = CORPUS): string[][] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return units(full);
    if (!/(compose|stack)[^/]*\.ya?ml$/.test(entry.name) || entry.name.includes('.override.')) return [];
    const override = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yml'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    return [[full, ...(override ? [override] : [])].map((f) => path.relative(CORPUS, f))];
  });
}

interface Outcome {
  readonly outcome: 'synth' | 'error';
  readonly message?: string;
  readonly networks?: string[];
  /** Container (or Swarm service) name -> what a reader checks against the file. */
  readonly services?: Record<string, { networks: Record<string, string[]>; ports: string[]; after: string[] }>;
}

function outcomeOf(files: string[]): Outcome {
  const stack = new TerraformStack(Testing.app(), 'corpus');
  new DockerProvider(stack, 'docker');
  try {
    const swarm = ORCHESTRATORS[files[0]] === 'swarm';
    new ComposeProject(stack, 'project', { files: files.map((f) => path.join(CORPUS, f)), environment: {}, orchestrator: swarm ? Orchestrator.SWARM : undefined });
    const synthesized = Testing.synth(stack, true);
    const byId = (type: string) => resourcesOf(synthesized, type);
    const external = (ref: string) => JSON.parse(synthesized).data.docker_network[/data\.docker_network\.([^.]+)\.id/.exec(ref)![1]].name;
    const networkName = (ref: string) =>
      ref.startsWith('${data.') ? `${external(ref)} (external)` : byId('docker_network')[/docker_network\.([^.]+)\.id/.exec(ref)![1]].name;
    const nameOf = (ref: string) => byId(ref.split('.')[0])[ref.split('.')[1]]?.name ?? ref;
    const services: Outcome['services'] = {};
    for (const c of Object.values<any>(byId('docker_container'))) {
      services[c.name] = {
        networks: Object.fromEntries((c.networks_advanced ?? []).map((a: any) => [networkName(a.name), a.aliases ?? []])),
        ports: (c.ports ?? []).map((p: any) => `${p.ip}:${p.external ?? '(any)'}->${p.internal}/${p.protocol ?? 'tcp'}`),
        after: (c.depends_on ?? []).map(nameOf),
      };
    }
    for (const s of Object.values<any>(byId('docker_service'))) {
      services[s.name] = {
        networks: Object.fromEntries((s.task_spec.networks_advanced ?? []).map((a: any) => [networkName(a.name), a.aliases ?? []])),
        ports: (s.endpoint_spec.ports ?? []).map((p: any) => `${p.published_port ?? '(any)'}->${p.target_port}/${p.protocol} ${p.publish_mode}`),
        after: (s.depends_on ?? []).map(nameOf),
      };
    }
    return { outcome: 'synth', networks: Object.values<any>(byId('docker_network')).map((n) => n.name).sort(), services };
  } catch (error) {
    return { outcome: 'error', message: (error as Error).message.split(path.relative(process.cwd(), CORPUS)).join('<corpus>') };
  }
}

const all = units();
const actual = Object.fromEntries(all.map((files) => [files.join(' + '), outcomeOf(files)]));

if (process.env.UPDATE_CORPUS === '1') fs.writeFileSync(EXPECTED, `${JSON.stringify(actual, null, 2)}\n`);
const expected: Record<string, Outcome> = JSON.parse(fs.readFileSync(EXPECTED, 'utf8'));

test('the corpus has the public samples and our own files, and expected.json covers exactly them', () => {
  expect(all.length).toBeGreaterThanOrEqual(40);
  expect(Object.keys(expected).sort()).toEqual(Object.keys(actual).sort());
});

test.each(Object.keys(actual))('%s', (unit) => {
  expect(actual[unit]).toEqual(expected[unit]);
  if (actual[unit].outcome === 'error') {
    // A clear message: where (file and line), and what to do.
    expect(actual[unit].message).toMatch(/^ComposeProject corpus\/project: .*(<corpus>\/[^ ]+:\d+)/s);
  }
});

test('the counts: how many synthesize and how many fail with a message', () => {
  const counts = { synth: 0, error: 0 };
  Object.values(actual).forEach((o) => counts[o.outcome]++);
  process.stderr.write(`compose corpus: ${counts.synth} synthesize, ${counts.error} fail with a message, of ${all.length}\n`);
  expect(counts.synth + counts.error).toBe(all.length);
});
