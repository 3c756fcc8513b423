/**
 * The demo music's voices: a seeded random generator, scales, and the instruments of the small
 * synthesizer (pad, electric piano, plucked string, bass, lead, power chord, kick, noise hits), each
 * one note as samples at `RATE`, and the stereo `Mix` they are added into. The pieces are in
 * `demo-music-pieces.ts`, their arrangement in `make-demo-music.ts`.
 */

/** Samples per second of every voice and of the mix. */
export const RATE = 32_000;
const TWO_PI = Math.PI * 2;

// --- A seeded random generator ------------------------------------------------------------------

export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

export function hash(text: string): number {
  let h = 2_166_136_261;
  for (const c of text) h = Math.imul(h ^ (c.codePointAt(0) ?? 0), 16_777_619);
  return h >>> 0;
}

// --- Instruments: each adds one note into a stereo buffer ---------------------------------------

export const SCALES = { major: [0, 2, 4, 5, 7, 9, 11], minor: [0, 2, 3, 5, 7, 8, 10], dorian: [0, 2, 3, 5, 7, 9, 10] } as const;

export const hz = (midi: number): number => 440 * 2 ** ((midi - 69) / 12);

/** Notes repeat bar after bar: each distinct one is synthesised once (a few variants of the noisy ones). */
const NOTES = new Map<string, Float32Array>();
export function note(key: string, make: () => Float32Array): Float32Array {
  let samples = NOTES.get(key);
  if (samples === undefined) {
    samples = make();
    NOTES.set(key, samples);
  }
  return samples;
}

/** Forgets the notes synthesised so far (a new piece has its own). */
export function forgetNotes(): void {
  NOTES.clear();
}

export class Mix {
  readonly left: Float32Array;
  readonly right: Float32Array;
  constructor(readonly length: number) {
    this.left = new Float32Array(length);
    this.right = new Float32Array(length);
  }
  add(at: number, samples: Float32Array, gain: number, pan: number): void {
    const l = gain * Math.cos(((pan + 1) * Math.PI) / 4);
    const r = gain * Math.sin(((pan + 1) * Math.PI) / 4);
    const start = Math.round(at * RATE);
    const end = Math.min(this.length, start + samples.length);
    for (let i = Math.max(0, start); i < end; i++) {
      const v = samples[i - start] ?? 0;
      this.left[i] = (this.left[i] ?? 0) + v * l;
      this.right[i] = (this.right[i] ?? 0) + v * r;
    }
  }
}

/** Attack / release envelope (s) over a note of `seconds`. */
export function envelope(i: number, n: number, attack: number, release: number): number {
  const a = Math.max(1, attack * RATE);
  const r = Math.max(1, release * RATE);
  return Math.min(1, i / a, (n - i) / r);
}

/** A soft pad: three detuned saws through a one-pole low-pass, slow in and out. */
export function pad(freq: number, seconds: number, brightness: number): Float32Array {
  const n = Math.round(seconds * RATE);
  const out = new Float32Array(n);
  const detune = [0.996, 1, 1.004];
  const phase = [0.1, 0.4, 0.7];
  const cutoff = 1 - Math.exp((-TWO_PI * (400 + 2400 * brightness)) / RATE);
  let y = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < 3; k++) {
      phase[k] = ((phase[k] ?? 0) + (freq * (detune[k] ?? 1)) / RATE) % 1;
      s += 2 * (phase[k] ?? 0) - 1;
    }
    y += cutoff * (s / 3 - y);
    out[i] = y * envelope(i, n, Math.min(0.6, seconds / 3), Math.min(0.8, seconds / 3));
  }
  return out;
}

/** An electric piano: a two-operator FM tone whose brightness fades as it rings. */
export function keys(freq: number, seconds: number): Float32Array {
  const n = Math.round((seconds + 0.4) * RATE);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const index = 1.6 * Math.exp(-t * 4);
    const s = Math.sin(TWO_PI * freq * t + index * Math.sin(TWO_PI * freq * t)) * Math.exp(-t * 1.6);
    out[i] = s * envelope(i, n, 0.004, 0.3);
  }
  return out;
}

