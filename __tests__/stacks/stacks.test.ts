import { App, Testing } from 'cdktf';
import { LOCAL_IMAGES, PUBLIC_IMAGES, imagesFromEnvironment } from '../../stacks/images';
import { NetworkBasicsStack } from '../../stacks/network-basics';
import { encryptState, stateEncryptionFromEnvironment } from '../../stacks/state-encryption';
import { VotingAppStack } from '../../stacks/voting-app';
import { StateEncryptionMode } from '../../lib';
import { containersByName, networkNameOf, resourcesOf, synthValidated } from '../helpers';

describe('network-basics stack', () => {
  const stack = new NetworkBasicsStack(Testing.app(), 'network-basics', { images: LOCAL_IMAGES });
  const synthesized = synthValidated(stack);
  const containers = containersByName(synthesized);
  const attachments = (name: string) =>
    containers[name].networks_advanced.map((a: any) => ({ network: networkNameOf(synthesized, a.name), aliases: a.aliases }));

  test('creates basics-network and frontend-network2', () => {
    const names = Object.values(resourcesOf(synthesized, 'docker_network')).map((n: any) => n.name);
    expect(names.sort()).toEqual(['basics-network', 'frontend-network2']);
  });

  test('puts redis on basics-network and, with the alias db, on frontend-network2', () => {
    expect(attachments('basics-redis')).toEqual([
      { network: 'basics-network', aliases: undefined },
      { network: 'frontend-network2', aliases: ['db'] },
    ]);
  });

  test('puts the peer and the web container on basics-network only', () => {
    expect(attachments('basics-peer')).toEqual([{ network: 'basics-network', aliases: undefined }]);
    expect(attachments('basics-web')).toEqual([{ network: 'basics-network', aliases: undefined }]);
  });

  test('has a client that lives on frontend-network2 only', () => {
    expect(attachments('basics-frontend2-client')).toEqual([{ network: 'frontend-network2', aliases: undefined }]);
  });

  test('publishes the web container on 127.0.0.1:8080', () => {
    expect(containers['basics-web'].ports).toEqual([{ internal: 8080, external: 8080, ip: '127.0.0.1' }]);
  });

  test('lists networks, ids, subnets and members in the networks output', () => {
    const inventory = JSON.parse(synthesized).output.networks.value;
    expect(Object.keys(inventory).sort()).toEqual(['basics-network', 'frontend-network2']);
    expect(inventory['frontend-network2'].members).toEqual([
      { container: 'basics-redis', aliases: ['db'] },
      { container: 'basics-frontend2-client', aliases: [] },
    ]);
    expect(inventory['basics-network'].id).toMatch(/^\$\{docker_network\.basics-network_[0-9A-F]+\.id\}$/);
    expect(inventory['basics-network'].ipam).toMatch(/^\$\{\[ for key, val in docker_network\.basics-network_[0-9A-F]+\.ipam_config: /);
  });
});

describe('voting-app and network-basics side by side', () => {
  test('create no container or network of the same name, so both deploy on one engine', () => {
    const app = Testing.app();
    const names = [new NetworkBasicsStack(app, 'network-basics'), new VotingAppStack(app, 'voting-app')].map((stack) => {
      const synthesized = Testing.synth(stack);
      return [
        ...Object.values(resourcesOf(synthesized, 'docker_container')),
        ...Object.values(resourcesOf(synthesized, 'docker_network')),
      ].map((r: any) => r.name);
    });
    expect(names[0].filter((name) => names[1].includes(name))).toEqual([]);
  });

  test('publish no host port twice', () => {
    const app = Testing.app();
    const ports = [new NetworkBasicsStack(app, 'network-basics'), new VotingAppStack(app, 'voting-app')].flatMap((stack) =>
      Object.values(resourcesOf(Testing.synth(stack), 'docker_container')).flatMap((c: any) => (c.ports ?? []).map((p: any) => p.external)),
    );
    expect(new Set(ports).size).toBe(ports.length);
  });
});

describe('voting-app stack', () => {
  test('runs the voting app with the chosen images and passes validation', () => {
    const stack = new VotingAppStack(Testing.app(), 'voting-app', { images: LOCAL_IMAGES });
    const synthesized = synthValidated(stack);
    const images = Object.values(resourcesOf(synthesized, 'docker_image')).map((i: any) => i.name);
    expect(images.sort()).toEqual(
      [LOCAL_IMAGES.vote, LOCAL_IMAGES.result, LOCAL_IMAGES.worker, LOCAL_IMAGES.redis, LOCAL_IMAGES.db].sort(),
    );
    expect(JSON.parse(synthesized).output.networks.value['backend-network'].members).toHaveLength(5);
  });
});

describe('imagesFromEnvironment', () => {
  test('selects the local images with VOTING_APP_IMAGES=local', () => {
    expect(imagesFromEnvironment({ VOTING_APP_IMAGES: 'local' })).toBe(LOCAL_IMAGES);
  });

  test('keeps the public images by default', () => {
    expect(imagesFromEnvironment({})).toBe(PUBLIC_IMAGES);
  });

  test('rejects an unknown image set', () => {
    expect(() => imagesFromEnvironment({ VOTING_APP_IMAGES: 'offline' })).toThrow(
      'VOTING_APP_IMAGES="offline" is not an image set; use "local" or "public" (the default).',
    );
  });
});

describe('main.ts stack ids', () => {
  test('are the ones `cdktf deploy` takes, and no construct sits at id backend in a stack', () => {
    const app = new App({ outdir: require('os').tmpdir() });
    const stacks = [new NetworkBasicsStack(app, 'network-basics'), new VotingAppStack(app, 'voting-app')];
    expect(stacks.map((s) => s.node.id)).toEqual(['network-basics', 'voting-app']);
    for (const stack of stacks) expect(stack.node.tryFindChild('backend')).toBeUndefined();
  });
});

describe('main.ts state backend', () => {
  test('an empty STATE_PG_CONN_STR (a failed start-postgres.sh) is refused, not taken for local state', () => {
    const saved = { conn: process.env.STATE_PG_CONN_STR, out: process.env.CDKTF_OUTDIR };
    process.env.STATE_PG_CONN_STR = '';
    process.env.CDKTF_OUTDIR = require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'main-ts-'));
    try {
      expect(() => jest.isolateModules(() => require('../../main'))).toThrow(
        'STATE_PG_CONN_STR is set but empty (did npm run state:start fail?); set it to a postgres:// URL, or unset it to keep the state local',
      );
    } finally {
      for (const [key, value] of [['STATE_PG_CONN_STR', saved.conn], ['CDKTF_OUTDIR', saved.out]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe('main.ts state encryption (STATE_ENCRYPTION)', () => {
  test('on by default under OpenTofu (reading a state not encrypted yet), off under Terraform; decrypt is the way back', () => {
    expect(stateEncryptionFromEnvironment({ TERRAFORM_BINARY_NAME: 'tofu' })).toBe(StateEncryptionMode.MIGRATE);
    expect(stateEncryptionFromEnvironment({ TERRAFORM_BINARY_NAME: '/usr/local/bin/tofu', STATE_ENCRYPTION: 'decrypt' })).toBe(StateEncryptionMode.DECRYPT);
    expect(stateEncryptionFromEnvironment({ TERRAFORM_BINARY_NAME: 'tofu', STATE_ENCRYPTION: 'off' })).toBeUndefined();
    expect(stateEncryptionFromEnvironment({})).toBeUndefined();
    expect(stateEncryptionFromEnvironment({ STATE_ENCRYPTION: 'on' })).toBe(StateEncryptionMode.MIGRATE);
    expect(() => stateEncryptionFromEnvironment({ STATE_ENCRYPTION: 'yes' })).toThrow(
      'STATE_ENCRYPTION="yes" is not a choice; use "on" (the default under OpenTofu), "off" or "decrypt".',
    );
  });

  test('each stack gets the encryption with the passphrase of its sensitive variable state_passphrase', () => {
    const saved = process.env.TERRAFORM_BINARY_NAME;
    process.env.TERRAFORM_BINARY_NAME = 'tofu';
    try {
      const stack = new VotingAppStack(Testing.app(), 'voting-app');
      encryptState(stack, StateEncryptionMode.MIGRATE);
      const json = JSON.parse(Testing.synth(stack));
      expect(json.variable.state_passphrase).toMatchObject({ type: 'string', sensitive: true });
      expect(json.terraform.encryption.key_provider.pbkdf2.passphrase).toEqual({ passphrase: '${var.state_passphrase}' });
    } finally {
      if (saved === undefined) delete process.env.TERRAFORM_BINARY_NAME;
      else process.env.TERRAFORM_BINARY_NAME = saved;
    }
  });

  test('STATE_ENCRYPTION=on under Terraform: the app is refused by the StateEncryption, naming Terraform', () => {
    const saved = { mode: process.env.STATE_ENCRYPTION, binary: process.env.TERRAFORM_BINARY_NAME, out: process.env.CDKTF_OUTDIR };
    process.env.STATE_ENCRYPTION = 'on';
    delete process.env.TERRAFORM_BINARY_NAME;
    process.env.CDKTF_OUTDIR = require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'main-ts-'));
    try {
      expect(() => jest.isolateModules(() => require('../../main'))).toThrow(
        'StateEncryption network-basics/state-encryption: Terraform has no state encryption: it stops at OpenTofu\'s encryption block',
      );
    } finally {
      for (const [key, value] of [['STATE_ENCRYPTION', saved.mode], ['TERRAFORM_BINARY_NAME', saved.binary], ['CDKTF_OUTDIR', saved.out]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
