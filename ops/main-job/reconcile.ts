/**
 * Before an apply: removes what an interrupted deploy of the stack left on the Docker engine but not in the
 * Terraform state (a deploy killed after `docker network create`, before Terraform wrote its state), so the apply
 * can create it again instead of failing with "network with name ... already exists".
 *
 * An object is a leftover of this deployment only when it carries the label `cdktf-docker-networking.stack=<stack
 * id>`, which the library puts on every network, container, volume, Swarm service and secret it creates, and has
 * the name of a resource the stack declares. Services and secrets are read where the engine is a swarm manager: a
 * Swarm deploy killed while the provider waited for a service to converge leaves the service (and the secret and
 * overlay networks created before it) on the swarm but not in the state, and the next apply would fail on their
 * names; a removed overlay network keeps its name on the engine for a few seconds, so reconcile returns once the
 * engine no longer lists it. Unlabelled objects are never touched: when one has the name of a resource the stack is
 * about to create, the reconcile stops with a message naming it. A labelled object of a name the stack does not declare
 * (the same stack deployed from another checkout with another `DockerNames.prefix`, or a name an earlier version
 * of the code used) is left alone and named in the log. Volumes are left alone even when orphaned:
 * `docker volume create` of an existing name returns that volume, so the apply adopts it with its data.
 *
 *   node dist/ops/main-job/reconcile.js <stack dir, e.g. cdktf.out/stacks/voting-app> <stack id>
 *
 * Only the local backend is read (the state file named in cdk.tf.json); with another backend it does nothing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isEncryptedState } from '../state/state-document';

import { DockerModel, STACK_LABEL } from '../../lib';

export interface ReconcileOptions {
  /** The synthesized stack folder, holding cdk.tf.json. */
  readonly stackDir: string;
  /** The stack's construct id, the value of its objects' STACK_LABEL. */
  readonly stackId: string;
  /**
   * Reads the state where it is not a local file (a PostgreSQL backend), or where the local file is encrypted
   * (OpenTofu's state encryption): the JSON `terraform state pull` prints, decrypted.
   * @default - only a local backend's unencrypted state is read; with another backend nothing is checked
   */
  readonly pullState?: () => string;
  /** Where to say what was done. @default stderr */
  readonly log?: (line: string) => void;
  /**
   * Runs `docker <args>` and returns what it prints, throwing where it fails.
   * @default - the docker CLI, bounded to 60 s a command
   */
  readonly docker?: (args: string[]) => string;
  /**
   * How long a removal waits for Swarm to let go: an overlay network stays busy while the tasks of a removed service
   * are taken down, and stays listed (its name taken) for a few seconds after `docker network rm` returns.
   * @default 60 s
   */
  readonly settleMs?: number;
}

export interface ReconcileResult {
  /** Services, containers, secrets and networks removed, as `<kind> <name>` (`service vote`, `network backend-network`). */
  readonly removed: string[];
  /** Orphaned volumes left for the apply to adopt. */
  readonly adopted: string[];
  /** Objects with the stack's label that the stack does not declare, left alone (`<kind> <name>`). */
  readonly leftAlone: string[];
}

type Kind = 'container' | 'network' | 'volume' | 'service' | 'secret';

interface EngineObject {
  readonly kind: Kind;
  readonly id: string;
  readonly name: string;
  readonly stack?: string;
}

export class StrangerError extends Error {}

