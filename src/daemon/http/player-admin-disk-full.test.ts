import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PlayRecorder } from '../../player/play-recorder.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import { loadConfig } from '../config/load-config.js';
import type { MoodboxBus } from '../events.js';
import { systemClock } from '../../kernel/clock.js';
import { EventBus } from '../../kernel/event-bus.js';
import { seededRandom } from '../../kernel/random.js';
import { MusicDirector } from '../music/music-director.js';
import { openSqliteStore, SqliteStore } from '../store/sqlite-store.js';
import { buildTestServer } from '../testing/server.js';

// Issue 42, item 11: with the disk full, the volume and pause answered 507 but had acted, and
// nothing was audited. A 507 now means nothing changed.

const silent = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {}, level: 'silent' };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('staff controls on a full disk', () => {
  it('answers 507 for the volume, a pause and a resume, and changes nothing; once space returns each acts and is audited', async () => {
    const clock = systemClock;
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-full-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'moodbox.db');
    const setup = openSqliteStore({ clock, log: silent }, { path });
    for (let i = 1; i <= 3; i++) {
      const track = setup.tracks.upsert({ uri: `/music/calm-${i}.flac`, title: `calm ${i}`, artist: 'A' });
      setup.tracks.setMoods(track.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
    }
    setup.close();
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    const store = new SqliteStore(db, clock);
    cleanups.push(() => store.close());

    const player = new FakePlayer({ clock }, { trackMs: 180_000, volume: 70 });
    await new PlayRecorder({ player, history: store.plays, clock, log: silent }).start();
    const bus: MoodboxBus = new EventBus();
    const settings = loadConfig({ env: {} }).config.player;
    const director = new MusicDirector({
      clock,
      random: seededRandom(3),
      log: silent,
      store,
      player,
      bus,
      listener: () => null,
      settings: () => settings,
    });
    await director.start();
    cleanups.push(() => director.stop());
    const server = await buildTestServer({ clock, store, staff: director.staff });
    cleanups.push(() => server.app.close());
    await server.auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, 'test');
    const signIn = await server.app.inject({
      method: 'POST',
      url: '/api/admin/session',
      payload: { name: 'Boss', passphrase: 'correct horse battery' },
    });
    const headers = {
      cookie: String(signIn.headers['set-cookie']).split(';')[0] ?? '',
      'x-csrf-token': signIn.json<{ csrfToken: string }>().csrfToken,
    };
    const call = (method: 'POST' | 'PUT', url: string, payload?: object) =>
      server.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
    expect((await call('PUT', '/api/admin/player/volume', { volume: 60 })).statusCode).toBe(200);

    // SQLite's own page limit stands in for the disk: the file may not grow, and its pages are filled.
    const fill = (): void => {
      db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
      for (const pad of [512, 64, 0]) {
        for (;;) {
          try {
            store.audit.append({ at: clock.now(), actor: 'test', action: 'fill', target: '', detail: { pad: 'x'.repeat(pad) } });
          } catch {
            break;
          }
        }
      }
    };
    fill();
    const audited = (): number => (db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'player.%'`).get() as { n: number }).n;
    const before = audited();

    const volume = await call('PUT', '/api/admin/player/volume', { volume: 20 });
    expect(volume.statusCode).toBe(507);
    expect(player.state().volume).toBe(60);
    expect(director.staff.staffView.wantedVolume).toBe(60);

    const pause = await call('POST', '/api/admin/player/pause');
    expect(pause.statusCode).toBe(507);
    expect(player.state().isPaused).toBe(false);
    expect(director.staff.staffView.isPausedByStaff).toBe(false);
    expect(audited()).toBe(before);

    // Space returns: the same calls act, and are audited.
    db.pragma('max_page_count = 1073741823');
    expect((await call('POST', '/api/admin/player/pause')).statusCode).toBe(200);
    expect(player.state().isPaused).toBe(true);
    fill();
    const resume = await call('POST', '/api/admin/player/resume');
    expect(resume.statusCode).toBe(507);
    expect(player.state().isPaused).toBe(true);
    expect(director.staff.staffView.isPausedByStaff).toBe(true);
    db.pragma('max_page_count = 1073741823');
    expect((await call('PUT', '/api/admin/player/volume', { volume: 20 })).statusCode).toBe(200);
    expect(director.staff.staffView.wantedVolume).toBe(20);
    expect(audited()).toBe(before + 2);
  });
});
