import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Native modules (better-sqlite3, OpenCV, onnxruntime) are not safe to share between worker threads.
    pool: 'forks',
    // Two files at a time even on two cores (vitest's default leaves one core idle): most suites spend
    // their time waiting on a daemon, mpv or Chromium, and the whole run then takes about half as long.
    maxWorkers: Math.max(2, availableParallelism()),
    env: { OPENCV4NODEJS_DISABLE_AUTOBUILD: '1', TZ: 'UTC' },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['src/{kernel,daemon,vision,player}/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.hw.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'hw',
          include: ['src/**/*.hw.test.ts'],
          passWithNoTests: true,
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
