import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, getJson, signInAdmin, startDaemon, tempDir, toneLibrary, until, type Daemon } from './harness.js';

// A café leaves the box alone: it restarts after an update, a saved setting, a power cut or the
// watchdog. What staff set must be there after it, and the song playing goes on where it was.

const PASSPHRASE = 'correct horse battery staple';

interface StaffPlayer {
  status: string;
  trackId: number | null;
  hold: { label: string; until: number } | null;
  isPausedByStaff: boolean;
  wantedVolume: number;
  current: { trackId: number; reason: string } | null;
  upcoming: Array<{ trackId: number; reason: string }>;
}

let dir: string;
let config: Record<string, unknown>;
let daemon: Daemon;
let headers: Record<string, string>;

const signIn = (): Promise<Record<string, string>> => signInAdmin(daemon.base, 'Root', PASSPHRASE);

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${daemon.base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return (await res.json()) as T;
}

/** Where the song playing is (ms), as the screens show it, once it plays. */
async function playingAt(): Promise<{ trackId: number; positionMs: number }> {
  return until(async () => {
    const { data } = await getJson<{ data: { player: { status: string; nowPlaying: { id: number } | null; positionMs: number } } }>(
      `${daemon.base}/api/state`,
    );
    return data.player.status === 'playing' && data.player.nowPlaying !== null
      ? { trackId: data.player.nowPlaying.id, positionMs: data.player.positionMs }
      : undefined;
  });
}

/** What staff set, and where the song was, just before the restart. */
async function snapshot(): Promise<{ player: StaffPlayer; positionMs: number }> {
  const player = await call<StaffPlayer>('GET', '/api/admin/player');
  const { positionMs } = await playingAt();
  return { player, positionMs };
}

beforeAll(async () => {
  dir = tempDir('restart-keeps');
  const library = await toneLibrary(dir, { calm: 440, upbeat: 880 }, 90);
  const dataDir = join(dir, 'data');
  addUser(dataDir, 'Root', 'admin', PASSPHRASE);
  config = {
    dataDir,
    server: { port: 0 },
    rfid: { enabled: false },
    player: { audioOutput: 'null' },
    camera: { enabled: false },
    library: { folders: [library] },
  };
  daemon = await startDaemon(dir, config);
  headers = await signIn();
}, 120_000);

afterAll(async () => {
  await daemon.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('a restart keeps what staff set', () => {
  it('a 120-minute hold, a queued song, the volume and the song’s place are the same after SIGTERM and after SIGKILL', async () => {
    const first = await playingAt();
    await call('PUT', '/api/admin/mood/hold', { label: 'happy', minutes: 120 });
    const tracks = await call<{ items: Array<{ id: number }> }>('GET', '/api/admin/tracks');
    const chosen = tracks.items.map((t) => t.id).find((id) => id !== first.trackId) ?? 0;
    await call('POST', '/api/admin/player/queue', { trackId: chosen });
    await call('PUT', '/api/admin/player/volume', { volume: 35 });
    // Some way into the song, so that a resume from its start would show.
    await until(async () => ((await playingAt()).positionMs >= 12_000 ? true : undefined), 60_000);

    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const before = await snapshot();
      expect(before.player.upcoming[0]).toMatchObject({ trackId: chosen, reason: 'staff' });
      await daemon.stop(signal);
      daemon = await startDaemon(dir, config);
      headers = await signIn();
      const resumed = await playingAt();
      const after = await call<StaffPlayer>('GET', '/api/admin/player');

      expect(after.hold, signal).toEqual(before.player.hold);
      expect(after.hold?.label).toBe('happy');
      expect(after.wantedVolume, signal).toBe(35);
      expect(
        after.upcoming.filter((i) => i.reason === 'staff').map((i) => i.trackId),
        signal,
      ).toEqual([chosen]);
      expect(resumed.trackId, signal).toBe(before.player.trackId);
      // Within 5 s of where it stopped: after SIGTERM the place written at the stop, after SIGKILL the last one written.
      expect(Math.abs(resumed.positionMs - before.positionMs), signal).toBeLessThanOrEqual(5_000 + 1_000);
    }
  }, 180_000);
});
