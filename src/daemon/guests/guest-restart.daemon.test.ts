import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTone } from '../../player/testing/tones.js';
import { DaemonProcess, until, writeConfig } from '../testing/daemon-process.js';

// Issue 81, "Left alone for a week": after a restart a guest request waiting for the staff was
// gone, the phones' lists were gone and their counters back to 3 of 3. The real daemon, restarted
// by SIGTERM and by SIGKILL, must show each phone the same guest page after as before.

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Two phones, each its own anonymous cookie (`mb_guest`, 22 characters). */
const ADA = 'ada-phone-000000000000';
const BEN = 'ben-phone-000000000000';
const RESUMED = 'the guests’ likes and votes of the song playing hold again';

interface GuestView {
  nowPlaying: { track: { id: number }; likes: number; isLikedByMe: boolean; votes: Record<string, unknown> } | null;
  me: { requests: Array<{ id: number; status: string }>; requestsLeft: number; requestsPerHour: number };
}

/** A phone's call to the guest API, from the guest page of `base`. */
async function guest(base: string, phone: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      cookie: `mb_guest=${phone}`,
      origin: base,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/**
 * What the phone's guest page shows of the guests' part: its own (its list and counter), and the
 * song playing's likes and votes (the music's own words on it, and its place, are the music's).
 */
async function pageOf(base: string, phone: string) {
  const res = await guest(base, phone, '/api/guest/state');
  expect(res.status).toBe(200);
  const { nowPlaying, me } = (await res.json()) as GuestView;
  if (nowPlaying === null) return { me, nowPlaying };
  const { track, likes, isLikedByMe, votes } = nowPlaying;
  return { me, nowPlaying: { trackId: track.id, likes, isLikedByMe, votes } };
}

describe('the guests’ part over a restart (issue 81)', () => {
  it('shows each phone the same request waiting for the staff, list, counter, like and vote after SIGTERM and after SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-guest-restart-'));
    dirs.push(dir);
    const music = join(dir, 'music');
    // Songs long enough to play on through both restarts: the song playing resumes (issue 81), and its likes with it.
    const files = ['one', 'two', 'three'];
    for (const [i, name] of files.entries()) {
      await makeTone(music, { file: `${name}.flac`, seconds: 300, hz: 330 + 110 * i, tags: { title: name, artist: `Band ${name}` } });
    }
    writeFileSync(join(music, 'moods.csv'), ['path,moods', ...files.map((f) => `${f}.flac,calm:1`)].join('\n'));
    const config = writeConfig(dir, {
      dataDir: join(dir, 'data'),
      server: { port: 0 },
      site: { kind: 'home' },
      camera: { enabled: false },
      rfid: { enabled: false },
      player: { audioOutput: 'null' },
      library: { folders: [music] },
      guests: { requests: 'on', approval: 'staff' },
    });
    const start = (): Promise<DaemonProcess> =>
      DaemonProcess.start({ args: ['--config', config], env: { PATH: process.env['PATH'] ?? '', HOME: dir } });
    /** The song the kiosk's state says plays, once one does. */
    const playing = (daemon: DaemonProcess) =>
      until(
        async () => {
          const { data } = (await (await fetch(`${daemon.base}/api/state`)).json()) as {
            data: { player: { nowPlaying: { id: number } | null } };
          };
          return data.player.nowPlaying?.id;
        },
        60_000,
        () => 'no song started',
      );

    let daemon = await start();
    try {
      const now = await playing(daemon);
      const { tracks } = (await (await guest(daemon.base, ADA, '/api/guest/search?q=band')).json()) as { tracks: Array<{ id: number }> };
      const wanted = tracks.find((t) => t.id !== now)?.id;
      const asked = await guest(daemon.base, ADA, '/api/guest/requests', { trackId: wanted });
      expect(asked.status).toBe(201);
      expect((await guest(daemon.base, ADA, '/api/guest/like', { trackId: now })).status).toBe(200);
      expect((await guest(daemon.base, BEN, '/api/guest/votes', { on: 'now', vote: 'up' })).status).toBe(200);
      const before = { ada: await pageOf(daemon.base, ADA), ben: await pageOf(daemon.base, BEN) };
      expect(before.ada).toMatchObject({
        me: { requests: [{ status: 'waiting' }], requestsLeft: 2, requestsPerHour: 3 },
        nowPlaying: { trackId: now, likes: 1, isLikedByMe: true, votes: { up: 1 } },
      });
      expect(before.ben.nowPlaying).toMatchObject({ votes: { up: 1, mine: 'up' } });

      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        const exit = await daemon.stop(signal);
        expect(exit, signal).toMatchObject(signal === 'SIGTERM' ? { code: 0 } : { signal: 'SIGKILL' });
        daemon = await start();
        await until(
          () => (daemon.lines.some((l) => l['msg'] === RESUMED) ? true : undefined),
          60_000,
          () => `after ${signal}, the guests’ part of the song playing never came back`,
        );
        expect(await playing(daemon), signal).toBe(now);
        expect({ ada: await pageOf(daemon.base, ADA), ben: await pageOf(daemon.base, BEN) }, signal).toEqual(before);
      }
    } finally {
      await daemon.stop('SIGKILL');
    }
  }, 180_000);
});
