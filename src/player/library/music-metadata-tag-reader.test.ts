import { statSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTone } from '../testing/tones.js';
import { id3v2Length, MusicMetadataTagReader } from './music-metadata-tag-reader.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-tag-reader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('MusicMetadataTagReader on untrusted files', () => {
  it('refuses a 2 GB file of zeros named .mp3 from its first bytes, without scanning it all', async () => {
    const path = join(dir, 'zeros.mp3');
    const handle = await open(path, 'w');
    await handle.truncate(2 * 1024 ** 3);
    await handle.close();
    // Scanning 2 GB for frames took minutes: the test's own time limit catches a reader that does.
    await expect(new MusicMetadataTagReader().read(path)).rejects.toThrow(/no (MPEG|audio)/);
  });

  it('reads an MP3 whose embedded cover pushes the first audio frame far past the file start', async () => {
    const path = await makeTone(dir, { file: 'big-cover.mp3', seconds: 2, noiseCoverPx: 400, tags: { title: 'Big Cover' } });
    // The cover is a few hundred KB: the audio starts well past the first 64 KiB.
    expect(statSync(path).size).toBeGreaterThan(200_000);
    const tags = await new MusicMetadataTagReader().read(path);
    expect(tags.title).toBe('Big Cover');
    expect(tags.durationMs).toBeGreaterThan(1500);
    expect(tags.picture?.data.length).toBeGreaterThan(200_000);
  });

  it('stops at once when its caller aborts, with the caller’s reason', async () => {
    const path = await makeTone(dir, { file: 'plain.flac', seconds: 2 });
    const abort = new AbortController();
    const reading = new MusicMetadataTagReader().read(path, { signal: abort.signal });
    abort.abort(new Error('Moodbox is stopping'));
    await expect(reading).rejects.toThrow('Moodbox is stopping');
    // An already stopped caller reads nothing.
    await expect(new MusicMetadataTagReader().read(path, { signal: abort.signal })).rejects.toThrow('Moodbox is stopping');
  });

  it('refuses a FIFO named like a song instead of waiting on it', async () => {
    const path = join(dir, 'pipe.flac');
    execFileSync('mkfifo', [path]);
    await expect(new MusicMetadataTagReader().read(path)).rejects.toThrow();
  });
});

describe('MusicMetadataTagReader: content advisory', () => {
  it('reads explicit and clean from MP3 (ID3 TXXX), FLAC and Ogg (Vorbis) tags, and nothing where there is no tag', async () => {
    const reader = new MusicMetadataTagReader();
    const read = async (file: string, tags: Record<string, string>) =>
      (await reader.read(await makeTone(dir, { file, seconds: 1, tags }))).explicit;
    expect(await read('explicit.mp3', { ITUNESADVISORY: '1' })).toBe(true);
    expect(await read('clean.flac', { ITUNESADVISORY: '2' })).toBe(false);
    expect(await read('explicit.ogg', { EXPLICIT: 'yes' })).toBe(true);
    expect(await read('untagged.mp3', { title: 'Plain' })).toBeUndefined();
  });
});

describe('id3v2Length', () => {
  it('reads the tag size (syncsafe) and a footer, and finds none where there is no tag', () => {
    const header = (flags: number, size: number[]) => Uint8Array.from([0x49, 0x44, 0x33, 3, 0, flags, ...size]);
    expect(id3v2Length(header(0, [0, 0, 2, 1]))).toBe(10 + 257);
    expect(id3v2Length(header(0x10, [0, 0, 0, 5]))).toBe(10 + 5 + 10);
    expect(id3v2Length(header(0, [0, 0, 0x80, 0]))).toBe(0);
    expect(id3v2Length(Uint8Array.from([0xff, 0xfb, 0x90, 0, 0, 0, 0, 0, 0, 0]))).toBe(0);
  });
});

describe('MusicMetadataTagReader: language', () => {
  it('keeps a language a person could prefer, and none for a code that names no language (an instrumental: zxx)', async () => {
    const reader = new MusicMetadataTagReader();
    const read = async (file: string, language: string) =>
      (await reader.read(await makeTone(dir, { file, seconds: 1, tags: { language } }))).language;
    expect(await read('french.flac', 'fra')).toBe('fra');
    expect(await read('instrumental.flac', 'zxx')).toBeUndefined();
    expect(await read('undetermined.flac', 'UND')).toBeUndefined();
    expect(await read('several.flac', 'mul')).toBeUndefined();
  });
});
