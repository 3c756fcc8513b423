import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './harness.js';
import { MOODBOX_CLI, writeConfig } from '../../src/daemon/testing/daemon-process.js';

// Outside systemd, `scripts/setup.sh start` and `npm start` run Moodbox under scripts/supervise.sh:
// "Restart Moodbox now" (and a restore) stop it with exit code 75, and it must come back by itself.

const PASSPHRASE = 'correct horse battery staple';
const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe('Moodbox run by scripts/supervise.sh', () => {
  it('comes back by itself after a restart from the admin panel, and stops for good on Ctrl+C', async () => {
    const dir = tempDir('supervise');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dataDir = join(dir, 'data');
    mkdirSync(join(dir, 'music'));
    const env = { PATH: process.env['PATH'] ?? '', HOME: dir, OPENCV4NODEJS_DISABLE_AUTOBUILD: '1', TZ: 'UTC' };
    const added = spawnSync(process.execPath, [MOODBOX_CLI, 'user', 'add', 'Root', '--role', 'admin'], {
      cwd: ROOT,
      env: { ...env, MOODBOX_DATA_DIR: dataDir, NO_COLOR: '1' },
      input: `${PASSPHRASE}\n`,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(added.status, added.stderr).toBe(0);
    const config = writeConfig(dir, {
      dataDir,
      server: { port: 0 },
      rfid: { enabled: false },
      player: { audioOutput: 'null' },
      camera: { enabled: false },
      library: { folders: [join(dir, 'music')] },
    });
    const child = spawn('bash', [join(ROOT, 'scripts', 'supervise.sh'), '--config', config], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    cleanups.push(() => {
      if (child.exitCode === null) process.kill(-(child.pid ?? 0), 'SIGKILL');
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const readies: string[] = [];
    const waiters: Array<() => void> = [];
    createInterface({ input: child.stdout }).on('line', (text) => {
      try {
        const line = JSON.parse(text) as { msg?: string; kiosk?: string };
        if (line.msg === 'moodbox ready') readies.push(String(line.kiosk).replace(/\/$/, ''));
        for (const wake of waiters.splice(0)) wake();
      } catch {
        // Not a log line.
      }
    });
    const ready = async (n: number): Promise<string> => {
      while (readies.length < n) {
        const woken = new Promise<void>((resolve) => waiters.push(resolve));
        const ended = exited.then((code) => {
          throw new Error(`Expected Moodbox to be ready (${n}), got an exit with ${code}: ${stderr.slice(-800)}`);
        });
        await Promise.race([woken, ended]);
      }
      return readies[n - 1]!;
    };

    const base = await ready(1);
    const signIn = await fetch(`${base}/api/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Root', passphrase: PASSPHRASE }),
    });
    expect(signIn.status).toBe(200);
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const restart = await fetch(`${base}/api/admin/restart`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(restart.status).toBe(202);

    // A new process, on a new port (0 picks one): ready again, and healthy.
    const again = await ready(2);
    expect((await fetch(`${again}/api/health`)).status).toBe(200);
    expect(stderr).toMatch(/restarting, as asked/);

    // Ctrl+C reaches the whole foreground group: Moodbox stops cleanly and the loop ends with it.
    process.kill(-(child.pid ?? 0), 'SIGINT');
    expect(await exited).toBe(0);
    expect(readies).toHaveLength(2);
  }, 180_000);
});
