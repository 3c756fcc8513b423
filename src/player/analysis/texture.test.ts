import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { measureTexture } from './texture.js';

const RATE = 11025;

function tone(hz: number, seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / RATE));
}

function noise(seconds: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: Math.round(seconds * RATE) }, () => 0.5 * (random.next() - 0.5));
}

describe('measureTexture', () => {
  it('reads white noise as flat and a tone as far from flat, each steady', () => {
    const white = measureTexture([noise(4, 1)], RATE);
    const sine = measureTexture([tone(1000, 4)], RATE);
    expect(white.voiceFlatness).toBeGreaterThan(-1);
    expect(sine.voiceFlatness).toBeLessThan(-5);
    expect(white.flatnessStd).toBeLessThan(0.3);
    expect(sine.flatnessStd).toBeLessThan(0.3);
  });

  it('reads music that moves between tone and noise as varying in flatness', () => {
    const samples = new Float32Array(8 * RATE);
    for (let s = 0; s < 8; s++) samples.set(s % 2 === 0 ? tone(1000, 1) : noise(1, s), s * RATE);
    expect(measureTexture([samples], RATE).flatnessStd).toBeGreaterThan(2);
  });

  it('puts the energy of a tone in the voice band or out of it', () => {
    expect(measureTexture([tone(1000, 2)], RATE).voiceShare).toBeGreaterThan(0.99);
    expect(measureTexture([tone(100, 2)], RATE).voiceShare).toBeLessThan(0.01);
    const white = measureTexture([noise(2, 2)], RATE).voiceShare;
    expect(white).toBeGreaterThan(0.5);
    expect(white).toBeLessThan(0.65);
  });
});
