import { join } from 'node:path';
import type { Mat } from '@u4/opencv4nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../kernel/clock.js';
import { seededRandom } from '../kernel/random.js';
import { FakeClock } from '../daemon/testing/fake-clock.js';
import { FfmpegFrameSource } from './ffmpeg-frame-source.js';
import { OnnxEmotionClassifier } from './onnx-emotion-classifier.js';
import { loadOpencv, type Cv } from './opencv.js';
import { blockMeans, cropChange, READ_PACE, ReadPacer } from './read-pace.js';
import { FakeFrameSource } from './testing/fake-frame-source.js';
import { FIXTURES_DIR } from './testing/fixtures.js';
import type { FaceView, VisionEvents } from './vision-events.js';
import { VisionPipeline, type VisionPipelineOptions } from './vision-pipeline.js';
import { YunetFaceDetector } from './yunet-face-detector.js';

const SIDE = 48;

/** A 48 px crop: a gradient, and with `turned` a bright lower half (a stand-in for another face, or a head turned). */
function crop(turned = 0): Uint8Array {
  const out = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) out[y * SIDE + x] = turned !== 0 && y >= 24 ? 230 : 60 + x + y;
  return out;
}

describe('ReadPacer', () => {
  it('reads a new face at once, a steady one again after steadyMs, and a changed one at once', () => {
    const pacer = new ReadPacer();
    expect(pacer.isDue(1, crop(), SIDE, 0)).toBe(true);
    pacer.read(1, crop(), SIDE, 0);
    expect(pacer.isDue(1, crop(), SIDE, 100)).toBe(false);
    expect(pacer.isDue(1, crop(), SIDE, READ_PACE.steadyMs - 1)).toBe(false);
    expect(pacer.isDue(1, crop(), SIDE, READ_PACE.steadyMs)).toBe(true);
    expect(pacer.isDue(1, crop(1), SIDE, 100)).toBe(true);
    // Grain of a pixel's size barely moves a 4x4 block: not a change.
    const grainy = crop().map((v, i) => v + (i % 2 === 0 ? 12 : -12));
    expect(cropChange(blockMeans(crop(), SIDE), blockMeans(grainy, SIDE))).toBeLessThan(1);
    expect(pacer.isDue(1, grainy, SIDE, 100)).toBe(false);
    pacer.forget([1]);
    expect(pacer.isDue(1, crop(), SIDE, 100)).toBe(true);
  });

  it('reads a steady face in every frame while the mood is contested, twice a second again once it is not (a fake clock)', () => {
    const clock = new FakeClock();
    const pacer = new ReadPacer();
    const readAt = clock.monotonic();
    pacer.read(1, crop(), SIDE, readAt);
    const due = (contested: boolean): boolean => pacer.isDue(1, crop(), SIDE, clock.monotonic(), { contested });
    clock.advance(100);
    expect(due(false)).toBe(false);
    expect(due(true)).toBe(true);
    expect(pacer.isDueAfter(readAt, clock.monotonic(), { contested: true })).toBe(true);
    clock.advance(READ_PACE.steadyMs - 100);
    expect(due(false)).toBe(true);
    // A slower pace while contested, never slower than the steady one.
    const slower = new ReadPacer({ contestedMs: 200 });
    slower.read(1, crop(), SIDE, clock.monotonic());
    clock.advance(100);
    expect(slower.isDue(1, crop(), SIDE, clock.monotonic(), { contested: true })).toBe(false);
    clock.advance(100);
    expect(slower.isDue(1, crop(), SIDE, clock.monotonic(), { contested: true })).toBe(true);
    expect(slower.isDue(1, crop(), SIDE, clock.monotonic(), { contested: false })).toBe(false);
    expect(new ReadPacer({ steadyMs: 300, contestedMs: 1000 }).isDueAfter(0, 300, { contested: true })).toBe(true);
    expect(() => new ReadPacer({ contestedMs: -1 })).toThrow(RangeError);
  });

  it('reads every face in every frame with steadyMs 0, and refuses a negative pace', () => {
    const pacer = new ReadPacer({ steadyMs: 0 });
    pacer.read(1, crop(), SIDE, 0);
    expect(pacer.isDue(1, crop(), SIDE, 0)).toBe(true);
    expect(() => new ReadPacer({ steadyMs: -1 })).toThrow(RangeError);
  });
});

// The bundled clip through the real detector and the shipped int8 model, on a fake clock at 10
// frames a second: a happy face for 8 s, then a sad one in the same place, with a webcam's grain
// (σ 6 grey levels, a room at about a quarter of daylight) on every frame.
const MODEL = join(import.meta.dirname, '..', '..', 'models', 'emotion-int8.onnx');
const CLIP = join(FIXTURES_DIR, 'happy-then-sad.mp4');
const SAD_FROM_MS = 8000;

