import { Testing } from 'cdktf';
import { Network as DockerNetwork } from '@cdktf/provider-docker/lib/network';
import { DB_PASSWORD_FILE, Network, PUBLIC_VOTING_APP_IMAGES, VotingApp } from '../../lib';
import { containersByName, networkNameOf, newStack, resourcesOf, synthValidated } from '../helpers';

function networkNames(container: any, synthesized: string): string[] {
  return container.networks_advanced.map((attachment: any) => networkNameOf(synthesized, attachment.name));
}

describe('VotingApp', () => {
  const stack = newStack();
  const app = new VotingApp(stack, 'app');
  const synthesized = Testing.synth(stack);
  const containers = containersByName(synthesized);

  test('creates the five services', () => {
    expect(Object.keys(containers).sort()).toEqual(['db', 'redis', 'result', 'vote', 'worker']);
  });

  test('creates frontend-network and backend-network', () => {
    expect(synthesized).toHaveResourceWithProperties(DockerNetwork, { name: 'frontend-network' });
    expect(synthesized).toHaveResourceWithProperties(DockerNetwork, { name: 'backend-network' });
  });

  test('puts vote and result on both networks: result must reach db (the tutorial forgets this)', () => {
    expect(networkNames(containers.vote, synthesized)).toEqual(['frontend-network', 'backend-network']);
    expect(networkNames(containers.result, synthesized)).toEqual(['frontend-network', 'backend-network']);
  });

  test('never puts worker, redis or db on the frontend', () => {
    for (const name of ['worker', 'redis', 'db']) {
      expect(networkNames(containers[name], synthesized)).toEqual(['backend-network']);
    }
  });

  test('publishes vote on 127.0.0.1:5000 and result on 127.0.0.1:5001, both to port 80', () => {
    expect(containers.vote.ports).toEqual([{ internal: 80, external: 5000, ip: '127.0.0.1' }]);
    expect(containers.result.ports).toEqual([{ internal: 80, external: 5001, ip: '127.0.0.1' }]);
  });

  test('gives redis and db the aliases the app code expects, whatever the containers are called', () => {
    expect(containers.redis.networks_advanced[0].aliases).toEqual(['redis']);
    expect(containers.db.networks_advanced[0].aliases).toEqual(['db']);
  });

  test('uses the maintained public images by default', () => {
    const images = Object.values(resourcesOf(synthesized, 'docker_image')).map((i: any) => i.name);
    expect(images.sort()).toEqual(Object.values(PUBLIC_VOTING_APP_IMAGES).sort());
  });

  test('gives redis and db healthchecks and waits for them', () => {
    expect(containers.redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(containers.db.healthcheck.test).toEqual(['CMD-SHELL', 'pg_isready -U postgres -h 127.0.0.1']);
    expect(containers.redis.wait).toBe(true);
    expect(containers.db.wait).toBe(true);
  });

  test('starts vote after redis, result after db, worker after both', () => {
    const dependencies = (name: string) =>
      (containers[name].depends_on ?? []).map((ref: string) => /^docker_container\.app_([a-z]+)_[0-9A-F]+$/.exec(ref)![1]);
    expect(dependencies('vote')).toEqual(['redis']);
    expect(dependencies('result')).toEqual(['db']);
    expect(dependencies('worker')).toEqual(['redis', 'db']);
  });

  test('keeps the database in a named volume, so replacing db keeps the votes', () => {
    expect(Object.values(resourcesOf(synthesized, 'docker_volume')).map((v: any) => v.name)).toEqual(['db-data']);
    expect(containers.db.volumes).toEqual([
      { volume_name: expect.stringMatching(/^\$\{docker_volume\.app_db-data_[0-9A-F]+\.name\}$/), container_path: '/var/lib/postgresql/data' },
    ]);
  });

  test('stops db with SIGINT, PostgreSQL fast shutdown', () => {
    expect(containers.db.stop_signal).toBe('SIGINT');
  });

  test('restarts every service that crashes', () => {
    for (const container of Object.values(containers)) expect(container.restart).toBe('unless-stopped');
  });

  test('limits memory and CPU of every service', () => {
    for (const container of Object.values(containers)) {
      expect(container.memory).toBeGreaterThan(0);
      expect(container.cpu_quota).toBeGreaterThan(0);
    }
  });

  test('reads the database password from a sensitive variable, never a literal', () => {
    const json = JSON.parse(synthesized);
    expect(json.variable.db_password).toEqual({
      type: 'string',
      sensitive: true,
      description: 'Password of the voting app database (user postgres).',
    });
    for (const name of ['db', 'worker', 'result']) {
      expect(containers[name].upload).toEqual([{ file: DB_PASSWORD_FILE, content: '${var.db_password}' }]);
    }
    expect(containers.db.env).toEqual([`POSTGRES_PASSWORD_FILE=${DB_PASSWORD_FILE}`]);
  });

  test('gives the password to no container that does not need it', () => {
    expect(containers.vote.upload).toBeUndefined();
    expect(containers.redis.upload).toBeUndefined();
  });

  test('outputs the two URLs and the network names', () => {
    const outputs = JSON.parse(synthesized).output;
    expect(outputs.vote_url.value).toBe('http://127.0.0.1:5000');
    expect(outputs.result_url.value).toBe('http://127.0.0.1:5001');
    expect(outputs.frontend_network.value).toMatch(/^\$\{docker_network\.app_frontend_[0-9A-F]+\.name\}$/);
    expect(outputs.backend_network.value).toMatch(/^\$\{docker_network\.app_backend_[0-9A-F]+\.name\}$/);
  });

  test('exposes the URLs and the services', () => {
    expect(app.voteUrl).toBe('http://127.0.0.1:5000');
    expect(app.resultUrl).toBe('http://127.0.0.1:5001');
    expect(app.redis.name).toBe('redis');
  });

  test('passes its own validations', () => {
    expect(() => synthValidated(stack)).not.toThrow();
  });
});

describe('VotingApp props', () => {
  test('namePrefix prefixes containers, networks and outputs', () => {
    const stack = newStack();
    new VotingApp(stack, 'app', { namePrefix: 'team-a-', votePort: 6000, resultPort: 6001 });
    const synthesized = Testing.synth(stack);
    expect(Object.keys(containersByName(synthesized)).sort()).toEqual([
      'team-a-db',
      'team-a-redis',
      'team-a-result',
      'team-a-vote',
      'team-a-worker',
    ]);
    expect(synthesized).toHaveResourceWithProperties(DockerNetwork, { name: 'team-a-frontend-network' });
    const json = JSON.parse(synthesized);
    expect(Object.keys(json.output).sort()).toEqual([
      'team_a_backend_network',
      'team_a_frontend_network',
      'team_a_result_url',
      'team_a_vote_url',
    ]);
    expect(Object.keys(json.variable)).toEqual(['team_a_db_password']);
    expect(Object.values(resourcesOf(synthesized, 'docker_volume')).map((v: any) => v.name)).toEqual(['team-a-db-data']);
  });

  test('keeps the aliases redis and db under a prefix', () => {
    const stack = newStack();
    new VotingApp(stack, 'app', { namePrefix: 'team-a-' });
    const containers = containersByName(Testing.synth(stack));
    expect(containers['team-a-redis'].networks_advanced[0].aliases).toEqual(['redis']);
    expect(containers['team-a-db'].networks_advanced[0].aliases).toEqual(['db']);
  });

  test('overrides images one by one', () => {
    const stack = newStack();
    new VotingApp(stack, 'app', { images: { vote: 'voting-app-local/vote:local' } });
    const images = Object.values(resourcesOf(Testing.synth(stack), 'docker_image')).map((i: any) => i.name);
    expect(images).toContain('voting-app-local/vote:local');
    expect(images).toContain(PUBLIC_VOTING_APP_IMAGES.redis);
  });

  test('overrides ports and host address', () => {
    const stack = newStack();
    const app = new VotingApp(stack, 'app', { votePort: 8000, resultPort: 8001, hostIp: '0.0.0.0' });
    const containers = containersByName(Testing.synth(stack));
    expect(containers.vote.ports).toEqual([{ internal: 80, external: 8000, ip: '0.0.0.0' }]);
    expect(app.resultUrl).toBe('http://0.0.0.0:8001');
  });

  test('joins networks it is given instead of creating them', () => {
    const stack = newStack();
    const frontend = Network.fromName(stack, 'front', 'corp-frontend');
    const backend = new Network(stack, 'back', { name: 'corp-backend' });
    new VotingApp(stack, 'app', { frontendNetwork: frontend, backendNetwork: backend });
    const synthesized = Testing.synth(stack);
    expect(Object.keys(resourcesOf(synthesized, 'docker_network'))).toHaveLength(1);
    expect(containersByName(synthesized).vote.networks_advanced.map((a: any) => a.name)).toEqual([
      expect.stringContaining('data.docker_network.front_'),
      expect.stringContaining('docker_network.back_'),
    ]);
  });

  test('takes a database password from the caller instead of declaring a variable', () => {
    const stack = newStack();
    new VotingApp(stack, 'app', { databasePassword: '${var.from_vault}' });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.variable).toBeUndefined();
  });

  test('rejects one port for vote and result', () => {
    expect(() => new VotingApp(newStack(), 'app', { votePort: 7000, resultPort: 7000 })).toThrow(
      'VotingApp test/app: votePort and resultPort are both 7000; give them different ports.',
    );
  });

  test('rejects a port outside 1-65535', () => {
    expect(() => new VotingApp(newStack(), 'app', { votePort: 70000 })).toThrow(
      'VotingApp test/app: votePort 70000 is not a port number; use a whole number from 1 to 65535.',
    );
  });

  test('rejects an invalid name prefix through the container name check', () => {
    expect(() => new VotingApp(newStack(), 'app', { namePrefix: '-' })).toThrow('invalid network name "-frontend-network"');
  });
});

