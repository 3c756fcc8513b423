/**
 * Measures candidate features for valence on the emotify dev set, the way the arousal table of
 * docs/music-analysis.md was made: each candidate is added to the shipped model's inputs and the
 * whole recipe (scripts/music-mood-fit.ts, crossValidateModel) is cross-validated, 5 repeats of
 * 5 folds, seeds 1–5, lambda chosen inside each training fold. Then candidates are added one at a
 * time, each step taking the one that raises the valence Spearman overall plus within genre most,
 * while arousal stays at 0.68 or above; it stops when none raises it. Prints a markdown table.
 *
 * The candidates (harmony.ts, roughness.ts, texture.ts) are measured on the same decoded excerpts
 * the product's features come from (the decoded cache of scripts/music-mood-data.ts).
 *
 * With --timing, prints instead the CPU time of each candidate measure on what the product decodes
 * of a 4-minute song (three 15 s excerpts) and on a whole 4-minute signal, beside the product's
 * own features.
 *
 * Run: node --import tsx scripts/measure-valence-features.ts [--dataset DIR] [--timing] [--no-greedy]
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extractFeatures } from '../src/player/analysis/features.js';
import { measureHarmony } from '../src/player/analysis/harmony.js';
import { loadMusicMoodModel } from '../src/player/analysis/model.js';
import { measureRoughness } from '../src/player/analysis/roughness.js';
import { measureTexture } from '../src/player/analysis/texture.js';
import { DEFAULT_DATASET, featuresOf, readPieces, type InputSpec, type Piece } from './music-mood-data.js';
import { crossValidateModel, summariseModel, type ModelRecipe } from './music-mood-fit.js';
import { spearman } from './music-mood-ridge.js';

const RATE = 11025;
const ANALYSIS_DIR = resolve(import.meta.dirname, '../src/player/analysis');
const CACHE_DIR = resolve(import.meta.dirname, '../.cache');
const CANDIDATE_FILES = ['harmony.ts', 'roughness.ts', 'texture.ts', 'fft.ts', 'tonality.ts'];

/** The candidate measures of one piece's excerpts. */
function measureCandidates(excerpts: readonly Float32Array[]): Record<string, number> {
  return { ...measureHarmony(excerpts, RATE), ...measureRoughness(excerpts, RATE), ...measureTexture(excerpts, RATE) };
}

interface Candidate {
  label: string;
  inputs: InputSpec[];
}

const id = (feature: string): InputSpec => ({ feature, transform: 'identity' });
const CANDIDATES: Candidate[] = [
  { label: 'harmonic change (chroma change between 0.74 s windows)', inputs: [id('harmonicChange')] },
  { label: 'roughness (Plomp–Levelt dissonance of spectral peaks), mean', inputs: [{ feature: 'roughness', transform: 'log' }] },
  {
    label: 'roughness, mean and deviation',
    inputs: [
      { feature: 'roughness', transform: 'log' },
      { feature: 'roughnessStd', transform: 'log' },
    ],
  },
  { label: 'local mode (3 s segments): mean major − minor, share minor', inputs: [id('localModeStrength'), id('minorShare')] },
  {
    label: 'local mode and local key clarity',
    inputs: [id('localModeStrength'), id('minorShare'), id('localKeyClarity')],
  },
  { label: 'voice band (300–3400 Hz): energy share, flatness', inputs: [id('voiceShare'), id('voiceFlatness')] },
  { label: 'spectral flatness over time: deviation of log flatness', inputs: [id('flatnessStd')] },
];

/** Shipped features whose correlation with valence is printed beside the candidates'. */
const SHIPPED_FOR_COMPARISON = ['modeStrength', 'keyClarity', 'chromaFlux', 'spectralFlatness'];

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: DEFAULT_DATASET },
    timing: { type: 'boolean', default: false },
    'no-greedy': { type: 'boolean', default: false },
  },
});

async function hashOf(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) hash.update(file).update(await readFile(join(ANALYSIS_DIR, file)));
  return hash.digest('hex').slice(0, 12);
}

