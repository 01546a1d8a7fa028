import { Testing } from 'cdktf';
import {
  DockerPolicy,
  FindingStatus,
  Network,
  Orchestrator,
  PlacementConstraint,
  PolicyTesting,
  PublishMode,
  Reachability,
  Segmentation,
  SwarmService,
  VotingApp,
} from '../../lib';
import { LOCAL_IMAGES } from '../../stacks/images';
import { VotingAppStack, dataPlacementFromEnvironment, orchestratorFromEnvironment, publishModeFromEnvironment } from '../../stacks/voting-app';
import { networkNameOf, newStack, onlyResource, resourcesOf } from '../helpers';

function swarmApp(publishMode?: PublishMode) {
  const stack = newStack();
  const app = new VotingApp(stack, 'app', { orchestrator: Orchestrator.SWARM, publishMode, images: LOCAL_IMAGES });
  DockerPolicy.applyTo(stack);
  const synthesized = Testing.synth(stack);
  const services = Object.fromEntries(Object.values(resourcesOf(synthesized, 'docker_service')).map((s: any) => [s.name, s]));
  return { stack, app, synthesized, services };
}

const networksOf = (service: any, synthesized: string) =>
  service.task_spec.networks_advanced.map((a: any) => [networkNameOf(synthesized, a.name), a.aliases ?? []]);

describe('VotingApp on Swarm', () => {
  const { stack, app, synthesized, services } = swarmApp();

  test('the five roles are Swarm services, no containers', () => {
    expect(Object.keys(services).sort()).toEqual(['db', 'redis', 'result', 'vote', 'worker']);
    expect(resourcesOf(synthesized, 'docker_container')).toEqual({});
    expect([app.vote, app.result, app.worker, app.redis, app.db].every(SwarmService.isSwarmService)).toBe(true);
  });

  test('on two attachable overlay networks, in the shared-backend layout', () => {
    const networks = Object.values(resourcesOf(synthesized, 'docker_network')) as any[];
    expect(networks.map((n) => [n.name, n.driver, n.attachable]).sort()).toEqual([
      ['backend-network', 'overlay', true],
      ['frontend-network', 'overlay', true],
    ]);
    expect(networksOf(services.vote, synthesized)).toEqual([['frontend-network', []], ['backend-network', []]]);
    expect(networksOf(services.result, synthesized)).toEqual([['frontend-network', []], ['backend-network', []]]);
    expect(networksOf(services.worker, synthesized)).toEqual([['backend-network', []]]);
    expect(networksOf(services.redis, synthesized)).toEqual([['backend-network', ['redis']]]);
    expect(networksOf(services.db, synthesized)).toEqual([['backend-network', ['db']]]);
  });

  test('worker runs two replicas, rolled one at a time start-first', () => {
    expect(services.worker.mode).toEqual({ replicated: { replicas: 2 } });
    expect(services.worker.update_config).toMatchObject({ parallelism: 1, order: 'start-first' });
  });

  test('the database password is a Swarm secret from the sensitive variable, mounted as a file in db, result and worker', () => {
    expect(onlyResource(synthesized, 'docker_secret')).toMatchObject({ name: 'db-password', data: '${base64encode(var.db_password)}' });
    for (const name of ['db', 'result', 'worker']) {
      expect(services[name].task_spec.container_spec.secrets).toEqual([
        expect.objectContaining({ file_name: '/run/secrets/db-password', file_mode: 0o444 }),
      ]);
    }
    expect(services.vote.task_spec.container_spec.secrets).toBeUndefined();
    expect(services.db.task_spec.container_spec.env).toEqual({ POSTGRES_PASSWORD_FILE: '/run/secrets/db-password' });
  });

  test('vote and result publish 5000 and 5001 through the ingress mesh by default, with a virtual IP; vote has two replicas', () => {
    expect(services.vote.endpoint_spec).toEqual({ mode: 'vip', ports: [{ target_port: 80, published_port: 5000, publish_mode: 'ingress', protocol: 'tcp' }] });
    expect(services.result.endpoint_spec).toEqual({ mode: 'vip', ports: [{ target_port: 80, published_port: 5001, publish_mode: 'ingress', protocol: 'tcp' }] });
    expect(services.vote.mode).toEqual({ replicated: { replicas: 2 } });
  });

  test('services that publish nothing use dnsrr (no IPVS needed); db, on its volume, and redis are pinned to a manager', () => {
    for (const name of ['worker', 'redis', 'db']) expect(services[name].endpoint_spec.mode).toBe('dnsrr');
    expect(services.db.task_spec.placement.constraints).toEqual(['node.role==manager']);
    expect(services.redis.task_spec.placement.constraints).toEqual(['node.role==manager']);
    for (const name of ['vote', 'result', 'worker']) expect(services[name].task_spec.placement).toBeUndefined();
    expect(services.db.task_spec.container_spec.mounts).toEqual([
      { type: 'volume', source: expect.stringMatching(/docker_volume/), target: '/var/lib/postgresql/data' },
    ]);
  });

  test('the policy pack passes: what is accepted is suppressed with a reason (DKR5 for Swarm\'s every-interface ports)', () => {
    const result = PolicyTesting.synth(stack);
    expect(result.errors).toEqual([]);
    const suppressed = result.findings.filter((f) => f.status === FindingStatus.SUPPRESSED).map((f) => `${f.ruleId} ${f.container}`);
    expect(suppressed).toEqual(expect.arrayContaining(['DKR5 vote', 'DKR5 result', 'DKR10 redis', 'DKR10 db', 'DKR16 db', 'DKR16 redis']));
    expect(result.findings.some((f) => f.ruleId === 'DKR12')).toBe(false);
  });

  test('the reachability report lists the services with tasks.<name>', () => {
    const text = Reachability.find(stack)!.report();
    expect(text).toContain('worker (worker, tasks.worker)');
    expect(text).toContain('redis (redis, tasks.redis)');
  });
});

