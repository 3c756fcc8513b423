import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { measureRoughness, pairDissonance } from './roughness.js';

const RATE = 11025;

/** `seconds` of sines at the given frequencies (Hz), equal amplitude. */
function sines(hz: readonly number[], seconds: number, amplitude = 0.3): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) =>
    hz.reduce((s, f) => s + amplitude * Math.sin((2 * Math.PI * f * i) / RATE), 0),
  );
}

describe('pairDissonance', () => {
  it('peaks for partials a quarter of a critical band apart and vanishes for unison and wide intervals', () => {
    expect(pairDissonance(440, 440)).toBe(0);
    expect(pairDissonance(440, 466)).toBeGreaterThan(0.15);
    expect(pairDissonance(440, 660)).toBeLessThan(0.01);
  });
});

describe('measureRoughness', () => {
  it('hears a minor second as rough and a fifth as smooth', () => {
    const second = measureRoughness([sines([440, 466.16], 4)], RATE).roughness;
    const fifth = measureRoughness([sines([440, 659.26], 4)], RATE).roughness;
    const tone = measureRoughness([sines([440], 4)], RATE).roughness;
    expect(second).toBeGreaterThan(0.05);
    expect(fifth).toBeLessThan(second / 10);
    expect(tone).toBeLessThan(0.01);
  });

  it('does not follow the level', () => {
    const loud = measureRoughness([sines([440, 466.16], 4, 0.3)], RATE).roughness;
    const quiet = measureRoughness([sines([440, 466.16], 4, 0.003)], RATE).roughness;
    expect(quiet).toBeCloseTo(loud, 6);
  });

  it('reads noise as rougher than a fifth, and silence as nothing', () => {
    const random = seededRandom(5);
    const noise = Float32Array.from({ length: 4 * RATE }, () => 0.2 * (random.next() - 0.5));
    expect(measureRoughness([noise], RATE).roughness).toBeGreaterThan(measureRoughness([sines([440, 659.26], 4)], RATE).roughness);
    expect(measureRoughness([new Float32Array(4 * RATE)], RATE)).toEqual({ roughness: 0, roughnessStd: 0 });
  });
});
