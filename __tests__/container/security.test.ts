import { Testing } from 'cdktf';
import { Capability, ServiceContainer, ServiceContainerProps, Size } from '../../lib';
import { newStack, onlyResource } from '../helpers';

function containerJson(props: Partial<ServiceContainerProps> = {}): any {
  const stack = newStack();
  new ServiceContainer(stack, 'app', { image: 'nginx:1.27', ...props });
  return onlyResource(Testing.synth(stack), 'docker_container');
}

describe('ServiceContainer security props', () => {
  test('sets no-new-privileges by default', () => {
    expect(containerJson().security_opts).toEqual(['no-new-privileges:true']);
  });

  test('leaves no-new-privileges out with noNewPrivileges false', () => {
    expect(containerJson({ noNewPrivileges: false }).security_opts).toBeUndefined();
  });

  test('appends securityOptions after no-new-privileges', () => {
    expect(containerJson({ securityOptions: ['apparmor=docker-default'] }).security_opts).toEqual([
      'no-new-privileges:true',
      'apparmor=docker-default',
    ]);
  });

  test('keeps the root filesystem writable by default', () => {
    expect(containerJson().read_only).toBeUndefined();
  });

  test('mounts the root filesystem read-only with readOnlyRootFilesystem', () => {
    expect(containerJson({ readOnlyRootFilesystem: true }).read_only).toBe(true);
  });

  test('writes tmpfs mounts with their size in MiB and their mode', () => {
    expect(
      containerJson({ tmpfs: [{ path: '/tmp' }, { path: '/run', size: Size.mebibytes(8), mode: '0755' }] }).tmpfs,
    ).toEqual({ '/tmp': 'size=64m', '/run': 'size=8m,mode=0755' });
  });

  test('writes the owner of a tmpfs mount, for a service that runs as its own user', () => {
    expect(containerJson({ tmpfs: [{ path: '/var/lib/redis', uid: 999, gid: 999 }] }).tmpfs).toEqual({
      '/var/lib/redis': 'size=64m,uid=999,gid=999',
    });
  });

  test('rejects a tmpfs owner that is not an id', () => {
    expect(() => containerJson({ tmpfs: [{ path: '/data', uid: -1 }] })).toThrow(
      'ServiceContainer test/app: tmpfs uid -1 for /data is not a user or group id; use a whole number >= 0.',
    );
  });

  test('rejects a relative tmpfs path', () => {
    expect(() => containerJson({ tmpfs: [{ path: 'tmp' }] })).toThrow(
      'ServiceContainer test/app: tmpfs path "tmp" is not absolute; write it like "/tmp".',
    );
  });

  test('rejects a tmpfs mode that is not octal', () => {
    expect(() => containerJson({ tmpfs: [{ path: '/tmp', mode: 'rwx' }] })).toThrow(
      'ServiceContainer test/app: tmpfs mode "rwx" for /tmp is not an octal file mode; write it like "1777".',
    );
  });

  test('drops and adds capabilities, in the CAP_ form the provider reads back (no perpetual diff)', () => {
    expect(containerJson({ capabilities: { drop: [Capability.ALL], add: [Capability.NET_BIND_SERVICE] } }).capabilities).toEqual({
      add: ['CAP_NET_BIND_SERVICE'],
      drop: ['ALL'],
    });
  });

  test("keeps Docker's default capabilities by default", () => {
    expect(containerJson().capabilities).toBeUndefined();
  });

  test('runs as `user`', () => {
    expect(containerJson({ user: '10001:10001' }).user).toBe('10001:10001');
  });

  test('rejects files with a read-only root filesystem, which Docker cannot copy into', () => {
    expect(() =>
      containerJson({ readOnlyRootFilesystem: true, files: [{ path: '/etc/app.conf', content: 'x' }] }),
    ).toThrow(
      'ServiceContainer test/app: readOnlyRootFilesystem and files do not combine: Docker refuses to copy files into a ' +
        'read-only root filesystem ("container rootfs is marked read-only"); drop one of the two.',
    );
  });

  test.each([
    ['/tmp/app.conf', '/tmp'],
    ['/tmp', '/tmp/'],
    ['/run/app/deep/x.pem', '/run/app'],
  ])('rejects the file %p under the tmpfs %p, which hides it once the container starts', (file, tmpfs) => {
    expect(() => containerJson({ tmpfs: [{ path: '/var/cache' }, { path: tmpfs }], files: [{ path: file, content: 'x' }] })).toThrow(
      `ServiceContainer test/app: file ${file} lies under the tmpfs at ${tmpfs}, which Docker mounts over it when the ` +
        'container starts, so the process would not see the file; write the file to another path, or mount the tmpfs elsewhere.',
    );
  });

  test('accepts a file beside a tmpfs, also one whose path only starts with the same letters', () => {
    const json = containerJson({ tmpfs: [{ path: '/tmp' }], files: [{ path: '/tmpfiles/app.conf', content: 'x' }] });
    expect(json.upload).toEqual([{ file: '/tmpfiles/app.conf', content: 'x' }]);
  });
});
