/**
 * ops/main-job/reconcile.ts reads what the stack declares and what the state holds through the library's model. Its
 * decisions on a swarm are checked here against an engine that answers `docker` commands from a list; a real
 * engine's side is covered by the faults suite (__tests__/e2e/faults.e2e.test.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerModel, Network, Orchestrator } from '../../../lib';
import { StrangerError, reconcileOrphans, stateObjectsOf, wantedNames } from '../../../ops/main-job/reconcile';
import { PUBLIC_IMAGES } from '../../../stacks/images';
import { VotingAppStack } from '../../../stacks/voting-app';
import { newStack } from '../../helpers';

describe('reconcile', () => {
  test('wants the containers, networks and volumes the stack declares by name', () => {
    const document = JSON.parse(Testing.synth(new VotingAppStack(Testing.app(), 'voting-app', { images: PUBLIC_IMAGES })));
    expect([...wantedNames(DockerModel.fromDocument(document))].sort()).toEqual([
      'container db',
      'container redis',
      'container result',
      'container vote',
      'container worker',
      'network backend-network',
      'network frontend-network',
      'volume db-data',
    ]);
  });

  test('wants neither a network the stack only reads nor a name known only at apply time', () => {
    const stack = newStack();
    const shared = Network.fromName(stack, 'shared', 'shared-network');
    new Container(stack, 'app', { name: '${var.name}', image: 'nginx:1.27', networksAdvanced: [{ name: shared.networkId }] });
    expect([...wantedNames(DockerModel.fromDocument(JSON.parse(Testing.synth(stack))))]).toEqual([]);
  });

  test('knows the objects of the state by their Docker id, leaving out data sources', () => {
    const state = {
      version: 4,
      resources: [
        { mode: 'managed', type: 'docker_container', name: 'app', instances: [{ attributes: { id: 'c1d', name: 'app' } }] },
        { mode: 'managed', type: 'docker_network', name: 'net', instances: [{ attributes: { id: 'n1d', name: 'net' } }] },
        { mode: 'data', type: 'docker_network', name: 'shared', instances: [{ attributes: { id: 'n2d', name: 'shared' } }] },
        { mode: 'managed', type: 'docker_volume', name: 'data', instances: [{ attributes: { id: 'data', name: 'data' } }] },
      ],
    };
    expect([...stateObjectsOf(JSON.stringify(state))].sort()).toEqual(['container c1d', 'network n1d', 'volume data']);
    expect(stateObjectsOf('')).toEqual(new Set());
  });
});

describe('reconcile on a swarm', () => {
  const swarmDocument = () =>
    JSON.parse(Testing.synth(new VotingAppStack(Testing.app(), 'voting-app', { images: PUBLIC_IMAGES, orchestrator: Orchestrator.SWARM })));

  test('wants the services, the secret, the overlay networks and the volume the Swarm stack declares by name', () => {
    expect([...wantedNames(DockerModel.fromDocument(swarmDocument()))].sort()).toEqual([
      'network backend-network',
      'network frontend-network',
      'secret db-password',
      'service db',
      'service redis',
      'service result',
      'service vote',
      'service worker',
      'volume db-data',
    ]);
  });

  test('knows the services and secrets of the state by their Swarm id', () => {
    const state = {
      version: 4,
      resources: [
        { mode: 'managed', type: 'docker_service', name: 'vote', instances: [{ attributes: { id: 'svc1', name: 'vote' } }] },
        { mode: 'managed', type: 'docker_secret', name: 'pw', instances: [{ attributes: { id: 'sec1', name: 'db-password' } }] },
      ],
    };
    expect([...stateObjectsOf(JSON.stringify(state))].sort()).toEqual(['secret sec1', 'service svc1']);
  });

  /**
   * A stack folder as the main job leaves it (cdk.tf.json with a local backend, the state beside it) and an engine
   * answering `docker` commands from `objects`; every command reconcile runs is recorded.
   */
  function swarmEngine(
    objects: { kind: string; id: string; name: string; stack?: string }[],
    options: { manager?: boolean; inState?: string[]; lingeringListings?: number } = {},
  ) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-'));
    const document = swarmDocument();
    document.terraform.backend = { local: { path: 'voting-app.tfstate' } };
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(document));
    const typeOf: Record<string, string> = { network: 'docker_network', service: 'docker_service', secret: 'docker_secret' };
    const resources = (options.inState ?? []).map((id) => {
      const o = objects.find((x) => x.id === id)!;
      return { mode: 'managed', type: typeOf[o.kind], name: o.name, instances: [{ attributes: { id: o.id, name: o.name } }] };
    });
    fs.writeFileSync(path.join(dir, 'voting-app.tfstate'), JSON.stringify({ version: 4, resources }));
    const commands: string[] = [];
    // A removed network stays listed by name for `lingeringListings` listings, as a swarm node keeps it a few seconds.
    const removed = new Map<string, number>();
    const present = (o: { id: string }) => !removed.has(o.id);
    const lines = (kind: string, ids?: string[]) =>
      objects
        .filter((o) => o.kind === kind && present(o) && (!ids || ids.includes(o.id)))
        .map((o) => `${o.id}\t${o.name}\t${o.stack ?? ''}`)
        .join('\n');
    const lingeringNames = () => {
      const names = objects.filter((o) => o.kind === 'network' && (present(o) || removed.get(o.id)! > 0)).map((o) => o.name);
      for (const [id, left] of removed) removed.set(id, left - 1);
      return names.join('\n');
    };
    const docker = (args: string[]): string => {
      commands.push(args.filter((a) => !a.startsWith('{{') && !a.includes('\t')).join(' '));
      const [first, second] = args;
      if (first === 'info') return options.manager === false ? 'false' : 'true';
      if (first === 'ps') return lines('container');
      if (first === 'volume' && second === 'ls') return lines('volume');
      if (first === 'network' && second === 'ls') return args.includes('{{.Name}}') ? lingeringNames() : lines('network');
      if (second === 'rm' || first === 'rm') removed.set(args[args.length - 1], first === 'network' ? (options.lingeringListings ?? 0) : 0);
      if ((first === 'service' || first === 'secret') && second === 'ls') return objects.filter((o) => o.kind === first).map((o) => o.id).join('\n');
      if ((first === 'service' || first === 'secret') && second === 'inspect') return lines(first, args.slice(4));
      return '';
    };
    const log: string[] = [];
    return { options: { stackDir: dir, stackId: 'voting-app', docker, log: (line: string) => log.push(line) }, commands, log, dir };
  }

  const LABELLED = 'voting-app';

  test('a Swarm deploy killed mid-apply: the services, secret and networks it left are removed, services first', () => {
    const engine = swarmEngine(
      [
        { kind: 'network', id: 'nfront', name: 'frontend-network', stack: LABELLED },
        { kind: 'network', id: 'nback', name: 'backend-network', stack: LABELLED },
        { kind: 'network', id: 'ningress', name: 'ingress' },
        { kind: 'volume', id: 'db-data', name: 'db-data', stack: LABELLED },
        { kind: 'secret', id: 'sec1', name: 'db-password', stack: LABELLED },
        { kind: 'service', id: 'svc-redis', name: 'redis', stack: LABELLED },
        { kind: 'service', id: 'svc-db', name: 'db', stack: LABELLED },
        // The tasks' containers carry no stack label and no declared name.
        { kind: 'container', id: 'c1', name: 'redis.1.k2v9x0abc' },
      ],
      { inState: ['nback', 'svc-redis'] },
    );
    const result = reconcileOrphans(engine.options);
    expect(result).toEqual({ removed: ['service db', 'secret db-password', 'network frontend-network'], adopted: ['volume db-data'], leftAlone: [] });
    expect(engine.commands.filter((c) => / rm /.test(` ${c} `))).toEqual(['service rm svc-db', 'secret rm sec1', 'network rm nfront']);
    expect(engine.log).toEqual([
      'removed what an interrupted deploy left outside the state: service db, secret db-password, network frontend-network',
      'kept for the apply to adopt (data stays): volume db-data',
    ]);
    fs.rmSync(engine.dir, { recursive: true });
  });

  test("a service of a name the stack declares without the stack's label is never touched: reconcile stops and names it", () => {
    const engine = swarmEngine([
      { kind: 'service', id: 'svc-x', name: 'worker' },
      { kind: 'secret', id: 'sec-x', name: 'db-password', stack: 'other-stack' },
    ]);
    expect(() => reconcileOrphans(engine.options)).toThrow(
      new StrangerError(
        'service worker, secret db-password (of stack other-stack) already on the Docker engine, not in the state of stack voting-app and ' +
          'without its label cdktf-docker-networking.stack=voting-app: not this stack\'s, so left alone. Remove or rename it, then deploy again.',
      ),
    );
    expect(engine.commands.filter((c) => / rm /.test(` ${c} `))).toEqual([]);
    fs.rmSync(engine.dir, { recursive: true });
  });

  test("a labelled service or secret of a name the stack does not declare is named and left alone", () => {
    const engine = swarmEngine([
      { kind: 'service', id: 'svc-old', name: 'old-vote', stack: LABELLED },
      { kind: 'secret', id: 'sec-old', name: 'db-password-v1', stack: LABELLED },
    ]);
    expect(reconcileOrphans(engine.options)).toEqual({ removed: [], adopted: [], leftAlone: ['service old-vote', 'secret db-password-v1'] });
    expect(engine.log).toEqual([
      'left alone: service old-vote, secret db-password-v1: labelled cdktf-docker-networking.stack=voting-app but neither in this state nor ' +
        'declared by the stack (another deployment of it, or names an earlier version used); remove them by hand if they are leftovers',
    ]);
    expect(engine.commands.filter((c) => / rm /.test(` ${c} `))).toEqual([]);
    fs.rmSync(engine.dir, { recursive: true });
  });

  test('an engine that is no swarm manager is not asked for services or secrets', () => {
    const engine = swarmEngine([{ kind: 'network', id: 'nfront', name: 'frontend-network', stack: LABELLED }], { manager: false });
    expect(reconcileOrphans(engine.options).removed).toEqual(['network frontend-network']);
    expect(engine.commands.filter((c) => c.startsWith('service') || c.startsWith('secret'))).toEqual([]);
    fs.rmSync(engine.dir, { recursive: true });
  });

  test('an overlay network still busy with the tasks of a removed service is removed once Swarm has taken them down', () => {
    const engine = swarmEngine([
      { kind: 'service', id: 'svc-vote', name: 'vote', stack: LABELLED },
      { kind: 'network', id: 'nfront', name: 'frontend-network', stack: LABELLED },
    ]);
    let attempts = 0;
    const docker = engine.options.docker;
    const busy = (args: string[]) => {
      if (args[0] === 'network' && args[1] === 'rm' && ++attempts === 1) {
        throw new Error('docker network rm nfront failed: Error response from daemon: network frontend-network id nfront has active endpoints');
      }
      return docker(args);
    };
    expect(reconcileOrphans({ ...engine.options, docker: busy }).removed).toEqual(['service vote', 'network frontend-network']);
    expect(attempts).toBe(2);
    fs.rmSync(engine.dir, { recursive: true });
  });

  test('a removed overlay network the engine still lists (its name taken) is waited for: reconcile returns once it is gone', () => {
    const engine = swarmEngine(
      [
        { kind: 'service', id: 'svc-vote', name: 'vote', stack: LABELLED },
        { kind: 'network', id: 'nfront', name: 'frontend-network', stack: LABELLED },
        { kind: 'network', id: 'nback', name: 'backend-network', stack: LABELLED },
      ],
      { lingeringListings: 3 },
    );
    expect(reconcileOrphans(engine.options).removed).toEqual(['service vote', 'network frontend-network', 'network backend-network']);
    const commands = engine.commands;
    const lastRemoval = commands.lastIndexOf('network rm nback');
    // Listed three more times after the last removal, gone on the fourth listing.
    expect(commands.slice(lastRemoval + 1)).toEqual(['network ls --format', 'network ls --format', 'network ls --format', 'network ls --format']);
    fs.rmSync(engine.dir, { recursive: true });
  });

  test('a removed network the engine keeps listing: reconcile stops, naming it, instead of letting the apply fail on its name', () => {
    const engine = swarmEngine([{ kind: 'network', id: 'nfront', name: 'frontend-network', stack: LABELLED }], { lingeringListings: 1_000 });
    expect(() => reconcileOrphans({ ...engine.options, settleMs: 500 })).toThrow(
      'network frontend-network removed (left by an interrupted deploy), but the engine still lists it: a swarm node ' +
        'has not let go of it yet; run the deploy again once `docker network ls` no longer lists it',
    );
    fs.rmSync(engine.dir, { recursive: true });
  });
});

test('reconcile refuses an encrypted state: read as empty, every object of the stack would look left outside it', () => {
  const encrypted = JSON.stringify({ serial: 1, lineage: 'x', meta: { 'key_provider.pbkdf2.passphrase': 'e30=' }, encrypted_data: 'AAAA' });
  expect(() => stateObjectsOf(encrypted)).toThrow('reconcile cannot read an encrypted state: give it the state as `state pull` prints it');
});
