/**
 * Makes the demo library: 24 short pieces of music, four for each built-in mood, each a little over
 * a minute, with tags (title, artist, album, genre, year), a cover and a moods sidecar. Nothing is
 * downloaded and nothing recorded: a small synthesizer here writes the notes (chords, bass, a
 * melody, drums, in a tempo and key that fit the mood) and sox adds the room (reverb), levels the
 * result and encodes it to Ogg Vorbis with its tags. Deterministic: the same notes every run.
 * The instruments are in `demo-music-voices.ts`, the pieces and their moods' styles in `demo-music-pieces.ts`,
 * the covers in `demo-music-cover.ts`; here are the arrangement and the encoding.
 *
 *   node --import tsx scripts/make-demo-music.ts [OUT_DIR] [--seconds N] [--jobs N] [--only a,b]
 *
 * OUT_DIR defaults to demo/library. --seconds shortens every piece (for a quick look), --jobs sets
 * how many pieces are encoded at once (default: the number of CPUs), --only makes the pieces whose
 * file names start with one of the given prefixes. Needs sox with Ogg Vorbis support.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { coverPng, pictureComment } from './demo-music-cover.js';
import { DEMO_MIN_SECONDS, DEMO_PIECES, STYLES, type Mood } from './demo-music-pieces.js';
import {
  bass,
  forgetNotes,
  hash,
  hz,
  keys,
  kick,
  lead,
  Mix,
  noiseHit,
  note,
  pad,
  pluck,
  powerChord,
  RATE,
  SCALES,
  seeded,
} from './demo-music-voices.js';

// --- Arrangement ---------------------------------------------------------------------------------

interface Piece {
  left: Float32Array;
  right: Float32Array;
  seconds: number;
  tempo: number;
}

/** Writes one piece: intro, verse, a section with the melody, verse again, outro. */
export function compose(piece: (typeof DEMO_PIECES)[number], index: number, maxSeconds?: number): Piece {
  const style = STYLES[piece.mood];
  forgetNotes();
  const random = seeded(hash(piece.file) + index);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const tempo = Math.round(style.tempo[0] + random() * (style.tempo[1] - style.tempo[0]));
  const beat = 60 / tempo;
  const bar = 4 * beat;
  const bars = Math.ceil(DEMO_MIN_SECONDS / bar / 4) * 4;
  const seconds = Math.min(maxSeconds ?? Number.POSITIVE_INFINITY, bars * bar + 2.5);
  const mix = new Mix(Math.round(seconds * RATE));
  const root = 48 + Math.floor(random() * 7); // C3 … F#3
  const scale = SCALES[style.scale];
  const degree = (d: number, octave = 0): number => {
    const i = ((d % 7) + 7) % 7;
    return root + 12 * (octave + Math.floor(d / 7)) + (scale[i] ?? 0);
  };
  const variant = (): number => Math.floor(random() * 3);
  const v = {
    pad: (f: number, sec: number, bright: number) => note(`pad ${f} ${sec} ${bright}`, () => pad(f, sec, bright)),
    keys: (f: number, sec: number) => note(`keys ${f} ${sec}`, () => keys(f, sec)),
    pluck: (f: number, sec: number, damping?: number) => {
      const k = variant();
      return note(`pluck ${f} ${sec} ${damping} ${k}`, () => pluck(f, sec, seeded(k + 1), damping));
    },
    bass: (f: number, sec: number, decay: number) => note(`bass ${f} ${sec} ${decay}`, () => bass(f, sec, decay)),
    lead: (f: number, sec: number) => note(`lead ${f} ${sec}`, () => lead(f, sec)),
    power: (f: number, sec: number) => note(`power ${f} ${sec}`, () => powerChord(f, sec)),
    kick: (punch: number) => note(`kick ${punch}`, () => kick(punch)),
    hit: (sec: number, decay: number, highpass: number, tone = 0) => {
      const k = variant();
      return note(`hit ${sec} ${decay} ${highpass} ${tone} ${k}`, () => noiseHit(sec, decay, seeded(k + 7), highpass, tone));
    },
  };
  const chordOf = (d: number, size: number): number[] => Array.from({ length: size }, (_, k) => degree(d + 2 * k));
  const progression = pick(style.progressions);
  const swing = piece.mood === 'mellow' ? 0.18 : 0;
  const at = (b: number, beatInBar: number): number => {
    const whole = Math.floor(beatInBar * 2) / 2;
    const offbeat = beatInBar * 2 - Math.floor(beatInBar * 2) === 0 && whole % 1 !== 0 ? swing * beat : 0;
    return b * bar + beatInBar * beat + offbeat;
  };
  // A two-bar melody motif: rhythm (in beats) and steps on the scale, answered a step higher.
  const motifRhythm = pick([
    [0, 1, 1.5, 2, 3, 4.5, 5, 6],
    [0, 0.5, 1, 2, 2.5, 4, 5, 6.5],
    [0, 1.5, 2, 3, 4, 4.5, 5.5, 6],
  ]);
  const motifSteps = motifRhythm.map(() => Math.floor(random() * 5) - 1);
  const sections = (b: number): 'intro' | 'verse' | 'hook' | 'outro' => {
    if (b < 4) return 'intro';
    if (b >= bars - 4) return 'outro';
    return Math.floor((b - 4) / 8) % 2 === 1 ? 'hook' : 'verse';
  };

  for (let b = 0; b < bars; b++) {
    const section = sections(b);
    const chordDegree = progression[b % progression.length] ?? 0;
    const chord = chordOf(chordDegree, piece.mood === 'mellow' || piece.mood === 'calm' ? 4 : 3);
    const full = section === 'verse' || section === 'hook';
    const drums = full || (section === 'outro' && b < bars - 2);
    const bassNote = degree(chordDegree, -1);
    switch (piece.mood) {
      case 'calm': {
        for (const note of chord) mix.add(b * bar, v.pad(hz(note), bar + 0.4, 0.15), 0.1, (note % 5) / 5 - 0.4);
        // A slow arpeggio on a plucked string, one note a beat, two in the hook.
        const step = section === 'hook' ? 0.5 : 1;
        for (let x = 0; x < 4; x += step) {
          const note = (chord[Math.floor(x / step) % chord.length] ?? root) + 12;
          mix.add(at(b, x), v.pluck(hz(note), beat * 2, 0.998), 0.22, 0.3);
        }
        if (section !== 'intro') mix.add(b * bar, v.bass(hz(bassNote), bar, 0.6), 0.3, 0);
        if (section === 'hook') for (let x = 0; x < 4; x += 0.5) mix.add(at(b, x), v.hit(0.05, 60, 0.6), 0.025, 0.5);
        break;
      }
      case 'mellow': {
        for (const x of [0, 2.5]) for (const note of chord) mix.add(at(b, x), v.keys(hz(note + 12), beat * 1.5), 0.09, -0.2);
        if (section !== 'intro') {
          for (let x = 0; x < 4; x++) {
            const walk = x === 3 ? degree(chordDegree + 1, -1) : x === 2 ? degree(chordDegree + 4, -1) : bassNote;
            mix.add(at(b, x), v.bass(hz(walk), beat * 0.9, 2.5), 0.32, 0);
          }
        }
        if (drums) {
          mix.add(at(b, 0), v.kick(0.5), 0.45, 0);
          mix.add(at(b, 2.5), v.kick(0.5), 0.3, 0);
          for (const x of [1, 3]) mix.add(at(b, x), v.hit(0.25, 14, 0.3, 0.2), 0.12, 0.1);
          for (let x = 0; x < 4; x += 0.5) mix.add(at(b, x), v.hit(0.06, 50, 0.7), 0.04, 0.4);
        }
        if (section === 'hook') melody(b, 12, (f, s) => v.keys(f, s), 0.14, 0.3);
        break;
      }
      case 'uplifting': {
        for (const note of chord) mix.add(b * bar, v.pad(hz(note), bar + 0.3, 0.35), 0.06, -0.3);
        for (let x = 0; x < 4; x += 0.5) {
          const note = (chord[Math.floor(x * 2) % chord.length] ?? root) + 12;
          mix.add(at(b, x), v.pluck(hz(note), beat, 0.995), 0.18, 0.35);
        }
        if (section !== 'intro') for (const x of [0, 1.5, 2, 3]) mix.add(at(b, x), v.bass(hz(bassNote), beat * 0.8, 3), 0.3, 0);
        if (drums) {
          for (const x of [0, 2]) mix.add(at(b, x), v.kick(0.8), 0.55, 0);
          for (const x of [1, 3]) mix.add(at(b, x), v.hit(0.2, 18, 0.25, 0.3), 0.16, 0);
          for (let x = 0; x < 4; x += 0.5) mix.add(at(b, x), v.hit(0.05, 70, 0.7), 0.05, -0.4);
        }
        if (section === 'hook') melody(b, 24, (f, s) => v.pluck(f, s, 0.997), 0.2, -0.2);
        break;
      }
      case 'upbeat': {
        // Funky off-beat stabs, an octave-jumping bass, claps on two and four.
        for (const x of [0.5, 1.5, 2.5, 3.25]) for (const note of chord) mix.add(at(b, x), v.keys(hz(note + 12), beat * 0.35), 0.08, -0.3);
        if (section !== 'intro') {
          for (let x = 0; x < 4; x += 0.5) {
            const note = bassNote + (x % 1 === 0.5 ? 12 : 0);
            mix.add(at(b, x), v.bass(hz(note), beat * 0.45, 6), 0.28, 0);
          }
        }
        if (drums) {
          for (let x = 0; x < 4; x++) mix.add(at(b, x), v.kick(0.9), x % 2 === 0 ? 0.6 : 0.35, 0);
          for (const x of [1, 3]) {
            for (const d of [0, 0.012, 0.024]) mix.add(at(b, x) + d, v.hit(0.12, 30, 0.4), 0.1, 0.1);
          }
          for (let x = 0; x < 4; x += 0.25) mix.add(at(b, x), v.hit(0.04, 90, 0.75), x % 0.5 === 0 ? 0.05 : 0.03, 0.4);
        }
        if (section === 'hook') melody(b, 24, (f, s) => v.lead(f, s), 0.07, 0.2);
        break;
      }
      case 'energetic': {
        // Four on the floor, a pumping pad, a sixteenth-note arpeggio, a rolling off-beat bass.
        for (let x = 0; x < 4; x++) for (const note of chord) mix.add(at(b, x), v.pad(hz(note + 12), beat * 0.9, 0.6), 0.045, -0.25);
        for (let x = 0; x < 4; x += 0.25) {
          const note = (chord[Math.floor(x * 4) % chord.length] ?? root) + 24;
          mix.add(at(b, x), v.pluck(hz(note), beat * 0.3, 0.99), 0.1, 0.4);
        }
        if (section !== 'intro') for (let x = 0.5; x < 4; x += 1) mix.add(at(b, x), v.bass(hz(bassNote), beat * 0.45, 4), 0.33, 0);
        if (drums) {
          for (let x = 0; x < 4; x++) mix.add(at(b, x), v.kick(1), 0.65, 0);
          for (const x of [1, 3]) mix.add(at(b, x), v.hit(0.18, 20, 0.3, 0.25), 0.14, 0);
          for (let x = 0; x < 4; x += 0.25) mix.add(at(b, x), v.hit(0.04, 80, 0.8), 0.04, -0.3);
        }
        if (section === 'hook') melody(b, 24, (f, s) => v.lead(f, s), 0.06, 0);
        break;
      }
      case 'power': {
        // Palm-muted eighths of power chords, a heavy beat, a riff an octave up in the hook.
        const chordRoot = degree(chordDegree, 0) - 12;
        for (let x = 0; x < 4; x += 0.5) {
          const isAccent = x === 0 || x === 2.5;
          mix.add(at(b, x), v.power(hz(chordRoot), isAccent ? beat * 0.9 : beat * 0.3), isAccent ? 0.16 : 0.1, -0.5);
          mix.add(at(b, x) + 0.01, v.power(hz(chordRoot) * 1.002, isAccent ? beat * 0.9 : beat * 0.3), isAccent ? 0.16 : 0.1, 0.5);
        }
        if (section !== 'intro') for (let x = 0; x < 4; x += 0.5) mix.add(at(b, x), v.bass(hz(bassNote), beat * 0.45, 3), 0.3, 0);
        if (drums || section === 'intro') {
          for (const x of [0, 0.5, 2, 2.25, 2.5]) mix.add(at(b, x), v.kick(1), 0.6, 0);
          for (const x of [1, 3]) mix.add(at(b, x), v.hit(0.3, 12, 0.2, 0.45), 0.22, 0);
          for (let x = 0; x < 4; x += 0.5) mix.add(at(b, x), v.hit(0.09, 40, 0.6), 0.05, 0.3);
        }
        if (section === 'hook') melody(b, 12, (f, s) => v.lead(f, s), 0.06, 0.1);
        break;
      }
    }

    function melody(b: number, up: number, voice: (freq: number, s: number) => Float32Array, gain: number, pan: number): void {
      const half = b % 2;
      for (let k = 0; k < motifRhythm.length; k++) {
        const start = (motifRhythm[k] ?? 0) - 4 * half;
        if (start < 0 || start >= 4) continue;
        const end = motifRhythm[k + 1] ?? 8;
        const note = degree(chordDegree + (motifSteps[k] ?? 0) + (Math.floor((b - 4) / 2) % 2), 0) + up;
        mix.add(at(b, start), voice(hz(note), Math.max(0.15, (end - (motifRhythm[k] ?? 0)) * beat * 0.9)), gain, pan);
      }
    }
  }
  return { left: mix.left, right: mix.right, seconds, tempo };
}