/** A piece's decoded excerpts from the cache scripts/music-mood-data.ts writes (featuresOf fills it). */
async function decodedExcerpts(piece: Piece): Promise<Float32Array[]> {
  const dir = join(CACHE_DIR, `emotify-dev-pcm-${await hashOf(['analyze-audio.ts', 'decode.ts', 'quick-probe.ts'])}`);
  const meta = JSON.parse(await readFile(join(dir, `${piece.id}.json`), 'utf8')) as { lengths: number[] };
  const bytes = await readFile(join(dir, `${piece.id}.f32`));
  const samples = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  let offset = 0;
  return meta.lengths.map((n) => samples.slice(offset, (offset += n)));
}

async function candidatesOf(pieces: readonly Piece[]): Promise<Record<string, number>[]> {
  const file = join(CACHE_DIR, `emotify-dev-valence-candidates-${await hashOf(CANDIDATE_FILES)}.json`);
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as Record<string, Record<string, number>>;
    if (pieces.every((p) => cached[p.id] !== undefined)) return pieces.map((p) => cached[p.id]!);
  } catch {
    // not measured yet
  }
  const out: Record<string, number>[] = [];
  for (const [i, piece] of pieces.entries()) {
    out.push(measureCandidates(await decodedExcerpts(piece)));
    if ((i + 1) % 50 === 0) process.stderr.write(`measured ${i + 1}/${pieces.length}\n`);
  }
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(file, JSON.stringify(Object.fromEntries(pieces.map((p, i) => [p.id, out[i]]))));
  return out;
}

