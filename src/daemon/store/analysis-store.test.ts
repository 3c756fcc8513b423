import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredAnalysis } from '../../player/library/library.js';
import { FakeClock } from '../testing/fake-clock.js';
import { loadMigrations, openSqliteStore } from './sqlite-store.js';

const silent = { info() {}, warn() {} };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-analyses-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const heard = (trackId: number, over: Partial<StoredAnalysis> = {}): StoredAnalysis => ({
  trackId,
  fileSize: 1000,
  fileMtimeMs: 5000,
  version: 1,
  analysedAt: 9,
  audio: { arousal: 0.5, valence: -0.25, tempoBpm: 128, loudnessLufs: -14, features: { durationS: 200, pulseClarity: 0.7 } },
  error: null,
  ...over,
});

describe('migration 007 (audio analysis)', () => {
  it('keeps every mood of a database made before it, and then takes moods of origin audio', () => {
    const path = join(dir, 'moodbox.db');
    const before = loadMigrations().filter((m) => m.version < 7);
    openSqliteStore({ clock: new FakeClock(), log: silent }, { path, migrations: before }).close();
    // Rows as that version wrote them (today's tracks have columns it had not).
    const raw = new Database(path);
    raw.exec(
      `INSERT INTO tracks (id, uri, title, added_at, updated_at) VALUES (1, '/music/a.flac', 'A', 1, 1), (2, '/music/b.flac', 'B', 1, 1)`,
    );
    raw.close();
    const old = openSqliteStore({ clock: new FakeClock(), log: silent }, { path, migrations: before });
    const [a, b] = [{ id: 1 }, { id: 2 }];
    old.tracks.setMoods(a.id, [
      { mood: 'calm', weight: 0.8, origin: 'admin' },
      { mood: 'mellow', weight: 0.3, origin: 'admin' },
    ]);
    old.tracks.setMoods(b.id, [{ mood: 'power', weight: 0.5, origin: 'rule' }]);
    expect(() => old.tracks.setMoods(b.id, [{ mood: 'calm', weight: 0.5, origin: 'audio' }])).toThrow(/CHECK constraint/);
    old.close();

    const store = openSqliteStore({ clock: new FakeClock(), log: silent }, { path });
    expect(store.schemaVersion()).toBeGreaterThanOrEqual(7);
    expect(store.tracks.moods(a.id)).toEqual([
      { mood: 'calm', weight: 0.8, origin: 'admin' },
      { mood: 'mellow', weight: 0.3, origin: 'admin' },
    ]);
    expect(store.tracks.list({ mood: 'power' }).items.map((t) => t.id)).toEqual([b.id]);
    store.tracks.setMoods(b.id, [{ mood: 'energetic', weight: 0.9, origin: 'audio' }]);
    expect(store.tracks.moods(b.id)).toEqual([{ mood: 'energetic', weight: 0.9, origin: 'audio' }]);
    // Still refused: what was refused before.
    expect(() => store.tracks.setMoods(b.id, [{ mood: 'calm', weight: 2, origin: 'audio' }])).toThrow(/CHECK constraint/);
    // The mood index came back with the table.
    expect(store.tracks.list({ mood: 'energetic' }).total).toBe(1);
    store.close();
  });
});

describe('analyses', () => {
  it('stores the point, the features or the failure, and lists as pending only what is not done in this file and analysis version', () => {
    const store = openSqliteStore({ clock: new FakeClock(), log: silent }, { path: ':memory:' });
    const a = store.tracks.upsert({ uri: '/music/a.flac', fileSize: 1000, fileMtimeMs: 5000 });
    const b = store.tracks.upsert({ uri: '/music/b.flac', fileSize: 10, fileMtimeMs: 5000 });
    const gone = store.tracks.upsert({ uri: '/music/gone.flac', fileSize: 10, fileMtimeMs: 5000 });
    store.tracks.markMissing([gone.id]);
    expect(store.analyses.pending(1).map((p) => p.id)).toEqual([a.id, b.id]);

    store.analyses.save(heard(a.id));
    store.analyses.save(heard(b.id, { fileSize: 10, audio: null, error: { reason: 'undecodable', message: 'Invalid data found' } }));
    expect(store.analyses.get(a.id)).toEqual(heard(a.id));
    expect(store.analyses.get(b.id)?.error).toEqual({ reason: 'undecodable', message: 'Invalid data found' });
    expect(store.analyses.pending(1)).toEqual([]);
    expect(store.analyses.pending(2).map((p) => p.id)).toEqual([a.id, b.id]);
    expect(store.analyses.pending(1, { force: true }).map((p) => p.id)).toEqual([a.id, b.id]);

    // The file changed: its analysis is stale, and the recommender no longer gets a point from a failed one.
    store.tracks.upsert({ uri: '/music/a.flac', fileSize: 1000, fileMtimeMs: 6000 });
    expect(store.analyses.pending(1).map((p) => p.id)).toEqual([a.id]);
    const all = store.tracks.allWithMoods();
    expect(all.find((t) => t.id === a.id)?.audio).toEqual({ valence: -0.25, arousal: 0.5, loudnessLufs: -14 });
    expect(all.find((t) => t.id === b.id)?.audio).toBeNull();

    expect(() => store.analyses.save(heard(a.id, { audio: null }))).toThrow(/either `audio` or `error`, got neither/);
    store.close();
  });
});
