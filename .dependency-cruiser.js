/**
 * The repository's floor plan, checked in `npm test` (`npm run lint:layers`, which cruises the whole repository):
 * one row for every folder that holds code, saying what its files may import of the repository; a file in a folder
 * with no row fails, so a new folder cannot escape. docs/architecture.md draws the same picture and says why.
 *
 *   lib/voting-app       may import every other layer of lib/
 *   lib/compose          swarm, container, network, core  (a compose file read into the constructs)
 *   lib/checks           policy, reachability, analysis, core  (applies both checks to a stack)
 *   lib/policy   lib/reachability   analysis, core  (never each other)
 *   lib/analysis         core  (the one model of what a stack puts on an engine)
 *   lib/state            core  (OpenTofu's encryption of a stack's state and plans)
 *   lib/swarm            container, network, engine, core
 *   lib/container        network, engine, core
 *   lib/network          engine, core
 *   lib/engine           core  (Engine, Swarm, EngineHost: where constructs are deployed)
 *   lib/core             nothing else of the repository
 *   lib/index.ts         re-exports the layers' entries, nothing else: the library's public entry
 *   stacks/, main.ts     the public entry (main.ts also stacks/)
 *   ops/                 the public entry: the operator's side never reaches into the library
 *   bench/               the public entry, lib/core/index.ts (the one internal entry) and ops/terraform
 *   tools/, root files   nothing of the repository (the package's own build tooling and configuration)
 *   __tests__/           anything
 *
 * A folder may always import its own files. Only imports of the repository's files are checked: node's modules
 * and npm packages are not the floor plan's business.
 */

/** lib/'s layers, each with the layers it may import (below it in the picture). */
const layers = {
  core: [],
  engine: ['core'],
  network: ['core', 'engine'],
  container: ['core', 'engine', 'network'],
  swarm: ['core', 'engine', 'network', 'container'],
  compose: ['core', 'network', 'container', 'swarm'],
  analysis: ['core'],
  policy: ['core', 'analysis'],
  reachability: ['core', 'analysis'],
  checks: ['core', 'analysis', 'policy', 'reachability'],
  state: ['core'],
};
layers['voting-app'] = Object.keys(layers);

/** The library's public entry, what the app, the stacks, the operator's side and the bench import. */
const PUBLIC_ENTRY = { path: '^lib/index\\.ts$', name: 'lib/index.ts' };
/** The one internal entry: lib/core alone (no construct), for the raw bench variant that must not load the library. */
const CORE_ENTRY = { path: '^lib/core/index\\.ts$', name: 'lib/core/index.ts' };
const folder = (name) => ({ path: `^${name.replace(/\./g, '\\.')}/`, name: `${name}/` });

/** Every folder (or root file) that holds code: what it is, and what of the repository it may import. */
const rows = [
  ...Object.entries(layers).map(([layer, below]) => ({ ...folder(`lib/${layer}`), may: below.map((l) => folder(`lib/${l}`)) })),
  { ...PUBLIC_ENTRY, may: Object.keys(layers).map((l) => ({ path: `^lib/${l}/index\\.ts$`, name: `lib/${l}/index.ts` })) },
  { ...folder('stacks'), may: [PUBLIC_ENTRY] },
  { path: '^main\\.ts$', name: 'main.ts', may: [folder('stacks'), PUBLIC_ENTRY] },
  { ...folder('ops'), may: [PUBLIC_ENTRY] },
  { ...folder('bench'), may: [PUBLIC_ENTRY, CORE_ENTRY, folder('ops/terraform')] },
  { ...folder('tools'), may: [] },
  { path: '^[^/]+\\.(js|json)$', name: 'the root files (configuration)', may: [] },
  { ...folder('__tests__'), may: 'anything' },
];

const rowRules = rows
  .filter((row) => row.may !== 'anything')
  .map((row) => ({
    name: `row ${row.name}`,
    comment: `${row.name} may import only ${row.may.length ? row.may.map((m) => m.name).join(', ') : 'nothing else of the repository'}`,
    severity: 'error',
    from: { path: row.path },
    to: { dependencyTypes: ['local'], pathNot: [row.path, ...row.may.map((m) => m.path)] },
  }));

const known = rows.map((row) => row.path);
const NO_ROW = 'add a row for its folder to .dependency-cruiser.js and docs/architecture.md: what it holds and what it may import';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle ties the files of a cycle into one unit; break it by moving the shared part down a layer',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...rowRules,
    {
      name: 'lib-index-only-reexports',
      comment: 'lib/index.ts only re-exports the layers (export ... from); what it would add belongs in a layer',
      severity: 'error',
      from: { path: PUBLIC_ENTRY.path },
      to: { dependencyTypesNot: ['export'] },
    },
    { name: 'no-row (imports)', comment: `a file in a folder with no row imports something: ${NO_ROW}`, severity: 'error', from: { pathNot: known }, to: {} },
    { name: 'no-row (imported)', comment: `a file in a folder with no row is imported: ${NO_ROW}`, severity: 'error', from: {}, to: { dependencyTypes: ['local'], pathNot: known } },
    { name: 'no-row (alone)', comment: `a file in a folder with no row: ${NO_ROW}`, severity: 'error', from: { orphan: true, pathNot: known }, to: {} },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.dev.json' },
    exclude: { path: '(^|/)(node_modules|dist|cdktf\\.out|coverage|\\.git|\\.e2e|\\.cache|\\.gen|\\.terraform)(/|$)' },
  },
};