/** Milliseconds of CPU time (user + system) of `run`, the median of `times` runs. */
function cpuMs(run: () => unknown, times = 5): number {
  const all: number[] = [];
  for (let t = 0; t < times; t++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    all.push((used.user + used.system) / 1000);
  }
  return all.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

async function timing(pieces: readonly Piece[]): Promise<void> {
  // Real music: the dev pieces' excerpts end to end, cut to three 15 s excerpts and to 4 minutes.
  const parts: Float32Array[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (length >= 240 * RATE) break;
    for (const e of await decodedExcerpts(piece)) {
      parts.push(e);
      length += e.length;
    }
  }
  const whole = new Float32Array(240 * RATE);
  let offset = 0;
  for (const part of parts) {
    whole.set(part.subarray(0, Math.min(part.length, whole.length - offset)), offset);
    offset += part.length;
    if (offset >= whole.length) break;
  }
  const excerpts = [0, 1, 2].map((i) => whole.slice(i * 75 * RATE, (i * 75 + 15) * RATE));
  const rows: [string, (x: Float32Array[]) => unknown][] = [
    ["the product's features (extractFeatures), for reference", (x) => extractFeatures(x, RATE, 240)],
    ['harmonic change and local mode (measureHarmony)', (x) => measureHarmony(x, RATE)],
    ['roughness (measureRoughness)', (x) => measureRoughness(x, RATE)],
    ['voice band and flatness over time (measureTexture)', (x) => measureTexture(x, RATE)],
  ];
  for (const [, run] of rows) for (let i = 0; i < 3; i++) run(excerpts); // warm-up
  const lines = ['| Measure | CPU ms, three 15 s excerpts (a 4-minute song) | CPU ms, the whole 4 minutes |', '| --- | --- | --- |'];
  for (const [label, run] of rows)
    lines.push(`| ${label} | ${cpuMs(() => run(excerpts), 9).toFixed(1)} | ${cpuMs(() => run([whole]), 5).toFixed(1)} |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const pieces = await readPieces(values.dataset);
const features = await featuresOf(pieces, { log: (l) => process.stderr.write(`${l}\n`) });
if (values.timing) {
  await timing(pieces);
} else {
  const candidates = await candidatesOf(pieces);
  const merged = features.map((f, i) => ({ ...f, ...candidates[i] }));
  const model = loadMusicMoodModel();
  const shipped: InputSpec[] = model.inputs.map(({ feature, transform }) => ({ feature, transform }));
  const fallback = model.fallback?.inputs.map(({ feature, transform }) => ({ feature, transform })) ?? [];
  const run = (inputs: InputSpec[]) => {
    const recipe: ModelRecipe = { inputs, fallback: { inputs: fallback, whenOutside: Math.floor(inputs.length / 4) } };
    return summariseModel(crossValidateModel(pieces, merged, recipe));
  };
  const header = '| Inputs (valence) | Spearman, all | within genre | classical | electronic | pop | rock | arousal, all |';
  const lines = [header, '| --- | --- | --- | --- | --- | --- | --- | --- |'];
  const row = (label: string, s: ReturnType<typeof run>): string => {
    const v = s.valence;
    const g = (name: string): string => v.byGenre[name]![0].toFixed(3);
    return `| ${label} | ${v.overall[0].toFixed(3)} ± ${v.overall[1].toFixed(3)} | ${v.withinGenre[0].toFixed(3)} | ${g('classical')} | ${g('electronic')} | ${g('pop')} | ${g('rock')} | ${s.arousal.overall[0].toFixed(3)} |`;
  };
  const score = (s: ReturnType<typeof run>): number => s.valence.overall[0] + s.valence.withinGenre[0];
  const base = run(shipped);
  const print = (line: string): void => {
    lines.push(line);
    process.stderr.write(`${line}\n`);
  };
  print(row(`the ${shipped.length} of the shipped model`, base));
  for (const c of CANDIDATES) print(row(`+ ${c.label}`, run([...shipped, ...c.inputs])));
  if (!values['no-greedy']) {
    let chosen: InputSpec[] = [...shipped];
    let best = score(base);
    let left = CANDIDATES.filter((c) => c.label !== CANDIDATES[2]!.label && c.label !== CANDIDATES[4]!.label);
    for (let step = 1; left.length > 0; step++) {
      const tried = left.map((c) => ({ c, s: run([...chosen, ...c.inputs]) })).filter((t) => t.s.arousal.overall[0] >= 0.68);
      const top = tried.sort((a, b) => score(b.s) - score(a.s))[0];
      if (top === undefined || score(top.s) <= best) {
        print(
          `| step ${step}: none raises valence (best: + ${top?.c.label ?? 'none'}, ${top ? top.s.valence.overall[0].toFixed(3) : ''}) | | | | | | | |`,
        );
        break;
      }
      chosen = [...chosen, ...top.c.inputs];
      best = score(top.s);
      print(row(`step ${step}: + ${top.c.label}`, top.s));
      left = left.filter((c) => c !== top.c);
    }
  }
  // A smaller set for valence alone: the candidates and the shipped tonal measures and loudness, without the timbre.
  const small = [
    ...CANDIDATES.filter((_, i) => i !== 2 && i !== 4).flatMap((c) => c.inputs),
    id('localKeyClarity'),
    ...['modeStrength', 'keyClarity', 'chromaFlux', 'loudnessLufs'].map(id),
  ];
  print(
    row(`instead of the 44: the ${small.length - 4} candidate measures, mode strength, key clarity, chroma flux, loudness`, run(small)),
  );
  // Each measure on its own: its rank correlation with the listeners' valence, over all pieces and within genre.
  const genres = [...new Set(pieces.map((p) => p.genre))].sort();
  const alone = [
    '| Measure alone (the last four are shipped) | Spearman with valence, all | within genre (mean of 4) |',
    '| --- | --- | --- |',
  ];
  for (const name of [...Object.keys(candidates[0] ?? {}), ...SHIPPED_FOR_COMPARISON]) {
    const x = merged.map((f) => f[name] as number);
    const within = genres.map((g) => {
      const idx = pieces.map((p, i) => (p.genre === g ? i : -1)).filter((i) => i >= 0);
      return spearman(
        idx.map((i) => x[i]!),
        idx.map((i) => pieces[i]!.valence),
      );
    });
    alone.push(
      `| ${name} | ${spearman(
        x,
        pieces.map((p) => p.valence),
      ).toFixed(3)} | ${(within.reduce((s, v) => s + v, 0) / within.length).toFixed(3)} |`,
    );
  }
  lines.push('', ...alone);
  process.stdout.write(
    `emotify-dev: ${pieces.length} pieces; each candidate added to the shipped model's inputs (arousal and valence alike); 5 × 5-fold nested cross-validation, seeds 1-5; mean ± sd over the repeats\n\n${lines.join('\n')}\n`,
  );
}