describe('VotingApp on Swarm, host-mode publishing', () => {
  const { services } = swarmApp(PublishMode.HOST);

  test('vote and result publish in host mode with one replica each and dnsrr', () => {
    expect(services.vote.endpoint_spec).toEqual({ mode: 'dnsrr', ports: [{ target_port: 80, published_port: 5000, publish_mode: 'host', protocol: 'tcp' }] });
    expect(services.vote.mode).toEqual({ replicated: { replicas: 1 } });
    expect(services.result.endpoint_spec.ports[0].publish_mode).toBe('host');
  });
});

describe('VotingApp on Swarm: validation', () => {
  test('rejects Segmentation.STRICT, hostIp and a bridge network of yours', () => {
    expect(() => new VotingApp(newStack(), 'app', { orchestrator: Orchestrator.SWARM, segmentation: Segmentation.STRICT })).toThrow(
      'VotingApp test/app: Segmentation.STRICT needs a bridge network with enable_icc=false',
    );
    expect(() => new VotingApp(newStack(), 'app', { orchestrator: Orchestrator.SWARM, hostIp: '0.0.0.0' })).toThrow(
      'hostIp "0.0.0.0" cannot apply on Swarm: it publishes on every interface of a node',
    );
    const stack = newStack();
    const bridge = new Network(stack, 'mine');
    expect(() => new VotingApp(stack, 'app', { orchestrator: Orchestrator.SWARM, backendNetwork: bridge })).toThrow(
      'uses the bridge driver, which is local to one engine',
    );
  });

  test('dataPlacement pins db and redis, the state of the app, to the nodes it names; the other services stay free to spread', () => {
    const stack = newStack();
    new VotingApp(stack, 'app', {
      orchestrator: Orchestrator.SWARM,
      images: LOCAL_IMAGES,
      dataPlacement: [PlacementConstraint.nodeLabel('voting-app.data', 'true')],
    });
    const placed = Object.fromEntries(
      Object.values(resourcesOf(Testing.synth(stack), 'docker_service')).map((s: any) => [s.name, s.task_spec.placement?.constraints]),
    );
    expect(placed).toEqual({
      db: ['node.labels.voting-app.data==true'],
      redis: ['node.labels.voting-app.data==true'],
      vote: undefined,
      result: undefined,
      worker: undefined,
    });
  });

  test('rejects dataPlacement without Swarm', () => {
    expect(() => new VotingApp(newStack(), 'app', { dataPlacement: [PlacementConstraint.MANAGER] })).toThrow(
      'dataPlacement applies to Swarm services only; set `orchestrator: Orchestrator.SWARM` or remove it.',
    );
  });

  test('rejects publishMode without Swarm', () => {
    expect(() => new VotingApp(newStack(), 'app', { publishMode: PublishMode.HOST })).toThrow(
      'publishMode applies to Swarm services only; set `orchestrator: Orchestrator.SWARM` or remove it.',
    );
  });
});

describe('the voting-app stack reads the orchestrator from the environment', () => {
  test('VOTING_APP_ORCHESTRATOR and VOTING_APP_SWARM_PUBLISH', () => {
    expect(orchestratorFromEnvironment({})).toBe(Orchestrator.CONTAINERS);
    expect(orchestratorFromEnvironment({ VOTING_APP_ORCHESTRATOR: 'swarm' })).toBe(Orchestrator.SWARM);
    expect(() => orchestratorFromEnvironment({ VOTING_APP_ORCHESTRATOR: 'k8s' })).toThrow('VOTING_APP_ORCHESTRATOR="k8s" is not an orchestrator');
    expect(publishModeFromEnvironment({})).toBeUndefined();
    expect(publishModeFromEnvironment({ VOTING_APP_SWARM_PUBLISH: 'host' })).toBe(PublishMode.HOST);
    expect(() => publishModeFromEnvironment({ VOTING_APP_SWARM_PUBLISH: 'x' })).toThrow('is not a publish mode');
    expect(dataPlacementFromEnvironment({})).toBeUndefined();
    expect(dataPlacementFromEnvironment({ VOTING_APP_DATA_NODE_LABEL: 'voting-app.data=true' })).toEqual([
      PlacementConstraint.nodeLabel('voting-app.data', 'true'),
    ]);
    expect(() => dataPlacementFromEnvironment({ VOTING_APP_DATA_NODE_LABEL: 'voting-app.data' })).toThrow(
      'VOTING_APP_DATA_NODE_LABEL="voting-app.data" is not a node label; write KEY=VALUE, e.g. voting-app.data=true.',
    );
  });

  test('the stack passes dataPlacement to the app on Swarm only', () => {
    const placement = [PlacementConstraint.nodeLabel('voting-app.data', 'true')];
    const onSwarm = new VotingAppStack(Testing.app(), 'voting-app', { images: LOCAL_IMAGES, orchestrator: Orchestrator.SWARM, dataPlacement: placement });
    const db = Object.values(resourcesOf(Testing.synth(onSwarm), 'docker_service')).find((s: any) => s.name === 'db') as any;
    expect(db.task_spec.placement.constraints).toEqual(['node.labels.voting-app.data==true']);
    // Containers: the setting the main job exports on Swarm is ignored, not refused.
    expect(() => new VotingAppStack(Testing.app(), 'voting-app', { images: LOCAL_IMAGES, dataPlacement: placement })).not.toThrow();
  });
});
