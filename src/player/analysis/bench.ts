/**
 * `moodbox bench music`: the CPU time the analysis costs per track, counted for Moodbox and its
 * ffprobe/ffmpeg children together (from /proc: user + system, the children's once they end), over
 * 4-minute songs made with ffmpeg, or over the audio files of a folder. No wall time: the machine
 * may be busy with other work.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { analyzeAudioFile } from './analyze-audio.js';

const run = promisify(execFile);

/** How much slower a Raspberry Pi 4 is than this class of machine, by estimate. */
export const PI4_FACTOR = 3;
/** The budget: CPU seconds per 4-minute song on one core. */
export const BUDGET_S = 0.5;
const AUDIO = new Set(['.mp3', '.flac', '.ogg', '.opus', '.m4a', '.aac', '.wav', '.wma']);

export interface MusicBenchReport {
  tracks: number;
  /** Mean length of the tracks (s). */
  meanDurationS: number;
  /** CPU seconds per track: this process, its children (ffprobe, ffmpeg), both. */
  cpuPerTrackS: { node: number; children: number; total: number };
  /** CPU seconds per 4 minutes of music (the budget's unit). */
  cpuPer4MinS: number;
  /** Estimated time for 2,000 such tracks on one core (s): here and on a Pi 4. */
  library2000S: { here: number; pi4: number };
  budgetS: number;
}

/** CPU seconds used so far by this process and by its ended children (Linux /proc). */
async function cpuTimes(): Promise<{ self: number; children: number }> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14–17 of proc(5), counted from the state (field 3): utime, stime, cutime, cstime in ticks.
  const tick = (n: number): number => Number(fields[n - 3]) / 100;
  return { self: tick(14) + tick(15), children: tick(16) + tick(17) };
}

/** Makes `count` 4-minute songs (beats, a bass line and chords over noise; MP3) in `dir`. */
async function makeSongs(dir: string, count: number): Promise<string[]> {
  const files: string[] = [];
  for (let k = 0; k < count; k++) {
    const bpm = 70 + 15 * k;
    const beat = 60 / bpm;
    const file = join(dir, `song-${k}.mp3`);
    const source =
      `aevalsrc='0.5*exp(-30*mod(t\\,${beat.toFixed(4)}))*sin(2*PI*60*t)` +
      `+0.15*sin(2*PI*${110 + 10 * k}*t)*(1+sin(2*PI*t/${(4 * beat).toFixed(4)}))` +
      `+0.1*sin(2*PI*${220 + 20 * k}*t)+0.08*sin(2*PI*${277 + 25 * k}*t)':s=44100:d=240`;
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      source,
      '-f',
      'lavfi',
      '-i',
      'anoisesrc=c=pink:a=0.02:d=240',
      '-filter_complex',
      'amix=inputs=2:normalize=0',
      '-ac',
      '2',
      '-b:a',
      '192k',
      file,
    ]);
    files.push(file);
  }
  return files;
}

/** Analyses the tracks (after one untimed warm-up) and reports the CPU time they cost. */
export async function benchMusic(options: { dir?: string; tracks: number; ffmpegPath?: string }): Promise<MusicBenchReport> {
  const made = options.dir === undefined ? await mkdtemp(join(tmpdir(), 'moodbox-bench-music-')) : undefined;
  try {
    const files =
      made !== undefined
        ? await makeSongs(made, options.tracks)
        : (await readdir(options.dir!, { recursive: true }))
            .filter((f) => AUDIO.has(extname(f).toLowerCase()))
            .sort()
            .slice(0, options.tracks)
            .map((f) => join(options.dir!, f));
    if (files.length === 0) throw new Error(`Expected audio files in ${options.dir}, got none`);
    const analyze = (file: string) => analyzeAudioFile(file, options.ffmpegPath === undefined ? {} : { ffmpegPath: options.ffmpegPath });
    await analyze(files[0]!).catch(() => undefined);
    const before = await cpuTimes();
    let duration = 0;
    let analysed = 0;
    for (const file of files) {
      try {
        duration += (await analyze(file)).features.durationS;
        analysed++;
      } catch {
        // A bad file costs time too, and is counted as a track.
        analysed++;
      }
    }
    const after = await cpuTimes();
    const node = (after.self - before.self) / analysed;
    const children = (after.children - before.children) / analysed;
    const total = node + children;
    const meanDurationS = duration / analysed;
    return {
      tracks: analysed,
      meanDurationS,
      cpuPerTrackS: { node, children, total },
      // The analysis reads at most three 15 s excerpts: a long song costs what a 4-minute one does.
      cpuPer4MinS: meanDurationS >= 90 ? total : (total * 240) / Math.max(meanDurationS, 1),
      library2000S: { here: 2000 * total, pi4: 2000 * total * PI4_FACTOR },
      budgetS: BUDGET_S,
    };
  } finally {
    if (made !== undefined) await rm(made, { recursive: true, force: true });
  }
}

export function formatMusicBench(r: MusicBenchReport): string {
  const minutes = (s: number): string => `${(s / 60).toFixed(1)} min`;
  return [
    `music analysis: ${r.tracks} tracks, ${(r.meanDurationS / 60).toFixed(1)} min each on average (CPU time, one core: Moodbox + ffprobe/ffmpeg)`,
    `  per track: ${r.cpuPerTrackS.total.toFixed(3)} s (Moodbox ${r.cpuPerTrackS.node.toFixed(3)} s, ffprobe + ffmpeg ${r.cpuPerTrackS.children.toFixed(3)} s)`,
    `  per 4-minute song: ${r.cpuPer4MinS.toFixed(3)} s (budget ${r.budgetS} s: ${r.cpuPer4MinS <= r.budgetS ? 'within' : 'OVER'})`,
    `  2,000 tracks: ${minutes(r.library2000S.here)} here, about ${minutes(r.library2000S.pi4)} on a Raspberry Pi 4 (x${PI4_FACTOR}, an estimate)`,
  ].join('\n');
}
