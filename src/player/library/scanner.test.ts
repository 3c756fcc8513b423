import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../kernel/clock.js';
import { openSqliteStore, type SqliteStore } from '../../daemon/store/sqlite-store.js';
import { makeCorruptFile, makeImage, makeTone } from '../testing/tones.js';
import { MusicMetadataTagReader } from './music-metadata-tag-reader.js';
import { LibraryScanner, type ScanProgress } from './scanner.js';

let dir: string;
let covers: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-scan-'));
  covers = join(dir, '.covers');
  await Promise.all([
    makeTone(dir, {
      file: 'Calm Artist/a.flac',
      hz: 440,
      tags: {
        title: 'Still Water',
        artist: 'Calm Artist',
        album: 'Lake',
        genre: 'Ambient',
        date: '2019',
        language: 'fra',
        REPLAYGAIN_TRACK_GAIN: '-3.50 dB',
      },
      cover: 'red',
    }),
    makeTone(dir, { file: 'loud/b.mp3', hz: 660, tags: { title: 'Iron', artist: 'Loud Band', genre: 'Heavy Metal', TBPM: '150' } }),
    makeTone(dir, { file: 'untagged.flac', hz: 880 }),
    makeCorruptFile(dir, 'broken.mp3'),
    writeFile(join(dir, 'notes.txt'), 'not music'),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const opened: Array<{ store: SqliteStore; folder: string }> = [];
afterEach(async () => {
  for (const { store, folder } of opened.splice(0)) {
    store.close();
    await rm(folder, { recursive: true, force: true });
  }
});

/** The box's own store on a fresh database file, closed and removed after the test. */
async function sqliteStore(): Promise<SqliteStore> {
  const folder = await mkdtemp(join(tmpdir(), 'moodbox-scan-db-'));
  const store = openSqliteStore({ clock: systemClock, log: { info() {}, warn() {} } }, { path: join(folder, 'moodbox.db') });
  opened.push({ store, folder });
  return store;
}

const scanner = (store: SqliteStore): LibraryScanner =>
  new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock: systemClock }, { coversDir: covers, batchSize: 2 });

