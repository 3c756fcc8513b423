/**
 * Which part of Moodbox may import which: the layout of docs/layout.md, checked.
 * `npm run deps` checks the rules; `npm run deps:graph` prints the folder-level import graph.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes start-up order and tests depend on which file loads first.',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'kernel-is-a-leaf',
      severity: 'error',
      comment: 'daemon/kernel (clock, random, errors, event bus, lifecycle) imports nothing else of Moodbox.',
      from: { path: '^src/daemon/kernel/' },
      to: { path: '^src/', pathNot: '^src/daemon/kernel/' },
    },
    {
      name: 'vision-and-player-use-only-the-kernel',
      severity: 'error',
      comment: 'vision/ and player/ are libraries: from the daemon they may use daemon/kernel only.',
      from: { path: '^src/(vision|player)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(daemon|ui)/', pathNot: '^src/daemon/kernel/' },
    },
    {
      name: 'vision-and-player-tests-use-the-kernel-fakes-and-the-store',
      severity: 'error',
      comment: 'Their tests may also use the fake clock and a real SQLite store.',
      from: { path: '^src/(vision|player)/.*\\.test\\.ts$' },
      to: { path: '^src/(daemon|ui)/', pathNot: ['^src/daemon/kernel/', '^src/daemon/testing/fake-clock\\.ts$', '^src/daemon/store/'] },
    },
    {
      name: 'only-http-knows-http',
      severity: 'error',
      comment:
        'The delivery layer (http/: routes, the WebSocket, the hub and its projector) depends on the core, never the other way. ' +
        'main.ts builds the server; the CLI and the bench may start it.',
      from: { path: '^src/daemon/', pathNot: ['^src/daemon/http/', '^src/daemon/main\\.ts$', '^src/daemon/testing/', '\\.test\\.ts$'] },
      to: { path: '^src/daemon/http/' },
    },
    {
      name: 'only-the-projector-writes-the-hub',
      severity: 'error',
      comment: 'The screens state is a projection of the bus: services never read or write the hub.',
      from: { path: '^src/', pathNot: ['^src/daemon/http/', '^src/daemon/main\\.ts$', '\\.test\\.ts$', '/testing/'] },
      to: { path: '^src/daemon/http/state-hub\\.ts$' },
    },
    {
      name: 'ui-imports-only-contract-types',
      severity: 'error',
      comment: 'The UI runs in the browser: of the daemon it may use the wire-format types only.',
      from: { path: '^src/ui/' },
      to: { path: '^src/(daemon|vision|player)/', pathNot: '^src/daemon/http/contract\\.ts$' },
    },
    {
      name: 'ui-contract-is-type-only',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^src/daemon/http/contract\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'daemon-never-imports-the-ui',
      severity: 'error',
      from: { path: '^src/(daemon|vision|player)/' },
      to: { path: '^src/ui/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', 'node_modules'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
    reporterOptions: {
      archi: { collapsePattern: '^src/(daemon/[^/]+|[^/]+)/' },
      dot: { collapsePattern: '^src/(daemon/[^/]+|[^/]+)/' },
    },
  },
};