describe('two VotingApps in one stack', () => {
  test('fail synth naming namePrefix when they share names', () => {
    const stack = newStack();
    new VotingApp(stack, 'blue');
    new VotingApp(stack, 'green', { votePort: 6000, resultPort: 6001 });
    expect(() => synthValidated(stack)).toThrow(
      'VotingApp test/green: VotingApp test/blue in the same stack already uses the container and network names of ' +
        'namePrefix ""; set `namePrefix` on one of them (e.g. "team-b-") so their names differ.',
    );
  });

  test('synthesize side by side with distinct prefixes and ports', () => {
    const stack = newStack();
    new VotingApp(stack, 'blue', { namePrefix: 'blue-' });
    new VotingApp(stack, 'green', { namePrefix: 'green-', votePort: 6000, resultPort: 6001 });
    expect(() => synthValidated(stack)).not.toThrow();
    expect(Object.keys(resourcesOf(Testing.synth(stack), 'docker_container'))).toHaveLength(10);
  });

  test('with distinct prefixes but default ports fail on the host port', () => {
    const stack = newStack();
    new VotingApp(stack, 'blue', { namePrefix: 'blue-' });
    new VotingApp(stack, 'green', { namePrefix: 'green-' });
    expect(() => synthValidated(stack)).toThrow(
      'ServiceContainer test/green/vote: host port 127.0.0.1:5000/tcp is already published by ServiceContainer test/blue/vote',
    );
  });
});