let cv: Cv;
const classifier = new OnnxEmotionClassifier({}, { modelPath: MODEL });
beforeAll(async () => {
  cv = await loadOpencv();
  await classifier.start(new AbortController().signal);
}, 60_000);
afterAll(async () => {
  await classifier.stop();
});

interface Run {
  pipeline: VisionPipeline;
  source: FakeFrameSource;
  moods: Array<{ mood: string; at: number }>;
}

function run(clock: FakeClock, options: VisionPipelineOptions): Run {
  const source = new FakeFrameSource();
  const pipeline = new VisionPipeline({ source, detector: new YunetFaceDetector(), classifier, clock }, options);
  const moods: Run['moods'] = [];
  pipeline.events.on('moodChanged', ({ mood, at }) => moods.push({ mood, at }), 'test');
  return { pipeline, source, moods };
}

/** `image` with seeded Gaussian grain of `sigma` grey levels (a new Mat). */
function grainy(image: Mat, sigma: number, random: ReturnType<typeof seededRandom>): Mat {
  const data = image.getData();
  for (let i = 0; i < data.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(Math.max(1e-12, random.next())));
    const t = 2 * Math.PI * random.next();
    data[i] = Math.max(0, Math.min(255, Math.round((data[i] ?? 0) + sigma * r * Math.cos(t))));
    if (i + 1 < data.length) data[i + 1] = Math.max(0, Math.min(255, Math.round((data[i + 1] ?? 0) + sigma * r * Math.sin(t))));
  }
  return new cv.Mat(data, image.rows, image.cols, cv.CV_8UC3);
}

describe('a steady face read at the pace its mood can change', () => {
  it('reads the face about twice a second while it holds, the change at once, and the mood follows as soon as reading every frame', async () => {
    const clock = new FakeClock();
    const started = clock.now();
    const everyFrame = run(clock, { readPace: false });
    const paced = run(clock, {});
    await everyFrame.pipeline.start(new AbortController().signal);
    await paced.pipeline.start(new AbortController().signal);
    const random = seededRandom(7);
    const clip = new FfmpegFrameSource({ clock: systemClock, log: { error() {} } }, { source: CLIP, realtime: false, reopen: false });
    const pacedFaces: Array<{ at: number; face: FaceView }> = [];
    for await (const frame of clip.frames(new AbortController().signal)) {
      const image = grainy(frame.image, 6, random);
      frame.image.release();
      clock.advance(100);
      for (const r of [everyFrame, paced]) {
        const analysed = new Promise<VisionEvents['facesDetected']>((resolve) => {
          const off = r.pipeline.events.on(
            'facesDetected',
            (f) => {
              off();
              resolve(f);
            },
            'test',
          );
        });
        r.source.push(image, clock.now());
        const seen = await analysed;
        if (r === paced) pacedFaces.push(...seen.faces.map((face) => ({ at: clock.now() - started, face })));
      }
      image.release();
    }
    await everyFrame.pipeline.stop();
    await paced.pipeline.stop();

    // Both rooms turn happy, then sad, the paced one no later (within one frame).
    expect(everyFrame.moods.map((m) => m.mood)).toEqual(['happy', 'sad']);
    expect(paced.moods.map((m) => m.mood)).toEqual(['happy', 'sad']);
    const lag = (r: Run, mood: string): number => (r.moods.find((m) => m.mood === mood)?.at ?? Number.NaN) - started;
    expect(lag(paced, 'happy') - lag(everyFrame, 'happy')).toBeLessThanOrEqual(100);
    expect(lag(paced, 'sad') - lag(everyFrame, 'sad')).toBeLessThanOrEqual(100);
    // The first frame of the sad face is read at once, not half a second later.
    expect(pacedFaces.find(({ at }) => at > SAD_FROM_MS)?.face).toMatchObject({ emotion: 'sad', readAgeMs: 0 });
    // While the room is happy and the face holds, it is read about twice a second: one frame in five.
    const holding = pacedFaces.filter(({ at }) => at > lag(paced, 'happy') && at <= SAD_FROM_MS);
    expect(holding.length).toBeGreaterThan(40);
    expect(holding.filter(({ face }) => face.readAgeMs === 0).length / holding.length).toBeLessThan(0.3);
    // Every frame's face read, against under a third over the clip: in every frame only while
    // sad contests the happy room (about 2 s of its 20 s).
    const share = (r: Run): number => r.pipeline.stats.facesRead / r.pipeline.stats.facesSeen;
    expect(share(everyFrame)).toBe(1);
    expect(share(paced)).toBeLessThan(0.35);
    expect(paced.pipeline.stats.facesSeen).toBeGreaterThan(150);
  }, 120_000);
});
