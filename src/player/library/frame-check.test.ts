import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { makeTone } from '../testing/tones.js';
import { frameLength, hasFrameChain, id3v2Length } from './frame-check.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-frames-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('MPEG/ADTS frame check', () => {
  it('accepts real MP3 and AAC streams, tagged or not', async () => {
    const files = await Promise.all([
      makeTone(dir, { file: 'tagged.mp3', tags: { title: 'T', artist: 'A' }, cover: 'red' }),
      makeTone(dir, { file: 'plain.mp3' }),
      makeTone(dir, { file: 'plain.aac' }),
    ]);
    for (const file of files) expect(hasFrameChain(readFileSync(file).subarray(0, 64 * 1024))).toBe(true);
  });

  it('rejects random bytes, which tag readers often take for a stream', () => {
    const random = seededRandom(5);
    for (let k = 0; k < 200; k++) {
      const bytes = Uint8Array.from({ length: 8000 }, () => random.int(256));
      expect(hasFrameChain(bytes)).toBe(false);
    }
  });

  it('reads frame lengths and the ID3v2 tag size', () => {
    // MPEG 1 layer III, 128 kbit/s, 44.1 kHz, no padding: 417 bytes.
    expect(frameLength(Uint8Array.from([0xff, 0xfb, 0x90, 0x00, 0, 0, 0]), 0)).toBe(417);
    expect(frameLength(Uint8Array.from([0xff, 0xfb, 0xf0, 0x00, 0, 0, 0]), 0)).toBe(0);
    expect(id3v2Length(Uint8Array.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 1, 0]))).toBe(10 + 128);
  });
});
