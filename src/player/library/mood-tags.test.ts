import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../daemon/store/sqlite-store.js';
import { systemClock } from '../../kernel/clock.js';
import { applySuggestedMoods, parseMoods, parseSidecar, setAdminMoods, suggestMoods } from './mood-tags.js';

const opened: Array<{ store: SqliteStore; folder: string }> = [];
afterEach(() => {
  for (const { store, folder } of opened.splice(0)) {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  }
});

/** The box's own store on a fresh database file, closed and removed after the test. */
function sqliteStore(): SqliteStore {
  const folder = mkdtempSync(join(tmpdir(), 'moodbox-mood-tags-'));
  const store = openSqliteStore({ clock: systemClock, log: { info() {}, warn() {} } }, { path: join(folder, 'moodbox.db') });
  opened.push({ store, folder });
  return store;
}

describe('mood tags', () => {
  it('suggests moods from genre, tempo and a mood tag', () => {
    expect(suggestMoods({ genre: 'Classical' })).toEqual([{ mood: 'calm', weight: 0.8, origin: 'rule' }]);
    expect(suggestMoods({ genre: 'Deep House', bpm: 124 }).map((m) => m.mood)).toEqual(['energetic', 'upbeat']);
    expect(suggestMoods({ bpm: 70 })).toEqual([{ mood: 'calm', weight: 0.4, origin: 'rule' }]);
    expect(suggestMoods({ mood: 'Mellow', genre: 'unknown' })).toEqual([{ mood: 'mellow', weight: 0.6, origin: 'rule' }]);
    expect(suggestMoods({ genre: 'Spoken word' })).toEqual([]);
  });

  it("never lets a suggestion replace the admin's moods", () => {
    const store = sqliteStore();
    const track = store.tracks.upsert({ uri: '/m/a.flac' });
    setAdminMoods(store.tracks, track.id, { upbeat: 0.7 });
    expect(applySuggestedMoods(store.tracks, track.id, { genre: 'Ambient' })).toBe(false);
    expect(store.tracks.moods(track.id)).toEqual([{ mood: 'upbeat', weight: 0.7, origin: 'admin' }]);
  });

  it('refuses bad moods from the admin with what was wrong', () => {
    const store = sqliteStore();
    const track = store.tracks.upsert({ uri: '/m/a.flac' });
    expect(() => setAdminMoods(store.tracks, track.id, { calm: 1.5 })).toThrow(
      'Expected the weight of `calm` to be in (0, 1], got `1.5` (number)',
    );
    expect(() => setAdminMoods(store.tracks, track.id, { 'Very Calm!': 1 })).toThrow(/Expected a mood name/);
    expect(() => setAdminMoods(store.tracks, 999, ['calm'])).toThrow('Expected the id of a track in the library, got `999` (number)');
    expect(parseMoods(['Calm', 'upbeat'], 'admin')).toEqual([
      { mood: 'calm', weight: 1, origin: 'admin' },
      { mood: 'upbeat', weight: 1, origin: 'admin' },
    ]);
  });

  it('reads JSON sidecars by path or artist and title, and reports bad entries', () => {
    const { entries, invalid } = parseSidecar(
      JSON.stringify({
        tracks: [
          { path: 'a.flac', moods: { calm: 0.8 } },
          { artist: 'Ann', title: 'Song', moods: ['upbeat'] },
          { title: 'No artist', moods: ['calm'] },
          { path: 'b.flac', moods: { calm: 2 } },
        ],
      }),
      'json',
    );
    expect(entries).toEqual([
      { line: 1, path: 'a.flac', moods: [{ mood: 'calm', weight: 0.8, origin: 'sidecar' }] },
      { line: 2, artist: 'Ann', title: 'Song', moods: [{ mood: 'upbeat', weight: 1, origin: 'sidecar' }] },
    ]);
    expect(invalid.map((i) => i.line)).toEqual([3, 4]);
  });

  it('reads CSV with quoted fields', () => {
    const { entries } = parseSidecar('artist,title,moods\r\n"Simon, Paul","The ""Boxer""",mellow:0.6|calm:0.2\r\n\r\n', 'csv');
    expect(entries).toEqual([
      {
        line: 2,
        artist: 'Simon, Paul',
        title: 'The "Boxer"',
        moods: [
          { mood: 'mellow', weight: 0.6, origin: 'sidecar' },
          { mood: 'calm', weight: 0.2, origin: 'sidecar' },
        ],
      },
    ]);
    expect(() => parseSidecar('path,title\na,b\n', 'csv')).toThrow('Expected a CSV header with a `moods` column, got `path,title`');
  });
});
