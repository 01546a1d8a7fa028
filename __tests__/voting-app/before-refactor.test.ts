/**
 * TEMPORARY (issue 18, VotingApp symmetric): the synthesized JSON of every variant must stay byte-identical across
 * the refactor. Captured from the code before it with CAPTURE_BEFORE=1; deleted once the refactor is done.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Construct } from 'constructs';
import { DockerNames, Network, NetworkDriver, Orchestrator, PublishMode, Segmentation, VotingApp, VotingAppProps } from '../../lib';
import { LOCAL_IMAGES, PUBLIC_IMAGES } from '../../stacks/images';
import { VotingAppStack } from '../../stacks/voting-app';

const FIXTURES = path.join(__dirname, 'fixtures', 'before');

function plain(props: VotingAppProps, prefixed = false, networks?: 'given' | 'given-overlay'): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new DockerProvider(stack, 'docker');
  let scope: Construct = stack;
  if (prefixed) {
    scope = new Construct(stack, 'shop');
    DockerNames.prefix(scope);
  }
  const driver = networks === 'given-overlay' ? NetworkDriver.OVERLAY : undefined;
  const given = networks
    ? { frontendNetwork: Network.fromName(scope, 'front', 'corp-frontend'), backendNetwork: new Network(scope, 'back', { name: 'corp-backend', driver }) }
    : {};
  new VotingApp(scope, 'app', { ...props, ...given });
  return stack;
}

const variants: Record<string, () => TerraformStack> = {};
for (const [imagesName, images] of Object.entries({ public: PUBLIC_IMAGES, local: LOCAL_IMAGES })) {
  variants[`stack-containers-shared-${imagesName}`] = () => new VotingAppStack(Testing.app(), 'voting-app', { images });
  variants[`stack-containers-strict-${imagesName}`] = () =>
    new VotingAppStack(Testing.app(), 'voting-app', { images, segmentation: Segmentation.STRICT });
  variants[`stack-swarm-ingress-${imagesName}`] = () =>
    new VotingAppStack(Testing.app(), 'voting-app', { images, orchestrator: Orchestrator.SWARM });
  variants[`stack-swarm-host-${imagesName}`] = () =>
    new VotingAppStack(Testing.app(), 'voting-app', { images, orchestrator: Orchestrator.SWARM, publishMode: PublishMode.HOST });
}
variants['plain-containers-prefixed'] = () => plain({ namePrefix: 'team-a-', votePort: 6000, resultPort: 6001, hostIp: '0.0.0.0' }, true);
variants['plain-strict-prefixed'] = () => plain({ namePrefix: 'team-a-', segmentation: Segmentation.STRICT, databasePassword: '${var.x}' }, true);
variants['plain-swarm-prefixed'] = () => plain({ namePrefix: 'team-a-', orchestrator: Orchestrator.SWARM }, true);
variants['plain-containers-given-networks'] = () => plain({}, false, 'given');
variants['plain-strict-given-networks'] = () => plain({ segmentation: Segmentation.STRICT }, false, 'given');
variants['plain-swarm-given-networks'] = () => plain({ orchestrator: Orchestrator.SWARM, databasePassword: 'literal' }, false, 'given-overlay');

describe('VotingApp synthesizes byte for byte as before the refactor', () => {
  test.each(Object.keys(variants))('%s', (name) => {
    const synthesized = Testing.synth(variants[name]());
    const file = path.join(FIXTURES, `${name}.json`);
    if (process.env.CAPTURE_BEFORE === '1') fs.writeFileSync(file, synthesized);
    expect(synthesized).toBe(fs.readFileSync(file, 'utf8'));
  });
});

