import * as fs from 'fs';
import * as os from 'os';
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
    expect(error.message).not.toContain('CDK Terrain');
  });

  test('fails applying the policy pack rather than leaving it silently off', () => {
    const stack = new cdktf.TerraformStack(cdktf.Testing.app(), 'theirs');
    expect(() => DockerPolicy.applyTo(stack)).toThrow('Aspects and validations of one copy never run under the other');
  });
});

describe('a stack from CDK Terrain loaded beside the cdktf the library loads', () => {
  // What a cdktn project gets from `npm install cdktf@npm:cdktn@<version>`: its own code loads node_modules/cdktn, the
  // library a second cdktn as node_modules/cdktf. A module from a folder named cdktn stands for the first here (last in
  // this file: it stays in the module registry).
  test('names the cdktn folder and how to load cdktn once under both names', () => {
    const terrain = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'framework-copies-')), 'node_modules', 'cdktn');
    fs.mkdirSync(terrain, { recursive: true });
    fs.writeFileSync(path.join(terrain, 'index.js'), 'module.exports = {};\n');
    require(path.join(terrain, 'index.js'));
    const cdktf = otherCdktf();

    const error = thrownBy(() => new Network(new cdktf.TerraformStack(cdktf.Testing.app(), 'theirs'), 'net'));
    const ours = path.dirname(require.resolve('cdktf/package.json'));
    expect(error.message).toContain(`cdktf at ${terrain}, while cdktf-docker-networking loads cdktf from ${ours}.`);
    expect(error.message).toMatch(
      /\(`npm dedupe`\)\. On CDK Terrain, load cdktn once under both names: `npm install cdktf@file:node_modules\/cdktn`, with `"overrides": \{ "cdktf": "\$cdktf" \}` in package\.json \(docs\/cdktn\.md\), rather than a second cdktn as `npm:cdktn`\.$/,
    );
    fs.rmSync(path.dirname(path.dirname(terrain)), { recursive: true, force: true });
  });
});
