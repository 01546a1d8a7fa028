/**
 * CDK Terrain (cdktn) as docs/cdktn.md installs it, shared by the consumer tier and the deploy tier's cdktn suite.
 *
 * The library is built against the module name `cdktf`. A cdktn project keeps its own `cdktn` and adds `cdktf` as a
 * link to it (`file:node_modules/cdktn`), so both names load one copy of the framework; the `overrides` entry lets
 * `@cdktf/provider-docker` (peer `cdktf ^0.21.0`) and the library take that link for `cdktf`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const CDKTN_VERSION = '0.24.0';

/** A cdktn project's framework dependencies, as docs/cdktn.md's install lines leave them. */
export const TERRAIN_DEPENDENCIES = {
  cdktn: CDKTN_VERSION,
  cdktf: 'file:node_modules/cdktn',
  constructs: '>=10.6.0 <10.8.0',
  '@cdktf/provider-docker': '12.0.3',
};

export const TERRAIN_OVERRIDES = { cdktf: '$cdktf' };

/** What cdktn-cli 0.24 needs (its `engines`): on Node 20 it crashes (`markAsUncloneable is not a function`). */
export const CLI_NODE = '^22.19.0';

/** Where a Node 22 came from, or why none could be had. */
export interface Node22 {
  /** The folder whose `node` is Node 22: put it first on PATH to run cdktn-cli. */
  readonly bin?: string;
  readonly version?: string;
  /** Why Node 22 could not be installed (npm's last lines), when `bin` is undefined. */
  readonly error?: string;
}

/**
 * Installs Node 22 into `dir` from the npm registry (the `node` package, whose binary comes in a per-platform
 * package), for a machine whose own Node is 20.
 */
export function installNode22(dir: string, env: NodeJS.ProcessEnv): Node22 {
  fs.mkdirSync(dir, { recursive: true });
  const install = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--prefer-offline', `node@${CLI_NODE}`], {
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const bin = path.join(dir, 'node_modules', 'node', 'bin');
  if (install.status !== 0) return { error: `npm install node@${CLI_NODE} exited ${install.status}: ${lastLines(install.stderr)}` };
  const version = spawnSync(path.join(bin, 'node'), ['--version'], { encoding: 'utf8' });
  if (version.status !== 0 || !/^v22\./.test(version.stdout)) {
    return { error: `the node package installed but does not run as Node 22: ${lastLines(`${version.stdout}${version.stderr}`)}` };
  }
  return { bin, version: version.stdout.trim() };
}

/** `env` with `bin` first on PATH. */
export function withPath(env: NodeJS.ProcessEnv, bin: string): NodeJS.ProcessEnv {
  return { ...env, PATH: `${bin}${path.delimiter}${env.PATH ?? ''}` };
}

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
