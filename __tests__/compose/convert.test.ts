/**
 * The converter (`cdktf-compose-convert`, `npm run compose:convert`): the TypeScript it writes compiles under the
 * repository's strict tsconfig, and synthesizes to exactly the JSON that ComposeProject makes of the same files.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { Construct } from 'constructs';
import { TerraformStack, Testing } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { ComposeProject, ComposeProjectProps, Orchestrator } from '../../lib';
import { main } from '../../lib/compose/cli';
import { COMPOSE_VOTING_APP_FILES } from '../../stacks/compose-voting-app';
import { projectDir } from './fixtures';

const ROOT = path.resolve(__dirname, '..', '..');
const LIBRARY = 'cdktf-docker-networking';

/** What the converter writes for `args`, and what it logs. */
function convert(args: string[]): { code: number; source: string; log: string } {
  let source = '';
  const log: string[] = [];
  const code = main(args, (text) => (source += text), (text) => log.push(text));
  return { code, source, log: log.join('\n') };
}

/**
 * TypeScript diagnostics of generated modules (by name), compiled in one program with the repository's options and
 * the library mapped to lib/.
 */
function diagnostics(sources: Record<string, string>): Record<string, string[]> {
  const files = new Map(Object.entries(sources).map(([name, source]) => [path.join(ROOT, '.snippets', `converted-${name}.ts`), source]));
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const options = { ...parsed.options, noEmit: true, declaration: false, baseUrl: ROOT, paths: { [LIBRARY]: ['lib/index.ts'] } };
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (name, version, ...rest) => {
    const source = files.get(name);
    return source !== undefined ? ts.createSourceFile(name, source, version, true) : getSourceFile.call(host, name, version, ...rest);
  };
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  const program = ts.createProgram([...files.keys()], options, host);
  return Object.fromEntries(
    [...files.keys()].map((fileName, i) => {
      const file = program.getSourceFile(fileName)!;
      const found = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
      return [Object.keys(sources)[i], found.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))];
    }),
  );
}

/** The generated module, evaluated with the library answered by lib/. */
function load(source: string): Record<string, any> {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const module = { exports: {} as Record<string, any> };
  const requireFor = (id: string): unknown => (id === LIBRARY ? require('../../lib') : require(id));
  new Function('require', 'module', 'exports', js)(requireFor, module, module.exports);
  return module.exports;
}

/** The same stack twice: the generated construct, and ComposeProject on the files; both synthesized. */
function bothWays(source: string, className: string, props: ComposeProjectProps): [string, string] {
  const generated = load(source)[className] as new (scope: Construct, id: string) => Construct;
  const stack = (make: (s: TerraformStack) => void) => {
    const s = new TerraformStack(Testing.app(), 'converted');
    new DockerProvider(s, 'docker');
    make(s);
    return Testing.synth(s, true);
  };
  return [stack((s) => new generated(s, 'project')), stack((s) => new ComposeProject(s, 'project', props))];
}

const RICH =
  'name: rich\nservices:\n  web:\n    image: nginx:1.27\n    command: nginx -g "daemon off;"\n    ports: ["8080:80", "127.0.0.1:9000-9001:9000-9001/udp"]\n    networks:\n      front: {aliases: [www]}\n      back: {ipv4_address: 172.28.0.10}\n' +
  '    depends_on: {api: {condition: service_healthy}}\n    hostname: web\n    sysctls: {net.core.somaxconn: 1024}\n    ulimits: {nofile: 4096}\n    volumes: ["./html:/usr/share/nginx/html:ro", "cache:/var/cache/nginx"]\n    tmpfs: [/run]\n' +
  '  api:\n    build: {context: ./api, args: {V: "1"}}\n    healthcheck: {test: curl -f http://localhost/health, interval: 1m30s, retries: 5}\n    environment: [MODE=prod]\n    env_file: api.env\n    mem_limit: 256m\n    cpus: 0.25\n' +
  '    cap_drop: [ALL]\n    read_only: true\n    restart: unless-stopped\n    secrets: [token]\n    networks: [back]\n' +
  'networks:\n  front:\n  back:\n    ipam: {config: [{subnet: 172.28.0.0/16}]}\nvolumes:\n  cache:\nsecrets:\n  token:\n    file: token.txt\n';

const SWARM =
  'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n    deploy: {replicas: 2, update_config: {parallelism: 1, order: start-first}, restart_policy: {condition: on-failure, delay: 5s}}\n' +
  '    depends_on: [db]\n    labels: {team: web}\n  db:\n    image: postgres:17\n    secrets: [pw]\n    deploy: {placement: {constraints: [node.role==manager]}}\nsecrets:\n  pw:\n    file: pw.txt\n';

