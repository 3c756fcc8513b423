import { appendFileSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFile } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTone } from '../testing/tones.js';
import { MusicMetadataTagReader } from './music-metadata-tag-reader.js';
import { lastOggPage, oggLengthSeconds, oggPageAt } from './ogg-length.js';

const DEMO_LIBRARY = join(import.meta.dirname, '../../../demo/library');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-ogg-length-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The length a full read of every page gives (music-metadata's own, with `duration`). */
async function fullReadSeconds(path: string): Promise<number | undefined> {
  return (await parseFile(path, { duration: true })).format.duration;
}

describe('oggLengthSeconds', () => {
  it('gives the length a read of every page gives, for Vorbis and Opus (its pre-skip taken off), covers and tags before the audio', async () => {
    const files = [
      await makeTone(dir, { file: 'short.ogg', seconds: 1.3 }),
      await makeTone(dir, { file: 'tagged.ogg', seconds: 7, hz: 220, tags: { title: 'A long title', artist: 'Someone' } }),
      await makeTone(dir, { file: 'cover.ogg', seconds: 3, noiseCoverPx: 200 }),
      await makeTone(dir, { file: 'voice.opus', seconds: 2.5 }),
    ];
    for (const path of files) {
      const full = await fullReadSeconds(path);
      expect(full, path).toBeGreaterThan(1);
      expect(await oggLengthSeconds(path), path).toBe(full);
    }
    // The demo's songs: real Vorbis files with their covers.
    for (const name of readdirSync(DEMO_LIBRARY)
      .filter((f) => f.endsWith('.ogg'))
      .slice(0, 4)) {
      const path = join(DEMO_LIBRARY, name);
      expect(await oggLengthSeconds(path), name).toBe(await fullReadSeconds(path));
    }
  });

  it('gives no length where the end is not the stream’s last page: bytes after it, a cut file, a damaged page', async () => {
    const whole = await makeTone(dir, { file: 'whole.ogg', seconds: 3 });
    const bytes = readFileSync(whole);

    const padded = join(dir, 'padded.ogg');
    writeFileSync(padded, bytes);
    appendFileSync(padded, Buffer.from('TAG'.padEnd(128, '\0')));
    expect(await oggLengthSeconds(padded)).toBeUndefined();

    const cut = join(dir, 'cut.ogg');
    writeFileSync(cut, bytes);
    truncateSync(cut, bytes.length - 100);
    expect(await oggLengthSeconds(cut)).toBeUndefined();

    const damaged = join(dir, 'damaged.ogg');
    const copy = Buffer.from(bytes);
    copy[copy.length - 10] = (copy[copy.length - 10] ?? 0) ^ 0xff;
    writeFileSync(damaged, copy);
    expect(await oggLengthSeconds(damaged)).toBeUndefined();

    // An Ogg FLAC file: not a codec it knows the rate of from the first page.
    const flac = await makeTone(dir, { file: 'flac.oga', seconds: 1 });
    expect(await oggLengthSeconds(flac)).toBeUndefined();
  });

  it('finds no page in bytes that only look like one', () => {
    const noise = Buffer.alloc(4096);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    noise.write('OggS\0', 1000, 'latin1');
    expect(lastOggPage(noise)).toBeUndefined();
    expect(oggPageAt(noise, 1000)).toBeUndefined();
    expect(oggPageAt(noise, noise.length - 5)).toBeUndefined();
  });
});

describe('MusicMetadataTagReader on Ogg files', () => {
  it('reads the same length from the last page as from every page, and falls back to every page where the end is damaged', async () => {
    const reader = new MusicMetadataTagReader();
    const song = await makeTone(dir, { file: 'song.ogg', seconds: 4, tags: { title: 'Song' } });
    const tags = await reader.read(song);
    expect(tags.title).toBe('Song');
    expect(tags.durationMs).toBe(Math.round(((await fullReadSeconds(song)) ?? 0) * 1000));

    const bytes = readFileSync(song);
    const cut = join(dir, 'song-cut.ogg');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 200));
    const cutTags = await reader.read(cut);
    expect(cutTags.title).toBe('Song');
    expect(cutTags.durationMs).toBe(Math.round(((await fullReadSeconds(cut)) ?? 0) * 1000));
    expect(cutTags.durationMs).toBeGreaterThan(3000);
  });
});
