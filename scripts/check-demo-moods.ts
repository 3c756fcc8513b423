/**
 * A sanity check, not the evaluation: the generated demo library (scripts/make-demo-music.ts,
 * 24 pieces, 4 per mood) analysed by the product, against the mood the generator meant for each
 * piece (moods.csv). Prints each piece's arousal, valence and audio moods, the mean per intended
 * mood, and how often the intended mood comes first or among the audio moods.
 *
 * Run: node --import tsx scripts/check-demo-moods.ts [demo/library]
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { analyzeAudioFile, moodsFromPlane } from '../src/player/analysis/analyze-audio.js';
import { DEFAULT_MOOD_COORDINATES, DEFAULT_MOODS } from '../src/player/moods.js';
import { spearman } from './music-mood-ridge.js';

const dir = resolve(process.argv[2] ?? 'demo/library');
const rows = (await readFile(join(dir, 'moods.csv'), 'utf8')).trim().split('\n').slice(1);
const pieces = rows.map((row) => {
  const [file = '', moods = ''] = row.split(',');
  return { file, intended: moods.split(';')[0]!.split(':')[0]! };
});
interface Heard {
  file: string;
  intended: string;
  arousal: number;
  valence: number;
  moods: { mood: string; weight: number }[];
}
const results: Heard[] = [];
for (const piece of pieces) {
  const a = await analyzeAudioFile(join(dir, piece.file));
  const moods = moodsFromPlane(a);
  results.push({ ...piece, arousal: a.arousal, valence: a.valence, moods });
}
for (const r of results) {
  process.stdout.write(
    `${r.file.padEnd(30)} ${r.intended.padEnd(10)} arousal ${r.arousal.toFixed(2).padStart(5)} valence ${r.valence.toFixed(2).padStart(5)}  ` +
      `${r.moods.map((m) => `${m.mood}:${m.weight.toFixed(2)}`).join(' ')}\n`,
  );
}
process.stdout.write('\nmean per intended mood (the plane position the generator aimed at):\n');
for (const mood of DEFAULT_MOODS) {
  const of = results.filter((r) => r.intended === mood);
  if (of.length === 0) continue;
  const mean = (pick: (r: Heard) => number): number => of.reduce((s, r) => s + pick(r), 0) / of.length;
  const at = DEFAULT_MOOD_COORDINATES[mood]!;
  process.stdout.write(
    `  ${mood.padEnd(10)} arousal ${mean((r) => r.arousal).toFixed(2)} (aim ${at.arousal}), valence ${mean((r) => r.valence).toFixed(2)} (aim ${at.valence})\n`,
  );
}
const first = results.filter((r) => r.moods[0]?.mood === r.intended).length;
const among = results.filter((r) => r.moods.some((m) => m.mood === r.intended)).length;
const aimedArousal = results.map((r) => DEFAULT_MOOD_COORDINATES[r.intended]!.arousal);
const aimedValence = results.map((r) => DEFAULT_MOOD_COORDINATES[r.intended]!.valence);
process.stdout.write(
  `\nintended mood first: ${first}/${results.length}; among the audio moods: ${among}/${results.length}\n` +
    `Spearman with the intended position: arousal ${spearman(
      aimedArousal,
      results.map((r) => r.arousal),
    ).toFixed(2)}, valence ${spearman(
      aimedValence,
      results.map((r) => r.valence),
    ).toFixed(2)}\n`,
);
