import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Three projects, run together by `npm test` and alone with `npx vitest run --project NAME`:
// - unit: logic with its real parts (SQLite files, OpenCV, onnxruntime, mpv) inside the test's process;
// - daemon: whole daemons and commands in their own processes, with brokers and outputs (`*.daemon.test.ts`, test/e2e);
// - browser: the built screens in Chromium against a real daemon (test/browser).
// A test that starts `moodbox` as a process starts the built one (dist/daemon/cli.js, as installed: under
// tsx each start cost 1.5 s more CPU), so each project builds first when a source is newer than dist/.
const UNIT_AND_DAEMON_LIMITS = { testTimeout: 20_000, hookTimeout: 30_000 };
const BUILD_FIRST = ['test/build-first.ts'];

export default defineConfig({
  test: {
    // Native modules (better-sqlite3, OpenCV, onnxruntime) are not safe to share between worker threads.
    pool: 'forks',
    // Two files at a time even on two cores (vitest's default leaves one core idle): most suites spend
    // their time waiting on a daemon, mpv or Chromium, and the whole run then takes about half as long.
    maxWorkers: Math.max(2, availableParallelism()),
    env: { OPENCV4NODEJS_DISABLE_AUTOBUILD: '1', TZ: 'UTC' },
    // The server loads its route modules by folder (@fastify/autoload): run inline, its imports of
    // those TypeScript files go through vitest's own transform rather than Node's loader.
    server: { deps: { inline: ['@fastify/autoload'] } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/{kernel,daemon,vision,player}/**/*.test.ts'],
          exclude: ['**/*.daemon.test.ts', '**/node_modules/**'],
          globalSetup: BUILD_FIRST,
          // The files of a worker share its process, so OpenCV, onnxruntime and fastify load once a
          // worker rather than once a file: each test cleans up what it starts, as a daemon must.
          isolate: false,
          ...UNIT_AND_DAEMON_LIMITS,
        },
      },
      {
        extends: true,
        test: {
          name: 'daemon',
          include: ['src/**/*.daemon.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: BUILD_FIRST,
          ...UNIT_AND_DAEMON_LIMITS,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: BUILD_FIRST,
          // A worker keeps its Chromium and the harness from one file to the next (each file starting
          // its own cost about a second of set-up); each file closes the browser contexts it left open.
          isolate: false,
          setupFiles: ['test/browser/close-contexts.ts'],
          // A page under load can take seconds to show what it was told: an `expect.poll` given no
          // time of its own waits 15 s here rather than vitest's one.
          expect: { poll: { timeout: 15_000 } },
          ...UNIT_AND_DAEMON_LIMITS,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/testing/**', 'src/ui/**'],
    },
  },
});
