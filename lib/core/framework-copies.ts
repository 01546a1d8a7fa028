import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import { ValidationError } from './errors';

/**
 * Fails when `construct` sits in a tree made with another copy of `constructs` or `cdktf` than the one this
 * library loads. cdktf keeps aspects and validations per copy, so under another copy's App the policy pack, the
 * reachability check and the clash checks would silently never run.
 */
export function checkFrameworkCopies(construct: IConstruct): void {
  const scope = construct.node.scope;
  const stack = TerraformStack.of(construct);
  const root = stack.node.root;
  const foreign: string[] = [];
  if (scope !== undefined && !(scope instanceof Construct)) foreign.push('constructs');
  if (!(stack instanceof TerraformStack) || (App.isApp(root) && !(root instanceof App))) foreign.push('cdktf');
  if (foreign.length > 0) throw copyError(construct, foreign);
}

function copyError(construct: IConstruct, packages: string[]): ValidationError {
  const others = new Map(packages.map((pkg) => [pkg, loadedCopies(pkg).filter((folder) => folder !== packageFolder(pkg))]));
  const copies = packages.map((pkg) => {
    const found = others.get(pkg)!;
    const theirs = found.length > 0 ? found.join(', ') : 'another folder (not among the modules Node has loaded)';
    return `${pkg} at ${theirs}, while cdktf-docker-networking loads ${pkg} from ${packageFolder(pkg)}`;
  });
  // A project on CDK Terrain that installed cdktn a second time, as `cdktf`, beside its own.
  const terrain = (others.get('cdktf') ?? []).some((folder) => path.basename(folder) === 'cdktn');
  return new ValidationError(
    construct,
    `its stack was made with another copy of ${packages.join(' and ')}: ${copies.join('; ')}. ` +
      'Aspects and validations of one copy never run under the other, so the policy pack would silently be off. ' +
      `Keep one copy: \`npm ls ${packages.join(' ')}\` lists them; install the library from a packed tarball or with ` +
      '`npm install --install-links <folder>` rather than a symlinked folder, and align the versions (`npm dedupe`).' +
      (terrain
        ? ' On CDK Terrain, load cdktn once under both names: `npm install cdktf@file:node_modules/cdktn`, with ' +
          '`"overrides": { "cdktf": "$cdktf" }` in package.json (docs/cdktn.md), rather than a second cdktn as `npm:cdktn`.'
        : ''),
  );
}

/** The folder of the copy of `pkg` this module resolves. */
function packageFolder(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

/**
 * The folders of every copy of `pkg` loaded in this process, where Node's module cache tells. For `cdktf`, that
 * includes CDK Terrain's `cdktn`, the same framework under its own name, which a project may load beside it.
 */
function loadedCopies(pkg: string): string[] {
  const names = pkg === 'cdktf' ? ['cdktf', 'cdktn'] : [pkg];
  const folders = Object.keys(require.cache ?? {}).flatMap((file) =>
    names
      .map((name) => `${path.sep}node_modules${path.sep}${name}${path.sep}`)
      .filter((marker) => file.includes(marker))
      .map((marker) => file.slice(0, file.lastIndexOf(marker) + marker.length - 1)),
  );
  return [...new Set(folders)];
}