describe('the converter', () => {
  const relative = COMPOSE_VOTING_APP_FILES.map((f) => path.relative(ROOT, f));
  const richDir = projectDir({ 'docker-compose.yml': RICH, 'api.env': 'TOKEN_FILE=/run/secrets/token\n', 'token.txt': 't', 'html/index.html': '' });
  const swarmDir = projectDir({ 'docker-compose.yml': SWARM, 'pw.txt': 'x' });
  const [richFile, swarmFile] = [richDir, swarmDir].map((dir) => path.join(dir, 'docker-compose.yml'));
  const converted = {
    votingApp: convert([...relative, '--library', LIBRARY]),
    rich: convert([richFile, '--library', LIBRARY, '--class', 'Rich']),
    swarm: convert([swarmFile, '--swarm', '--library', LIBRARY]),
  };
  let compiled: Record<string, string[]>;

  beforeAll(() => {
    compiled = diagnostics(Object.fromEntries(Object.entries(converted).map(([name, c]) => [name, c.source])));
  }, 60_000);

  test('writes the voting app as a module that compiles and synthesizes to the same JSON as ComposeProject', () => {
    const { code, source, log } = converted.votingApp;
    expect([code, log]).toEqual([0, '']);
    expect(source).toMatch(/^\/\/ Written by `cdktf-compose-convert stacks\/compose-voting-app\/docker-compose.yml stacks\/compose-voting-app\/docker-compose.local.yml --library cdktf-docker-networking`/);
    expect(source).toContain('export class ComposeVotingApp extends Construct {');
    expect(source).toContain(
      "this.vote = new ServiceContainer(this, 'vote', {\n      name: 'compose-voting-app-vote-1',\n      image: 'voting-app-local/vote:local',",
    );
    expect(compiled.votingApp).toEqual([]);
    const [fromCode, fromFiles] = bothWays(source, 'ComposeVotingApp', { files: relative });
    expect(JSON.parse(fromCode)).toEqual(JSON.parse(fromFiles));
  });

  test('writes every family of keys the same as ComposeProject makes them', () => {
    const { code, source } = converted.rich;
    expect(code).toBe(0);
    expect(source).toContain('    // services.web.volumes\n    this.web.resource.putMounts(');
    expect(compiled.rich).toEqual([]);
    const [fromCode, fromFiles] = bothWays(source, 'Rich', { files: [richFile] });
    expect(JSON.parse(fromCode)).toEqual(JSON.parse(fromFiles));
  });

  test('writes Swarm services the same as ComposeProject makes them', () => {
    const { code, source } = converted.swarm;
    expect(code).toBe(0);
    expect(compiled.swarm).toEqual([]);
    const [fromCode, fromFiles] = bothWays(source, 'Shop', { files: [swarmFile], orchestrator: Orchestrator.SWARM });
    expect(JSON.parse(fromCode)).toEqual(JSON.parse(fromFiles));
  });

  test('writes the file given with --out, and says so', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'convert-')), 'stacks', 'app.ts');
    const dir = projectDir({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx:1.27\n' });
    const { code, log } = convert([path.join(dir, 'docker-compose.yml'), '--out', out]);
    expect([code, log]).toEqual([0, `wrote ${out}: 2 constructs of compose project "shop"`]);
    expect(fs.readFileSync(out, 'utf8')).toContain("from 'cdktf-docker-networking';");
  });

  test('fails on keys it does not translate, naming them, unless --unsupported warn', () => {
    const dir = projectDir({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx:1.27\n    links: [db]\n' });
    const file = path.join(dir, 'docker-compose.yml');
    expect(convert([file])).toEqual({
      code: 1,
      source: '',
      log:
        'error: 1 compose key(s) are not translated; remove them, or pass --unsupported warn to skip them:\n' +
        `  ${file}:4 services.web.links: links are legacy: services on a shared network find each other by service name; remove it, or add an alias under networks`,
    });
    const warned = convert([file, '--unsupported', 'warn']);
    expect(warned.code).toBe(0);
    expect(warned.log.split('\n')[0]).toBe('warning: 1 compose key(s) are not translated and were skipped:');
  });

  test('refuses options it does not know and a missing file, with the usage', () => {
    expect(convert(['--bogus']).log).toBe(
      'error: unknown option --bogus; usage: cdktf-compose-convert COMPOSE_FILE... [--out FILE.ts] [--project-name NAME] [--profile NAME]... [--env-file FILE]... [--swarm] [--class NAME] [--library MODULE] [--unsupported warn]',
    );
    expect(convert([]).code).toBe(1);
  });
});
