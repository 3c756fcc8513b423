import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioFile, printOf } from './analyze-audio.js';
import { bandsDistance, decodePrint, encodePrint, printDistance, type AudioPrint } from './audio-print.js';

const run = promisify(execFile);
const DEMO = join(import.meta.dirname, '../../../demo/library');
/** Pieces of the demo library: one synthesizer and the same voices, so alike as two recordings get. */
const PIECES = ['lemon-fizz', 'paper-planes', 'paper-boats', 'still-water', 'slow-tide'];

let dir: string;
const prints = new Map<string, AudioPrint>();

async function printFile(path: string): Promise<AudioPrint> {
  const print = printOf((await decodeAudioFile(path)).excerpts);
  if (print === null) throw new Error(`no print of ${path}`);
  return print;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-prints-'));
  for (const piece of PIECES) prints.set(piece, await printFile(join(DEMO, `${piece}.ogg`)));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('audio prints', () => {
  it('match for copies of one recording: another codec and bit rate, quieter, padded and cut', async () => {
    const original = join(DEMO, 'lemon-fizz.ogg');
    const mp3 = join(dir, 'copy.mp3');
    // 0.9 s of silence before, 6 dB quieter, MP3 at 96 kbit/s and 22 050 Hz, the last second cut.
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      original,
      '-af',
      'adelay=900:all=1,volume=-6dB',
      '-t',
      '69',
      '-ar',
      '22050',
      '-b:a',
      '96k',
      mp3,
    ]);
    const copy = await printFile(mp3);
    const print = prints.get('lemon-fizz') as AudioPrint;
    expect(printDistance(print, copy)).toBeLessThan(0.2);
    expect(bandsDistance(print, copy)).toBeLessThan(0.15);
  });

  it('differ for every two different pieces, though one synthesizer plays them all', () => {
    for (const [i, a] of PIECES.entries())
      for (const b of PIECES.slice(i + 1)) {
        expect.soft(printDistance(prints.get(a) as AudioPrint, prints.get(b) as AudioPrint), `${a} and ${b}`).toBeGreaterThan(0.4);
      }
  });

  it('are stored and read back bit for bit, and a damaged one reads as none', () => {
    const print = prints.get('paper-planes') as AudioPrint;
    const bytes = encodePrint(print);
    expect(decodePrint(bytes)).toEqual(print);
    expect(decodePrint(bytes.subarray(0, 50))).toBeNull();
    expect(decodePrint(Buffer.concat([Buffer.from([9]), bytes.subarray(1)]))).toBeNull();
    expect(decodePrint(new Uint8Array(0))).toBeNull();
  });
});
