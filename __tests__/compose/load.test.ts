/**
 * Reading compose files as compose reads them: YAML with lines, the compose-spec schema, interpolation, `.env` and
 * `env_file`, override files (`!reset`, `!override`), `extends`, profiles, the project name and the default network.
 */
import { environmentOf, interpolate } from '../../lib/compose/interpolation';
import { UnsupportedKeys } from '../../lib';
import { annotations, importError, imported } from './fixtures';

const fail = (message: string): never => {
  throw new Error(message);
};

describe('interpolation', () => {
  const env = () => environmentOf({ TAG: '1.2', EMPTY: '', PORT: '8080' });
  const run = (text: string) => interpolate(text, env(), 'f.yml:1: x', fail);

  test.each([
    ['$TAG and ${TAG}', '1.2 and 1.2'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${MISSING-fallback}', 'fallback'],
    ['${TAG:+set}', 'set'],
    ['${EMPTY:+set}', ''],
    ['${EMPTY+set}', 'set'],
    ['${MISSING:-${PORT}}', '8080'],
    ['$$TAG costs $$5', '$TAG costs $5'],
    ['a $ alone', 'a $ alone'],
  ])('%s is %s', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  test('an unset variable without a default is blank, and recorded', () => {
    const e = env();
    expect(interpolate('x${NOPE}y', e, 'here', fail)).toBe('xy');
    expect([...e.unset]).toEqual(['NOPE']);
  });

  test('${VAR:?message} fails with the message where the variable is unset or empty', () => {
    expect(() => run('${EMPTY:?give it a value}')).toThrow('f.yml:1: x: the variable EMPTY is required: give it a value; set it.');
    expect(() => run('${MISSING?}')).toThrow('f.yml:1: x: the variable MISSING is required: MISSING is unset; set it.');
  });

  test('an unclosed ${ and an unknown modifier fail, naming the text', () => {
    expect(() => run('${TAG')).toThrow('f.yml:1: x: "${TAG" has a ${ without its closing }; close it, or write $$ for a literal $.');
    expect(() => run('${TAG/x}')).toThrow('f.yml:1: x: "${TAG/x}" has an unknown modifier "/x"; use :-, -, :?, ?, :+ or +.');
  });
});

describe('reading the files', () => {
  test('a YAML error names the file and line', () => {
    expect(importError('services:\n  web:\n    image: [nginx\n')).toMatch(/^ComposeProject test\/app: <dir>\/docker-compose.yml:4: not valid YAML: /);
  });

  test('an unknown key names the file, the line and the key', () => {
    expect(importError('services:\n  web:\n    image: nginx:1.27\n    imagee: x\n')).toBe(
      'ComposeProject test/app: <dir>/docker-compose.yml:4: services.web.imagee is not a key of the compose specification; check its spelling (extension keys start with x-).',
    );
  });

  test('a value of the wrong type names the line and what the schema wants', () => {
    expect(importError('services:\n  web:\n    image: nginx:1.27\n    networks: 5\n')).toBe(
      'ComposeProject test/app: <dir>/docker-compose.yml:4: services.web.networks must be a list or a mapping.',
    );
    expect(importError('services:\n  web:\n    image: nginx:1.27\n    read_only: maybe\n')).toBe(
      'ComposeProject test/app: <dir>/docker-compose.yml:4: services.web.read_only is "maybe"; write true or false.',
    );
  });

  test('an interpolated number is a number where the schema wants one', () => {
    const { containers } = imported('services:\n  web:\n    image: nginx:1.27\n    deploy:\n      replicas: ${N}\n', { environment: { N: '1' } });
    expect(Object.keys(containers())).toEqual(['shop-web-1']);
  });

  test('a missing file is named', () => {
    expect(importError('services: {}', { files: ['nope.yml'] })).toBe(
      'ComposeProject test/app: compose file <dir>/nope.yml does not exist; check `files` (relative paths start at the working directory).',
    );
  });

  test('anchors, aliases and merge keys resolve as YAML defines them', () => {
    const { containers } = imported(
      'x-common: &common\n  image: nginx:1.27\n  environment:\n    A: "1"\nservices:\n  web:\n    <<: *common\n    environment:\n      B: "2"\n',
    );
    expect(containers()['shop-web-1'].env).toEqual(['B=2']);
    expect(containers()['shop-web-1'].image).toMatch(/docker_image/);
  });
});

describe('the environment', () => {
  test('.env in the project folder sets variables; the given environment wins', () => {
    const { containers } = imported('services:\n  web:\n    image: nginx:${TAG}\n    environment:\n      MODE: ${MODE}\n', { environment: { MODE: 'prod' } }, {
      '.env': '# defaults\nTAG=1.27\nMODE=dev\n',
    });
    expect(containers()['shop-web-1'].env).toEqual(['MODE=prod']);
  });

  test('envFiles replace .env', () => {
    const { byName } = imported('services:\n  web:\n    image: nginx:${TAG:-1.26}\n', { envFiles: [] }, { '.env': 'TAG=1.27\n' });
    expect(Object.keys(byName('docker_image'))).toEqual(['nginx:1.26']);
  });

  test('env_file entries come before environment, and a valueless entry takes the variable', () => {
    const { containers } = imported(
      'services:\n  web:\n    image: nginx:1.27\n    env_file: [web.env, {path: missing.env, required: false}]\n    environment:\n      - B=from-environment\n      - HOME_DIR\n      - UNSET\n',
      { environment: { HOME_DIR: '/home/app' } },
      { 'web.env': 'export A=from-file\nB=overridden\nC="quoted # kept"\nD=unquoted # comment\n' },
    );
    expect(containers()['shop-web-1'].env).toEqual(['A=from-file', 'B=from-environment', 'C=quoted # kept', 'D=unquoted', 'HOME_DIR=/home/app']);
  });

  test('a required env_file that is missing is named', () => {
    expect(importError('services:\n  web:\n    image: nginx:1.27\n    env_file: web.env\n')).toBe(
      'ComposeProject test/app: <dir>/docker-compose.yml:4: services.web.env_file <dir>/web.env does not exist; create it, or mark it required: false.',
    );
  });

  test('unset variables are listed in one warning', () => {
    const { stack } = imported('services:\n  web:\n    image: nginx:1.27${SUFFIX}\n');
    expect(annotations(stack, 'warning')).toEqual(['ComposeProject test/app: these variables are not set and default to a blank string: SUFFIX']);
  });
});

describe('override files', () => {
  const base =
    'services:\n  web:\n    image: nginx:1.27\n    command: ["nginx", "-g", "daemon off;"]\n    ports: ["8080:80"]\n    environment:\n      A: "1"\n      B: "2"\n    labels: [team=web]\n';

  test('merge as compose merges them: mappings by key, ports appended, command replaced', () => {
    const { containers } = imported(base, { files: ['docker-compose.yml', 'override.yml'] }, {
      'override.yml': 'services:\n  web:\n    command: ["nginx"]\n    ports: ["8443:443"]\n    environment:\n      B: "3"\n',
    });
    const web = containers()['shop-web-1'];
    expect(web.command).toEqual(['nginx']);
    expect(web.env).toEqual(['A=1', 'B=3']);
    expect(web.ports.map((p: any) => p.external)).toEqual([8080, 8443]);
  });

  test('!reset removes a key and !override replaces a value whole', () => {
    const { containers } = imported(base, { files: ['docker-compose.yml', 'override.yml'] }, {
      'override.yml': 'services:\n  web:\n    labels: !reset []\n    ports: !override ["9090:80"]\n',
    });
    const web = containers()['shop-web-1'];
    expect(web.ports).toEqual([{ internal: 80, external: 9090, ip: '0.0.0.0' }]);
    expect(web.labels.map((l: any) => l.label)).toEqual(['cdktf-docker-networking.stack']);
  });

  test('a port with the same host IP, target, published port and protocol is merged, not doubled', () => {
    const { containers } = imported(base, { files: ['docker-compose.yml', 'override.yml'] }, {
      'override.yml': 'services:\n  web:\n    ports: ["8080:80"]\n',
    });
    expect(containers()['shop-web-1'].ports).toHaveLength(1);
  });
});

describe('extends', () => {
  test('a service extends another of the same file, and one of another file relative to its own folder', () => {
    const { containers } = imported(
      'services:\n  base:\n    image: nginx:1.27\n    environment: [A=1]\n  web:\n    extends: base\n    environment: [B=2]\n  api:\n    extends:\n      file: common/services.yml\n      service: api\n',
      {},
      { 'common/services.yml': 'services:\n  api:\n    image: node:22\n    env_file: api.env\n', 'common/api.env': 'FROM=common\n' },
    );
    expect(containers()['shop-web-1'].env).toEqual(['A=1', 'B=2']);
    expect(containers()['shop-api-1'].env).toEqual(['FROM=common']);
  });

  test('a cycle is named', () => {
    expect(importError('services:\n  a:\n    image: x:1\n    extends: b\n  b:\n    image: x:1\n    extends: a\n')).toBe(
      'ComposeProject test/app: <dir>/docker-compose.yml:2: extends makes a cycle: a -> b -> a; break it.',
    );
  });
});

describe('profiles and the project', () => {
  const file = 'services:\n  web:\n    image: nginx:1.27\n  seed:\n    image: busybox:1.37\n    profiles: [seed]\n';

  test('a service with profiles runs only when one is active', () => {
    expect(Object.keys(imported(file).project.containers)).toEqual(['web']);
    expect(Object.keys(imported(file, { profiles: ['seed'] }).project.containers)).toEqual(['web', 'seed']);
    expect(Object.keys(imported(file, { environment: { COMPOSE_PROFILES: 'seed,other' } }).project.containers)).toEqual(['web', 'seed']);
  });

  test('a dependency on a service that is not active fails, unless it is not required', () => {
    const dependent = `${file}    depends_on: [web]\n  api:\n    image: node:22\n    depends_on:\n      seed:\n        condition: service_started\n`;
    expect(importError(dependent)).toBe(
      'ComposeProject test/app: <dir>/docker-compose.yml:11: services.api depends on seed, which is not active (its profiles are seed); add one of them to `profiles`, or mark the dependency required: false.',
    );
    const optional = dependent.replace('condition: service_started', 'condition: service_started\n        required: false');
    expect(imported(optional).containers()['shop-api-1'].depends_on).toBeUndefined();
  });

  test('the project name is the name: key, else the folder, lower-cased without other characters', () => {
    expect(imported('name: My_Shop!\nservices:\n  web:\n    image: nginx:1.27\n').project.projectName).toBe('my_shop');
    expect(imported(file).project.projectName).toBe('shop');
    expect(imported(file, { projectName: 'store' }).project.projectName).toBe('store');
  });

  test('networks and volumes no active service uses are not created', () => {
    const { byName } = imported(`${file}    volumes: [seed-data:/data]\nvolumes:\n  seed-data:\nnetworks:\n  unused:\n`);
    expect(Object.keys(byName('docker_network'))).toEqual(['shop_default']);
    expect(byName('docker_volume')).toEqual({});
  });
});

describe('lines, read only for a message', () => {
  // The read with lines is the yaml library's parseDocument; a file without a message is read by js-yaml alone.
  const yaml = require('yaml') as typeof import('yaml');
  let parses: jest.SpyInstance;
  beforeEach(() => {
    parses = jest.spyOn(yaml, 'parseDocument');
  });
  afterEach(() => parses.mockRestore());

  test('a file without a message is read once, without them', () => {
    const file = 'x-base: &base\n  restart: always\nservices:\n  web:\n    <<: *base\n    image: nginx:${TAG:-1.27}\n    ports: ["8080:80"]\n    volumes: [data:/data]\nvolumes:\n  data:\n';
    const { containers, byName } = imported(file);
    expect(containers()['shop-web-1'].restart).toBe('always');
    expect(Object.keys(byName('docker_image'))).toEqual(['nginx:1.27']);
    expect(parses).not.toHaveBeenCalled();
  });

  test('an error reads them, and names the line', () => {
    expect(importError('services:\n  web:\n    image: nginx:1.27\n    ports: ["web"]\n')).toBe(
      'ComposeProject test/app: <dir>/docker-compose.yml:4: services.web.ports[0]: "web" is not a port; write [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. "127.0.0.1:8080:80/tcp".',
    );
    expect(parses).toHaveBeenCalledTimes(1);
  });

  test('a key skipped with a warning reads them, and the warning names the line', () => {
    const { stack } = imported('services:\n  web:\n    image: nginx:1.27\n    links: [db]\n  db:\n    image: postgres:17\n', { unsupported: UnsupportedKeys.WARN });
    expect(annotations(stack, 'warning').join('\n')).toContain('/docker-compose.yml:4 services.web.links: links are legacy');
    expect(parses).toHaveBeenCalledTimes(1);
  });

  test('a message without a line does not read them', () => {
    expect(importError('services:\n  web:\n    image: nginx:1.27\n    profiles: [debug]\n')).toBe(
      'ComposeProject test/app: every service has a profile, and none of (no profiles) is active; set `profiles`.',
    );
    expect(parses).not.toHaveBeenCalled();
  });

  test('a file with tags is read with them at once', () => {
    const { byName } = imported('services:\n  web:\n    image: nginx:1.27\n', { files: ['docker-compose.yml', 'override.yml'] }, {
      'override.yml': 'services:\n  web:\n    image: !override nginx:1.28\n',
    });
    expect(Object.keys(byName('docker_image'))).toEqual(['nginx:1.28']);
    expect(parses).toHaveBeenCalledTimes(1);
  });
});
