import { TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import { Engine, EngineHost, TlsMaterial } from '../../lib';

const variables = (sensitiveKey: boolean) => {
  const stack = new TerraformStack(Testing.app(), 'test');
  return {
    ca: new TerraformVariable(stack, 'worker_ca', { type: 'string' }),
    cert: new TerraformVariable(stack, 'worker_cert', { type: 'string' }),
    key: new TerraformVariable(stack, 'worker_key', { type: 'string', sensitive: sensitiveKey }),
  };
};

describe('EngineHost', () => {
  test('fromEnvironment gives the provider no argument: DOCKER_HOST, else the local socket', () => {
    const host = EngineHost.fromEnvironment();
    expect(host.providerConfig()).toEqual({});
    expect(host.url).toBeUndefined();
    expect(String(host)).toBe('DOCKER_HOST, else the local socket');
  });

  test('socket is a unix:// address, /var/run/docker.sock unless given', () => {
    expect(EngineHost.socket().providerConfig()).toEqual({ host: 'unix:///var/run/docker.sock', certPath: '' });
    expect(EngineHost.socket('/run/user/1000/docker.sock').url).toBe('unix:///run/user/1000/docker.sock');
  });

  test('a socket path that is not absolute is refused', () => {
    expect(() => EngineHost.socket('docker.sock')).toThrow(
      'EngineHost: the socket path "docker.sock" is not absolute; write it like "/var/run/docker.sock".',
    );
  });

  test('tls with certificate files: host and cert_path', () => {
    const host = EngineHost.tls('tcp://10.0.0.2:2376', TlsMaterial.fromPath('/etc/docker-client'));
    expect(host.providerConfig()).toEqual({ host: 'tcp://10.0.0.2:2376', certPath: '/etc/docker-client' });
    expect(String(host)).toBe('tcp://10.0.0.2:2376');
  });

  test('tls with material from variables: cdk.tf.json holds references to the variables, never their values', () => {
    const vars = variables(true);
    const stack = TerraformStack.of(vars.key);
    new Engine(stack, 'worker', { host: EngineHost.tls('tcp://10.0.0.3:2376', TlsMaterial.fromVariables(vars)) });
    expect(JSON.parse(Testing.synth(stack)).provider.docker).toEqual([
      {
        alias: 'worker',
        host: 'tcp://10.0.0.3:2376',
        // The provider would take DOCKER_CERT_PATH for an unset cert_path, and refuse it beside the material.
        cert_path: '',
        ca_material: '${var.worker_ca}',
        cert_material: '${var.worker_cert}',
        key_material: '${var.worker_key}',
      },
    ]);
  });

  test.each([
    ['http://10.0.0.2:2376'],
    ['tcp://'],
    ['10.0.0.2:2376'],
    ['tcp://10.0.0.2:2376/path'],
  ])('tls refuses %p', (url) => {
    expect(() => EngineHost.tls(url, TlsMaterial.fromPath('/certs'))).toThrow(
      `EngineHost: "${url}" is not an address of the form tcp://host[:port]; write it like "tcp://10.0.0.2:2376".`,
    );
  });

  test('an address known only at apply time (a variable) is not checked', () => {
    const url = Token.asString({ Ref: 'host' });
    expect(EngineHost.tls(url, TlsMaterial.fromPath('/certs')).url).toBe(url);
    expect(String(EngineHost.tls(url, TlsMaterial.fromPath('/certs')))).toBe('a host known only at apply time');
  });

  test('ssh: host and the ssh options', () => {
    expect(EngineHost.ssh('ssh://deploy@10.0.0.4', ['-o', 'StrictHostKeyChecking=yes']).providerConfig()).toEqual({
      host: 'ssh://deploy@10.0.0.4',
      certPath: '',
      sshOpts: ['-o', 'StrictHostKeyChecking=yes'],
    });
    expect(EngineHost.ssh('ssh://deploy@10.0.0.4:2222').providerConfig()).toEqual({ host: 'ssh://deploy@10.0.0.4:2222', certPath: '' });
  });

  test('ssh refuses an address of another scheme', () => {
    expect(() => EngineHost.ssh('tcp://10.0.0.4:2376')).toThrow(
      'EngineHost: "tcp://10.0.0.4:2376" is not an address of the form ssh://[user@]host[:port]; write it like "ssh://deploy@10.0.0.2".',
    );
  });
});

describe('TlsMaterial', () => {
  test('fromVariables refuses a key variable that is not sensitive', () => {
    expect(() => TlsMaterial.fromVariables(variables(false))).toThrow(
      'TlsMaterial: the variable TerraformVariable test/worker_key holds a private key and is not sensitive, so Terraform ' +
        'would print it in plans and logs; declare it with `sensitive: true`.',
    );
  });

  test('fromPath refuses an empty folder name', () => {
    expect(() => TlsMaterial.fromPath(' ')).toThrow(
      'TlsMaterial: the certificate folder is empty; give the folder that holds ca.pem, cert.pem and key.pem.',
    );
  });
});
