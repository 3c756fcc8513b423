import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, open, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../daemon/store/sqlite-store.js';
import { systemClock } from '../../kernel/clock.js';
import { makeImage, makeTone } from '../testing/tones.js';
import { coverType, CoverRefused, MAX_COVER_BYTES, readCoverFile } from './cover-files.js';
import { MusicMetadataTagReader } from './music-metadata-tag-reader.js';
import { LibraryScanner } from './scanner.js';

// A music folder is whatever someone copied onto a USB stick or a share: these are its files.

const roots: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  await Promise.all(roots.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempRoot(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'moodbox-hostile-covers-'));
  roots.push(dir);
  return dir;
}

/** The box's own store on a database file in `root`, outside the music folder, as on a box. */
function sqliteStore(root: string): SqliteStore {
  const store = openSqliteStore({ clock: systemClock, log: { info() {}, warn() {} } }, { path: join(root, 'db', 'moodbox.db') });
  stores.push(store);
  return store;
}

function warnings(): {
  lines: Array<{ file?: string; error?: string; msg: string }>;
  log: { info: () => void; warn: (o: object, msg: string) => void };
} {
  const lines: Array<{ file?: string; error?: string; msg: string }> = [];
  return { lines, log: { info: () => undefined, warn: (o, msg) => lines.push({ ...o, msg }) } };
}

/** Every file in the covers folder and its bytes. */
function coversHeld(coversDir: string): Map<string, Buffer> {
  let names: string[] = [];
  try {
    names = readdirSync(coversDir);
  } catch {
    return new Map();
  }
  return new Map(names.filter((n) => n !== 'folder-covers.json').map((n) => [n, readFileSync(join(coversDir, n))]));
}

