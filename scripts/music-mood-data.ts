/**
 * The data that scripts/fit-music-moods.ts and scripts/eval-music-moods.ts share: the dev set's
 * crowd targets, its features as the product extracts them (the decoded excerpts and the features
 * cached under .cache/), and a model's inputs over them. The regression and its cross-validation
 * are in music-mood-ridge.ts; a whole mood model is fitted in music-mood-fit.ts.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import {
  decodeAudioFile,
  FEATURES_VERSION,
  measureAudio,
  type AudioFeatures,
  type DecodedAudio,
} from '../src/player/analysis/analyze-audio.js';
import { transformFeature, type FeatureTransform } from '../src/player/analysis/model.js';

export const DEFAULT_DATASET = resolve(import.meta.dirname, '../../shared/datasets/emotify-dev');

/** GEMS emotions that count toward high (+) and low (−) arousal, as the dataset's README defines it. */
export const AROUSAL_TARGET = {
  plus: ['power', 'joyful_activation', 'tension', 'amazement'],
  minus: ['calmness', 'tenderness', 'sadness', 'nostalgia', 'solemnity'],
} as const;
/**
 * Valence, defined the same way: emotions listeners feel as pleasant (+) or unpleasant (−). Power,
 * nostalgia and solemnity are left out: listeners feel them both ways.
 */
export const VALENCE_TARGET = {
  plus: ['joyful_activation', 'amazement', 'tenderness', 'calmness'],
  minus: ['sadness', 'tension'],
} as const;

export interface Piece {
  id: string;
  genre: string;
  listeners: number;
  arousal: number;
  valence: number;
  file: string;
}

/** The pieces of the dev set with their crowd arousal and valence (share plus − share minus). */
export async function readPieces(dataset: string): Promise<Piece[]> {
  const text = await readFile(join(dataset, 'annotations.csv'), 'utf8');
  const [header, ...rows] = text.trim().split('\n');
  const names = (header ?? '').split(',').map((n) => n.trim());
  const col = (name: string): number => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`Expected a column \`${name}\` in ${dataset}/annotations.csv, got ${names.join(', ')}`);
    return i;
  };
  const byId = new Map<string, { genre: string; n: number; a: number; v: number }>();
  const score = (cells: string[], target: { plus: readonly string[]; minus: readonly string[] }): number =>
    (target.plus.some((e) => cells[col(e)] === '1') ? 1 : 0) - (target.minus.some((e) => cells[col(e)] === '1') ? 1 : 0);
  for (const row of rows) {
    const cells = row.split(',').map((c) => c.trim());
    const id = cells[col('track id')]!.padStart(3, '0');
    const entry = byId.get(id) ?? { genre: cells[col('genre')]!, n: 0, a: 0, v: 0 };
    entry.n++;
    entry.a += score(cells, AROUSAL_TARGET);
    entry.v += score(cells, VALENCE_TARGET);
    byId.set(id, entry);
  }
  return [...byId.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, e]) => ({
      id,
      genre: e.genre,
      listeners: e.n,
      arousal: e.a / e.n,
      valence: e.v / e.n,
      file: join(dataset, 'audio', `${id}.ogg`),
    }));
}

const ANALYSIS_DIR = resolve(import.meta.dirname, '../src/player/analysis');
const CACHE_DIR = resolve(import.meta.dirname, '../.cache');

/** A short hash of the named source files of the analysis (the cache's key: no stale result is ever read). */
async function codeHash(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) hash.update(file).update(await readFile(join(ANALYSIS_DIR, file)));
  return hash.digest('hex').slice(0, 12);
}

/**
 * A piece's excerpts as the product decodes them, from .cache/ when decoded before by the same
 * decoding code (one `.f32` file of the excerpts' samples end to end and a `.json` beside it).
 */
async function decodedOf(piece: Piece, dir: string | undefined): Promise<DecodedAudio> {
  const file = dir === undefined ? undefined : join(dir, piece.id);
  if (file !== undefined) {
    try {
      const meta = JSON.parse(await readFile(`${file}.json`, 'utf8')) as { source: string; durationS: number | null; lengths: number[] };
      if (meta.source !== piece.file) throw new Error('decoded from another file');
      const bytes = await readFile(`${file}.f32`);
      const samples = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
      let offset = 0;
      const excerpts = meta.lengths.map((n) => samples.slice(offset, (offset += n)));
      if (offset === samples.length) return { durationS: meta.durationS, excerpts };
    } catch {
      // not decoded yet (or from another file of that name)
    }
  }
  const decoded = await decodeAudioFile(piece.file);
  if (file !== undefined) {
    const all = new Float32Array(decoded.excerpts.reduce((s, e) => s + e.length, 0));
    let offset = 0;
    for (const e of decoded.excerpts) {
      all.set(e, offset);
      offset += e.length;
    }
    await writeFile(`${file}.f32`, all);
    await writeFile(
      `${file}.json`,
      JSON.stringify({ source: piece.file, durationS: decoded.durationS, lengths: decoded.excerpts.map((e) => e.length) }),
    );
  }
  return decoded;
}

/**
 * The product's features of every piece. With the cache (the default), the features come from
 * .cache/ when extracted before by the same feature version and code, and the decoded excerpts
 * from .cache/ when decoded before by the same decoding code: a change to the features re-measures
 * the 200 pieces without decoding them again.
 */
export async function featuresOf(
  pieces: readonly Piece[],
  options: { cache?: boolean; log?: (line: string) => void } = {},
): Promise<AudioFeatures[]> {
  const isCached = options.cache !== false;
  const measuring = (await readdir(ANALYSIS_DIR)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const cacheFile = join(CACHE_DIR, `emotify-dev-features-v${FEATURES_VERSION}-${await codeHash(measuring)}.json`);
  if (isCached) {
    try {
      const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as Record<string, AudioFeatures>;
      if (pieces.every((p) => cached[p.id] !== undefined)) return pieces.map((p) => cached[p.id]!);
    } catch {
      // no cache yet
    }
  }
  const pcmDir = isCached
    ? join(CACHE_DIR, `emotify-dev-pcm-${await codeHash(['analyze-audio.ts', 'decode.ts', 'quick-probe.ts'])}`)
    : undefined;
  if (pcmDir !== undefined) await mkdir(pcmDir, { recursive: true });
  const out = new Array<AudioFeatures>(pieces.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < pieces.length) {
      const i = next++;
      out[i] = measureAudio(pieces[i]!.file, await decodedOf(pieces[i]!, pcmDir));
      if (++done % 20 === 0) options.log?.(`extracted ${done}/${pieces.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(2, cpus().length)) }, worker));
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(cacheFile, JSON.stringify(Object.fromEntries(pieces.map((p, i) => [p.id, out[i]]))));
  return out;
}

/** A model input before standardisation. */
export interface InputSpec {
  feature: string;
  transform: FeatureTransform;
}

export function designMatrix(features: readonly AudioFeatures[], inputs: readonly InputSpec[]): (number | null)[][] {
  return features.map((f) => inputs.map((input) => transformFeature(f, input)));
}
