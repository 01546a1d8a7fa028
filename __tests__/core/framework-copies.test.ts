import * as path from 'path';
import { DockerPolicy, Network, ServiceContainer, SwarmService, VotingApp, ValidationError } from '../../lib';

/** cdktf and constructs loaded a second time, as an app gets when the library brings its own copies. */
function otherCdktf(): typeof import('cdktf') {
  let copy: typeof import('cdktf') | undefined;
  jest.isolateModules(() => {
    copy = require('cdktf');
  });
  return copy!;
}

function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

describe('a stack from another copy of cdktf and constructs', () => {
  const cdktf = otherCdktf();
  const ours = path.dirname(require.resolve('constructs/package.json'));

  test.each([
    ['Network', (stack: any) => new Network(stack, 'net')],
    ['ServiceContainer', (stack: any) => new ServiceContainer(stack, 'app', { image: 'app:1.0' })],
    ['VotingApp', (stack: any) => new VotingApp(stack, 'app')],
    ['SwarmService', (stack: any) => new SwarmService(stack, 'svc', { image: 'app:1.0' })],
  ])('fails a %s with a message that names our copy and how to dedupe', (_kind, create) => {
    const error = thrownBy(() => create(new cdktf.TerraformStack(cdktf.Testing.app(), 'theirs')));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain(`while cdktf-docker-networking loads constructs from ${ours}`);
    expect(error.message).toContain('Keep one copy: `npm ls constructs cdktf` lists them;');
  });

  test('fails applying the policy pack rather than leaving it silently off', () => {
    const stack = new cdktf.TerraformStack(cdktf.Testing.app(), 'theirs');
    expect(() => DockerPolicy.applyTo(stack)).toThrow('Aspects and validations of one copy never run under the other');
  });
});
