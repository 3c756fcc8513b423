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
      comment:
        'An import cycle, even of types only, makes start-up order and tests depend on which file loads first, and the layers unreadable.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'kernel-is-a-leaf',
      severity: 'error',
      comment:
        'kernel/ (clock, random, errors, event bus, lifecycle, log, the mood vocabulary, daily hours, rate windows) imports nothing else of Moodbox.',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/kernel/' },
    },
    {
      name: 'vision-uses-only-the-kernel',
      severity: 'error',
      comment: 'vision/ is a library: it imports kernel/ and itself only (never the daemon, the player or the UI).',
      from: { path: '^src/vision/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/kernel/', '^src/vision/'] },
    },
    {
      name: 'the-box-never-imports-the-lab',
      severity: 'error',
      comment:
        'vision/lab/ (bench, eval, analyze, the labelled sets and the simulated camera) measures the box: it may import the ' +
        'runtime, never the other way. Only the commands that run it (daemon/commands/, the end-to-end bench) and tests reach it.',
      from: {
        path: '^src/',
        pathNot: ['^src/vision/lab/', '^src/daemon/commands/', '^src/daemon/ops/bench-e2e\\.ts$', '\\.test\\.ts$', '/testing/'],
      },
      to: { path: '^src/vision/lab/' },
    },
    {
      name: 'player-uses-only-the-kernel',
      severity: 'error',
      comment: 'player/ is a library: it imports kernel/ and itself only (never the daemon, vision or the UI).',
      from: { path: '^src/player/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/kernel/', '^src/player/'] },
    },
    {
      name: 'vision-and-player-tests-use-the-kernel-fakes-and-the-store',
      severity: 'error',
      comment:
        'Their tests may also use the fake clock, the one wait on a condition (`until`), a real SQLite store, and run `moodbox` (the built command) as a process.',
      from: { path: '^src/(vision|player)/.*\\.test\\.ts$' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/kernel/',
          '^src/(vision|player)/',
          '^src/daemon/testing/(fake-clock|daemon-process|until)\\.ts$',
          '^src/daemon/store/',
        ],
      },
    },
    {
      name: 'the-core-knows-no-delivery',
      severity: 'error',
      comment:
        'moodbox.ts and core.ts (the orchestration and what it offers) know neither delivery layer: ' +
        'main.ts builds http/ and mqtt/ beside each other from MoodboxCore.',
      from: { path: '^src/daemon/(moodbox|core)\\.ts$' },
      to: { path: '^src/daemon/(http|mqtt)/' },
    },
    {
      name: 'only-the-root-knows-mqtt',
      severity: 'error',
      comment:
        'mqtt/ is a delivery layer: the composition root (main.ts, compose.ts) builds it, adapters/ makes its connection, and `moodbox fleet` (commands/) speaks to the broker; ' +
        'no feature imports it.',
      from: {
        path: '^src/',
        pathNot: [
          '^src/daemon/mqtt/',
          '^src/daemon/(main|compose)\\.ts$',
          '^src/daemon/adapters/',
          '^src/daemon/commands/',
          '^src/daemon/testing/',
          '\\.test\\.ts$',
        ],
      },
      to: { path: '^src/daemon/mqtt/' },
    },
    {
      name: 'only-the-root-builds-adapters',
      severity: 'error',
      comment:
        'adapters/ holds the real adapters (OpenCV and onnxruntime, mpv, node-hid, mqtt.js, Spotify, the analysis worker): ' +
        'the composition root (main.ts and its compose.ts) builds them, and `moodbox library analyze` (commands/library-command.ts) its analyzer; ' +
        'everything else is given them as ports (camera/camera-parts.ts, music/music-parts.ts, rfid/, store/).',
      from: {
        path: '^src/',
        pathNot: ['^src/daemon/(main|compose)\\.ts$', '^src/daemon/adapters/', '^src/daemon/commands/library-command\\.ts$'],
      },
      to: { path: '^src/daemon/adapters/' },
    },
    {
      name: 'folders-know-not-the-root',
      severity: 'error',
      comment:
        "The daemon's folders (camera/, music/, people/, guests/, ops/, http/, mqtt/ and the rest) are what moodbox.ts and main.ts " +
        'build from: none imports them (a port they share sits beside its users, as camera/camera-parts.ts and music/music-parts.ts; ' +
        'what the delivery layers may use of the box is core.ts). `moodbox start` (commands/) runs main.ts; tests may build the whole box.',
      from: { path: '^src/daemon/[^/]+/', pathNot: ['^src/daemon/commands/', '^src/daemon/testing/', '\\.test\\.ts$'] },
      to: { path: '^src/daemon/(moodbox|main|compose)\\.ts$' },
    },
    {
      name: 'music-knows-not-the-guests',
      severity: 'error',
      comment:
        'The guests ask the music how a song fits the room (music/fit-policy.ts, one way); the music asks the guests for their next ' +
        'request through its own port (music/guest-queue.ts), which the guest service answers without being imported.',
      from: { path: '^src/daemon/music/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/daemon/guests/' },
    },
    {
      name: 'settings-know-not-the-events',
      severity: 'error',
      comment:
        "The app's events name the settings' types (a day plan), so the settings may not import the events back: " +
        'they announce a save through the one event they need (config/live-config.ts, SettingsAnnouncer).',
      from: { path: '^src/daemon/config/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/daemon/events\\.ts$' },
    },
    {
      name: 'only-http-knows-http',
      severity: 'error',
      comment:
        'The delivery layer (http/: routes, the WebSocket, the hub and its projector) depends on the core, never the other way. ' +
        'main.ts builds the server; the CLI and the bench may start it.',
      from: {
        path: '^src/daemon/',
        pathNot: ['^src/daemon/http/', '^src/daemon/(main|compose)\\.ts$', '^src/daemon/testing/', '\\.test\\.ts$'],
      },
      to: { path: '^src/daemon/http/' },
    },
    {
      name: 'delivery-only-reads-the-store',
      severity: 'error',
      comment:
        'http/ and mqtt/ translate: every change is a command of the service that owns it, which writes the store and the audit. ' +
        'Of store/ they may import only store-reads.ts (the records and read-only views of the repositories), never the ' +
        'repositories, the SQLite adapters or the Store type itself.',
      from: { path: '^src/daemon/(http|mqtt)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/daemon/store/', pathNot: '^src/daemon/store/store-reads\\.ts$' },
    },
    {
      name: 'only-the-projector-writes-the-hub',
      severity: 'error',
      comment: 'The screens state is a projection of the bus: services never read or write the hub.',
      from: { path: '^src/', pathNot: ['^src/daemon/http/', '^src/daemon/(main|compose)\\.ts$', '\\.test\\.ts$', '/testing/'] },
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
