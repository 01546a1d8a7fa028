import { Testing } from 'cdktf';
import { Volume as DockerVolume } from '@cdktf/provider-docker/lib/volume';
import { ServiceContainer, Volume } from '../../lib';
import { newStack, onlyResource } from '../helpers';

describe('Volume', () => {
  test('creates a named volume, named after the construct id by default', () => {
    const stack = newStack();
    new Volume(stack, 'db-data');
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DockerVolume, { name: 'db-data' });
  });

  test('takes the Docker name and labels from props', () => {
    const stack = newStack();
    new Volume(stack, 'data', { name: 'shop-db-data', labels: { tier: 'data' } });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DockerVolume, {
      name: 'shop-db-data',
      labels: [
        { label: 'tier', value: 'data' },
        { label: 'cdktf-docker-networking.stack', value: 'test' },
      ],
    });
  });

  test('rejects an invalid name', () => {
    expect(() => new Volume(newStack(), 'data', { name: 'bad name' })).toThrow(
      'Volume test/data: invalid volume name "bad name". Docker volume names are at least 2 characters',
    );
  });

  test('is mounted into a container by reference, so the container is created after it', () => {
    const stack = newStack();
    const data = new Volume(stack, 'db-data');
    new ServiceContainer(stack, 'db', { image: 'postgres:17-alpine', volumes: [{ volume: data, path: '/var/lib/postgresql/data' }] });
    expect(onlyResource(Testing.synth(stack), 'docker_container').volumes).toEqual([
      { volume_name: expect.stringMatching(/^\$\{docker_volume\.db-data_[0-9A-F]+\.name\}$/), container_path: '/var/lib/postgresql/data' },
    ]);
  });

  test('can be mounted read-only', () => {
    const stack = newStack();
    const data = new Volume(stack, 'assets');
    new ServiceContainer(stack, 'web', { image: 'nginx:1.27', volumes: [{ volume: data, path: '/usr/share/nginx/html', readOnly: true }] });
    expect(onlyResource(Testing.synth(stack), 'docker_container').volumes[0].read_only).toBe(true);
  });

  test('rejects a relative mount path', () => {
    const stack = newStack();
    const data = new Volume(stack, 'data');
    expect(() => new ServiceContainer(stack, 'app', { image: 'nginx:1.27', volumes: [{ volume: data, path: 'data' }] })).toThrow(
      'ServiceContainer test/app: volume path "data" is not absolute; write it like "/data".',
    );
  });
});
