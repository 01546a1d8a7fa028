/**
 * A cdktn project for the deploy tier's cdktn suite: the packed library installed as docs/cdktn.md says (cdktn, cdktf
 * as a link to it, the override), cdktn-cli 0.24 and a Node 22 to run it, all from the npm registry, in a temp folder.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CDKTN_VERSION, TERRAIN_DEPENDENCIES, TERRAIN_OVERRIDES, installNode22, withPath } from '../../consumer/terrain';
import { PROJECT_ROOT } from './cdktf';

export interface CdktnProject {
  /** The project folder: package.json, node_modules, main.ts. */
  readonly dir: string;
  /** The environment that runs cdktn-cli: Node 22 first on PATH. */
  readonly env: NodeJS.ProcessEnv;
  /** The cdktn-cli entry, to run with that Node. */
  readonly cli: string;
  /** The folder of it all, to remove after the suite. */
  readonly home: string;
}

export interface Provisioned {
  readonly project?: CdktnProject;
  /** What could not be installed, and why (the suite then skips or, where required, fails naming it). */
  readonly missing: string[];
}

/** Installs Node 22, packs the library and installs it with cdktn and cdktn-cli into a fresh project with `app` as main.ts. */
export function provisionCdktnProject(app: string): Provisioned {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1' };
  const giveUp = (reason: string): Provisioned => {
    fs.rmSync(home, { recursive: true, force: true });
    return { missing: [reason] };
  };

  const node22 = installNode22(path.join(home, 'node22'), env);
  if (!node22.bin) return giveUp(`no Node 22 for cdktn-cli ${CDKTN_VERSION}: ${node22.error}`);

  const pack = spawnSync('npm', ['pack', '--pack-destination', home, '--no-fund'], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 300_000 });
  if (pack.status !== 0) throw new Error(`npm pack of the library exited ${pack.status}:\n${pack.stderr}`);
  const tarball = path.join(home, pack.stdout.trim().split('\n').pop()!);

  const dir = path.join(home, 'project');
  fs.mkdirSync(dir);
  const pkg = {
    name: 'cdktn-e2e',
    version: '1.0.0',
    private: true,
    dependencies: { ...TERRAIN_DEPENDENCIES, 'cdktf-docker-networking': `file:${tarball}` },
    devDependencies: { 'cdktn-cli': CDKTN_VERSION, typescript: '~5.9.3', '@types/node': '^20.19.43' },
    overrides: TERRAIN_OVERRIDES,
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.copyFileSync(app, path.join(dir, 'main.ts'));
  fs.copyFileSync(path.join(PROJECT_ROOT, '__tests__', 'consumer', 'fixture', 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  const onNode22 = withPath(env, node22.bin);
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, env: onNode22, encoding: 'utf8', timeout: 300_000 });
  if (install.status !== 0) {
    const why = install.stderr.trim().split('\n').slice(-3).join(' | ');
    return giveUp(`cdktn ${CDKTN_VERSION} and cdktn-cli could not be installed from the npm registry: ${why}`);
  }
  return { project: { dir, env: onNode22, cli: path.join(dir, 'node_modules', 'cdktn-cli', 'bin', 'cdktn'), home }, missing: [] };
}
