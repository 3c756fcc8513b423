/**
 * Measures how well audio prints (src/player/analysis/audio-print.ts) tell copies of one recording
 * from other recordings, on real music: each piece of a folder is printed as the analysis prints it,
 * and so are three copies made with ffmpeg that a library really holds:
 *
 * - `mp3`: MP3 at 128 kbit/s;
 * - `quiet-trim`: 6 dB quieter, 0.8 s cut from the start, FLAC;
 * - `pad-96k`: 1.5 s of silence before it, MP3 at 96 kbit/s, 22 050 Hz.
 *
 * It prints, for copies and for every pair of different pieces, the band-profile and bit distances
 * (min, percentiles, max), and how many pairs each threshold would join.
 *
 * Run: node --import tsx scripts/measure-audio-print.ts [--dataset DIR] [--limit N]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { decodeAudioFile, printOf } from '../src/player/analysis/analyze-audio.js';
import { bandsDistance, printDistance, type AudioPrint } from '../src/player/analysis/audio-print.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: resolve(import.meta.dirname, '../../shared/datasets/emotify-dev/audio') },
    limit: { type: 'string', default: '200' },
  },
});
const COPIES: Record<string, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '128k', 'copy.mp3'],
  'quiet-trim': ['-ss', '0.8', '-af', 'volume=-6dB', 'copy.flac'],
  'pad-96k': ['-af', 'adelay=1500:all=1', '-ar', '22050', '-c:a', 'libmp3lame', '-b:a', '96k', 'copy.mp3'],
};

async function printFile(path: string): Promise<AudioPrint> {
  const print = printOf((await decodeAudioFile(path)).excerpts);
  if (print === null) throw new Error(`${path}: no print`);
  return print;
}

const files = (await readdir(values.dataset)).filter((f) => /\.(ogg|mp3|flac|wav)$/i.test(f)).sort();
const chosen = files.slice(0, Number(values.limit));
const work = await mkdtemp(join(tmpdir(), 'moodbox-prints-'));
const originals: AudioPrint[] = [];
const copies = new Map<string, { bands: number[]; bits: number[] }>(Object.keys(COPIES).map((k) => [k, { bands: [], bits: [] }]));
let printMs = 0;
try {
  for (const file of chosen) {
    const path = join(values.dataset, file);
    const started = performance.now();
    const original = await printFile(path);
    printMs += performance.now() - started;
    originals.push(original);
    for (const [name, args] of Object.entries(COPIES)) {
      const out = join(work, args.at(-1) as string);
      await run('ffmpeg', ['-v', 'error', '-y', '-i', path, ...args.slice(0, -1), out]);
      const copy = await printFile(out);
      copies.get(name)?.bands.push(bandsDistance(original, copy));
      copies.get(name)?.bits.push(printDistance(original, copy));
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
const others = { bands: [] as number[], bits: [] as number[] };
for (let i = 0; i < originals.length; i++)
  for (let j = i + 1; j < originals.length; j++) {
    others.bands.push(bandsDistance(originals[i]!, originals[j]!));
    others.bits.push(printDistance(originals[i]!, originals[j]!));
  }

const at = (sorted: number[], q: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN).toFixed(3);
const line = (name: string, list: number[]): string => {
  const s = [...list].sort((a, b) => a - b);
  return `| ${name} | ${s.length} | ${at(s, 0)} | ${at(s, 0.01)} | ${at(s, 0.5)} | ${at(s, 0.99)} | ${at(s, 1)} |`;
};
console.log(
  `${chosen.length} pieces from ${values.dataset}; printing one took ${(printMs / chosen.length).toFixed(0)} ms (decode included)\n`,
);
console.log('| pairs | n | min | 1% | median | 99% | max |\n| --- | --- | --- | --- | --- | --- | --- |');
for (const [name, d] of copies) console.log(line(`${name}: band profile`, d.bands));
console.log(line('different pieces: band profile', others.bands));
for (const [name, d] of copies) console.log(line(`${name}: bits`, d.bits));
console.log(line('different pieces: bits', others.bits));
