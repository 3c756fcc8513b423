import { describe, expect, it } from 'vitest';
import { measureLight } from './light-measure.js';
import { LightReader, measurePicture } from './light-reader.js';
import { normal, seededRandom } from './lab/dim-camera.js';
import { loadOpencv } from './opencv.js';

/** A 640x480 grey room: a soft gradient, a bright lamp, and a camera's grain of `sigma` grey levels. */
function room(sigma: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const out = new Uint8Array(640 * 480);
  for (let y = 0; y < 480; y++) {
    for (let x = 0; x < 640; x++) {
      const v = 40 + 0.2 * y + 120 * Math.exp(-((x - 300) ** 2 + (y - 200) ** 2) / 4000) + sigma * normal(random);
      out[y * 640 + x] = Math.min(255, Math.max(0, Math.round(v)));
    }
  }
  return out;
}

describe('LightReader.measureFrame', () => {
  it('measures the middle of a frame as the face measure does, in grey and in colour', async () => {
    const cv = await loadOpencv();
    for (const [sigma, seed] of [
      [0, 1],
      [4, 2],
      [20, 3],
    ] as const) {
      const pixels = room(sigma, seed);
      const middle = new Uint8Array(320 * 240);
      for (let y = 0; y < 240; y++) middle.set(pixels.subarray((y + 120) * 640 + 160, (y + 120) * 640 + 480), y * 320);
      const expected = measureLight(middle, 320, 240);
      const grey = new cv.Mat(Buffer.from(pixels), 480, 640, cv.CV_8UC1);
      const colour = grey.cvtColor(cv.COLOR_GRAY2BGR);
      for (const frame of [grey, colour]) {
        const reader = new LightReader({ labels: () => 7 });
        await reader.measureFrame(frame);
        const light = reader.frame!;
        expect(light.brightness).toBeCloseTo(expected.brightness, 9);
        expect(light.contrast).toBeCloseTo(expected.contrast, 9);
        expect(light.noise).toBeCloseTo(expected.noise, 9);
        expect(light.clarity).toBeCloseTo(expected.clarity, 9);
      }
      // The grain found is the grain put in.
      if (sigma > 0) expect(expected.noise / sigma).toBeGreaterThan(0.9);
      grey.release();
      colour.release();
    }
  });

  it('tells a dark, grainy room from a lit one, and smooths only the grainy one for the detector', async () => {
    const cv = await loadOpencv();
    const lit = new LightReader({ labels: () => 7 });
    await lit.measureFrame(new cv.Mat(Buffer.from(room(1, 4)), 480, 640, cv.CV_8UC1));
    expect(lit.isTooDarkToSee).toBe(false);
    expect(lit.detectionKernel).toBe(0);
    const dim = new LightReader({ labels: () => 7 });
    await dim.measureFrame(new cv.Mat(Buffer.from(room(22, 5)), 480, 640, cv.CV_8UC1));
    expect(dim.isTooDarkToSee).toBe(true);
    expect(dim.detectionKernel).toBe(5);
  });

  it('refuses a picture that is not 8-bit grey', async () => {
    const cv = await loadOpencv();
    expect(() => measurePicture(cv, new cv.Mat(10, 10, cv.CV_8UC3))).toThrow(/8-bit grey picture/);
  });
});
