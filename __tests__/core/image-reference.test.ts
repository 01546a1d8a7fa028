import { Testing } from 'cdktf';
import { TerraformVariable } from 'cdktf';
import { ServiceContainer } from '../../lib';
import { newStack, onlyResource } from '../helpers';

const EXAMPLES = 'write it like "nginx:1.27", "registry.example:5000/team/app:1.0" or "app@sha256:<64 hex digits>".';
const GRAMMAR =
  'Docker takes a repository path of lower-case letters and digits, separated by ".", "_", "__", "-" or "/", after an ' +
  'optional registry host and port, then an optional ":tag" and "@digest"';
const SHA256 = 'a'.repeat(64);

function imageOf(image: string): string {
  const stack = newStack();
  new ServiceContainer(stack, 'app', { image });
  return onlyResource(Testing.synth(stack), 'docker_image').name;
}

function refusal(image: string, problem: string): string {
  return `ServiceContainer test/app: image "${image}" is not an image reference: ${problem}; ${EXAMPLES}`;
}

describe('image references, as github.com/distribution/reference reads them', () => {
  test.each([
    'nginx',
    'nginx:1.27',
    'library/nginx',
    'localhost:5000/app:1',
    'localhost/app',
    'registry.example/team/app:1.0',
    'registry.example:5000/team/sub/app:v1.2.3-rc_1',
    'Registry.Example:5000/app',
    '192.168.1.10:5000/app',
    '[::1]:5000/app:1',
    '[fd00:28::1]/app',
    'voting-app-local/redis:local',
    'a__b/c-----d/e.f/g_h',
    'app:Latest',
    `app:${'t'.repeat(128)}`,
    `app@sha256:${SHA256}`,
    `nginx:1.27@sha256:${SHA256}`,
    `registry.example:5000/app@sha384:${'0'.repeat(96)}`,
    `app@sha512:${'f'.repeat(128)}`,
    `${'a'.repeat(255)}:1`,
  ])('accepts %p', (image) => {
    expect(imageOf(image)).toBe(image);
  });

  test.each([
    'Nginx :1.27',
    'nginx:',
    ':1.27',
    'nginx:.1',
    `app:${'t'.repeat(129)}`,
    'app/',
    '/app',
    'app//x',
    'app-/x',
    'app._x',
    'app___x',
    '-app',
    'registry.example:port/app',
    'registry.example/app:1:2',
    'app@sha256',
    'app@sha256:abc',
    'fe80::1%eth0/app',
    'nginx 1.27',
  ])('refuses %p, which does not match the grammar', (image) => {
    expect(() => imageOf(image)).toThrow(refusal(image, GRAMMAR));
  });

  test.each(['Nginx:1.27', 'registry.example/Team/app', 'localhost:5000/App:1'])('refuses %p, whose repository path is not lower case', (image) => {
    expect(() => imageOf(image)).toThrow(
      refusal(image, 'the repository path has upper-case letters, and Docker takes lower case only there'),
    );
  });

  test.each([`app@sha256:${'A'.repeat(64)}`, `app@sha256:${'a'.repeat(63)}`, `app@md5:${'a'.repeat(32)}`, `app@sha512:${SHA256}`])(
    'refuses %p, whose digest Docker cannot verify',
    (image) => {
      expect(() => imageOf(image)).toThrow(
        refusal(image, 'the digest is not one Docker can verify: sha256, sha384 or sha512, then 64, 96 or 128 lower-case hex digits'),
      );
    },
  );

  test('refuses a name of more than 255 characters, counting the registry host as Engine 25 does', () => {
    const image = `registry.example/${'a'.repeat(239)}:1`;
    expect(() => imageOf(image)).toThrow(
      refusal(image, 'the name before the tag is 256 characters long, and Docker takes at most 255'),
    );
  });

  test('skips an image known only at apply time', () => {
    const stack = newStack();
    const image = new TerraformVariable(stack, 'image', { type: 'string' });
    expect(() => new ServiceContainer(stack, 'app', { image: image.stringValue })).not.toThrow();
  });
});
