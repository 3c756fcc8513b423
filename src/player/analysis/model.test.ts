import { describe, expect, it } from 'vitest';
import { loadMusicMoodModel, parseMusicMoodModel, toPlane, type MusicMoodModel } from './model.js';

const KNOTS = { raw: [-0.5, 0, 0.5], plane: [-0.9, 0.3, 0.8] };

describe('toPlane', () => {
  it('puts raw predictions on the listeners\u2019 scale through the calibration knots', () => {
    const out = { center: 0, gain: 1, calibration: KNOTS };
    // The middle prediction lands where the listeners' middle is, not at 0.
    expect(toPlane(0, out)).toBeCloseTo(0.3, 9);
    expect(toPlane(-0.25, out)).toBeCloseTo(-0.3, 9);
    expect(toPlane(0.25, out)).toBeCloseTo(0.55, 9);
    // Beyond the knots it moves on with the slope `gain`, within the plane.
    expect(toPlane(0.6, out)).toBeCloseTo(0.9, 9);
    expect(toPlane(3, out)).toBe(1);
    expect(toPlane(-3, out)).toBe(-1);
  });

  it('keeps the order of the predictions', () => {
    const out = { center: 0, gain: 0.5, calibration: KNOTS };
    const raws = Array.from({ length: 41 }, (_, i) => -1 + i / 20);
    const planes = raws.map((r) => toPlane(r, out));
    for (let i = 1; i < planes.length; i++) {
      expect(planes[i]).toBeGreaterThanOrEqual(planes[i - 1]!);
      // Two predictions apart stay apart inside the plane: only its edges join them.
      if (planes[i - 1]! > -1 && planes[i]! < 1) expect(planes[i]).toBeGreaterThan(planes[i - 1]!);
    }
    expect([planes[0], planes.at(-1)]).toEqual([-1, 1]);
  });

  it('without calibration maps by centre and gain', () => {
    expect(toPlane(0.5, { center: 0.3, gain: 2 })).toBeCloseTo(0.4, 9);
  });
});

describe('parseMusicMoodModel', () => {
  const base = (): Record<string, unknown> => ({
    version: 1,
    inputs: [{ feature: 'loudnessLufs', transform: 'identity', mean: -15, std: 4, range: [-3, 2] }],
    arousal: { intercept: 0, weights: [0.1], center: 0, gain: 1, calibration: KNOTS },
    valence: { intercept: 0, weights: [0.1], center: 0, gain: 1 },
  });

  it('accepts a calibrated model with a fallback', () => {
    const m = { ...base(), fallback: { ...base(), whenOutside: 0 } };
    delete (m.fallback as { version?: unknown }).version;
    expect(parseMusicMoodModel(m).fallback?.whenOutside).toBe(0);
  });

  it('names a calibration whose knots do not increase', () => {
    const m = base();
    (m['arousal'] as Record<string, unknown>)['calibration'] = { raw: [0, 0], plane: [0, 1] };
    expect(() => parseMusicMoodModel(m)).toThrow(/`arousal.calibration`/);
  });

  it('names a fallback without its inputs', () => {
    const m = { ...base(), fallback: { whenOutside: 3 } };
    expect(() => parseMusicMoodModel(m)).toThrow(/`fallback.inputs`/);
  });
});

describe('the shipped model', () => {
  const model: MusicMoodModel = loadMusicMoodModel();

  // Issue 39: centred on the dev set's mean and shrunk to the middle, half the pieces fell in
  // mellow and power. Calibrated, the middle of the predictions lands on the listeners' middle.
  it('places the middle of its predictions where the listeners\u2019 middle is: pleasant, not neutral', () => {
    const valence = model.valence.calibration!;
    const middle = valence.plane[Math.floor(valence.plane.length / 2)]!;
    expect(middle).toBeGreaterThan(0.2);
    // Its predictions reach both ends of the plane, as the listeners' ratings do.
    for (const out of [model.arousal, model.valence]) {
      expect(out.calibration!.plane[0]).toBeLessThan(-0.6);
      expect(out.calibration!.plane.at(-1)).toBeGreaterThan(0.8);
    }
  });

  it('has a fallback for music unlike the dev set, with ranges for every input', () => {
    expect(model.fallback).toBeDefined();
    expect(model.inputs.every((i) => i.range !== undefined)).toBe(true);
  });
});
