import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSocket } from 'unix-dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const CLI = join(import.meta.dirname, 'cli.ts');
const running: ChildProcessWithoutNullStreams[] = [];

interface Daemon {
  child: ChildProcessWithoutNullStreams;
  lines: Array<Record<string, unknown>>;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startDaemon(env: Record<string, string>, args: string[] = []): Daemon {
  const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-daemon-'));
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start', ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: dataDir, MOODBOX_DATA_DIR: dataDir, MOODBOX_PORT: '0', ...env },
  });
  running.push(child);
  const lines: Array<Record<string, unknown>> = [];
  let err = '';
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) if (part.trim() !== '') lines.push(JSON.parse(part) as Record<string, unknown>);
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, stderr: () => err, exited };
}

async function until<T>(get: () => T | undefined | Promise<T | undefined>, timeoutMs = 15000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('moodbox start', () => {
  it('starts in demo mode, shows a mood from the demo clip with music playing, and stops cleanly on SIGTERM within 5 s with a UI connected', async () => {
    const daemon = startDaemon({});
    const ready = await until(() => daemon.lines.find((l) => l['msg'] === 'moodbox ready'));
    expect(ready['demo']).toBe(true);
    const base = String(ready['kiosk']).replace(/\/$/, '');

    // The library scan and the camera come up in the background; the daemon is ready once they have.
    const health = await until(async () => {
      const res = await fetch(`${base}/api/health`);
      const body = (await res.json()) as { status: string };
      return body.status === 'ready' ? body : undefined;
    });
    expect(health).toMatchObject({
      status: 'ready',
      services: [
        { name: 'database', status: 'ready' },
        { name: 'settings', status: 'ready' },
        { name: 'kiosk-presence', status: 'ready' },
        { name: 'rfid', status: 'ready', detail: 'no RFID reader plugged in; PIN sign-in only' },
        { name: 'player', status: 'ready' },
        { name: 'library', status: 'ready' },
        { name: 'music', status: 'ready' },
        { name: 'camera', status: 'ready' },
        { name: 'http', status: 'ready' },
      ],
    });

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
    expect(shown.library.tracks).toBe(6);
    expect(shown.player.nowPlaying?.moods.length).toBeGreaterThan(0);
    expect(daemon.stderr()).toContain('Admin sign-in: admin / moodbox-demo-admin (you choose a new passphrase at the first sign-in)');

    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
    const first = await new Promise<{ type: string; data: { demo: boolean } }>((resolve) =>
      ws.once('message', (d) => resolve(JSON.parse((d as Buffer).toString('utf8')) as never)),
    );
    expect(first.type).toBe('state/snapshot');
    expect(first.data.demo).toBe(true);

    const t0 = Date.now();
    daemon.child.kill('SIGTERM');
    const { code } = await daemon.exited;
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(daemon.lines.map((l) => l['msg'])).toEqual(expect.arrayContaining(['shutting down', 'service stopped', 'stopped']));
    ws.terminate();
  }, 90_000);

  it('refuses a bad configuration with every problem named, and exit code 78', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-badconf-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ server: { prot: 80 }, ws: { pingIntervalMs: 0 } }));
    const daemon = startDaemon({}, ['--config', file]);
    const { code } = await daemon.exited;
    expect(code).toBe(78);
    expect(daemon.stderr()).toContain('server.prot: unknown key (did you mean `port`?)');
    expect(daemon.stderr()).toContain('ws.pingIntervalMs: must be >= 1000');
    rmSync(dir, { recursive: true });
  });

  it('exits 1 with a hint when the port is taken', async () => {
    const first = startDaemon({});
    const ready = await until(() => first.lines.find((l) => l['msg'] === 'moodbox ready'));
    const port = new URL(String(ready['kiosk'])).port;
    const second = startDaemon({ MOODBOX_PORT: port });
    const { code } = await second.exited;
    expect(code).toBe(1);
    const fatal = second.lines.find((l) => l['msg'] === 'cannot start');
    expect(String((fatal?.['err'] as { message?: string } | undefined)?.message)).toContain(`port ${port}`);
    first.child.kill('SIGTERM');
    await first.exited;
  });

  it('starts on the configuration file alone when the saved settings stop it, keeps them, and says so in health', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-safe-'));
    const first = startDaemon({ MOODBOX_DATA_DIR: dataDir });
    await until(() => first.lines.find((l) => l['msg'] === 'moodbox ready'), 30_000);
    first.child.kill('SIGTERM');
    await first.exited;
    // Saved from the panel: an address this machine does not have (a documentation address), so listening fails.
    const saved = JSON.stringify({ server: { host: '203.0.113.9' }, player: { volume: 40 } });
    const db = new Database(join(dataDir, 'moodbox.db'));
    db.prepare('INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('config.overrides', saved, 1);
    db.close();
    const second = startDaemon({ MOODBOX_DATA_DIR: dataDir });
    const ready = await until(() => second.lines.find((l) => l['msg'] === 'moodbox ready'), 60_000);
    expect(second.lines.find((l) => l['msg'] === 'cannot start')?.['hint']).toBe('retrying without the saved settings');
    expect(second.lines.some((l) => String(l['msg']).startsWith('safe mode:'))).toBe(true);
    const base = String(ready['kiosk']).replace(/\/$/, '');
    const health = (await (await fetch(`${base}/api/health`)).json()) as {
      status: string;
      services: Array<{ name: string; detail?: string }>;
    };
    expect(health.status).toBe('degraded');
    expect(health.services.find((s) => s.name === 'settings')?.detail).toMatch(
      /^safe mode: .*203\.0\.113\.9.*fix or drop the saved settings/,
    );
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    const after = new Database(join(dataDir, 'moodbox.db'), { readonly: true });
    expect((after.prepare('SELECT value FROM settings WHERE key = ?').get('config.overrides') as { value: string }).value).toBe(saved);
    after.close();
  }, 150_000);

  it('tells systemd it is ready, pets the watchdog, and says when it stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-notify-'));
    const socketPath = join(dir, 'notify.sock');
    const messages: string[] = [];
    const socket = createSocket('unix_dgram', (msg) => messages.push(msg.toString()));
    socket.bind(socketPath);
    const daemon = startDaemon({ NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '400000' });
    await until(() => (messages.some((m) => m.startsWith('READY=1')) ? true : undefined));
    await until(() => (messages.filter((m) => m === 'WATCHDOG=1').length >= 2 ? true : undefined));
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await until(() => (messages.includes('STOPPING=1') ? true : undefined), 2000);
    socket.close();
    expect(messages[0]).toMatch(/^READY=1\nSTATUS=serving http:\/\/127\.0\.0\.1:\d+$/);
  });
});
