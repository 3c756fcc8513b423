import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { GuestSongs } from '../guests/guest-songs.js';
import { MusicCatalogue } from '../music/music-catalogue.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { startStaffServer } from '../testing/staff-server.js';

// Issue 80: library rows the player cannot play, written straight into the database (a restored
// backup, an older version), answered staff's "play now" with a 500 `MB_ERR_INTERNAL`: a station
// whose address is `HTTP://…`, `gopher://…` or a plain path, a song whose file is a URL, a source
// no version of Moodbox has.

const silent = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {}, level: 'silent' };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `pending`, the fake clock moved on 100 ms at a time until it settles: a song played now fades the one before on the clock. */
async function driven<T>(clock: FakeClock, pending: Promise<T>): Promise<T> {
  let isSettled = false;
  const settled = pending.then(
    () => (isSettled = true),
    () => (isSettled = true),
  );
  for (let step = 0; !isSettled; step++) {
    if (step === 600) throw new Error('still not answered after a minute on the clock');
    clock.advance(100);
    await Promise.race([settled, new Promise((resolve) => setImmediate(resolve))]);
  }
  return pending;
}

const UNPLAYABLE = [
  { source: 'stream', uri: 'HTTP://radio.example/live.mp3', title: 'Shouting Radio' },
  { source: 'stream', uri: 'gopher://radio.example/1/live', title: 'Gopher Radio' },
  { source: 'stream', uri: '/etc/moodbox/config.json', title: 'Path Radio' },
  { source: 'stream', uri: 'https://user:secret@radio.example/live.mp3', title: 'Signed-in Radio' },
  { source: 'local', uri: 'gopher://radio.example/1/song', title: 'URL Song' },
  { source: 'local', uri: 'music/relative.flac', title: 'Relative Song' },
  { source: 'tape', uri: '/music/tape.flac', title: 'Tape Song' },
];

/** A library on disk with one song, `calm`, and the rows of `UNPLAYABLE` written straight into the database, past every check the panel makes. */
function libraryWithUnplayableRows(clock: FakeClock) {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-unplayable-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'moodbox.db');
  const store = openSqliteStore({ clock, log: silent }, { path });
  cleanups.push(() => store.close());
  const calm = store.tracks.upsert({ uri: '/music/calm.flac', title: 'calm', artist: 'A' });
  store.tracks.setMoods(calm.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
  const db = new Database(path);
  const insert = db.prepare('INSERT INTO tracks (source, uri, title, added_at, updated_at) VALUES (?, ?, ?, 0, 0)');
  const ids = UNPLAYABLE.map((row) => Number(insert.run(row.source, row.uri, row.title).lastInsertRowid));
  for (const id of ids) db.prepare(`INSERT INTO track_moods (track_id, mood, weight, origin) VALUES (?, 'calm', 1, 'admin')`).run(id);
  db.close();
  return { store, calm, ids };
}

describe('a library row the player cannot play', () => {
  it('is refused to staff playing it now or next with 403 `MB_ERR_PLAYER_NOT_ALLOWED` naming it, and nothing plays', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0));
    const { store, calm, ids } = libraryWithUnplayableRows(clock);
    const { player, call, close } = await startStaffServer({ store, clock });
    cleanups.push(close);
    const before = player.state().current?.track.uri;
    for (const [i, id] of ids.entries()) {
      for (const url of ['/api/admin/player/play-now', '/api/admin/player/queue']) {
        const res = await driven(clock, call('POST', url, { trackId: id }));
        expect([url, UNPLAYABLE[i]?.uri, res.statusCode]).toEqual([url, UNPLAYABLE[i]?.uri, 403]);
        expect(res.json()).toMatchObject({
          error: {
            code: 'MB_ERR_PLAYER_NOT_ALLOWED',
            message: expect.stringContaining(`“${UNPLAYABLE[i]?.title}” cannot play: its entry in the library`) as unknown,
          },
        });
      }
    }
    // Nothing of them reached the player, nor the audit; the music picks none of them by itself either.
    const state = player.state();
    expect(state.current?.track.uri).toBe(before);
    expect([state.current, ...state.upcoming].map((item) => item?.track.id).filter((id) => ids.includes(id ?? 0))).toEqual([]);
    expect(store.audit.list({}).items.filter((a) => a.action.startsWith('player.'))).toEqual([]);

    // A song of the library plays as before.
    expect((await driven(clock, call('POST', '/api/admin/player/play-now', { trackId: calm.id }))).statusCode).toBe(200);
    expect(player.state().current?.track.id).toBe(calm.id);
  });

  it('is never picked by the music, offered to guests or asked for by them', () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0));
    const { store, calm, ids } = libraryWithUnplayableRows(clock);
    const catalogue = new MusicCatalogue({ log: silent, store });
    catalogue.reload();
    expect(catalogue.size).toBe(1);
    expect(catalogue.get(calm.id)?.title).toBe('calm');
    const songs = new GuestSongs({ store, settings: () => loadConfig({ env: {} }).config });
    expect(ids.filter((id) => songs.mayAskFor(id))).toEqual([]);
    expect(songs.search('Radio')).toEqual([]);
    expect(songs.search('Song')).toEqual([]);
    expect(songs.mayAskFor(calm.id)).toBe(true);
  });
});
