import { describe, expect, it } from 'vitest';
import { keyCorrelations, measureHarmony } from './harmony.js';

const RATE = 11025;

/** `seconds` of the given notes (Hz) sounding together, each with its octave (the third harmonic, a fifth above, would blur major and minor). */
function chord(notes: readonly number[], seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * RATE));
  for (const hz of notes) {
    for (let h = 1; h <= 2; h++) {
      for (let i = 0; i < out.length; i++) out[i]! += (0.15 / h) * Math.sin((2 * Math.PI * hz * h * i) / RATE);
    }
  }
  return out;
}

/** Chords taking turns every `turnS` seconds. */
function progression(chords: readonly (readonly number[])[], turnS: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * RATE));
  const parts = chords.map((notes) => chord(notes, seconds));
  for (let i = 0; i < out.length; i++) out[i] = parts[Math.floor(i / (turnS * RATE)) % parts.length]![i]!;
  return out;
}

const C_MAJOR = [261.63, 329.63, 392.0];
const C_MINOR = [261.63, 311.13, 392.0];
const F_MAJOR = [349.23, 440.0, 523.25];
const G_MAJOR = [392.0, 493.88, 587.33];

describe('measureHarmony', () => {
  it('hears a major triad as major and a minor triad as minor, segment by segment', () => {
    const major = measureHarmony([chord(C_MAJOR, 12)], RATE);
    const minor = measureHarmony([chord(C_MINOR, 12)], RATE);
    expect(major.minorShare).toBe(0);
    expect(minor.minorShare).toBe(1);
    expect(major.localModeStrength).toBeGreaterThan(0);
    expect(minor.localModeStrength).toBeLessThan(0);
    expect(major.localKeyClarity).toBeGreaterThan(0.5);
  });

  it('counts the share of the time the music is minor', () => {
    // 6 s of C major then 6 s of C minor: two of four 3 s segments are minor.
    const samples = new Float32Array(Math.round(12 * RATE));
    samples.set(chord(C_MAJOR, 6));
    samples.set(chord(C_MINOR, 6), Math.round(6 * RATE));
    expect(measureHarmony([samples], RATE).minorShare).toBeCloseTo(0.5, 1);
  });

  it('reads a held chord as still and a quick progression as moving', () => {
    const held = measureHarmony([chord(C_MAJOR, 12)], RATE);
    const moving = measureHarmony([progression([C_MAJOR, F_MAJOR, G_MAJOR], 0.75, 12)], RATE);
    expect(held.harmonicChange).toBeLessThan(0.05);
    expect(moving.harmonicChange).toBeGreaterThan(0.2);
  });

  it('gives zeros for silence', () => {
    expect(measureHarmony([new Float32Array(RATE * 4)], RATE)).toEqual({
      harmonicChange: 0,
      localModeStrength: 0,
      minorShare: 0,
      localKeyClarity: 0,
    });
  });
});

describe('keyCorrelations', () => {
  it('matches the major profile best for the notes of a major scale', () => {
    const scale = [1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1];
    const { major, minor } = keyCorrelations(scale);
    expect(major).toBeGreaterThan(minor);
  });
});
