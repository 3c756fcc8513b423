/**
 * What smoothing a grainy frame only where the detector scans saves: between full scans the
 * detector looks only around the tracked faces, and in a dim room (grain from 12, a 5x5 kernel) the
 * whole 640x480 frame used to be smoothed first. Runs YuNet, one thread, on the fixture photos with
 * a dim webcam's grain added, around their first face (one region) and their first four (the
 * regions then cost more than a full scan, which smooths the whole frame either way), both ways in
 * turn, and prints the CPU time a frame takes (p50 and mean of 400, after 100 unmeasured).
 *
 *   node --import tsx scripts/measure-region-smoothing.ts
 */
import type { Box } from '../src/vision/face-detector.js';
import { seededRandom } from '../src/kernel/random.js';
import { readImage } from '../src/vision/image-io.js';
import { smoothForDetection } from '../src/vision/light-reader.js';
import { loadOpencv } from '../src/vision/opencv.js';
import { FIXTURE_FACES, fixturePath } from '../src/vision/testing/fixtures.js';
import { YunetFaceDetector } from '../src/vision/yunet-face-detector.js';

const cv = await loadOpencv();
cv.setNumThreads(1);
const detector = new YunetFaceDetector();
await detector.load();
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

for (const [name, tracked] of [
  ['happy-face', 1],
  ['group', 4],
] as const) {
  const photo = await readImage(fixturePath(name));
  // A dim webcam's grain: ±30 grey levels, seeded.
  const random = seededRandom(3);
  const pixels = photo.getData();
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, (pixels[i] ?? 0) + Math.round((random.next() - 0.5) * 60)));
  const frame = new cv.Mat(pixels, photo.rows, photo.cols, cv.CV_8UC3);
  photo.release();
  const near: Box[] = FIXTURE_FACES[name].slice(0, tracked).map(({ box: [x, y, width, height] }) => ({ x, y, width, height }));
  const measure = async (how: string, detect: () => Promise<unknown>): Promise<void> => {
    for (let i = 0; i < 100; i++) await detect();
    const times: number[] = [];
    for (let i = 0; i < 400; i++) {
      const before = cpuMs();
      await detect();
      times.push(cpuMs() - before);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
    console.log(`${name}, ${tracked} tracked, ${how}: CPU p50 ${(times[200] ?? 0).toFixed(3)} ms, mean ${mean.toFixed(3)} ms`);
  };
  for (let round = 0; round < 2; round++) {
    await measure('the whole frame smoothed, then the regions (before)', async () => {
      const seen = await smoothForDetection(frame, 5);
      try {
        await detector.detect(seen, { near });
      } finally {
        seen.release();
      }
    });
    await measure('the regions smoothed alone', () => detector.detect(frame, { near, smooth: 5 }));
  }
  frame.release();
}
