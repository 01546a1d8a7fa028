import { Testing } from 'cdktf';
import { PolicyTesting, Segmentation } from '../../lib';
import { LOCAL_IMAGES, PUBLIC_IMAGES } from '../../stacks/images';
import { NetworkBasicsStack } from '../../stacks/network-basics';
import { VotingAppStack, segmentationFromEnvironment } from '../../stacks/voting-app';

describe.each([
  ['public', PUBLIC_IMAGES],
  ['local', LOCAL_IMAGES],
])('with the %s images', (_name, images) => {
  test('network-basics passes the pack and its declared flows at the default level', () => {
    const stack = new NetworkBasicsStack(Testing.app(), 'network-basics', { images });
    expect(PolicyTesting.synth(stack, true).annotations.filter((a) => a.level !== 'info')).toEqual([]);
  });

  test('voting-app passes the pack and its declared flows at the default level', () => {
    const stack = new VotingAppStack(Testing.app(), 'voting-app', { images });
    expect(PolicyTesting.synth(stack, true).annotations.filter((a) => a.level !== 'info')).toEqual([]);
  });

  test('voting-app in the strict layout passes too', () => {
    const stack = new VotingAppStack(Testing.app(), 'voting-app', { images, segmentation: Segmentation.STRICT });
    expect(PolicyTesting.synth(stack, true).annotations.filter((a) => a.level !== 'info')).toEqual([]);
  });
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