/** A plucked string (Karplus–Strong): `seed` makes the noise burst the same every run. */
export function pluck(freq: number, seconds: number, random: () => number, damping = 0.996): Float32Array {
  const n = Math.round((seconds + 0.3) * RATE);
  const period = Math.max(2, Math.round(RATE / freq));
  const ring = new Float32Array(period);
  for (let i = 0; i < period; i++) ring[i] = random() * 2 - 1;
  const out = new Float32Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const j = i % period;
    const v = ring[j] ?? 0;
    const next = damping * 0.5 * (v + prev);
    prev = v;
    ring[j] = next;
    out[i] = v * envelope(i, n, 0.002, 0.2);
  }
  return out;
}

/** A bass note: sine plus a little of its octave, plucky or round. */
export function bass(freq: number, seconds: number, decay: number): Float32Array {
  const n = Math.round(seconds * RATE);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const s = Math.sin(TWO_PI * freq * t) + 0.3 * Math.sin(TWO_PI * 2 * freq * t) + 0.12 * Math.sin(TWO_PI * 3 * freq * t);
    out[i] = Math.tanh(1.4 * s) * Math.exp(-t * decay) * envelope(i, n, 0.005, 0.05);
  }
  return out;
}

/** A lead: a square wave with vibrato and a low-pass. */
export function lead(freq: number, seconds: number): Float32Array {
  const n = Math.round(seconds * RATE);
  const out = new Float32Array(n);
  let phase = 0;
  let y = 0;
  const cutoff = 1 - Math.exp((-TWO_PI * 2200) / RATE);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    phase = (phase + (freq * (1 + 0.004 * Math.sin(TWO_PI * 5.5 * t) * Math.min(1, t * 3))) / RATE) % 1;
    y += cutoff * ((phase < 0.5 ? 1 : -1) - y);
    out[i] = y * envelope(i, n, 0.01, 0.08);
  }
  return out;
}

/** A power chord: root, fifth and octave on detuned saws, driven into distortion, then darkened. */
export function powerChord(freq: number, seconds: number): Float32Array {
  const n = Math.round(seconds * RATE);
  const out = new Float32Array(n);
  const ratios = [1, 1.4983, 2, 1.003];
  const phase = [0, 0.3, 0.6, 0.2];
  let y = 0;
  const cutoff = 1 - Math.exp((-TWO_PI * 1800) / RATE);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < ratios.length; k++) {
      phase[k] = ((phase[k] ?? 0) + (freq * (ratios[k] ?? 1)) / RATE) % 1;
      s += 2 * (phase[k] ?? 0) - 1;
    }
    y += cutoff * (Math.tanh(2.5 * s) - y);
    out[i] = y * envelope(i, n, 0.004, 0.03);
  }
  return out;
}

export function kick(punch: number): Float32Array {
  const n = Math.round(0.35 * RATE);
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    phase += (45 + 110 * punch * Math.exp(-t * 30)) / RATE;
    out[i] = Math.sin(TWO_PI * phase) * Math.exp(-t * 9);
  }
  return out;
}

export function noiseHit(seconds: number, decay: number, random: () => number, highpass: number, tone = 0): Float32Array {
  const n = Math.round(seconds * RATE);
  const out = new Float32Array(n);
  let prev = 0;
  let lp = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const white = random() * 2 - 1;
    // A one-pole high-pass (keep what the low-pass takes out) makes hats thin and snares crisp.
    lp += highpass * (white - lp);
    const hp = white - lp;
    prev = hp;
    out[i] = (prev + tone * Math.sin(TWO_PI * 185 * t)) * Math.exp(-t * decay);
  }
  return out;
}
