/**
 * The analysis of one audio file: probe, decode a few excerpts, measure them, place the result on
 * the mood plane with the fitted model. See README.md for what is measured and how well it does.
 */
import { systemClock, type Clock } from '../../kernel/clock.js';
import { audioPrint, type AudioPrint } from './audio-print.js';
import { AudioAnalysisError, checkFile, decodeExcerpts, probe, SAMPLE_RATE, type Excerpt, type Probe } from './decode.js';
import { extractFeatures, type AudioFeatures } from './features.js';
import { quickDurationS } from './quick-probe.js';
import { loadMusicMoodModel, predict, type MusicMoodModel } from './model.js';

export { AudioAnalysisError, type AnalysisFailure } from './decode.js';
export type { AudioFeatures } from './features.js';
export { moodsFromPlane } from './mood-plane.js';

/** The features' own version; ANALYSIS_VERSION combines it with the model's. */
export const FEATURES_VERSION = 5;

/** Bump when features or the model change: stored analyses of another version are redone. */
export const ANALYSIS_VERSION: number = FEATURES_VERSION * 1000 + loadMusicMoodModel().version;

export interface AudioAnalysis {
  version: number;
  features: AudioFeatures;
  /** Calm −1 … excited 1, the scale of `DEFAULT_MOOD_COORDINATES`. */
  arousal: number;
  /** Unpleasant −1 … pleasant 1. */
  valence: number;
  /** The print copies of one recording share (`printOf`); null when none could be made. */
  print: AudioPrint | null;
}

export interface AnalyzeOptions {
  /** @default 'ffmpeg' */
  ffmpegPath?: string;
  /** @default ffprobe beside `ffmpegPath`, or 'ffprobe' */
  ffprobePath?: string;
  signal?: AbortSignal;
  /** The whole analysis (probe and decode) ends with reason `timeout` after this long. @default 60000 */
  timeoutMs?: number;
  /** @default systemClock */
  clock?: Clock;
  /** @default the shipped models/music-mood.json */
  model?: MusicMoodModel;
}

/** Music this quiet or quieter (LUFS, integrated) is silence, or as good as: not analysed (reason `silent`). */
export const SILENT_LUFS = -60;

/** Files shorter than this (s) are not analysed (reason `too-short`). */
export const MIN_DURATION_S = 1;
/** Length of each excerpt (s). */
export const EXCERPT_S = 15;
/** Files up to this long (s) are analysed whole. */
const WHOLE_UP_TO_S = 35;

/**
 * The excerpts of a file `durationS` long: the whole of a short file; otherwise one, two or three
 * 15 s windows spread across it (at 1/4, 1/2 and 3/4 of a long song, away from intro and outro).
 */
export function planExcerpts(durationS: number | null): Excerpt[] {
  if (durationS === null) return [{ startS: 0, lengthS: WHOLE_UP_TO_S }];
  if (durationS <= WHOLE_UP_TO_S) return [{ startS: 0, lengthS: durationS }];
  const count = durationS >= 90 ? 3 : durationS >= 60 ? 2 : 1;
  return Array.from({ length: count }, (_, i) => {
    const centre = (durationS * (i + 1)) / (count + 1);
    const startS = Math.max(0, Math.min(durationS - EXCERPT_S, centre - EXCERPT_S / 2));
    return { startS, lengthS: EXCERPT_S };
  });
}

function defaultProbePath(ffmpegPath: string): string {
  return ffmpegPath.endsWith('ffmpeg') ? `${ffmpegPath.slice(0, -'ffmpeg'.length)}ffprobe` : 'ffprobe';
}

/** A file's excerpts as decoded for the analysis. */
export interface DecodedAudio {
  /** The whole file's length (s); null when neither its headers nor ffprobe tell. */
  durationS: number | null;
  /** Mono float samples at `SAMPLE_RATE`, one array per excerpt of `planExcerpts`. */
  excerpts: Float32Array[];
}