describe('LibraryScanner', () => {
  it('reads title, artist, album, year, genre, language, duration and ReplayGain, and extracts covers by content hash', async () => {
    const store = await sqliteStore();
    const report = await scanner(store).scan(dir);
    expect(report).toMatchObject({ files: 4, added: 3, updated: 0, unchanged: 0, missing: 0, coversWritten: 1 });
    const a = store.tracks.byUri(join(dir, 'Calm Artist/a.flac'));
    expect(a).toMatchObject({
      title: 'Still Water',
      artist: 'Calm Artist',
      album: 'Lake',
      genre: 'Ambient',
      language: 'fra',
      durationMs: 1000,
      replayGainDb: -3.5,
    });
    expect(a?.cover).toMatch(/^[0-9a-f]{64}\.png$/);
    const png = readFileSync(join(covers, a?.cover ?? ''));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // Untagged files are named after the file, so they can still be found and played.
    expect(store.tracks.byUri(join(dir, 'untagged.flac'))?.title).toBe('untagged');
  });

  // Issue 80: tags come from untrusted files; an escape sequence in a title reached the terminal of
  // `moodbox library list`, and a 100,053-character title was stored whole.
  it('stores tags without control characters, in NFC, trimmed and capped in length', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'moodbox-scan-hostile-tags-'));
    try {
      const long = 'la '.repeat(33_351); // 100,053 characters
      await makeTone(folder, {
        file: 'hostile.flac',
        tags: {
          title: `  \u001b[2J\u001b]0;owned\u0007Cafe\u0301 \u00e0 la\u009b31m\u202e mode\n\tdeux  `,
          artist: `Ann\u0008\u007f Lee`,
          album: long,
          genre: `Ambient ${'x'.repeat(500)}`,
          language: `fra${'\u001b'.repeat(10)}${'y'.repeat(200)}`,
        },
      });
      const store = await sqliteStore();
      await scanner(store).scan(folder);
      const track = store.tracks.byUri(join(folder, 'hostile.flac'));
      // What is left is the text a person reads, composed (é as one character), and no control or direction override.
      expect(track?.title).toBe('[2J]0;ownedCafé à la31m mode deux');
      expect(track?.artist).toBe('Ann Lee');
      for (const text of [track?.title, track?.artist, track?.album, track?.genre, track?.language]) {
        expect(text).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
      }
      expect(track?.album).toBe(long.slice(0, 300).trim());
      expect([...(track?.genre ?? '')]).toHaveLength(100);
      expect(track?.genre.startsWith('Ambient x')).toBe(true);
      expect(track?.language.length).toBeLessThanOrEqual(32);
      expect(track?.language.startsWith('frayyy')).toBe(true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('skips a corrupt file and lists it, without stopping the scan', async () => {
    const store = await sqliteStore();
    const report = await scanner(store).scan(dir);
    expect(report.failed).toEqual([{ path: join(dir, 'broken.mp3'), error: expect.any(String) as string }]);
    expect(store.tracks.byUri(join(dir, 'broken.mp3'))).toBeUndefined();
    expect(store.tracks.present()).toHaveLength(3);
  });

  // Issue 38: .xm and other files of formats Moodbox does not play were skipped without a word.
  it('names each music file of a format it does not play, and passes other files over', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'moodbox-scan-formats-'));
    try {
      await makeTone(folder, { file: 'song.flac', hz: 440 });
      await mkdir(join(folder, 'old'));
      await Promise.all([
        writeFile(join(folder, 'tune.xm'), 'Extended Module: tune'),
        writeFile(join(folder, 'old/melody.MID'), 'MThd'),
        writeFile(join(folder, 'notes.txt'), 'not music'),
        writeFile(join(folder, 'booklet.pdf'), '%PDF'),
      ]);
      const store = await sqliteStore();
      const report = await scanner(store).scan(folder);
      expect(report.files).toBe(1);
      expect(report.added).toBe(1);
      expect(report.failed).toEqual([
        {
          path: join(folder, 'old/melody.MID'),
          error: 'not a format Moodbox plays (.mid, MIDI): convert it to FLAC, Ogg or MP3 to hear it',
        },
        {
          path: join(folder, 'tune.xm'),
          error: 'not a format Moodbox plays (.xm, a tracker module): convert it to FLAC, Ogg or MP3 to hear it',
        },
      ]);
      expect(store.tracks.present()).toHaveLength(1);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('writes tracks in path order, so the same folder always gets the same ids', async () => {
    const store = await sqliteStore();
    await scanner(store).scan(dir);
    expect(store.tracks.present().map((t) => t.uri)).toEqual([
      join(dir, 'Calm Artist/a.flac'),
      join(dir, 'loud/b.mp3'),
      join(dir, 'untagged.flac'),
    ]);
    expect(store.tracks.present().map((t) => t.id)).toEqual([1, 2, 3]);
  });

  it('reports progress as files done out of the total', async () => {
    const progress: ScanProgress[] = [];
    await scanner(await sqliteStore()).scan(dir, { onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => [p.done, p.total])).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });

  it('suggests moods from genre and tempo for untagged tracks', async () => {
    const store = await sqliteStore();
    await scanner(store).scan(dir);
    const a = store.tracks.byUri(join(dir, 'Calm Artist/a.flac'));
    const b = store.tracks.byUri(join(dir, 'loud/b.mp3'));
    expect(store.tracks.moods(a?.id ?? 0)).toEqual([{ mood: 'calm', weight: 0.8, origin: 'rule' }]);
    expect(store.tracks.moods(b?.id ?? 0).map((m) => m.mood)).toEqual(['power', 'energetic']);
  });

  it('rescans only what changed, and marks removed files missing', async () => {
    const work = await mkdtemp(join(tmpdir(), 'moodbox-rescan-'));
    try {
      const [one, two] = await Promise.all([
        makeTone(work, { file: 'one.flac', tags: { title: 'One' } }),
        makeTone(work, { file: 'two.flac', tags: { title: 'Two' } }),
      ]);
      const store = await sqliteStore();
      const scan = scanner(store);
      expect(await scan.scan(work)).toMatchObject({ added: 2, unchanged: 0 });
      expect(await scan.scan(work)).toMatchObject({ added: 0, updated: 0, unchanged: 2, missing: 0 });

      await makeTone(work, { file: 'one.flac', tags: { title: 'One (remastered)' } });
      await utimes(one, new Date(), new Date(Date.UTC(2030, 0, 1)));
      await rm(two);
      expect(await scan.scan(work)).toMatchObject({ added: 0, updated: 1, unchanged: 0, missing: 1 });
      expect(store.tracks.byUri(one)?.title).toBe('One (remastered)');
      expect(store.tracks.byUri(two)?.missing).toBe(true);

      // A file that comes back is no longer missing.
      await makeTone(work, { file: 'two.flac', tags: { title: 'Two' } });
      expect(await scan.scan(work)).toMatchObject({ added: 0, updated: 1, missing: 0 });
      expect(store.tracks.byUri(two)?.missing).toBe(false);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('keeps the moods heard in a file that comes back unchanged or whose folder cover changed, and drops them for a changed file', async () => {
    const work = await mkdtemp(join(tmpdir(), 'moodbox-heard-'));
    try {
      const [one, two] = await Promise.all([
        makeTone(work, { file: 'a/one.flac', tags: { title: 'One', genre: 'Ambient' } }),
        makeTone(work, { file: 'b/two.flac', tags: { title: 'Two', genre: 'Ambient' } }),
      ]);
      const store = await sqliteStore();
      const scan = scanner(store);
      await scan.scan(work);
      // What the analysis heard in both files, as it stores it.
      const heard = [{ mood: 'upbeat', weight: 0.9, origin: 'audio' as const }];
      const ids = [one, two].map((path) => store.tracks.byUri(path)?.id ?? 0);
      for (const id of ids) store.tracks.setMoods(id, heard);
      const moodsOf = (path: string) => store.tracks.moods(store.tracks.byUri(path)?.id ?? 0);

      // The same file gone and back (a drive unplugged, a restore that set it aside): still what was heard.
      const kept = join(work, 'one.flac.away');
      await rename(one, kept);
      expect(await scan.scan(work)).toMatchObject({ missing: 1 });
      await rename(kept, one);
      expect(await scan.scan(work)).toMatchObject({ updated: 1, missing: 0 });
      expect(moodsOf(one)).toEqual(heard);
      // A new cover image in the folder reads the file again: still what was heard.
      await makeImage(work, 'b/cover.png', 'blue');
      expect(await scan.scan(work)).toMatchObject({ updated: 1 });
      expect(moodsOf(two)).toEqual(heard);
      // A changed file is another recording until it is heard: the genre's guess stands meanwhile.
      await makeTone(work, { file: 'b/two.flac', hz: 880, tags: { title: 'Two', genre: 'Ambient' } });
      await utimes(two, new Date(), new Date(Date.UTC(2030, 0, 1)));
      expect(await scan.scan(work)).toMatchObject({ updated: 1 });
      expect(moodsOf(two)).toEqual([{ mood: 'calm', weight: 0.8, origin: 'rule' }]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('stops on a database write failure (unlike a bad file), keeping the batches written before and nothing of the one that failed', async () => {
    const work = await mkdtemp(join(tmpdir(), 'moodbox-write-failure-'));
    try {
      const songs = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => makeTone(work, { file: `${n}.flac`, tags: { title: `Song ${n}`, genre: 'Ambient' } })),
      );
      // The real store on a file, whose database refuses the fourth song's row as a full disk would.
      const path = join(work, 'moodbox.db');
      const store = openSqliteStore({ clock: systemClock, log: { info() {}, warn() {} } }, { path });
      const db = new Database(path);
      try {
        db.exec(
          `CREATE TRIGGER refuse_song_4 BEFORE INSERT ON tracks WHEN NEW.title = 'Song 4' BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
        );
        // One file at a time, two to a transaction: songs 1 and 2, then 3 and 4, then 5.
        const scan = new LibraryScanner(
          { store, tags: new MusicMetadataTagReader(), clock: systemClock },
          { coversDir: covers, batchSize: 2, concurrency: 1 },
        );
        await expect(scan.scan(work)).rejects.toThrow('disk full');
        // The first batch stays, with its moods; song 3 went back with the batch that failed; song 5 was never read.
        const kept = store.tracks.files();
        expect(kept.map((f) => f.uri)).toEqual(songs.slice(0, 2));
        for (const { id, uri } of kept) expect(store.tracks.moods(id), uri).toEqual([{ mood: 'calm', weight: 0.8, origin: 'rule' }]);
        expect(db.prepare('SELECT COUNT(*) AS n FROM track_moods').get()).toEqual({ n: 2 });
      } finally {
        db.close();
        store.close();
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('stops when aborted, keeping what it had read', async () => {
    const store = await sqliteStore();
    const controller = new AbortController();
    const scan = new LibraryScanner(
      { store, tags: new MusicMetadataTagReader(), clock: systemClock },
      { coversDir: covers, concurrency: 1 },
    );
    const scanning = scan.scan(dir, {
      signal: controller.signal,
      onProgress: ({ done }) => done === 1 && controller.abort(new Error('admin cancelled')),
    });
    await expect(scanning).rejects.toThrow('admin cancelled');
    expect(store.tracks.present()).toHaveLength(1);
  });

  it('says which folder it cannot read', async () => {
    await expect(scanner(await sqliteStore()).scan(join(dir, 'no-such-folder'))).rejects.toMatchObject({
      code: 'MB_ERR_LIBRARY_SCAN',
      message: `Expected a readable folder of music, got \`${join(dir, 'no-such-folder')}\` (ENOENT)`,
    });
  });

  it('imports a moods sidecar found at the top of the folder', async () => {
    const work = await mkdtemp(join(tmpdir(), 'moodbox-sidecar-'));
    try {
      await Promise.all([
        makeTone(work, { file: 'x.flac', tags: { title: 'X', artist: 'Ann' } }),
        makeTone(work, { file: 'y.flac', tags: { title: 'Y', artist: 'Bob' } }),
      ]);
      await writeFile(
        join(work, 'moods.csv'),
        'path,artist,title,moods\nx.flac,,,"calm:0.9;mellow:0.3"\n,bob,y,upbeat\n,Nobody,Nothing,calm\n',
      );
      const store = await sqliteStore();
      const report = await scanner(store).scan(work);
      expect(report.sidecar?.report).toEqual({ tagged: 2, keptAdmin: 0, unmatched: [{ line: 4, key: 'Nobody – Nothing' }], invalid: [] });
      const x = store.tracks.byUri(join(work, 'x.flac'));
      expect(store.tracks.moods(x?.id ?? 0)).toEqual([
        { mood: 'calm', weight: 0.9, origin: 'sidecar' },
        { mood: 'mellow', weight: 0.3, origin: 'sidecar' },
      ]);
      expect(existsSync(covers)).toBe(true);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('uses the folder’s cover, folder or front image (any case) for files with no embedded picture, and picks up a changed one on rescan', async () => {
    const root = await mkdtemp(join(tmpdir(), 'moodbox-folder-covers-'));
    const coversDir = join(root, '.covers');
    const scan = (store: SqliteStore) =>
      new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock: systemClock }, { coversDir }).scan(root);
    /** The cover name a file's bytes get: their sha256 and the extension of their type. */
    const nameOf = (path: string, ext: string): string => `${createHash('sha256').update(readFileSync(path)).digest('hex')}.${ext}`;
    try {
      await Promise.all([
        makeTone(root, { file: 'Lake/a.flac' }),
        makeTone(root, { file: 'Lake/b.ogg' }),
        makeImage(root, 'Lake/Cover.JPG', 'blue'),
        makeImage(root, 'Lake/folder.png', 'green'),
        makeImage(root, 'Lake/front.jpg', 'yellow'),
        makeTone(root, { file: 'Hills/c.flac' }),
        makeImage(root, 'Hills/FOLDER.jpeg', 'purple'),
        makeImage(root, 'Hills/front.png', 'white'),
        makeTone(root, { file: 'Sea/d.flac' }),
        makeImage(root, 'Sea/Front.PNG', 'orange'),
        // An embedded picture wins over the folder's.
        makeTone(root, { file: 'Own/e.flac', cover: 'red' }),
        makeImage(root, 'Own/cover.jpg', 'black'),
        makeTone(root, { file: 'Bare/f.flac' }),
        makeImage(root, 'Bare/back.jpg', 'gray'),
      ]);
      const store = await sqliteStore();
      const first = await scan(store);
      expect(first).toMatchObject({ files: 6, added: 6, failed: [] });
      const coverOf = (file: string): string | null | undefined => store.tracks.byUri(join(root, file))?.cover;
      const lake = nameOf(join(root, 'Lake/Cover.JPG'), 'jpg');
      expect(coverOf('Lake/a.flac')).toBe(lake);
      expect(coverOf('Lake/b.ogg')).toBe(lake);
      expect(coverOf('Hills/c.flac')).toBe(nameOf(join(root, 'Hills/FOLDER.jpeg'), 'jpg'));
      expect(coverOf('Sea/d.flac')).toBe(nameOf(join(root, 'Sea/Front.PNG'), 'png'));
      const own = coverOf('Own/e.flac');
      expect(own).not.toBe(nameOf(join(root, 'Own/cover.jpg'), 'jpg'));
      expect(own).toMatch(/^[0-9a-f]{64}\.png$/);
      expect(coverOf('Bare/f.flac')).toBeNull();
      // The covers are in the covers folder, byte for byte.
      expect(readFileSync(join(coversDir, lake))).toEqual(readFileSync(join(root, 'Lake/Cover.JPG')));

      // Nothing changed: nothing is read again.
      expect(await scan(store)).toMatchObject({ unchanged: 6, updated: 0 });

      // A new cover image in the folder: its tracks take it on the next rescan; the others stay as they were.
      await makeImage(root, 'Lake/Cover.JPG', 'cyan');
      await makeImage(root, 'Bare/cover.png', 'pink');
      const third = await scan(store);
      expect(third).toMatchObject({ updated: 3, unchanged: 3 });
      expect(coverOf('Lake/a.flac')).toBe(nameOf(join(root, 'Lake/Cover.JPG'), 'jpg'));
      expect(coverOf('Lake/a.flac')).not.toBe(lake);
      expect(coverOf('Bare/f.flac')).toBe(nameOf(join(root, 'Bare/cover.png'), 'png'));
      expect(coverOf('Own/e.flac')).toBe(own);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
