import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Each tone made, kept by what it is (ignored by git): a run of the tests asks for about 230 tones
 * of about 80 kinds, and each made afresh costs a sox and one or two ffmpeg starts.
 */
const TONES = fileURLToPath(new URL('../../../.cache/test-tones/', import.meta.url));

export interface ToneSpec {
  /** File path relative to the folder; its extension picks the format (`.flac`, `.mp3`, `.ogg`, `.wav`). */
  file: string;
  /** Sine frequency in Hz. @default 440 */
  hz?: number;
  /** A sweep instead: the pitch rises linearly from `hz` at the start to this at the end (Hz). */
  sweepToHz?: number;
  /** Length in seconds. @default 1 */
  seconds?: number;
  /** Amplitude, 0..1 of full scale (sox's `vol`). @default 1 */
  volume?: number;
  /** Tags written with ffmpeg (`title`, `artist`, `album`, `genre`, `date`, `language`, `REPLAYGAIN_TRACK_GAIN`, …). */
  tags?: Record<string, string>;
  /** Embed a small solid-colour PNG cover of this colour (`red`, `#3366cc`). */
  cover?: string;
  /** Embed instead a PNG of random noise this many px square: a large cover (400 px is about 480 KB). */
  noiseCoverPx?: number;
}

/**
 * Writes a tone made by sox and tagged by ffmpeg; returns its absolute path. A new file each time
 * (its own inode and modification time), copied from the one made for the same spec before.
 */
export async function makeTone(dir: string, spec: ToneSpec): Promise<string> {
  const out = join(dir, spec.file);
  await mkdir(dirname(out), { recursive: true });
  const ext = extname(spec.file);
  // The recipe is part of the key: a change to it makes every tone afresh.
  const key = createHash('sha256')
    .update(writeTone.toString())
    .update(JSON.stringify({ ...spec, file: ext }))
    .digest('hex')
    .slice(0, 32);
  const kept = join(TONES, `${key}${ext}`);
  if ((await stat(kept).catch(() => undefined)) === undefined) {
    await mkdir(TONES, { recursive: true });
    // Made under a name of its own and renamed into place, so that a test beside it never copies half a file.
    const fresh = join(TONES, `${key}-${randomUUID()}${ext}`);
    try {
      await writeTone(fresh, spec);
      await rename(fresh, kept);
    } finally {
      await rm(fresh, { force: true });
    }
  }
  await copyFile(kept, out);
  return out;
}

async function writeTone(out: string, spec: ToneSpec): Promise<void> {
  const raw = `${out}.raw.flac`;
  await run('sox', [
    '-n',
    '-r',
    '44100',
    '-c',
    '2',
    raw,
    'synth',
    String(spec.seconds ?? 1),
    'sine',
    // sox's `from:to` is a linear sweep.
    spec.sweepToHz === undefined ? String(spec.hz ?? 440) : `${spec.hz ?? 440}:${spec.sweepToHz}`,
    'vol',
    String(spec.volume ?? 1),
  ]);
  const args = ['-loglevel', 'error', '-y', '-i', raw];
  let cover: string | undefined;
  if (spec.cover !== undefined || spec.noiseCoverPx !== undefined) {
    cover = `${out}.cover.png`;
    const source =
      spec.noiseCoverPx === undefined
        ? `color=c=${spec.cover}:s=16x16`
        : `nullsrc=s=${spec.noiseCoverPx}x${spec.noiseCoverPx},format=rgb24,geq=r='random(1)*255':g='random(2)*255':b='random(3)*255'`;
    await run('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', source, '-frames:v', '1', cover]);
    args.push('-i', cover, '-map', '0:a', '-map', '1:v', '-disposition:v', 'attached_pic');
    if (out.endsWith('.mp3')) args.push('-id3v2_version', '3');
  }
  if (out.endsWith('.flac')) args.push('-c', 'copy');
  for (const [key, value] of Object.entries(spec.tags ?? {})) args.push('-metadata', `${key}=${value}`);
  args.push(out);
  try {
    await run('ffmpeg', args);
  } finally {
    await rm(raw, { force: true });
    if (cover !== undefined) await rm(cover, { force: true });
  }
}

/** Writes a small solid-colour image made by ffmpeg (`.jpg`, `.jpeg` or `.png`, by the file name); returns its absolute path. */
export async function makeImage(dir: string, file: string, colour: string): Promise<string> {
  const out = join(dir, file);
  await mkdir(dirname(out), { recursive: true });
  const codec = /\.png$/i.test(file) ? 'png' : 'mjpeg';
  await run('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `color=c=${colour}:s=16x16`,
    '-frames:v',
    '1',
    '-c:v',
    codec,
    '-f',
    'image2',
    out,
  ]);
  return out;
}

/**
 * Writes `bytes` bytes of noise under an audio file name: a file no decoder can read. The same noise
 * each time (SHA-256 in counter mode): a fresh random draw now and then looks enough like some
 * container to ffprobe to change what the file is reported as.
 */
export async function makeCorruptFile(dir: string, file: string, bytes = 20_000): Promise<string> {
  const out = join(dir, file);
  await mkdir(dirname(out), { recursive: true });
  const noise = Buffer.alloc(Math.ceil(bytes / 32) * 32);
  for (let i = 0; i < noise.length / 32; i++)
    createHash('sha256')
      .update(`moodbox corrupt file ${i}`)
      .digest()
      .copy(noise, i * 32);
  await writeFile(out, noise.subarray(0, bytes));
  return out;
}
