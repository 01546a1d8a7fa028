import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { Orchestrator, PolicyTesting, Segmentation } from '../../lib';
import { LOCAL_IMAGES, PUBLIC_IMAGES } from '../../stacks/images';
import { NetworkBasicsStack } from '../../stacks/network-basics';
import { VotingAppStack, segmentationFromEnvironment } from '../../stacks/voting-app';

/** What `cdktf synth` prints for a stack: one info line, the count of its info findings (POL2), and nothing else. */
const QUIET = [['POL2', 'info']];
const printed = (stack: TerraformStack) => PolicyTesting.synth(stack, true).annotations.map((a) => [a.ruleId, a.level]);

describe.each([
  ['public', PUBLIC_IMAGES],
  ['local', LOCAL_IMAGES],
])('with the %s images', (_name, images) => {
  test('network-basics passes the pack and its declared flows at the default level, quietly', () => {
    expect(printed(new NetworkBasicsStack(Testing.app(), 'network-basics', { images }))).toEqual(QUIET);
  });

  test('voting-app passes the pack and its declared flows at the default level, quietly', () => {
    expect(printed(new VotingAppStack(Testing.app(), 'voting-app', { images }))).toEqual(QUIET);
  });

  test('voting-app in the strict layout passes too', () => {
    expect(printed(new VotingAppStack(Testing.app(), 'voting-app', { images, segmentation: Segmentation.STRICT }))).toEqual(QUIET);
  });

  test('voting-app on Swarm passes too', () => {
    expect(printed(new VotingAppStack(Testing.app(), 'voting-app', { images, orchestrator: Orchestrator.SWARM }))).toEqual(QUIET);
  });
});

test('a synth of the repo\'s app leaves one info line a stack in the manifest, which cdktf synth prints', () => {
  const app = Testing.app();
  new NetworkBasicsStack(app, 'network-basics');
  new VotingAppStack(app, 'voting-app');
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
  const annotations = Object.entries<any>(manifest.stacks).flatMap(([id, s]) => s.annotations.map((a: any) => [id, a.level, a.message.slice(0, 6)]));
  expect(annotations).toEqual([
    ['network-basics', '@cdktf/info', '[POL2]'],
    ['voting-app', '@cdktf/info', '[POL2]'],
  ]);
});

describe('VOTING_APP_SEGMENTATION', () => {
  test('selects the strict layout with "strict"', () => {
    expect(segmentationFromEnvironment({ VOTING_APP_SEGMENTATION: 'strict' })).toBe(Segmentation.STRICT);
  });

  test('defaults to the shared backend layout', () => {
    expect(segmentationFromEnvironment({})).toBe(Segmentation.SHARED_BACKEND);
  });

  test('rejects another value, naming the choices', () => {
    expect(() => segmentationFromEnvironment({ VOTING_APP_SEGMENTATION: 'tight' })).toThrow(
      'VOTING_APP_SEGMENTATION="tight" is not a layout; use "shared-backend" (the default) or "strict".',
    );
  });
});
