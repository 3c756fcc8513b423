import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { MusicMetadataTagReader } from '../../player/library/music-metadata-tag-reader.js';
import { LibraryScanner } from '../../player/library/scanner.js';
import { DEFAULT_MOODS } from '../../player/moods.js';
import { Recommender } from '../../player/recommender.js';
import { TrackIndex } from '../../player/track-index.js';
import { makeCorruptFile, makeTone } from '../../player/testing/tones.js';
import { FakeClock } from '../testing/fake-clock.js';
import { openSqliteStore } from './sqlite-store.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-library-store-'));
  await Promise.all([
    makeTone(dir, { file: 'calm.flac', hz: 330, tags: { title: 'Calm One', artist: 'Ann', genre: 'Ambient' } }),
    makeTone(dir, { file: 'loud.flac', hz: 550, tags: { title: 'Loud One', artist: 'Bob', genre: 'Metal' } }),
    makeTone(dir, { file: 'tagged.flac', hz: 770, tags: { title: 'Tagged', artist: 'Cy' } }),
    makeCorruptFile(dir, 'junk.mp3'),
  ]);
  await writeFile(join(dir, 'moods.json'), JSON.stringify([{ artist: 'cy', title: 'tagged', moods: { upbeat: 0.9 } }]));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the library on the SQLite store', () => {
  it('scans the tone fixtures: every clip readable and tagged with moods, under 2 MB in all', async () => {
    const demo = join(import.meta.dirname, '..', '..', 'player', 'testing', 'fixtures', 'demo-tones');
    const store = openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: ':memory:' });
    const scanner = new LibraryScanner(
      { store, tags: new MusicMetadataTagReader(), clock: new FakeClock() },
      { coversDir: join(dir, 'demo-covers') },
    );
    const report = await scanner.scan(demo);
    expect(report.failed).toEqual([]);
    expect(report.files).toBeGreaterThanOrEqual(5);
    expect(report.sidecar?.report).toMatchObject({ tagged: report.files, unmatched: [], invalid: [] });
    const tracks = store.tracks.allWithMoods();
    expect(tracks.every((t) => t.moods.length > 0 && t.title !== '' && t.artist !== '')).toBe(true);
    // Every built-in mood has a track, so the default run can match any room mood.
    expect(new Set(tracks.map((t) => t.moods[0]?.mood))).toEqual(new Set(DEFAULT_MOODS));
    const bytes = (await Promise.all((await readdir(demo)).map(async (f) => (await stat(join(demo, f))).size))).reduce((a, b) => a + b, 0);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    store.close();
  });

  it('scans the demo library made at set-up: 24 pieces of a minute or more with tags and covers, four for each built-in mood', async () => {
    // scripts/setup.sh makes it with scripts/make-demo-music.ts when it is missing.
    const demo = join(import.meta.dirname, '..', '..', '..', 'demo', 'library');
    const store = openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: ':memory:' });
    const scanner = new LibraryScanner(
      { store, tags: new MusicMetadataTagReader(), clock: new FakeClock() },
      { coversDir: join(dir, 'music-covers') },
    );
    const report = await scanner.scan(demo);
    expect(report.failed).toEqual([]);
    expect(report.files).toBe(24);
    expect(report.sidecar?.report).toMatchObject({ tagged: 24, unmatched: [], invalid: [] });
    expect(report.coversWritten).toBe(24);
    const tracks = store.tracks.allWithMoods();
    for (const track of tracks) {
      expect(track).toMatchObject({
        title: expect.any(String) as string,
        artist: expect.any(String) as string,
        album: expect.any(String) as string,
      });
      expect(track.cover).toMatch(/\.png$/);
      expect(track.durationMs).toBeGreaterThanOrEqual(60_000);
    }
    for (const mood of DEFAULT_MOODS) expect(tracks.filter((t) => t.moods[0]?.mood === mood)).toHaveLength(4);
    store.close();
  });

  it('scans into the database, and the recommender picks from what was scanned', async () => {
    const store = openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: ':memory:' });
    const scanner = new LibraryScanner(
      { store, tags: new MusicMetadataTagReader(), clock: new FakeClock() },
      { coversDir: join(dir, 'covers') },
    );
    const report = await scanner.scan(dir);
    expect(report).toMatchObject({ files: 4, added: 3, failed: [{ path: join(dir, 'junk.mp3') }] });
    expect(report.sidecar?.report.tagged).toBe(1);
    expect(store.tracks.list({ mood: 'upbeat' }).items.map((t) => t.title)).toEqual(['Tagged']);

    const recommender = new Recommender(new TrackIndex(store.tracks.allWithMoods()));
    const pick = recommender.recommend({ mood: 'power', now: 0 }, seededRandom(1)).next;
    expect(store.tracks.get(pick?.trackId ?? 0)?.title).toBe('Loud One');

    await rm(join(dir, 'loud.flac'));
    expect((await scanner.scan(dir)).missing).toBe(1);
    expect(store.tracks.allWithMoods().map((t) => t.title)).toEqual(['Calm One', 'Tagged']);
    store.close();
  });
});