export function reconcileOrphans(options: ReconcileOptions): ReconcileResult {
  const log = options.log ?? ((line: string) => process.stderr.write(`reconcile: ${line}\n`));
  const config = JSON.parse(fs.readFileSync(path.join(options.stackDir, 'cdk.tf.json'), 'utf8')) as SynthesizedStack;
  const statePath = config.terraform?.backend?.local?.path;
  const remote = config.terraform?.backend !== undefined && statePath === undefined;
  if (remote && !options.pullState) {
    log('the stack does not use the local backend and no way to read its state was given; nothing checked');
    return { removed: [], adopted: [], leftAlone: [] };
  }
  const inState = stateObjectsOf(remote ? options.pullState!() : localState(path.resolve(options.stackDir, statePath ?? 'terraform.tfstate'), options.pullState));
  const wanted = wantedNames(DockerModel.fromDocument(config));
  const docker = options.docker ?? dockerOk;
  const engine = engineObjects(docker);

  // A stranger holding a name the apply will create: stop before touching anything.
  const strangers = engine.filter(
    (o) => o.stack !== options.stackId && wanted.has(`${o.kind} ${o.name}`) && !inState.has(`${o.kind} ${o.id}`),
  );
  if (strangers.length > 0) {
    const names = strangers.map((o) => `${o.kind} ${o.name}${o.stack ? ` (of stack ${o.stack})` : ''}`).join(', ');
    throw new StrangerError(
      `${names} already on the Docker engine, not in the state of stack ${options.stackId} and without its label ` +
        `${STACK_LABEL}=${options.stackId}: not this stack's, so left alone. Remove or rename it, then deploy again.`,
    );
  }

  const labelledOutsideState = engine.filter((o) => o.stack === options.stackId && !inState.has(`${o.kind} ${o.id}`));
  const orphans = labelledOutsideState.filter((o) => wanted.has(`${o.kind} ${o.name}`));
  const undeclared = labelledOutsideState.filter((o) => !wanted.has(`${o.kind} ${o.name}`)).map((o) => `${o.kind} ${o.name}`);
  if (undeclared.length > 0) {
    log(
      `left alone: ${undeclared.join(', ')}: labelled ${STACK_LABEL}=${options.stackId} but neither in this state nor ` +
        'declared by the stack (another deployment of it, or names an earlier version used); remove them by hand if they are leftovers',
    );
  }
  const removed: string[] = [];
  const adopted: string[] = [];
  // Services and containers first: a secret a service mounts, or a network a task or a container is attached to,
  // cannot be removed.
  const until = Date.now() + (options.settleMs ?? SETTLE_MS);
  for (const [kind, remove] of REMOVALS) {
    for (const o of orphans.filter((x) => x.kind === kind)) {
      remove(docker, o.id, until);
      removed.push(`${kind} ${o.name}`);
    }
  }
  waitUntilNetworksGone(docker, orphans.filter((o) => o.kind === 'network').map((o) => o.name), until);
  for (const o of orphans.filter((x) => x.kind === 'volume')) adopted.push(`volume ${o.name}`);
  if (removed.length > 0) log(`removed what an interrupted deploy left outside the state: ${removed.join(', ')}`);
  if (adopted.length > 0) log(`kept for the apply to adopt (data stays): ${adopted.join(', ')}`);
  return { removed, adopted, leftAlone: undeclared };
}

/** How each kind of leftover is removed, in this order; `until` bounds the retries of a removal Swarm delays. */
const REMOVALS: [Kind, (docker: (args: string[]) => string, id: string, until: number) => void][] = [
  ['service', (docker, id) => docker(['service', 'rm', id])],
  ['container', (docker, id) => docker(['rm', '--force', id])],
  ['secret', (docker, id) => docker(['secret', 'rm', id])],
  // Swarm removes a service's tasks after `docker service rm` returns: their endpoints keep an overlay network busy
  // for a few seconds.
  ['network', (docker, id, until) => retryWhileInUse(() => docker(['network', 'rm', id]), until)],
];

/** The default of `ReconcileOptions.settleMs`. */
const SETTLE_MS = 60_000;

function retryWhileInUse(remove: () => void, until: number): void {
  for (;;) {
    try {
      remove();
      return;
    } catch (error) {
      if (!/active endpoints|in use/i.test(String(error)) || Date.now() > until) throw error;
      spawnSync('sleep', ['1']);
    }
  }
}

/**
 * Returns once the engine lists none of `names`. A removed overlay network stays on a swarm node (listed, its name
 * taken) until the node has let go of it, about 3.5 s after `docker network rm` returned on this machine; an apply
 * that creates it sooner fails with "network with name ... already exists".
 */
function waitUntilNetworksGone(docker: (args: string[]) => string, names: string[], until: number): void {
  if (names.length === 0) return;
  for (;;) {
    const listed = new Set(docker(['network', 'ls', '--format', '{{.Name}}']).split('\n'));
    const lingering = names.filter((name) => listed.has(name));
    if (lingering.length === 0) return;
    if (Date.now() > until) {
      throw new Error(
        `network ${lingering.join(', ')} removed (left by an interrupted deploy), but the engine still lists it: a swarm node ` +
          'has not let go of it yet; run the deploy again once `docker network ls` no longer lists it',
      );
    }
    spawnSync('sleep', ['0.25']);
  }
}

