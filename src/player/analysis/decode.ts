/**
 * ffprobe and ffmpeg as child processes: what a file holds, and a few excerpts of it decoded to
 * mono 32-bit float at `SAMPLE_RATE` (one ffmpeg, one thread, each excerpt sought with `-ss` and
 * written to its own pipe). Failures are `AudioAnalysisError`s with a reason.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Clock } from '../../kernel/clock.js';
import { parseJson } from '../../kernel/json.js';

/** The analysis' sample rate (Hz). */
export const SAMPLE_RATE = 11025;

/** Why a file could not be analysed. */
export type AnalysisFailure = 'empty' | 'undecodable' | 'no-audio' | 'protected' | 'missing' | 'too-short' | 'silent' | 'timeout';

/** A file that cannot be analysed; the message names the file and the cause. */
export class AudioAnalysisError extends Error {
  readonly reason: AnalysisFailure;
  readonly path: string;

  constructor(reason: AnalysisFailure, path: string, cause: string, options?: { cause?: unknown }) {
    super(`Cannot analyse ${path}: ${cause}`, options);
    this.name = 'AudioAnalysisError';
    this.reason = reason;
    this.path = path;
  }
}

/** Sample entries of encrypted tracks in MP4/M4A (FairPlay `drms`, Common Encryption `enca`, …). */
const PROTECTED_TAGS = new Set(['drms', 'enca', 'encv', 'drmi', 'p608']);

export interface Probe {
  /** Seconds; null when the container does not say. */
  durationS: number | null;
}

export interface ProcessOptions {
  clock: Clock;
  signal?: AbortSignal;
  /** When the whole analysis must end (clock.monotonic() ms). */
  deadline: number;
}

interface RunResult {
  code: number | null;
  stdout: Buffer[];
  stderr: string;
}

