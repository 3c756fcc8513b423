import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAudioFile, AudioAnalysisError, decodeAudioFile, measureAudio, type AnalysisFailure } from './analyze-audio.js';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-analysis-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `seconds` of an ffmpeg lavfi source to `file` (mono 44.1 kHz). */
async function lavfi(file: string, source: string, seconds: number, codec: string[] = []): Promise<string> {
  const path = join(dir, file);
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    source,
    '-t',
    String(seconds),
    '-ac',
    '1',
    '-ar',
    '44100',
    ...codec,
    path,
  ]);
  return path;
}

/** A click (10 ms of a 1 kHz tone) on every beat. */
const clicks = (bpm: number): string => `aevalsrc='if(lt(mod(t\\,${60 / bpm})\\,0.01)\\,0.8*sin(2*PI*1000*t)\\,0)':s=44100`;

async function failure(promise: Promise<unknown>): Promise<AudioAnalysisError> {
  const error = await promise.then(
    () => new Error('expected the analysis to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof AudioAnalysisError)) throw error;
  return error;
}

describe('analyzeAudioFile on synthetic signals', () => {
  it.each([90, 140])('finds the tempo of a click track at %i BPM, with a clear pulse', async (bpm) => {
    const file = await lavfi(`clicks-${bpm}.wav`, clicks(bpm), 30);
    const { features } = await analyzeAudioFile(file);
    expect(features.tempoBpm).not.toBeNull();
    // Neither half nor double: the tempo itself, within 2%.
    expect(Math.abs(features.tempoBpm! - bpm) / bpm).toBeLessThan(0.02);
    expect(features.pulseClarity).toBeGreaterThan(0.5);
    expect(features.onsetRate).toBeCloseTo(bpm / 60, 0);
  });

  it('hears no steady pulse in noise', async () => {
    const file = await lavfi('noise.wav', 'anoisesrc=c=pink:a=0.3:r=44100:seed=7', 20);
    const { features } = await analyzeAudioFile(file);
    expect(features.pulseClarity).toBeLessThan(0.1);
    expect(features.tempoBpm).toBeNull();
  });

  it.each([-14, -30])('measures a tone at %i LUFS within 1 LU', async (lufs) => {
    // A 997 Hz sine of peak amplitude A reads 20·log10(A) − 3.01 LUFS (BS.1770: full scale = −3.01).
    const amplitude = 10 ** ((lufs + 3.01) / 20);
    const file = await lavfi(`tone${lufs}.wav`, `sine=f=997:r=44100,volume=${(amplitude / 0.125).toFixed(6)}`, 20);
    const { features } = await analyzeAudioFile(file);
    expect(Math.abs(features.loudnessLufs - lufs)).toBeLessThan(1);
    expect(features.loudnessRangeLu).toBeLessThan(1);
  });

  it('hears the wide range of music that goes from quiet to loud', async () => {
    const file = await lavfi('swell.wav', "sine=f=440:r=44100,volume='0.01+0.5*t/30':eval=frame", 30);
    const { features } = await analyzeAudioFile(file);
    expect(features.loudnessRangeLu).toBeGreaterThan(10);
  });

  it('puts a bright noise above a dark one', async () => {
    const bright = await lavfi('bright.wav', 'anoisesrc=c=white:a=0.3:r=44100:seed=1,highpass=f=2500', 10);
    const dark = await lavfi('dark.wav', 'anoisesrc=c=brown:a=0.3:r=44100:seed=1,lowpass=f=400', 10);
    const [b, d] = await Promise.all([analyzeAudioFile(bright), analyzeAudioFile(dark)]);
    expect(b.features.spectralCentroidHz).toBeGreaterThan(2 * d.features.spectralCentroidHz);
    expect(b.features.brightness).toBeGreaterThan(d.features.brightness);
    expect(d.features.bass).toBeGreaterThan(b.features.bass);
  });

  it('tells a C major progression from an A minor one', async () => {
    // Semitones from A4 of each chord's notes (sox `%n`): C–F–G–C, and Am–Dm–E–Am.
    const progressions = {
      major: [
        [-9, -5, -2],
        [-4, 0, 3],
        [-2, 2, 5],
        [-9, -5, -2],
      ],
      minor: [
        [-12, -9, -5],
        [-7, -4, 0],
        [-5, -1, 2],
        [-12, -9, -5],
      ],
    };
    const keys: Record<string, string> = {};
    for (const [name, chords] of Object.entries(progressions)) {
      const parts: string[] = [];
      for (const [i, chord] of chords.entries()) {
        const part = join(dir, `${name}-${i}.wav`);
        await run('sox', ['-n', '-r', '44100', '-c', '1', part, 'synth', '2', ...chord.flatMap((n) => ['sine', `%${n}`]), 'gain', '-12']);
        parts.push(part);
      }
      const file = join(dir, `${name}.wav`);
      // Twice through: 16 s.
      await run('sox', [...parts, ...parts, file]);
      const { features } = await analyzeAudioFile(file);
      keys[name] = features.key;
      if (name === 'major') expect(features.modeStrength).toBeGreaterThan(0);
      else expect(features.modeStrength).toBeLessThan(0);
    }
    expect(keys).toEqual({ major: 'C major', minor: 'A minor' });
  });

  it('places the result on the mood plane, louder and busier music higher in arousal', async () => {
    const calm = await lavfi('calm.wav', 'sine=f=220:r=44100,volume=0.05', 30);
    const busy = await lavfi('busy.wav', `${clicks(150)},volume=1`, 30);
    const [c, b] = await Promise.all([analyzeAudioFile(calm), analyzeAudioFile(busy)]);
    for (const a of [c, b]) {
      expect(a.arousal).toBeGreaterThanOrEqual(-1);
      expect(a.arousal).toBeLessThanOrEqual(1);
      expect(a.valence).toBeGreaterThanOrEqual(-1);
      expect(a.valence).toBeLessThanOrEqual(1);
    }
    expect(b.arousal).toBeGreaterThan(c.arousal);
  });
});

describe('analyzeAudioFile on bad files', () => {
  const expectReason = async (promise: Promise<unknown>, reason: AnalysisFailure, path: string): Promise<void> => {
    const error = await failure(promise);
    expect(error.reason).toBe(reason);
    expect(error.message).toContain(path);
  };

  it('says a 0-byte file is empty', async () => {
    const path = join(dir, 'empty.mp3');
    await writeFile(path, '');
    await expectReason(analyzeAudioFile(path), 'empty', path);
  });

  it('says a file that is not there is missing', async () => {
    const path = join(dir, 'nowhere.ogg');
    await expectReason(analyzeAudioFile(path), 'missing', path);
  });

  it('says a text file named .mp3 is undecodable', async () => {
    const path = join(dir, 'notes.mp3');
    await writeFile(path, 'These are not the sounds you are looking for.\n'.repeat(200));
    await expectReason(analyzeAudioFile(path), 'undecodable', path);
  });

  it('says a file cut off inside its headers is undecodable', async () => {
    const whole = await lavfi('whole.ogg', 'sine=f=330:r=44100', 60, ['-c:a', 'libvorbis']);
    const path = join(dir, 'cut.ogg');
    await writeFile(path, (await readFile(whole)).subarray(0, 3000));
    await expectReason(analyzeAudioFile(path), 'undecodable', path);
  });

  it('says an MP3 cut off halfway, whose header still promises the whole, is truncated', async () => {
    const whole = await lavfi('whole.mp3', 'sine=f=330:r=44100', 100);
    const path = join(dir, 'half.mp3');
    const bytes = await readFile(whole);
    await writeFile(path, bytes.subarray(0, Math.round(bytes.length * 0.4)));
    const error = await failure(analyzeAudioFile(path));
    expect(error.reason).toBe('undecodable');
    expect(error.message).toMatch(/truncated/);
  });

  it('says a video without sound has no audio', async () => {
    const path = join(dir, 'silent-film.mp4');
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=blue:s=32x32:d=2', '-c:v', 'mpeg4', path]);
    await expectReason(analyzeAudioFile(path), 'no-audio', path);
  });

  it.each(['drms', 'enca'])('says an m4a whose audio is encrypted (%s) is protected', async (entry) => {
    const plain = await lavfi(`plain-${entry}.m4a`, 'sine=f=440:r=44100', 3, ['-c:a', 'aac']);
    const bytes = await readFile(plain);
    const at = bytes.indexOf('mp4a');
    expect(at).toBeGreaterThan(0);
    bytes.write(entry, at, 'latin1');
    const path = join(dir, `locked-${entry}.m4a`);
    await writeFile(path, bytes);
    await expectReason(analyzeAudioFile(path), 'protected', path);
  });

  // Issue 38: 10 s of digital silence was given the mood "power".
  it('says 10 s of digital silence is silent, and places it nowhere on the mood plane', async () => {
    const path = await lavfi('silence.wav', 'anullsrc=r=44100:cl=mono', 10);
    const error = await failure(analyzeAudioFile(path));
    expect(error.reason).toBe('silent');
    expect(error.message).toContain('it is silent (-70 LUFS)');
    // A quiet piece is no silence.
    const quiet = await lavfi('quiet.wav', 'sine=f=440:r=44100,volume=0.05', 10);
    await expect(analyzeAudioFile(quiet)).resolves.toMatchObject({ features: { loudnessLufs: expect.any(Number) as number } });
  });

  it('says a blip shorter than a second is too short', async () => {
    const path = await lavfi('blip.wav', 'sine=f=440:r=44100', 0.4);
    await expectReason(analyzeAudioFile(path), 'too-short', path);
  });

  it('says a file removed while it is analysed is missing', async () => {
    const path = await lavfi('vanishing.wav', 'sine=f=440:r=44100', 5);
    // The file is read and planned, then it goes before ffmpeg opens it.
    const ffmpeg = join(dir, 'remove-then-ffmpeg.sh');
    await writeFile(ffmpeg, `#!/bin/sh\nrm -f '${path}'\nexec ffmpeg "$@"\n`);
    await chmod(ffmpeg, 0o755);
    await expectReason(analyzeAudioFile(path, { ffmpegPath: ffmpeg, ffprobePath: 'ffprobe' }), 'missing', path);
  });

  it.each(['ffprobe', 'ffmpeg'] as const)('gives up with a timeout when %s never answers, and ends it', async (program) => {
    // A WAV file named .ogg: its name misleads the quick look at its headers, so ffprobe is asked.
    const wav = await lavfi(`fine-${program}.wav`, 'sine=f=440:r=44100', 5);
    const path = program === 'ffprobe' ? join(dir, `odd-${program}.ogg`) : wav;
    await writeFile(path, await readFile(wav));
    const stuck = join(dir, `stuck-${program}.sh`);
    const pidFile = join(dir, `stuck-${program}.pid`);
    await writeFile(stuck, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 600\n`);
    await chmod(stuck, 0o755);
    const paths = program === 'ffprobe' ? { ffprobePath: stuck } : { ffmpegPath: stuck, ffprobePath: 'ffprobe' };
    await expectReason(analyzeAudioFile(path, { ...paths, timeoutMs: 1500 }), 'timeout', path);
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('stops when aborted, with the signal reason', async () => {
    const path = await lavfi('fine2.wav', 'sine=f=440:r=44100', 5);
    const controller = new AbortController();
    const reason = new Error('scan cancelled');
    controller.abort(reason);
    await expect(analyzeAudioFile(path, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('analyses only excerpts of a 3-hour file', async () => {
    // A 3-hour 16-bit 8 kHz WAV of silence, written as a sparse file (instant, no disk used).
    const path = join(dir, 'three-hours.wav');
    const rate = 8000;
    const bytes = 10800 * rate * 2;
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'latin1');
    header.writeUInt32LE(36 + bytes, 4);
    header.write('WAVEfmt ', 8, 'latin1');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(rate, 24);
    header.writeUInt32LE(rate * 2, 28);
    header.writeUInt16LE(2, 32);
    header.writeUInt16LE(16, 34);
    header.write('data', 36, 'latin1');
    header.writeUInt32LE(bytes, 40);
    await writeFile(path, header);
    await truncate(path, 44 + bytes);
    const features = measureAudio(path, await decodeAudioFile(path));
    expect(features.durationS).toBeCloseTo(10800, 0);
    expect(features.excerptS).toBeCloseTo(45, 0);
    expect(features.loudnessLufs).toBe(-70);
  });
});
