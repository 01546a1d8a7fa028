/**
 * The whole synthesized document (cdk.tf.json) of every stack in stacks/, in each of its variants, byte for byte. A
 * change of the library that is not meant to change what a stack deploys (a new feature its stacks do not use, such
 * as engines) must leave these files as they are. A deliberate change: read the diff of fixtures/, then write them
 * with UPDATE_GOLDEN=1 npx jest __tests__/stacks/synthesized-json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { Orchestrator, PublishMode, Segmentation } from '../../lib';
import { ComposeVotingAppStack } from '../../stacks/compose-voting-app';
import { LOCAL_IMAGES } from '../../stacks/images';
import { NetworkBasicsStack } from '../../stacks/network-basics';
import { VotingAppStack } from '../../stacks/voting-app';

const FIXTURES = path.join(__dirname, 'fixtures');

const stacks: Record<string, (app: App) => TerraformStack> = {
  'network-basics': (app) => new NetworkBasicsStack(app, 'network-basics'),
  'network-basics, local images': (app) => new NetworkBasicsStack(app, 'network-basics', { images: LOCAL_IMAGES }),
  'voting-app': (app) => new VotingAppStack(app, 'voting-app'),
  'voting-app, strict': (app) => new VotingAppStack(app, 'voting-app', { segmentation: Segmentation.STRICT }),
  'voting-app, swarm': (app) => new VotingAppStack(app, 'voting-app', { orchestrator: Orchestrator.SWARM }),
  'voting-app, swarm, host mode': (app) =>
    new VotingAppStack(app, 'voting-app', { orchestrator: Orchestrator.SWARM, publishMode: PublishMode.HOST, images: LOCAL_IMAGES }),
  'compose-voting-app': (app) => new ComposeVotingAppStack(app, 'compose-voting-app'),
};

const fileOf = (name: string) => path.join(FIXTURES, `${name.replace(/, /g, '.').replace(/ /g, '-')}.tf.json`);

describe('the synthesized JSON of every stack stays as it is', () => {
  test.each(Object.keys(stacks))('%s', (name) => {
    const synthesized = `${JSON.stringify(JSON.parse(Testing.synth(stacks[name](Testing.app()))), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1') {
      fs.mkdirSync(FIXTURES, { recursive: true });
      fs.writeFileSync(fileOf(name), synthesized);
    }
    expect(synthesized).toBe(fs.readFileSync(fileOf(name), 'utf8'));
  });

  test('the fixtures folder has no stack the test no longer makes', () => {
    expect(fs.readdirSync(FIXTURES).sort()).toEqual(Object.keys(stacks).map((name) => path.basename(fileOf(name))).sort());
  });
});
