import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/daemon/config/load-config.js';
import type { MoodboxEvents } from '../../src/daemon/events.js';
import { systemClock } from '../../src/kernel/clock.js';
import { EventBus } from '../../src/kernel/event-bus.js';
import { throwingReporter } from '../../src/kernel/testing/listener-reporters.js';
import { seededRandom } from '../../src/kernel/random.js';
import { buildMusicPart } from '../../src/daemon/music-part.js';
import { openSqliteStore, SqliteStore } from '../../src/daemon/store/sqlite-store.js';
import { MpvPlayer } from '../../src/player/mpv-player.js';
import { PlayRecorder } from '../../src/player/play-recorder.js';
import { tempDir, tone, until } from './harness.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a full disk', () => {
  it('never stops the music, says why the history is not written, and loses nothing once space returns', async () => {
    const dir = tempDir('disk-full');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'moodbox.db');
    const setup = openSqliteStore({ clock: systemClock, log: { info() {}, warn() {} } }, { path });
    for (let i = 1; i <= 4; i++) {
      const file = join(dir, `calm-${i}.flac`);
      await tone(file, 440, 1, { title: `calm ${i}`, artist: `band ${i}` });
      // Their length is left unknown: the music never picks a 1-second track by itself, and these stand in for songs.
      const track = setup.tracks.upsert({ uri: file, title: `calm ${i}`, artist: `band ${i}` });
      setup.tracks.setMoods(track.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
    }
    setup.close();

    // SQLite's own page limit stands in for the disk: past it, every write fails with SQLITE_FULL.
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    const store = new SqliteStore(db, systemClock);
    cleanups.push(() => store.close());
    const errors: string[] = [];
    const log = {
      info() {},
      debug() {},
      warn() {},
      error: (obj: object, msg: string) => errors.push(`${msg}: ${String((obj as { err?: Error }).err?.message)}`),
    };
    const defaults = loadConfig({ env: {} }).config.player;
    const player = new MpvPlayer({ clock: systemClock, log }, { audioOutput: 'null' });
    const recorder = new PlayRecorder({ player, history: store.plays, clock: systemClock, log });
    const director = buildMusicPart({
      clock: systemClock,
      random: seededRandom(1),
      log,
      store,
      player,
      bus: new EventBus<MoodboxEvents>(throwingReporter),
      listener: () => null,
      settings: () => ({ ...defaults, audioOutput: 'null' }),
    }).music;
    let started = 0;
    player.events.on('trackStarted', () => (started += 1), 'test');
    await recorder.start();
    cleanups.push(() => recorder.stop());
    await player.start();
    cleanups.push(() => player.stop());
    await director.start();
    cleanups.push(() => director.stop());
    await until(() => (store.plays.list({}).total >= 2 ? true : undefined));

    // Fill the last page, then the "disk" is full.
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    const filler = () => store.plays.start({ trackId: 1, reason: 'mood', startedAt: Date.now() });
    expect(() => {
      for (let i = 0; i < 100_000; i++) filler();
    }).toThrow(/cannot write to the database: the disk is full/);
    const committed = store.plays.list({ limit: 100_000 }).items.map((p) => p.id);

    const startedWhileFull = started;
    await until(() => (started >= startedWhileFull + 2 ? true : undefined), 20_000);
    expect(errors.some((e) => /the disk is full/.test(e))).toBe(true);
    expect(player.state().current).toBeDefined();

    db.pragma('max_page_count = 1073741823');
    const startedWithSpace = started;
    await until(() => (started >= startedWithSpace + 1 ? true : undefined), 20_000);
    const after = store.plays.list({ limit: 100_000 }).items.map((p) => p.id);
    expect(after.length).toBeGreaterThan(committed.length);
    expect(after).toEqual(expect.arrayContaining(committed));
  }, 60_000);
});
