/**
 * The library's floor plan, checked in `npm test` (`npm run lint:layers`). Each folder of lib/ may import only the
 * folders below it; the README's "Layout" draws the same picture.
 *
 *   voting-app                      may import everything below
 *   checks                          policy, reachability, analysis, core  (applies both checks to a stack)
 *   policy   reachability           analysis, core  (never each other)
 *   analysis                        core  (the stack model, annotations, files beside the stack)
 *   swarm                           container, network, core
 *   container                       network, core
 *   network                         core
 *   core                            nothing of lib/
 */
const layers = {
  core: [],
  network: ['core'],
  container: ['core', 'network'],
  swarm: ['core', 'network', 'container'],
  analysis: ['core'],
  policy: ['core', 'analysis'],
  reachability: ['core', 'analysis'],
  checks: ['core', 'analysis', 'policy', 'reachability'],
};

const layerRules = Object.entries(layers).map(([layer, allowed]) => ({
  name: `layer-${layer}`,
  comment: `lib/${layer} may import only ${allowed.length ? allowed.map((l) => `lib/${l}`).join(', ') : 'nothing else of lib/'}`,
  severity: 'error',
  from: { path: `^lib/${layer}/` },
  to: { path: '^lib/', pathNot: [`^lib/${layer}/`, ...allowed.map((l) => `^lib/${l}/`)] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle ties the files of a cycle into one unit; break it by moving the shared part down a layer',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'lib-stays-a-library',
      comment: 'lib/ is the published package: it imports nothing of the app, the tests, the bench or the scripts',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(main\\.ts|stacks|__tests__|bench|ops|tools)/?' },
    },
    {
      name: 'bench-and-scripts-not-from-tests',
      comment: 'what bench/, scripts/ and tests share lives in tools/',
      severity: 'error',
      from: { path: '^(bench|ops|tools)/' },
      to: { path: '^__tests__/' },
    },
    {
      name: 'lib-root-only-reexports',
      comment: 'the folders reach each other directly, never through the package root',
      severity: 'error',
      from: { path: '^lib/.+/' },
      to: { path: '^lib/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.dev.json' },
    exclude: { path: '(^|/)(node_modules|dist|cdktf\\.out)/' },
  },
};