describe('folder covers from an untrusted music folder', () => {
  it('never follows a link named cover.png out of the folder: the database beside it is not copied', async () => {
    const root = await tempRoot();
    const music = join(root, 'music');
    const coversDir = join(root, 'data', 'covers');
    // The box's own database, and a real image, both outside the music folder.
    const database = join(root, 'data-moodbox.db');
    await writeFile(database, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(8192, 1)]), { mode: 0o600 });
    const outsideImage = await makeImage(root, 'elsewhere/picture.png', 'red');
    await makeTone(music, { file: 'Album/a.flac' });
    await makeTone(music, { file: 'Other/b.flac' });
    await symlink(database, join(music, 'Album', 'cover.png'));
    await symlink(outsideImage, join(music, 'Other', 'folder.png'));

    const store = sqliteStore(root);
    const report = await new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock: systemClock }, { coversDir }).scan(music);

    expect(report).toMatchObject({ files: 2, added: 2, failed: [] });
    expect(store.tracks.byUri(join(music, 'Album/a.flac'))?.cover).toBeNull();
    expect(store.tracks.byUri(join(music, 'Other/b.flac'))?.cover).toBeNull();
    const held = coversHeld(coversDir);
    expect([...held.values()].some((bytes) => bytes.includes(Buffer.from('SQLite format 3')))).toBe(false);
    expect(held.size).toBe(0);
  });

  it('refuses a cover over the size limit without reading it, and a cover that is no image by its bytes', async () => {
    const root = await tempRoot();
    const music = join(root, 'music');
    const coversDir = join(root, 'covers');
    await makeTone(music, { file: 'Huge/a.flac' });
    await makeTone(music, { file: 'Fake/b.flac' });
    await makeTone(music, { file: 'Fine/c.flac' });
    // 1.5 GB that begins as a JPEG: sparse, so the test costs no disk.
    const huge = join(music, 'Huge', 'cover.jpg');
    await writeFile(huge, Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    const handle = await open(huge, 'r+');
    await handle.truncate(1500 * 1024 * 1024);
    await handle.close();
    await writeFile(join(music, 'Fake', 'cover.png'), '#!/bin/sh\necho not a picture\n');
    await makeImage(music, 'Fine/cover.png', 'green');

    const { lines, log } = warnings();
    const store = sqliteStore(root);
    const rssBefore = process.memoryUsage().rss;
    const report = await new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock: systemClock, log }, { coversDir }).scan(
      music,
    );
    const grewMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;

    expect(report).toMatchObject({ files: 3, added: 3, failed: [], coversWritten: 1 });
    expect(store.tracks.byUri(join(music, 'Huge/a.flac'))?.cover).toBeNull();
    expect(store.tracks.byUri(join(music, 'Fake/b.flac'))?.cover).toBeNull();
    expect(store.tracks.byUri(join(music, 'Fine/c.flac'))?.cover).toMatch(/^[0-9a-f]{64}\.png$/);
    // Far less than the 1.5 GB a read of the file would take.
    expect(grewMiB).toBeLessThan(200);
    const held = coversHeld(coversDir);
    expect(held.size).toBe(1);
    expect([...held.values()].every((bytes) => bytes.length < 10_000)).toBe(true);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'folder cover not used', file: huge, error: expect.stringContaining('over the') }),
        expect.objectContaining({ msg: 'folder cover not used', error: expect.stringContaining('not a JPEG, PNG, WebP or GIF') }),
      ]),
    );
  });

  it('writes covers readable by the box and its group only, and skips a FIFO named cover.jpg without hanging', async () => {
    const root = await tempRoot();
    const music = join(root, 'music');
    const coversDir = join(root, 'covers');
    await makeTone(music, { file: 'Own/a.flac', cover: 'red' });
    await makeTone(music, { file: 'Pipe/b.flac' });
    execFileSync('mkfifo', [join(music, 'Pipe', 'cover.jpg')]);

    const store = sqliteStore(root);
    const report = await new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock: systemClock }, { coversDir }).scan(music);

    expect(report).toMatchObject({ files: 2, added: 2, failed: [], coversWritten: 1 });
    expect(store.tracks.byUri(join(music, 'Pipe/b.flac'))?.cover).toBeNull();
    const cover = store.tracks.byUri(join(music, 'Own/a.flac'))?.cover ?? '';
    expect(statSync(join(coversDir, cover)).mode & 0o777).toBe(0o640);
  });

  it('skips an audio file that is a link out of the folder', async () => {
    const root = await tempRoot();
    const music = join(root, 'music');
    const outside = await makeTone(root, { file: 'private/secret.flac', tags: { title: 'Private' } });
    await makeTone(music, { file: 'a.flac' });
    await symlink(outside, join(music, 'b.flac'));

    const store = sqliteStore(root);
    const report = await new LibraryScanner(
      { store, tags: new MusicMetadataTagReader(), clock: systemClock },
      { coversDir: join(root, 'c') },
    ).scan(music);

    expect(report).toMatchObject({ files: 1, added: 1 });
    expect(store.tracks.byUri(join(music, 'b.flac'))).toBeUndefined();
  });
});

describe('readCoverFile', () => {
  it('reads an image within the limit and names its type from its bytes, whatever the file is called', async () => {
    const root = await tempRoot();
    const png = await makeImage(root, 'x.png', 'blue');
    const jpg = await makeImage(root, 'y.jpg', 'blue');
    await writeFile(join(root, 'png-named.jpg'), readFileSync(png));
    expect((await readCoverFile(png)).type).toBe('png');
    expect((await readCoverFile(jpg)).type).toBe('jpg');
    expect((await readCoverFile(join(root, 'png-named.jpg'))).type).toBe('png');
    await expect(readCoverFile(png, 10)).rejects.toThrow(CoverRefused);
    expect(MAX_COVER_BYTES).toBe(10 * 1024 * 1024);
  });

  it('knows the four cover formats by their magic bytes and nothing else', () => {
    expect(coverType(Buffer.from('ffd8ffe000104a464946', 'hex'))).toBe('jpg');
    expect(coverType(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('png');
    expect(coverType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(coverType(Buffer.from('GIF89a\x01\x00', 'latin1'))).toBe('gif');
    expect(coverType(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull();
    expect(coverType(Buffer.from('SQLite format 3\0', 'latin1'))).toBeNull();
    expect(coverType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(coverType(new Uint8Array(0))).toBeNull();
  });
});
