/**
 * bench/topology.ts: the compose file and the docker-run script of the bench come from the library's model of the
 * synthesized voting app, so the three ways of running it share images, networks, aliases, ports and settings.
 */
import { Testing } from 'cdktf';
import { Orchestrator, PlacementConstraint, PublishMode } from '../../lib';
import { composeFile, dockerRunScript, stackFile, topologyFromStack } from '../../bench/topology';
import { PUBLIC_IMAGES } from '../../stacks/images';
import { VotingAppStack } from '../../stacks/voting-app';

const synthesized = (props: ConstructorParameters<typeof VotingAppStack>[2] = { images: PUBLIC_IMAGES }) =>
  JSON.parse(Testing.synth(new VotingAppStack(Testing.app(), 'voting-app', props)));

describe('the bench topology', () => {
  const topology = topologyFromStack(synthesized());

  test('orders the containers so that each comes after what it depends on', () => {
    expect(topology.services.map((s) => [s.name, s.dependsOn])).toEqual([
      ['db', []],
      ['redis', []],
      ['result', ['db']],
      ['vote', ['redis']],
      ['worker', ['redis', 'db']],
    ]);
    expect([topology.networks, topology.volumes]).toEqual([['backend-network', 'frontend-network'], ['db-data']]);
  });

  test('the compose file: images, networks with aliases, published ports, volumes and healthy dependencies', () => {
    const compose = composeFile(topology, '/pw') as any;
    expect(compose.services.db).toMatchObject({
      image: PUBLIC_IMAGES.db,
      networks: { 'backend-network': { aliases: ['db'] } },
      volumes: ['db-data:/var/lib/postgresql/data', '/pw:/run/secrets/db-password:ro'],
    });
    expect(compose.services.vote.ports).toEqual(['127.0.0.1:5000:80']);
    expect(compose.services.worker.depends_on).toEqual({ redis: { condition: 'service_healthy' }, db: { condition: 'service_healthy' } });
    expect(Object.keys(compose.networks)).toEqual(['backend-network', 'frontend-network']);
  });

  test('the docker-run script: each container on its last network, connected to the others', () => {
    const script = dockerRunScript(topology, '/pw');
    expect(script).toContain("docker network create --label cdktf-docker-networking.bench=docker-run 'backend-network' >/dev/null");
    expect(script).toMatch(/docker run -d --name 'db' .*--network 'backend-network' --network-alias 'db' /);
    expect(script).toContain("docker network connect 'frontend-network' 'vote'");
    expect(script.indexOf("wait_healthy 'redis'")).toBeLessThan(script.indexOf("--name 'vote'"));
  });

  test('a Swarm stack is not for the bench', () => {
    expect(() => topologyFromStack(synthesized({ images: PUBLIC_IMAGES, orchestrator: Orchestrator.SWARM }))).toThrow(
      'db: a Swarm service; the bench runs the voting app as containers',
    );
  });
});

describe('the stack file of the lab bench (docker stack deploy, in the form of docker-stack.yml)', () => {
  const swarm = synthesized({
    images: PUBLIC_IMAGES,
    orchestrator: Orchestrator.SWARM,
    publishMode: PublishMode.HOST,
    dataPlacement: [PlacementConstraint.nodeLabel('voting-app.data', 'true')],
  });
  const stack = stackFile(swarm, '/pw') as any;

  test('the same services, images, networks with aliases, ports in host mode, placement and secret as the Terraform stack', () => {
    expect(Object.keys(stack.services).sort()).toEqual(['db', 'redis', 'result', 'vote', 'worker']);
    expect(stack.services.db).toMatchObject({
      image: PUBLIC_IMAGES.db,
      networks: { 'backend-network': { aliases: ['db'] } },
      volumes: ['db-data:/var/lib/postgresql/data'],
      secrets: [{ source: 'db-password', target: 'db-password', mode: 0o444 }],
      deploy: { mode: 'replicated', replicas: 1, endpoint_mode: 'dnsrr', placement: { constraints: ['node.labels.voting-app.data==true'] } },
    });
    expect(stack.services.redis.deploy.placement).toEqual({ constraints: ['node.labels.voting-app.data==true'] });
    expect(stack.services.vote.ports).toEqual([{ target: 80, published: 5000, protocol: 'tcp', mode: 'host' }]);
    expect(stack.services.vote.networks).toEqual({ 'frontend-network': {}, 'backend-network': {} });
    expect(stack.services.worker.deploy).toMatchObject({ replicas: 2, update_config: { parallelism: 1, order: 'start-first' }, restart_policy: { condition: 'any' } });
    expect(stack.services.worker.deploy.resources).toEqual({ limits: { memory: '256M', cpus: '0.5' } });
  });

  test('networks, the volume and the secret keep their names, so both methods build the same objects', () => {
    expect(stack.networks['frontend-network']).toMatchObject({ name: 'frontend-network', driver: 'overlay', attachable: true });
    expect(stack.volumes).toEqual({ 'db-data': { name: 'db-data', labels: { 'cdktf-docker-networking.bench': 'stack' } } });
    expect(stack.secrets['db-password']).toMatchObject({ name: 'db-password', file: '/pw' });
  });

  test('containers are not for the stack file', () => {
    expect(() => stackFile(synthesized(), '/pw')).toThrow('db: a container; the stack file holds Swarm services only');
  });
});
