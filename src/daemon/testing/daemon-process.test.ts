import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonProcess, until, writeConfig } from './daemon-process.js';

const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-harness-'));
  dirs.push(dir);
  return dir;
}

function env(dir: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: dir, MOODBOX_DATA_DIR: dir, MOODBOX_PORT: '0' };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('DaemonProcess', () => {
  it('rejects ready() with the exit and the end of stderr when the daemon exits before it is ready', async () => {
    const dir = dataDir();
    const daemon = DaemonProcess.spawn({ args: ['--config', writeConfig(dir, { server: { prot: 80 } })], env: env(dir) });
    await expect(daemon.ready()).rejects.toThrow(/got an exit \(code 78\) first[\s\S]*stderr:[\s\S]*server\.prot: unknown key/);
    expect(() => daemon.base).toThrow('Expected the daemon to be ready before reading `base`');
    expect(await daemon.stop()).toEqual({ code: 78, signal: null });
  });

  it('kills a daemon that is not ready in time and says so', async () => {
    const dir = dataDir();
    const started = DaemonProcess.start({ env: env(dir), readyTimeoutMs: 1 });
    await expect(started).rejects.toThrow('Expected the daemon to log `moodbox ready` within 1 ms, got none');
  });
});

describe('until', () => {
  it('returns the first value that is not undefined', async () => {
    let calls = 0;
    expect(await until(() => (++calls === 3 ? 'third' : undefined))).toBe('third');
  });

  it('throws why() once the time is up', async () => {
    await expect(
      until(
        () => undefined,
        10,
        () => 'still nothing',
      ),
    ).rejects.toThrow('still nothing');
  });
});