/** Throws `missing` or `empty` (or `undecodable` for what is not a readable file). */
export async function checkFile(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new AudioAnalysisError('undecodable', path, 'not a regular file');
    if (info.size === 0) throw new AudioAnalysisError('empty', path, 'the file is empty (0 bytes)');
  } catch (error) {
    if (error instanceof AudioAnalysisError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new AudioAnalysisError('missing', path, 'the file does not exist (any more)', { cause: error });
    throw new AudioAnalysisError(
      'undecodable',
      path,
      `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      { cause: error },
    );
  }
}

/** Runs a program with `outputs` stdout pipes (fd 1, 3, 4, …), killed at the deadline or on abort. */
function run(program: string, args: readonly string[], outputs: number, path: string, options: ProcessOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const stdio: ('ignore' | 'pipe')[] = ['ignore', 'pipe', 'pipe'];
    for (let i = 1; i < outputs; i++) stdio.push('pipe');
    const child = spawn(program, args, { stdio });
    const streams = [child.stdout, ...child.stdio.slice(3)];
    const chunks = streams.map(() => [] as Buffer[]);
    streams.forEach((s, i) => s?.on('data', (chunk: Buffer) => chunks[i]!.push(chunk)));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString('utf8');
    });
    let failure: Error | undefined;
    const stop = (error: Error): void => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const remaining = options.deadline - options.clock.monotonic();
    const timer = options.clock.setTimeout(
      () => stop(new AudioAnalysisError('timeout', path, `${program} took too long`)),
      Math.max(0, remaining),
    );
    const onAbort = (): void => stop(options.signal?.reason instanceof Error ? options.signal.reason : new Error('aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error: NodeJS.ErrnoException) => {
      stop(
        error.code === 'ENOENT'
          ? new Error(`Cannot run ${program}: it is not installed (apt-get install ffmpeg)`, { cause: error })
          : error,
      );
    });
    child.once('close', (code) => {
      timer.cancel();
      options.signal?.removeEventListener('abort', onAbort);
      if (failure !== undefined) reject(failure);
      else resolve({ code, stdout: chunks.map((c) => Buffer.concat(c)), stderr });
    });
  });
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? 'no message'
  );
}

/** Maps ffmpeg/ffprobe's complaint about a file to a failure, after checking the file is still there. */
async function decodeFailure(path: string, stderr: string, what: string): Promise<AudioAnalysisError> {
  await checkFile(path);
  if (/no such file/i.test(stderr)) return new AudioAnalysisError('missing', path, 'the file disappeared during the analysis');
  return new AudioAnalysisError('undecodable', path, `${what}: ${firstLine(stderr)}`);
}

interface ProbeJson {
  format?: { duration?: string };
  streams?: { codec_type?: string; codec_name?: string; codec_tag_string?: string; duration?: string }[];
}

/** What the file holds: its duration; throws for files without (decodable) audio. */
export async function probe(path: string, ffprobePath: string, options: ProcessOptions): Promise<Probe> {
  await checkFile(path);
  const result = await run(
    ffprobePath,
    ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name,codec_tag_string,duration', '-of', 'json', path],
    1,
    path,
    options,
  );
  if (result.code !== 0) throw await decodeFailure(path, result.stderr, 'ffprobe cannot read it');
  let json: ProbeJson;
  try {
    json = parseJson(result.stdout[0]!.toString('utf8')) as ProbeJson;
  } catch (error) {
    throw new AudioAnalysisError('undecodable', path, 'ffprobe gave no readable answer', { cause: error });
  }
  const streams = json.streams ?? [];
  const audio = streams.filter((s) => s.codec_type === 'audio');
  const encrypted = streams.find((s) => PROTECTED_TAGS.has((s.codec_tag_string ?? '').toLowerCase()));
  if (encrypted !== undefined) {
    throw new AudioAnalysisError('protected', path, `its audio is encrypted (DRM, sample entry \`${encrypted.codec_tag_string}\`)`);
  }
  if (audio.length === 0) {
    const kinds = streams.map((s) => s.codec_type ?? 'unknown');
    throw new AudioAnalysisError(
      'no-audio',
      path,
      kinds.length > 0 ? `it has no audio stream (only ${kinds.join(', ')})` : 'it has no audio stream',
    );
  }
  const codec = audio[0]!.codec_name;
  if (codec === undefined || codec === 'none' || codec === 'unknown') {
    throw new AudioAnalysisError('undecodable', path, `its audio codec (\`${audio[0]!.codec_tag_string ?? '?'}\`) is unknown to ffmpeg`);
  }
  const duration = Number(json.format?.duration ?? audio[0]!.duration);
  return { durationS: Number.isFinite(duration) && duration > 0 ? duration : null };
}

/** One stretch of the file to decode (s). */
export interface Excerpt {
  startS: number;
  lengthS: number;
}

/** Decodes the excerpts (mono float at `SAMPLE_RATE`), one array per excerpt. */
export async function decodeExcerpts(
  path: string,
  excerpts: readonly Excerpt[],
  ffmpegPath: string,
  options: ProcessOptions,
): Promise<Float32Array[]> {
  const args = ['-nostdin', '-hide_banner', '-v', 'error', '-threads', '1'];
  for (const e of excerpts) args.push('-ss', e.startS.toFixed(3), '-t', e.lengthS.toFixed(3), '-i', path);
  excerpts.forEach((_, i) => {
    args.push(
      '-map',
      `${i}:a:0`,
      '-threads',
      '1',
      '-ac',
      '1',
      '-ar',
      String(SAMPLE_RATE),
      '-f',
      'f32le',
      i === 0 ? 'pipe:1' : `pipe:${i + 2}`,
    );
  });
  const result = await run(ffmpegPath, args, excerpts.length, path, options);
  const decoded = result.stdout.map((b) => new Float32Array(b.buffer, b.byteOffset, Math.floor(b.length / 4)).slice());
  const got = decoded.reduce((sum, d) => sum + d.length, 0) / SAMPLE_RATE;
  const wanted = excerpts.reduce((sum, e) => sum + e.lengthS, 0);
  // A file cut short (or damaged) decodes in part, with or without complaint: most of it is enough.
  if (got < wanted / 2) {
    const failure = await decodeFailure(path, result.stderr, 'ffmpeg cannot decode it');
    if (result.code !== 0 || got === 0) throw failure;
    throw new AudioAnalysisError(
      'undecodable',
      path,
      `it is truncated or corrupt: ${got.toFixed(1)} s of the ${wanted.toFixed(1)} s expected decode`,
    );
  }
  await checkFile(path);
  return decoded;
}
