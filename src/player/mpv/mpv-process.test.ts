import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../kernel/clock.js';
import { FakeClock } from '../../daemon/testing/fake-clock.js';
import { MpvIpcClient } from './mpv-ipc-client.js';
import { MpvProcess, type MpvProcessEvents, type MpvProcessOptions } from './mpv-process.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };

let dir: string;
const processes: MpvProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-mpv-process-'));
});

afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A supervised real mpv (no audio); `setUps` counts the connections it was set up on. */
function supervised(options: MpvProcessOptions = {}, setUp?: (client: MpvIpcClient) => Promise<void>, clock: Clock = systemClock) {
  const client = new MpvIpcClient({ log: silent });
  const counts = { setUps: 0 };
  const mpv = new MpvProcess(
    {
      clock,
      log: silent,
      client,
      args: () => ['--no-config', '--no-video', '--no-terminal', '--ao=null'],
      setUp: async () => {
        counts.setUps += 1;
        await setUp?.(client);
      },
    },
    { socketPath: join(dir, `mpv-${processes.length}.sock`), ...options },
  );
  processes.push(mpv);
  return { mpv, client, counts };
}

function next<K extends keyof MpvProcessEvents>(mpv: MpvProcess, event: K): Promise<MpvProcessEvents[K]> {
  return new Promise((resolve) => {
    const off = mpv.events.on(
      event,
      (payload) => {
        off();
        resolve(payload);
      },
      'test',
    );
  });
}

async function script(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

describe('MpvProcess with real mpv', () => {
  it('starts mpv, connects the client and sets it up before it resolves; stop quits mpv and removes the socket', async () => {
    const { mpv, client, counts } = supervised();
    await mpv.start(AbortSignal.timeout(10_000));
    expect(counts.setUps).toBe(1);
    expect(mpv.pid).toBeGreaterThan(0);
    expect(await client.command(['get_property', 'idle-active'])).toBe(true);
    await mpv.stop();
    expect(mpv.pid).toBeUndefined();
    expect(client.isConnected).toBe(false);
    expect(existsSync(mpv.socketPath)).toBe(false);
  });

  it('restarts a crashed mpv after the backoff, sets up the new connection, and is faulted only meanwhile', async () => {
    const { mpv, client, counts } = supervised({ restartDelayMs: 40 });
    await mpv.start();
    const pid = mpv.pid;
    const faulted = next(mpv, 'faulted');
    const restarted = next(mpv, 'restarted');
    process.kill(pid ?? 0, 'SIGKILL');
    expect(await faulted).toEqual({ error: 'mpv was killed by SIGKILL', retryInMs: 40 });
    expect(mpv.isFaulted).toBe(true);
    expect(client.isConnected).toBe(false);
    expect(await restarted).toEqual({ attempt: 1 });
    expect(mpv.isFaulted).toBe(false);
    expect(mpv.pid).not.toBe(pid);
    expect(counts.setUps).toBe(2);
    expect(await client.command(['get_property', 'idle-active'])).toBe(true);
  });

  it('never restarts an mpv that was stopped', async () => {
    // Real time for mpv's start, a fake clock for the timers: a restart would be one of them.
    const timers = new FakeClock();
    const clock: Clock = { ...systemClock, setTimeout: (fn, ms) => timers.setTimeout(fn, ms) };
    const { mpv } = supervised({ restartDelayMs: 10 }, undefined, clock);
    const faults: unknown[] = [];
    mpv.events.on('faulted', (f) => faults.push(f), 'test');
    await mpv.start();
    await mpv.stop();
    // Whatever restart was scheduled is due now: it would have launched a new mpv at once.
    timers.advance(60_000);
    expect(faults).toEqual([]);
    expect(mpv.pid).toBeUndefined();
    expect(timers.pendingTimers).toBe(0);
  });

  it('says why mpv could not start: its exit code and last words on stderr', async () => {
    const mpvPath = await script('bad-mpv.sh', "echo 'Error parsing option ao (option not found)' >&2\nexit 2");
    const { mpv } = supervised({ mpvPath });
    await expect(mpv.start()).rejects.toMatchObject({
      code: 'MB_ERR_PLAYER_START',
      message: `cannot start ${mpvPath}: exit code 2: Error parsing option ao (option not found)`,
    });
  });

  it('gives up on an mpv that never opens its socket, and kills it', async () => {
    const mpvPath = await script('mute-mpv.sh', 'exec sleep 30');
    const { mpv } = supervised({ mpvPath, startTimeoutMs: 200, dieWithDaemon: false });
    await expect(mpv.start()).rejects.toMatchObject({
      code: 'MB_ERR_PLAYER_START',
      message: `${mpvPath} did not open its IPC socket within 200 ms`,
    });
    const pid = mpv.pid ?? 0;
    const isGone = async (): Promise<boolean> => {
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          return true;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return false;
    };
    expect(await isGone()).toBe(true);
  });

  it('fails the start when setting up the connection fails', async () => {
    const { mpv } = supervised({}, (client) => client.command(['observe_property', 1]).then(() => undefined));
    await expect(mpv.start()).rejects.toMatchObject({ code: 'MB_ERR_PLAYER_COMMAND' });
  });
});