/** The parts of cdk.tf.json reconcile reads itself; the Docker objects come from the library's model. */
interface SynthesizedStack {
  terraform?: { backend?: { local?: { path?: string } } };
}

/** `<kind> <name or id>` of each container, service, network, volume and secret of `model` the stack manages, by `key`. */
function objectsOf(model: DockerModel, key: (o: { name: string; nameKnown: boolean; id?: string }) => string | undefined): Set<string> {
  const objects = [
    ...model.containers.map((c) => [c.kind, key(c)]),
    ...model.networks.filter((n) => !n.external).map((n) => ['network', key(n)]),
    ...model.volumes.map((v) => ['volume', key(v)]),
    ...model.secrets.map((s) => ['secret', key(s)]),
  ];
  return new Set(objects.filter(([, k]) => k !== undefined).map(([kind, k]) => `${kind} ${k}`));
}

/** `<kind> <name>` of each container, service, network, volume and secret the stack declares with a literal name. */
export function wantedNames(declared: DockerModel): Set<string> {
  return objectsOf(declared, (o) => (o.nameKnown ? o.name : undefined));
}

/** The local state file's document; an encrypted one as `pullState` decrypts it. */
function localState(file: string, pullState: (() => string) | undefined): string {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  return isEncryptedState(text) && pullState ? pullState() : text;
}

/**
 * `<kind> <id>` of each container, service, network, volume and secret in a state document (a volume's id is its name). An encrypted
 * document is refused: read as empty, it would make every object of the stack look left outside the state.
 */
export function stateObjectsOf(text: string): Set<string> {
  if (text.trim() === '') return new Set();
  if (isEncryptedState(text)) throw new Error('reconcile cannot read an encrypted state: give it the state as `state pull` prints it');
  return objectsOf(DockerModel.fromState(JSON.parse(text)), (o) => o.id);
}

/**
 * Every container, network and volume on the engine, and where it is a swarm manager every service and secret, with
 * the value of its STACK_LABEL.
 */
function engineObjects(docker: (args: string[]) => string): EngineObject[] {
  const parse = (kind: Kind, text: string): EngineObject[] =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [objectId, objectName, stack] = line.split('\t');
        return { kind, id: objectId, name: objectName, stack: stack || undefined };
      });
  const list = (kind: Kind, args: string[], id: string, name: string): EngineObject[] =>
    parse(kind, docker([...args, '--format', `${id}\t${name}\t{{.Label "${STACK_LABEL}"}}`]));
  // `docker service ls` has no labels in its format: the ids, then one inspect for all of them.
  const swarm = (kind: 'service' | 'secret'): EngineObject[] => {
    const ids = docker([kind, 'ls', '--quiet']).split('\n').filter(Boolean);
    if (ids.length === 0) return [];
    return parse(kind, docker([kind, 'inspect', '--format', `{{.ID}}\t{{.Spec.Name}}\t{{index .Spec.Labels "${STACK_LABEL}"}}`, ...ids]));
  };
  const manager = docker(['info', '--format', '{{.Swarm.ControlAvailable}}']) === 'true';
  return [
    ...list('container', ['ps', '--all', '--no-trunc'], '{{.ID}}', '{{.Names}}'),
    ...list('network', ['network', 'ls', '--no-trunc'], '{{.ID}}', '{{.Name}}'),
    ...list('volume', ['volume', 'ls'], '{{.Name}}', '{{.Name}}'), // a volume's id is its name
    ...(manager ? [...swarm('service'), ...swarm('secret')] : []),
  ];
}

function dockerOk(args: string[]): string {
  const result = spawnSync('docker', args, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${result.stderr || result.error}`);
  return result.stdout.trim();
}

if (require.main === module) {
  const [stackDir, stackId] = process.argv.slice(2);
  if (!stackDir || !stackId) {
    process.stderr.write('usage: node dist/ops/main-job/reconcile.js <stack dir> <stack id>\n');
    process.exit(2);
  }
  try {
    reconcileOrphans({ stackDir, stackId });
  } catch (error) {
    process.stderr.write(`reconcile: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