/**
 * Probes a file and decodes its excerpts. Rejects with an `AudioAnalysisError` (with its `reason`)
 * for a file that cannot be analysed, with the signal's reason when aborted; never hangs past
 * `timeoutMs`.
 */
export async function decodeAudioFile(path: string, options: AnalyzeOptions = {}): Promise<DecodedAudio> {
  const clock = options.clock ?? systemClock;
  const ffmpegPath = options.ffmpegPath ?? 'ffmpeg';
  const processOptions = {
    clock,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    deadline: clock.monotonic() + (options.timeoutMs ?? 60_000),
  };
  options.signal?.throwIfAborted();
  const ffprobe = (): Promise<Probe> => probe(path, options.ffprobePath ?? defaultProbePath(ffmpegPath), processOptions);
  await checkFile(path);
  // ffprobe only when the headers do not tell: it costs more to start than an excerpt to measure.
  const quick = await quickDurationS(path);
  const { durationS } = quick === null ? await ffprobe() : { durationS: quick };
  if (durationS !== null && durationS < MIN_DURATION_S) {
    throw new AudioAnalysisError('too-short', path, `it lasts ${durationS.toFixed(2)} s, less than ${MIN_DURATION_S} s`);
  }
  try {
    return { durationS, excerpts: await decodeExcerpts(path, planExcerpts(durationS), ffmpegPath, processOptions) };
  } catch (error) {
    // Not probed yet: ffprobe may say more precisely why (encrypted, no audio stream).
    if (quick !== null && error instanceof AudioAnalysisError && error.reason === 'undecodable') await ffprobe();
    throw error;
  }
}

/**
 * The print of a file's excerpts (`audioPrint`), from the excerpt nearest the middle of the song
 * (the first of two, at a third): copies of one recording whose lengths differ by up to 2 s are
 * printed at most about 1 s apart, which `printDistance` looks past.
 */
export function printOf(excerpts: readonly Float32Array[]): AudioPrint | null {
  const excerpt = excerpts[(excerpts.length - 1) >> 1];
  return excerpt === undefined ? null : audioPrint(excerpt, SAMPLE_RATE);
}

/** The features of a decoded file; an `AudioAnalysisError` when too little of it could be decoded. */
export function measureAudio(path: string, { durationS, excerpts }: DecodedAudio): AudioFeatures {
  const decodedS = excerpts.reduce((s, e) => s + e.length, 0) / SAMPLE_RATE;
  try {
    return extractFeatures(excerpts, SAMPLE_RATE, durationS ?? decodedS);
  } catch (error) {
    if (decodedS === 0) throw new AudioAnalysisError('undecodable', path, 'ffmpeg decoded no audio from it', { cause: error });
    throw new AudioAnalysisError('too-short', path, `only ${decodedS.toFixed(2)} s of audio could be decoded`, { cause: error });
  }
}

/**
 * Analyses one audio file. Rejects with an `AudioAnalysisError` (with its `reason`) for a file
 * that cannot be analysed (a silent one among them), with the signal's reason when aborted; never hangs past `timeoutMs`.
 */
export async function analyzeAudioFile(path: string, options: AnalyzeOptions = {}): Promise<AudioAnalysis> {
  const decoded = await decodeAudioFile(path, options);
  const features = measureAudio(path, decoded);
  // Silence has no place on the mood plane: the model would put it somewhere all the same (10 s of
  // digital silence read as `power`).
  if (features.loudnessLufs <= SILENT_LUFS) {
    throw new AudioAnalysisError('silent', path, `it is silent (${features.loudnessLufs.toFixed(0)} LUFS): nothing to hear a mood in`);
  }
  const model = options.model ?? loadMusicMoodModel();
  const { arousal, valence } = predict(model, features);
  return { version: FEATURES_VERSION * 1000 + model.version, features, arousal, valence, print: printOf(decoded.excerpts) };
}
