import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { RetentionService } from './retention-service.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { simulateYear } from '../testing/simulated-year.js';

const DAY_MS = 86_400_000;
const silent = { info: () => {}, warn: () => {}, error: () => {} };
const DEFAULTS: Config['retention'] = loadConfig({ env: {} }).config.retention;

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A data folder with a migrated database made as an older Moodbox made it: without incremental vacuum. */
function setUp(clock: FakeClock): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-retention-'));
  dirs.push(dir);
  const path = join(dir, 'moodbox.db');
  openSqliteStore({ clock, log: silent }, { path }).close();
  const db = new Database(path);
  db.pragma('auto_vacuum = NONE');
  db.exec('VACUUM');
  db.close();
  return { dir, path };
}

function ids(path: string, sql: string, ...params: number[]): number[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare<number[], { id: number }>(sql)
      .all(...params)
      .map((r) => r.id);
  } finally {
    db.close();
  }
}

describe('RetentionService', () => {
  it('keeps a simulated year of a busy café within its bound, every row inside the windows, and the month queries answering', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 24, 3, 30));
    const { dir, path } = setUp(clock);
    const now = clock.now();
    const written = simulateYear(path, now, { moodEveryS: 15 });
    const fullFrom = now - DEFAULTS.moodLogFullDays * DAY_MS;
    const moodFrom = now - DEFAULTS.moodLogDays * DAY_MS;
    // What the windows promise: every change of the last 7 days; the last change of each minute back to 90 days.
    const keepMoods = [
      ...ids(path, 'SELECT id FROM mood_log WHERE at >= ? ORDER BY id', fullFrom),
      ...ids(
        path,
        `SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY at / 60000 ORDER BY at DESC, id DESC) AS n
         FROM mood_log WHERE at >= ? AND at < ?) WHERE n = 1`,
        moodFrom,
        fullFrom,
      ),
    ].sort((a, b) => a - b);
    const keepPlays = ids(path, 'SELECT id FROM plays ORDER BY id');
    const keepAudit = ids(path, 'SELECT id FROM audit_log ORDER BY id');
    const sizeBefore = statSync(path).size;

    const store = openSqliteStore({ clock, log: silent }, { path });
    try {
      // The bound: what the windows allow at the bytes a row takes in this very file, plus a tenth.
      const use = store.maintenance.use();
      const tableBytes = (name: string): number => use.tables.find((t) => t.name === name)?.bytes ?? 0;
      const perMood = tableBytes('mood_log') / written.moods;
      const others = use.tables.filter((t) => t.name !== 'mood_log').reduce((sum, t) => sum + t.bytes, 0);
      const bound = (keepMoods.length * perMood + others) * 1.1 + 64 * 4096;

      const service = new RetentionService({ clock, log: silent, store, settings: () => DEFAULTS }, { coversDir: join(dir, 'covers') });
      const report = await service.run();

      expect(report.removed.mood_log + report.thinned).toBe(written.moods - keepMoods.length);
      expect(ids(path, 'SELECT id FROM mood_log ORDER BY id')).toEqual(keepMoods);
      expect(ids(path, 'SELECT id FROM plays ORDER BY id')).toEqual(keepPlays);
      expect(ids(path, 'SELECT id FROM audit_log ORDER BY id')).toEqual(keepAudit);
      const after = statSync(path).size;
      expect(after).toBeLessThan(bound);
      expect(after).toBeLessThan(sizeBefore / 2);
      // The file was made before incremental vacuum: one full VACUUM turned it on.
      expect(report.compact.isFullVacuum).toBe(true);

      // A month of history and of charts, from what is left.
      const monthFrom = now - 30 * DAY_MS;
      const history = store.plays.list({ from: monthFrom, to: now, limit: 50 });
      expect(history.total).toBe(ids(path, 'SELECT id FROM plays WHERE started_at >= ? AND started_at < ?', monthFrom, now).length);
      expect(history.items).toHaveLength(50);
      const moods = store.stats.moodLog(monthFrom, now);
      expect(moods.length).toBe(keepMoods.length - ids(path, 'SELECT id FROM mood_log WHERE at < ?', monthFrom).length);
      expect(store.stats.topTracks(monthFrom, now, 10)).toHaveLength(10);
      const db = new Database(path, { readonly: true });
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    } finally {
      store.close();
    }
  }, 120_000);

  it('removes plays and audit entries only beyond their windows, never a play still open', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 24, 3, 30));
    const { dir, path } = setUp(clock);
    const now = clock.now();
    simulateYear(path, now, { days: 40, moodEveryS: 600 });
    const db = new Database(path);
    db.prepare("INSERT INTO plays (track_id, reason, started_at) VALUES (1, 'mood', ?)").run(now - 39 * DAY_MS);
    // Guests' likes go with the plays of their time.
    for (const days of [30, 21, 19, 1]) db.prepare('INSERT INTO guest_likes (track_id, at) VALUES (1, ?)').run(now - days * DAY_MS);
    db.close();
    const settings = { ...DEFAULTS, playsDays: 20, auditDays: 10 };
    const keepPlays = ids(path, 'SELECT id FROM plays WHERE started_at >= ? OR ended_at IS NULL ORDER BY id', now - 20 * DAY_MS);
    const keepAudit = ids(path, 'SELECT id FROM audit_log WHERE at >= ? ORDER BY id', now - 10 * DAY_MS);
    const store = openSqliteStore({ clock, log: silent }, { path });
    try {
      const report = await new RetentionService(
        { clock, log: silent, store, settings: () => settings },
        { coversDir: join(dir, 'covers') },
      ).run();
      expect(report.removed.plays).toBeGreaterThan(0);
      expect(ids(path, 'SELECT id FROM plays ORDER BY id')).toEqual(keepPlays);
      expect(ids(path, 'SELECT id FROM audit_log ORDER BY id')).toEqual(keepAudit);
      expect(ids(path, 'SELECT at AS id FROM guest_likes ORDER BY at')).toEqual([now - 19 * DAY_MS, now - DAY_MS]);
      // The second night has nothing left to remove, and the file is set for incremental vacuum.
      const again = await new RetentionService(
        { clock, log: silent, store, settings: () => settings },
        { coversDir: join(dir, 'covers') },
      ).run();
      expect(again.removed).toEqual({ mood_log: 0, plays: 0, audit_log: 0 });
      expect(again.compact.isFullVacuum).toBe(false);
    } finally {
      store.close();
    }
  });

  it('keeps the covers within their cap, removing those of the least recently played tracks first', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 24, 3, 30));
    const { dir, path } = setUp(clock);
    const covers = join(dir, 'covers');
    mkdirSync(covers);
    const store = openSqliteStore({ clock, log: silent }, { path });
    try {
      const mib = Buffer.alloc(1024 * 1024, 1);
      const names = ['a.jpg', 'b.jpg', 'c.jpg'];
      for (const name of [...names, 'orphan.jpg']) writeFileSync(join(covers, name), mib);
      writeFileSync(join(covers, 'folder-covers.json'), '{}');
      const tracks = names.map((cover, i) => store.tracks.upsert({ uri: `/m/${i}.mp3`, cover }));
      // b played long ago, c yesterday, a an hour ago.
      for (const [track, ago] of [
        [tracks[1], 30 * DAY_MS],
        [tracks[2], DAY_MS],
        [tracks[0], 3_600_000],
      ] as const) {
        const play = store.plays.start({ trackId: track?.id ?? 0, reason: 'mood', startedAt: clock.now() - ago });
        store.plays.finish(play.id, 'completed', clock.now() - ago + 1000);
      }
      const report = await new RetentionService(
        { clock, log: silent, store, settings: () => ({ ...DEFAULTS, coversMiB: 2 }) },
        { coversDir: covers },
      ).run();
      expect(report.coversRemoved).toBe(2);
      expect(readdirSync(covers).sort()).toEqual(['a.jpg', 'c.jpg', 'folder-covers.json']);
      expect(store.tracks.get(tracks[1]?.id ?? 0)?.cover).toBeNull();
      expect(store.tracks.get(tracks[0]?.id ?? 0)?.cover).toBe('a.jpg');
    } finally {
      store.close();
    }
  });

  it('runs every night half an hour after the backup, by the injected clock', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 24, 12, 0));
    const { dir, path } = setUp(clock);
    const store = openSqliteStore({ clock, log: silent }, { path });
    const runs: string[] = [];
    // A run reads the settings as it begins.
    const settings = (): Config['retention'] => {
      runs.push(new Date(clock.now()).toTimeString().slice(0, 5));
      return DEFAULTS;
    };
    const service = new RetentionService({ clock, log: silent, store, settings }, { coversDir: join(dir, 'covers') });
    try {
      await service.start();
      clock.advance(2 * DAY_MS);
      await service.stop();
      expect(runs).toEqual(['03:30', '03:30']);
    } finally {
      store.close();
    }
  });
});
