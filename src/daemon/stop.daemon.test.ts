import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTone } from '../player/testing/tones.js';
import { SHUTDOWN_DEADLINE_MS } from './main.js';
import { DaemonProcess, until, writeConfig, type DaemonExit } from './testing/daemon-process.js';
import { freePort, TestBroker } from './testing/mosquitto.js';
import { MqttProbe } from './testing/mqtt-probe.js';

// A stop is a stop: whatever its parts are doing, the daemon's own process ends within its
// deadline with the code it was stopping with, so that systemd never has to SIGKILL it.

/** The bound a stop is held to here: the daemon's deadline, plus room for a busy two-core machine to run the process down. */
const BOUND_MS = SHUTDOWN_DEADLINE_MS + 7000;

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-stop-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts `moodbox start --config` on `config` (a data folder of its own, a free port) and waits for ready. */
async function startDaemon(dir: string, config: Record<string, unknown>): Promise<DaemonProcess> {
  const file = writeConfig(dir, { dataDir: join(dir, 'data'), server: { port: 0 }, ...config });
  const daemon = await DaemonProcess.start({ args: ['--config', file], env: { PATH: process.env['PATH'] ?? '', HOME: dir } });
  cleanups.push(async () => {
    await daemon.stop('SIGKILL');
  });
  return daemon;
}

/** Sends SIGTERM and resolves with how the process ended and how long it took (no SIGKILL from the test before the bound). */
async function terminate(daemon: DaemonProcess): Promise<DaemonExit & { ms: number }> {
  const started = performance.now();
  const exit = await daemon.stop('SIGTERM', BOUND_MS + 20_000);
  return { ...exit, ms: performance.now() - started };
}

function childPids(pid: number, name: string): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid), '-x', name], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

describe('the daemon stops within its deadline', () => {
  it('with the broker gone: exits 0, and no reconnect keeps it alive', async () => {
    const dir = tempDir();
    // Nothing listens there: the client retries for as long as the daemon runs.
    const daemon = await startDaemon(dir, {
      camera: { enabled: false },
      mqtt: { enabled: true, url: `mqtt://127.0.0.1:${await freePort()}` },
    });
    await until(() => (daemon.lines.some((l) => String(l['msg']).startsWith('mqtt')) ? true : undefined), 30_000);

    const exit = await terminate(daemon);

    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(BOUND_MS);
    expect(daemon.lines.some((l) => l['msg'] === 'stopped' && l['code'] === 0)).toBe(true);
  }, 120_000);

  it('when the broker stops at the same moment as the daemon', async () => {
    const dir = tempDir();
    const broker = await TestBroker.start();
    cleanups.push(() => broker.close());
    const daemon = await startDaemon(dir, { camera: { enabled: false }, mqtt: { enabled: true, url: broker.url } });
    await until(() => (daemon.lines.some((l) => l['msg'] === 'connected to the mqtt broker') ? true : undefined), 30_000);

    const [exit] = await Promise.all([terminate(daemon), broker.stop()]);

    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(BOUND_MS);
  }, 120_000);

  it('with mpv hung (SIGSTOP) while it plays: exits 0, naming what did not stop', async () => {
    const dir = tempDir();
    const music = join(dir, 'music');
    await makeTone(music, { file: 'a.flac', seconds: 60 });
    await makeTone(music, { file: 'b.flac', seconds: 60, hz: 660 });
    const daemon = await startDaemon(dir, { camera: { enabled: false }, library: { folders: [music] }, player: { audioOutput: 'null' } });
    const mpv = await until(
      () => childPids(daemon.child.pid ?? 0, 'mpv')[0],
      30_000,
      () => 'mpv never started',
    );
    await until(async () => {
      const { data } = (await (await fetch(`${daemon.base}/api/state`)).json()) as { data: { player: { status: string } } };
      return data.player.status === 'playing' ? true : undefined;
    }, 60_000);
    process.kill(mpv, 'SIGSTOP');
    cleanups.push(() => {
      try {
        process.kill(mpv, 'SIGKILL');
      } catch {
        // already gone
      }
    });

    const exit = await terminate(daemon);

    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(BOUND_MS);
  }, 120_000);

  it('in the middle of a scan: the scan stops with the daemon', async () => {
    const dir = tempDir();
    const music = join(dir, 'music');
    mkdirSync(music, { recursive: true });
    // Enough files that the scan is still going when the stop comes.
    const one = await makeTone(music, { file: 'one.flac', seconds: 0.3 });
    const bytes = readFileSync(one);
    for (let i = 0; i < 3000; i++) writeFileSync(join(music, `copy-${String(i).padStart(4, '0')}.flac`), bytes);
    const daemon = await startDaemon(dir, { camera: { enabled: false }, library: { folders: [music] }, player: { audioOutput: 'null' } });
    await until(async () => {
      const { data } = (await (await fetch(`${daemon.base}/api/state`)).json()) as {
        data: { library: { scanning: boolean; done: number } };
      };
      return data.library.scanning && data.library.done > 0 ? true : undefined;
    }, 60_000);

    const exit = await terminate(daemon);

    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(BOUND_MS);
    // It stopped in the middle: not every file was read.
    const done = daemon.lines.filter((l) => l['msg'] === 'music folder scanned');
    expect(done).toHaveLength(0);
  }, 120_000);

  it('for a fleet restart with the broker going away at once: exits 75, for systemd to start it again', async () => {
    const dir = tempDir();
    const broker = await TestBroker.start();
    cleanups.push(() => broker.close());
    const daemon = await startDaemon(dir, {
      camera: { enabled: false },
      mqtt: { enabled: true, url: broker.url, site: 'cafe', box: 'lounge', fleet: true, homeAssistant: false },
    });
    await until(() => (daemon.lines.some((l) => l['msg'] === 'connected to the mqtt broker') ? true : undefined), 30_000);
    const probe = await MqttProbe.connect(broker.url, []);
    const started = performance.now();
    await probe.publish('moodbox/cafe/lounge/cmd/restart', JSON.stringify({ id: 'restart-now' }));
    await probe.close();
    await until(() => (daemon.lines.some((l) => l['msg'] === 'shutting down') ? true : undefined), 30_000);
    await broker.stop();

    const exit = await daemon.exited;

    expect(exit).toMatchObject({ code: 75, signal: null });
    expect(performance.now() - started).toBeLessThan(BOUND_MS + 30_000);
    const stopping = daemon.lines.findIndex((l) => l['msg'] === 'shutting down');
    const stopped = daemon.lines.findIndex((l) => l['msg'] === 'stopped');
    expect(stopped).toBeGreaterThan(stopping);
    const ms = Number(daemon.lines[stopped]?.['time']) - Number(daemon.lines[stopping]?.['time']);
    expect(ms).toBeLessThan(SHUTDOWN_DEADLINE_MS);
  }, 120_000);
});
