import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { createSocket } from 'unix-dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { systemClock } from '../kernel/clock.js';
import { openSqliteStore } from './store/sqlite-store.js';
import { MOODBOX_CLI, DaemonProcess, REPO_ROOT, until } from './testing/daemon-process.js';

const running: DaemonProcess[] = [];

/** `moodbox start` from source on a free port, in a fresh data folder unless `env` names one. */
function spawnDaemon(env: Record<string, string>, args: string[] = []): DaemonProcess {
  const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-daemon-'));
  const daemon = DaemonProcess.spawn({
    args,
    env: { PATH: process.env['PATH'] ?? '', HOME: dataDir, MOODBOX_DATA_DIR: dataDir, MOODBOX_PORT: '0', ...env },
  });
  running.push(daemon);
  return daemon;
}

/** `moodbox <args>` from source, as an owner runs it; resolves with its output whatever its exit code. */
function runCli(args: string[], env: Record<string, string>): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MOODBOX_CLI, ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '', ...env } },
      (err, stdout) => resolve({ stdout, code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1 }),
    );
  });
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((daemon) => daemon.stop('SIGKILL')));
});

describe('moodbox start', { timeout: 60_000 }, () => {
  it('starts in demo mode, shows a mood from the demo clip with music playing, and stops cleanly on SIGTERM with a UI connected', async () => {
    const daemon = spawnDaemon({});
    const ready = await daemon.ready();
    expect(ready['demo']).toBe(true);
    const base = daemon.base;

    // The library scan and the camera come up in the background; the daemon is ready once they have.
    const health = await until(async () => {
      const res = await fetch(`${base}/api/health`);
      const body = (await res.json()) as { status: string; services: Array<{ name: string; status: string; detail?: string }> };
      return body.status === 'ready' ? body : undefined;
    });
    // Every part of the daemon, in the one order they start in, each ready.
    expect(health.services.map((s) => s.name)).toEqual([
      'screens',
      'database',
      'backups',
      'retention',
      'update',
      'settings',
      'kiosk-presence',
      'rfid',
      'history',
      'mood-log',
      'taste',
      'stations',
      'blocks',
      'guests',
      'player',
      'library',
      'music',
      'calibration',
      'camera',
      'memory',
      'http',
    ]);
    expect(health.services.filter((s) => s.status !== 'ready')).toEqual([]);
    const detail = (name: string): string | undefined => health.services.find((s) => s.name === name)?.detail;
    expect(detail('update')).toBe('no update since it was installed');
    expect(detail('rfid')).toBe('no RFID reader plugged in; PIN sign-in only');
    // A demo box takes guests' requests.
    expect(detail('guests')).toBe('open; 0 requests in the queue');

    // Within a minute of starting, the demo clip gives the room a mood and music plays to it.
    const shown = await until(async () => {
      const res = await fetch(`${base}/api/state`);
      const body = (await res.json()) as {
        data: {
          mood: { current: string | null };
          player: { status: string; nowPlaying: { moods: string[] } | null };
          library: { tracks: number };
        };
      };
      const { mood, player } = body.data;
      return mood.current !== null && mood.current !== 'nobody' && player.status === 'playing' ? body.data : undefined;
    }, 60_000);
    // The generated demo library: four pieces for each of the six built-in moods.
    expect(shown.library.tracks).toBe(24);
    expect(shown.player.nowPlaying?.moods.length).toBeGreaterThan(0);
    expect(daemon.stderr()).toContain('Admin sign-in: admin / moodbox-demo-admin (you choose a new passphrase at the first sign-in)');

    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
    const first = await new Promise<{ type: string; data: { demo: boolean } }>((resolve) =>
      ws.once('message', (d) => resolve(JSON.parse((d as Buffer).toString('utf8')) as never)),
    );
    expect(first.type).toBe('state/snapshot');
    expect(first.data.demo).toBe(true);

    // Exit code 0: it stopped by itself, before the harness's SIGKILL (10 s); how long stopping takes is
    // `moodbox bench e2e`'s figure, not a wall-clock bound a busy machine could break.
    const { code } = await daemon.stop();
    expect(code).toBe(0);
    expect(daemon.lines.map((l) => l['msg'])).toEqual(expect.arrayContaining(['shutting down', 'service stopped', 'stopped']));
    ws.terminate();
  }, 90_000);

  it('refuses a bad configuration with every problem named, and exit code 78', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-badconf-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ server: { prot: 80 }, ws: { pingIntervalMs: 0 } }));
    const daemon = spawnDaemon({}, ['--config', file]);
    const { code } = await daemon.exited;
    expect(code).toBe(78);
    expect(daemon.stderr()).toContain('server.prot: unknown key (did you mean `port`?)');
    expect(daemon.stderr()).toContain('ws.pingIntervalMs: must be >= 1000');
    rmSync(dir, { recursive: true });
  });

  it('names the broker password file it cannot read, exits 78, and leaves no pid file behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-mqttfile-'));
    const file = join(dataDir, 'config.json');
    const missing = join(dataDir, 'broker-password');
    writeFileSync(file, JSON.stringify({ dataDir, mqtt: { enabled: true, url: 'mqtt://127.0.0.1:1', passwordFile: missing } }));
    const daemon = spawnDaemon({ HOME: dataDir }, ['--config', file]);
    const { code } = await daemon.exited;
    expect(code).toBe(78);
    expect(daemon.stderr()).toContain(`mqtt.passwordFile: cannot read ${missing}: no such file`);
    expect(existsSync(join(dataDir, 'moodbox.pid'))).toBe(false);
    rmSync(dataDir, { recursive: true });
  });

  it('says where a damaged database is and what to do, and exits 78 so that systemd does not restart it forever', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-damaged-'));
    const path = join(dataDir, 'moodbox.db');
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    const daemon = spawnDaemon({ MOODBOX_DATA_DIR: dataDir, HOME: dataDir });
    const { code } = await daemon.exited;
    expect(code).toBe(78);
    expect(daemon.stderr()).toContain(`the database at ${path} is damaged`);
    expect(daemon.stderr()).toContain(`Restore a backup from ${join(dataDir, 'backups')} over it, or move it away`);
    rmSync(dataDir, { recursive: true });
  });

  it('exits 1 with a hint when the port is taken', async () => {
    const first = spawnDaemon({});
    await first.ready();
    const port = new URL(first.base).port;
    const second = spawnDaemon({ MOODBOX_PORT: port });
    const { code } = await second.exited;
    expect(code).toBe(1);
    const fatal = second.lines.find((l) => l['msg'] === 'cannot start');
    expect(String((fatal?.['err'] as { message?: string } | undefined)?.message)).toContain(`port ${port}`);
    await first.stop();
  });

  it('starts on the configuration file alone when the saved settings stop it, keeps them, and says so in health', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-safe-'));
    const first = spawnDaemon({ MOODBOX_DATA_DIR: dataDir });
    await first.ready();
    await first.stop();
    // Saved from the panel: an address this machine does not have (a documentation address), so listening fails.
    const saved = JSON.stringify({ server: { host: '203.0.113.9' }, player: { volume: 40 } });
    const db = new Database(join(dataDir, 'moodbox.db'));
    db.prepare('INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('config.overrides', saved, 1);
    db.close();
    const second = spawnDaemon({ MOODBOX_DATA_DIR: dataDir });
    await second.ready();
    expect(second.lines.find((l) => l['msg'] === 'cannot start')?.['hint']).toBe('retrying without the saved settings');
    expect(second.lines.some((l) => String(l['msg']).startsWith('safe mode:'))).toBe(true);
    const health = (await (await fetch(`${second.base}/api/health`)).json()) as {
      status: string;
      services: Array<{ name: string; detail?: string }>;
    };
    expect(health.status).toBe('degraded');
    expect(health.services.find((s) => s.name === 'settings')?.detail).toMatch(
      /^safe mode: .*203\.0\.113\.9.*fix or drop the saved settings/,
    );
    expect((await second.stop()).code).toBe(0);
    const after = new Database(join(dataDir, 'moodbox.db'), { readonly: true });
    expect((after.prepare('SELECT value FROM settings WHERE key = ?').get('config.overrides') as { value: string }).value).toBe(saved);
    after.close();
  }, 150_000);

  it('starts in safe mode, saying why, when saved Spotify settings would stop it at any step before ready', async () => {
    const home = { kind: 'home' };
    for (const spotify of [
      { clientId: 'abc123', redirectUri: 'https://127.0.0.1:8080/api/spotify/callback' },
      { clientId: 'abc123', redirectUri: 'not a url' },
      { clientId: 'abc123', redirectUri: 'http://localhost:8080/api/spotify/callback' },
      // Valid as a setting, refused when Spotify's sign-in is built.
      { clientId: '   ' },
    ]) {
      const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-spotify-'));
      // Saved from the admin panel by an older version, which did not check them.
      const store = openSqliteStore({ clock: systemClock, log: pino({ level: 'silent' }) }, { path: join(dataDir, 'moodbox.db') });
      store.settings.set('config.overrides', { site: home, spotify, player: { volume: 40 } }, 1);
      store.close();

      const doctor = await runCli(['doctor'], { MOODBOX_DATA_DIR: dataDir, HOME: dataDir });
      expect(doctor.stdout, JSON.stringify(spotify)).toMatch(
        spotify.clientId.trim() === ''
          ? /Expected a Spotify `clientId`/
          : /spotify\.redirectUri: expected an http address on the box's loopback/,
      );

      const second = spawnDaemon({ MOODBOX_DATA_DIR: dataDir });
      await second.ready();
      const health = (await (await fetch(`${second.base}/api/health`)).json()) as { services: Array<{ name: string; detail?: string }> };
      expect(health.services.find((s) => s.name === 'settings')?.detail, JSON.stringify(spotify)).toMatch(
        spotify.clientId.trim() === ''
          ? /^safe mode: .*Expected a Spotify `clientId`/
          : /^safe mode: .*spotify\.redirectUri: expected an http address/,
      );
      expect((await second.stop()).code).toBe(0);
    }
  }, 240_000);

  it('tells systemd it is ready, pets the watchdog, and says when it stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-notify-'));
    const socketPath = join(dir, 'notify.sock');
    const messages: string[] = [];
    const socket = createSocket('unix_dgram', (msg) => messages.push(msg.toString()));
    socket.bind(socketPath);
    const daemon = spawnDaemon({ NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '400000' });
    // A start took over 15 s at load 20 (two suites on two cores).
    await until(() => (messages.some((m) => m.startsWith('READY=1')) ? true : undefined), 60_000);
    await until(() => (messages.filter((m) => m === 'WATCHDOG=1').length >= 2 ? true : undefined));
    await daemon.stop();
    await until(() => (messages.includes('STOPPING=1') ? true : undefined), 2000);
    socket.close();
    expect(messages[0]).toMatch(/^READY=1\nSTATUS=serving http:\/\/127\.0\.0\.1:\d+$/);
  }, 90_000);
});
