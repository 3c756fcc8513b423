/**
 * What reading the light costs the vision loop on this CPU: each face's light (contrast and
 * sensor noise of its 48x48 crop, `measureFaceLight`) and the frame's at each full scan (the
 * middle of a 640x480 frame turned grey by OpenCV, `LightReader.measureFrame`), and a grainy face
 * smoothed before it is read (`denoiseFace` with the shipped rule's widest step: its light measured,
 * then a 5-tap blur). Prints µs per call, median of rounds.
 * Run: npx tsx scripts/bench-light.ts [rounds]
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { blurFace, denoiseFace } from '../src/vision/denoise-crop.js';
import { measureFaceLight } from '../src/vision/light-measure.js';
import { LightReader } from '../src/vision/light-reader.js';
import { loadOpencv } from '../src/vision/opencv.js';

const rounds = Number(process.argv[2] ?? 7);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Microseconds per call of `fn`, median of `rounds` rounds of `calls` calls. */
async function perCall(calls: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    times.push(((performance.now() - start) * 1000) / calls);
  }
  return median(times);
}

// What the pixels hold does not change the work done: a dim, grainy crop and a dark frame.
const crop = new Uint8Array(48 * 48).map((_, i) => 40 + ((i * 2654435761) % 23));
const cv = await loadOpencv();
const frame = new cv.Mat(480, 640, cv.CV_8UC3, [30, 32, 35]);
const reader = new LightReader({ labels: () => 8 });

const face = await perCall(20_000, () => measureFaceLight(crop, 48));
const whole = await perCall(200, () => reader.measureFrame(frame));
const widest = [10, 61, 114, 61, 10];
const smoothed = await perCall(5_000, () => denoiseFace(crop, { steps: [{ fromNoise: 0, kernel: widest }] }));
const blurred = await perCall(5_000, () => blurFace(crop, widest));
console.log(`cpu: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores)`);
console.log(`face light (48x48 crop):              ${face.toFixed(1)} µs per face`);
console.log(`frame light (middle of 640x480, grey): ${whole.toFixed(1)} µs per full scan`);
console.log(`a grainy face smoothed (light + blur):  ${smoothed.toFixed(1)} µs per face (the blur alone ${blurred.toFixed(1)} µs)`);