// --- Encoding ------------------------------------------------------------------------------------

function pcm(piece: Piece): Buffer {
  let peak = 1e-6;
  for (let i = 0; i < piece.left.length; i++) peak = Math.max(peak, Math.abs(piece.left[i] ?? 0), Math.abs(piece.right[i] ?? 0));
  const out = Buffer.alloc(piece.left.length * 4);
  const scale = 0.9 / peak;
  const n = piece.left.length;
  for (let i = 0; i < n; i++) {
    // A short fade in, and a fade out over the last two seconds (the reverb tails ring there).
    const fade = Math.min(1, i / (0.05 * RATE), (n - i) / (2 * RATE)) * scale;
    out.writeInt16LE(Math.round(Math.tanh((piece.left[i] ?? 0) * fade) * 32_000), i * 4);
    out.writeInt16LE(Math.round(Math.tanh((piece.right[i] ?? 0) * fade) * 32_000), i * 4 + 2);
  }
  return out;
}

async function encode(file: string, audio: Buffer, comments: string[], mood: Mood): Promise<void> {
  const room = mood === 'power' || mood === 'energetic' ? ['reverb', '20', '50', '60'] : ['reverb', '45', '40', '90'];
  const args = [
    ...['-q', '-t', 'raw', '-r', String(RATE), '-e', 'signed', '-b', '16', '-c', '2', '-'],
    ...['-C', '3'],
    ...comments.flatMap((c) => ['--add-comment', c]),
    file,
    ...['gain', '-4'],
    ...room,
    ...['gain', '-n', '-1.5'],
  ];
  await new Promise<void>((done, fail) => {
    const sox = spawn('sox', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    sox.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    sox.on('error', fail);
    // sox may stop reading early on an error: its exit code and message say why.
    sox.stdin.on('error', () => undefined);
    sox.on('close', (code) => (code === 0 ? done() : fail(new Error(`Expected sox to encode ${file}, got exit code ${code}: ${stderr}`))));
    sox.stdin.end(audio);
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const value = args[i + 1];
    args.splice(i, 2);
    return value;
  };
  const seconds = option('--seconds');
  const jobs = Number(option('--jobs') ?? availableParallelism());
  const only = option('--only')?.split(',');
  const out = resolve(args[0] ?? join(import.meta.dirname, '..', 'demo', 'library'));
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  const pieces = DEMO_PIECES.map((piece, index) => ({ piece, index })).filter(
    ({ piece }) => !only || only.some((p) => piece.file.startsWith(p)),
  );
  let done = 0;
  const queue = [...pieces];
  await Promise.all(
    Array.from({ length: Math.max(1, jobs) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { piece, index } = next;
        const composed = compose(piece, index, seconds === undefined ? undefined : Number(seconds));
        const style = STYLES[piece.mood];
        const comments = [
          `TITLE=${piece.title}`,
          `ARTIST=${piece.artist}`,
          `ALBUM=${style.album}`,
          `GENRE=${style.genre}`,
          'DATE=2026',
          `TRACKNUMBER=${(index % 4) + 1}`,
          `BPM=${composed.tempo}`,
          'LANGUAGE=zxx',
          pictureComment(coverPng(piece)),
        ];
        const target = join(out, piece.file);
        rmSync(target, { force: true });
        await encode(target, pcm(composed), comments, piece.mood);
        done += 1;
        process.stderr.write(
          `  [${done}/${pieces.length}] ${piece.file} (${piece.mood}, ${composed.tempo} bpm, ${composed.seconds.toFixed(0)} s)\n`,
        );
      }
    }),
  );
  writeFileSync(
    join(out, 'moods.csv'),
    ['path,moods', ...DEMO_PIECES.map((p) => `${p.file},${p.mood}:1;${STYLES[p.mood].also[0]}:${STYLES[p.mood].also[1]}`)].join('\n') +
      '\n',
  );
  writeFileSync(
    join(out, 'LICENSE.txt'),
    'These pieces were generated by scripts/make-demo-music.ts (a small synthesizer and sox).\n' +
      'They contain no recorded music and may be shipped and used freely (CC0).\n',
  );
  process.stderr.write(`made ${pieces.length} pieces in ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    process.stderr.write(`make-demo-music: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
