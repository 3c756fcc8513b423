import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MOODBOX_CLI, REPO_ROOT } from '../daemon/testing/daemon-process.js';
import { fixturePath } from './testing/fixtures.js';

const homes: string[] = [];
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** Runs `node ARGS` with a home of its own (the environment holds only PATH and HOME); the files left in that home. */
function filesLeftInHome(args: readonly string[]): { files: string[]; status: number | null; stderr: string } {
  const home = mkdtempSync(join(tmpdir(), 'moodbox-home-'));
  homes.push(home);
  const result = spawnSync(process.execPath, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 90_000,
    env: { PATH: process.env['PATH'] ?? '', HOME: home },
  });
  const files = readdirSync(home, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('onnxruntime'));
  return { files, status: result.status, stderr: result.stderr };
}

describe('onnxruntime, as Moodbox loads it', () => {
  it('leaves no device id behind and reports nothing to its maker: the runtime’s telemetry is off', () => {
    // `moodbox analyze` runs both models (YuNet and the emotion CNN) the way the daemon does.
    const { files, status, stderr } = filesLeftInHome([MOODBOX_CLI, 'analyze', fixturePath('happy-face')]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(files).toEqual([]);
  });

  it('would leave one there if loaded without it (the check above can fail)', () => {
    const plain = "require('onnxruntime-node').InferenceSession.create('models/emotion-int8.onnx').then(() => process.exit(0))";
    expect(filesLeftInHome(['-e', plain]).files).toContain(join('.cache', 'Microsoft', 'DeveloperTools', '.onnxruntime', 'deviceid'));
  });
});
