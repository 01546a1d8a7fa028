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
  const copies = packages.map((pkg) => {
    const ours = packageFolder(pkg);
    const others = loadedCopies(pkg).filter((folder) => folder !== ours);
    const theirs = others.length > 0 ? others.join(', ') : 'another folder (not among the modules Node has loaded)';
    return `${pkg} at ${theirs}, while cdktf-docker-networking loads ${pkg} from ${ours}`;
  });
  return new ValidationError(
    construct,
    `its stack was made with another copy of ${packages.join(' and ')}: ${copies.join('; ')}. ` +
      'Aspects and validations of one copy never run under the other, so the policy pack would silently be off. ' +
      `Keep one copy: \`npm ls ${packages.join(' ')}\` lists them; install the library from a packed tarball or with ` +
      '`npm install --install-links <folder>` rather than a symlinked folder, and align the versions (`npm dedupe`).',
  );
}

/** The folder of the copy of `pkg` this module resolves. */
function packageFolder(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

/** The folders of every copy of `pkg` loaded in this process, where Node's module cache tells. */
function loadedCopies(pkg: string): string[] {
  const marker = `${path.sep}node_modules${path.sep}${pkg}${path.sep}`;
  const folders = Object.keys(require.cache ?? {})
    .filter((file) => file.includes(marker))
    .map((file) => file.slice(0, file.lastIndexOf(marker) + marker.length - 1));
  return [...new Set(folders)];
}
