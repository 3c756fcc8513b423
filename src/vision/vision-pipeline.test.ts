import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mat } from '@u4/opencv4nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../kernel/clock.js';
import { FakeClock } from '../daemon/testing/fake-clock.js';
import { FER_LABELS } from './fer-csv.js';
import { HaarFaceDetector } from './haar-face-detector.js';
import { FfmpegFrameSource } from './ffmpeg-frame-source.js';
import { readImage } from './image-io.js';
import { loadOpencv, type Cv } from './opencv.js';
import { FakeEmotionClassifier, oneHot } from './testing/fake-emotion-classifier.js';
import { FakeFaceDetector } from './testing/fake-face-detector.js';
import { FakeFrameSource } from './testing/fake-frame-source.js';
import { FIXTURE_FACES, fixturePath, isOnFace } from './testing/fixtures.js';
import { targetFace } from './target-face.js';
import type { VisionEvents } from './vision-events.js';
import { NOBODY, VisionPipeline, type VisionPipelineOptions } from './vision-pipeline.js';

let cv: Cv;
let blank: Mat;
beforeAll(async () => {
  cv = await loadOpencv();
  blank = new cv.Mat(480, 640, cv.CV_8UC3, [90, 100, 110]);
});

const HAPPY = FER_LABELS.indexOf('happy');
const SAD = FER_LABELS.indexOf('sad');
const FACE = { x: 200, y: 120, width: 160, height: 160 };

/** Waits (on real time, briefly) until `condition` holds: the pipeline's work is async native calls. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Harness {
  logged: Array<{ level: string; msg: string; obj: object }>;
  clock: FakeClock;
  source: FakeFrameSource;
  detector: FakeFaceDetector;
  classifier: FakeEmotionClassifier;
  pipeline: VisionPipeline;
  seen: { [K in keyof VisionEvents]: Array<VisionEvents[K]> };
  /** Pushes one frame (`image`, or a blank one) 100 ms after the previous one and waits for its analysis. */
  step(image?: Mat): Promise<VisionEvents['facesDetected']>;
}

async function harness(options: VisionPipelineOptions = {}): Promise<Harness> {
  const clock = new FakeClock();
  const source = new FakeFrameSource();
  const detector = new FakeFaceDetector();
  const classifier = new FakeEmotionClassifier();
  const logged: Harness['logged'] = [];
  const log = {
    info: (obj: object, msg: string) => logged.push({ level: 'info', msg, obj }),
    warn: (obj: object, msg: string) => logged.push({ level: 'warn', msg, obj }),
  };
  const pipeline = new VisionPipeline(
    { source, detector, classifier, clock, log },
    // The fake detector's faces are flat patches of one grey, no face's light: each is read as well lit.
    { mood: { dwellMs: 1000, nobodyAfterMs: 2000 }, lightWeight: () => 1, ...options },
  );
  const seen = { cameraChanged: [], facesDetected: [], moodChanged: [], previewCaptured: [] } as Harness['seen'];
  for (const name of Object.keys(seen) as Array<keyof VisionEvents>)
    pipeline.events.on(name, (e) => (seen[name] as unknown[]).push(e), 'test');
  await pipeline.start(new AbortController().signal);
  return {
    logged,
    clock,
    source,
    detector,
    classifier,
    pipeline,
    seen,
    async step(image = blank) {
      const before = pipeline.stats.framesAnalysed;
      clock.advance(100);
      source.push(image, clock.now());
      await until(() => pipeline.stats.framesAnalysed > before, 'the frame to be analysed');
      return seen.facesDetected.at(-1)!;
    },
  };
}

describe('VisionPipeline', () => {
  it('turns a happy face that stays into a happy room, and an empty room into nobody', async () => {
    const h = await harness();
    h.detector.show([FACE]);
    h.classifier.respondWith(() => oneHot(FER_LABELS.length, HAPPY, 0.9));
    const first = await h.step();
    expect(h.seen.cameraChanged.map((c) => c.state)).toEqual(['on']);
    // A face counts from its second frame: a one-frame detection is not classified.
    expect(first.faces).toEqual([]);
    expect(h.classifier.calls).toEqual([]);
    const second = await h.step();
    expect(second.faces).toEqual([
      {
        trackId: 1,
        box: [200, 120, 160, 160],
        emotion: 'happy',
        confidence: 0.9,
        probabilities: expect.objectContaining({ happy: 0.9 }),
        isTarget: true,
        personal: false,
        steadyEmotion: 'happy',
        voteWeight: 1,
        light: { clarity: 0, brightness: expect.any(Number) as number, noise: 0, weight: 1 },
        readAgeMs: 0,
      },
    ]);
    expect(h.classifier.calls).toEqual([1]);
    expect(second.mood).toBe(NOBODY);
    for (let i = 0; i < 12; i++) await h.step();
    expect(h.seen.moodChanged.map((m) => m.mood)).toEqual(['happy']);
    expect(h.pipeline.mood).toBe('happy');
    expect(h.logged).toContainEqual({ level: 'info', msg: 'room mood changed', obj: { mood: 'happy', previous: NOBODY, faces: 1 } });

    h.detector.show([]);
    for (let i = 0; i < 25; i++) await h.step();
    expect(h.seen.facesDetected.at(-1)?.faces).toEqual([]);
    expect(h.seen.moodChanged.map((m) => m.mood)).toEqual(['happy', NOBODY]);
    await h.pipeline.stop();
    expect(h.seen.cameraChanged.at(-1)?.state).toBe('off');
  });

  it('weighs each face by what its size earns with the loaded model: one frowning face near the camera does not outvote two smiling at a table (issue 37)', async () => {
    const h = await harness();
    h.classifier.accuracyBySize = { '48': 0.682, '32': 0.629, '24': 0.6, '16': 0.446, '12': 0.341 };
    const near = { x: 60, y: 60, width: 160, height: 160 };
    const tables = [
      { x: 400, y: 200, width: 24, height: 24 },
      { x: 480, y: 210, width: 22, height: 24 },
    ];
    // The near face's pixels read angry, the others' happy (the fake classifier reads a face's centre).
    const room = blank.copy();
    room.drawRectangle(new cv.Rect(near.x, near.y, near.width, near.height), new cv.Vec3(7, 7, 7), -1);
    for (const t of tables) room.drawRectangle(new cv.Rect(t.x, t.y, t.width, t.height), new cv.Vec3(3, 3, 3), -1);
    h.classifier.respondWith((face) => oneHot(FER_LABELS.length, (face[24 * 48 + 24] ?? 0) % FER_LABELS.length, 0.9));
    h.detector.show([near, ...tables]);
    let last: VisionEvents['facesDetected'] | undefined;
    for (let i = 0; i < 20; i++) last = await h.step(room);
    expect(h.seen.moodChanged.map((m) => m.mood)).toEqual(['happy']);
    // Each face says how it votes: its steady emotion and the weight its size (the box's larger side) earns.
    const byWidth = new Map((last?.faces ?? []).map((f) => [f.box[2], { emotion: f.steadyEmotion, weight: f.voteWeight ?? NaN }]));
    expect(byWidth.get(160)).toEqual({ emotion: 'angry', weight: 1 });
    expect(byWidth.get(24)?.emotion).toBe('happy');
    expect(byWidth.get(24)?.weight).toBeCloseTo((0.6 - 1 / 7) / (0.682 - 1 / 7), 6);
    expect(byWidth.get(22)?.weight).toBeCloseTo(byWidth.get(24)?.weight ?? 0, 6);
    room.release();
    await h.pipeline.stop();
  });

  it('reads a steady face before its reading stops counting, however short the mood keeps a face', async () => {
    const h = await harness({ mood: { dwellMs: 200, faceTimeoutMs: 200 } });
    h.detector.show([FACE]);
    h.classifier.respondWith(() => oneHot(FER_LABELS.length, HAPPY, 0.9));
    for (let i = 0; i < 10; i++) await h.step();
    expect(h.seen.moodChanged.map((m) => m.mood)).toEqual(['happy']);
    expect(h.seen.facesDetected.slice(2).every((f) => f.faces.every((face) => (face.readAgeMs ?? 0) < 200))).toBe(true);
    await h.pipeline.stop();
  });

  it('follows a real change of expression but not a single odd frame', async () => {
    const h = await harness();
    h.detector.show([FACE]);
    let label = HAPPY;
    h.classifier.respondWith(() => oneHot(FER_LABELS.length, label, 0.9));
    for (let i = 0; i < 15; i++) await h.step();
    label = SAD;
    await h.step();
    label = HAPPY;
    for (let i = 0; i < 15; i++) await h.step();
    expect(h.seen.moodChanged.map((m) => m.mood)).toEqual(['happy']);
    label = SAD;
    for (let i = 0; i < 20; i++) await h.step();
    expect(h.seen.moodChanged.map((m) => m.mood)).toEqual(['happy', 'sad']);
    await h.pipeline.stop();
  });

  it('reads a steady face twice a second, and in every frame while another emotion contests the room mood, until the mood has changed', async () => {
    const h = await harness();
    h.detector.show([FACE]);
    let label = HAPPY;
    // The expression changes, the crop does not (a smile fading on the same face): only the pace finds it.
    h.classifier.respondWith(() => oneHot(FER_LABELS.length, label, 0.9));
    for (let i = 0; i < 30; i++) await h.step();
    expect(h.pipeline.mood).toBe('happy');
    const ages = (frames: ReadonlyArray<VisionEvents['facesDetected']>): number[] => frames.map((f) => f.faces[0]?.readAgeMs ?? NaN);
    expect(ages(h.seen.facesDetected.slice(-10)).filter((age) => age === 0)).toHaveLength(2);
    label = SAD;
    const from = h.seen.facesDetected.length;
    for (let i = 0; i < 30 && h.pipeline.mood !== 'sad'; i++) await h.step();
    expect(h.seen.moodChanged.map((m) => m.mood)).toEqual(['happy', 'sad']);
    // From the face's first sad reading (within half a second) to the room turning sad, every frame reads it afresh.
    const turning = h.seen.facesDetected.slice(from);
    const firstSad = turning.findIndex((f) => f.faces[0]?.emotion === 'sad');
    expect(firstSad).toBeGreaterThanOrEqual(0);
    expect(firstSad).toBeLessThan(5);
    expect(turning.length - firstSad).toBeGreaterThan(5);
    expect(ages(turning.slice(firstSad))).toEqual(turning.slice(firstSad).map(() => 0));
    // The room has changed: twice a second again.
    for (let i = 0; i < 10; i++) await h.step();
    expect(ages(h.seen.facesDetected.slice(-10)).filter((age) => age === 0)).toHaveLength(2);
    await h.pipeline.stop();
  });

  it('searches near tracked faces between full scans', async () => {
    const h = await harness({ fullScanEveryMs: 500 });
    h.detector.show([FACE]);
    for (let i = 0; i < 11; i++) await h.step();
    const kinds = h.detector.calls.map((c) => (c.near === undefined ? 'full' : 'near'));
    // Frames at 0, 100, … 1000 ms: full scans at 0, 500 and 1000 ms.
    expect(kinds).toEqual(['full', 'near', 'near', 'near', 'near', 'full', 'near', 'near', 'near', 'near', 'full']);
    expect(h.detector.calls[1]?.near).toEqual([FACE]);
    await h.pipeline.stop();
  });

  it('with a scan pace, scans the whole frame every 3 s while nothing moves away from the tracked face, and within half a second of someone coming in', async () => {
    const h = await harness({ scanPace: {} });
    h.detector.show([FACE]);
    for (let i = 0; i < 40; i++) await h.step();
    const kinds = (): string[] => h.detector.calls.map((c) => (c.near === undefined ? 'full' : 'near'));
    // The first frame, before any face is tracked, then 3 s later: the room is still.
    expect(kinds().flatMap((kind, i) => (kind === 'full' ? [i] : []))).toEqual([0, 30]);
    // Someone comes in at the frame's left edge: the picture changes away from the tracked face.
    const newcomer = { x: 0, y: 200, width: 60, height: 60 };
    const room = blank.copy();
    room.drawRectangle(new cv.Rect(newcomer.x, newcomer.y, newcomer.width, newcomer.height), new cv.Vec3(20, 30, 40), -1);
    h.detector.show([FACE, newcomer]);
    const calls = h.detector.calls.length;
    for (let i = 0; i < 7; i++) await h.step(room);
    expect(kinds().slice(calls)).toContain('full');
    // Found within half a second, and counted from its second frame.
    expect(h.seen.facesDetected.at(-1)?.faces.map((f) => f.box)).toEqual([
      [200, 120, 160, 160],
      [0, 200, 60, 60],
    ]);
    room.release();
    await h.pipeline.stop();
  });

  it('analyses only the newest frame when frames come faster than it can analyse them', async () => {
    const h = await harness();
    await h.step();
    // Three frames arrive before the next analysis is due.
    for (let i = 0; i < 3; i++) h.source.push(blank, h.clock.now());
    await until(() => h.source.pending === 0, 'the frames to be read');
    h.clock.advance(100);
    await until(() => h.pipeline.stats.framesAnalysed === 2, 'the second analysis');
    expect(h.seen.facesDetected.map((f) => f.frame)).toEqual([0, 3]);
    expect(h.pipeline.stats).toMatchObject({ framesRead: 4, framesAnalysed: 2, framesSkipped: 2 });
    await h.pipeline.stop();
  });

  it('keeps to the analysis rate: a frame that comes early waits for its turn', async () => {
    const h = await harness({ analysisFps: 5 });
    await h.step();
    h.clock.advance(100);
    const timers = h.clock.pendingTimers;
    h.source.push(blank, h.clock.now());
    // Once the frame is read, the pipeline either sleeps until its turn (one more timer on the
    // clock) or analyses it at once: whichever comes first says which it did.
    await until(
      () => h.pipeline.stats.framesRead === 2 && (h.clock.pendingTimers > timers || h.pipeline.stats.framesAnalysed === 2),
      'the early frame to be read and either scheduled or analysed',
    );
    expect(h.pipeline.stats.framesAnalysed).toBe(1);
    h.clock.advance(100);
    await until(() => h.pipeline.stats.framesAnalysed === 2, 'the frame once due');
    await h.pipeline.stop();
  });

  it('reports the camera unavailable and back, and degrades its health meanwhile', async () => {
    const h = await harness();
    await h.step();
    h.source.lose('USB camera unplugged');
    expect(h.seen.cameraChanged.at(-1)).toMatchObject({ state: 'unavailable', reason: 'USB camera unplugged' });
    expect(h.pipeline.health()).toEqual({ status: 'degraded', detail: 'camera unavailable: USB camera unplugged' });
    await h.step();
    expect(h.seen.cameraChanged.map((c) => c.state)).toEqual(['on', 'unavailable', 'on']);
    expect(h.pipeline.health().status).toBe('ready');
    await h.pipeline.stop();
  });

  it('goes on after a failed detection or classification', async () => {
    const h = await harness();
    h.detector.show([FACE]);
    await h.step();
    h.detector.failNext(new Error('cascade exploded'));
    await h.step();
    h.classifier.failNext(new Error('model exploded'));
    await h.step();
    const ok = await h.step();
    expect(ok.faces).toHaveLength(1);
    // The two failed frames emitted nothing.
    expect(h.seen.facesDetected.map((f) => f.frame)).toEqual([0, 3]);
    const warnings = h.logged.filter((l) => l.level === 'warn');
    expect(warnings.map((w) => [w.msg, (w.obj as { err: Error }).err.message])).toEqual([
      ['frame analysis failed', 'cascade exploded'],
      ['frame analysis failed', 'model exploded'],
    ]);
    await h.pipeline.stop();
  });

  it('can be stopped and started again, starting from nobody', async () => {
    const h = await harness({ mood: { dwellMs: 0 } });
    h.detector.show([FACE]);
    h.classifier.respondWith(() => oneHot(FER_LABELS.length, HAPPY, 0.9));
    for (let i = 0; i < 3; i++) await h.step();
    expect(h.pipeline.mood).toBe('happy');
    await h.pipeline.stop();
    expect(h.seen.cameraChanged.map((c) => c.state)).toEqual(['on', 'off']);
    await h.pipeline.start(new AbortController().signal);
    expect(h.pipeline.mood).toBe(NOBODY);
    for (let i = 0; i < 3; i++) await h.step();
    expect(h.pipeline.mood).toBe('happy');
    expect(h.seen.cameraChanged.map((c) => c.state)).toEqual(['on', 'off', 'on']);
    await h.pipeline.stop();
  });

  it('sends blurred, downscaled previews at a low rate, only when enabled', async () => {
    const h = await harness({ preview: { enabled: true, intervalMs: 1000 } });
    for (let i = 0; i < 15; i++) await h.step();
    expect(h.seen.previewCaptured).toHaveLength(2);
    const preview = await readImage(h.seen.previewCaptured[0]!.jpeg);
    expect([preview.cols, preview.rows]).toEqual([320, 240]);
    await h.pipeline.stop();

    const off = await harness();
    for (let i = 0; i < 15; i++) await off.step();
    expect(off.seen.previewCaptured).toHaveLength(0);
    await off.pipeline.stop();
  });
});

describe('VisionPipeline on OpenCV', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'moodbox-pipeline-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a clip of a group photo, then an empty room, into faces and moods', async () => {
    // 1.2 s of the group photo, then 1 s of the empty room, at 25 fps, played at its own pace.
    const clip = join(dir, 'room.avi');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-loop', '1', '-t', '1.2', '-r', '25', '-i', fixturePath('group')],
      ...['-loop', '1', '-t', '1', '-r', '25', '-i', fixturePath('no-face')],
      ...['-filter_complex', 'concat=n=2:v=1', '-c:v', 'mjpeg', '-q:v', '3', clip],
    ]);
    const source = new FfmpegFrameSource({ clock: systemClock, log: { error() {} } }, { source: clip });
    const classifier = new FakeEmotionClassifier();
    classifier.respondWith(() => oneHot(FER_LABELS.length, HAPPY, 0.8));
    const pipeline = new VisionPipeline(
      { source, detector: new HaarFaceDetector(), classifier, clock: systemClock },
      { analysisFps: 25, fullScanEveryMs: 300, mood: { dwellMs: 200, nobodyAfterMs: 300, faceTimeoutMs: 200 } },
    );
    const frames: Array<VisionEvents['facesDetected']> = [];
    const moods: string[] = [];
    pipeline.events.on('facesDetected', (f) => frames.push(f), 'test');
    pipeline.events.on('moodChanged', (m) => moods.push(m.mood), 'test');
    await pipeline.start(new AbortController().signal);
    await pipeline.finished();
    await pipeline.stop();

    const withFaces = frames.filter((f) => f.faces.length > 0);
    expect(withFaces.length).toBeGreaterThan(3);
    // No false positives, and every face of the group in (nearly) every frame that shows it.
    for (const f of withFaces) {
      for (const {
        box: [x, y, width, height],
      } of f.faces) {
        expect(
          FIXTURE_FACES.group.some((face) => isOnFace({ x, y, width, height }, face)),
          `box ${[x, y, width, height].join(',')}`,
        ).toBe(true);
      }
    }
    for (const face of FIXTURE_FACES.group) {
      const hits = withFaces.filter((f) => f.faces.some(({ box: [x, y, width, height] }) => isOnFace({ x, y, width, height }, face)));
      expect(hits.length, `face ${face.box.join(',')}`).toBeGreaterThanOrEqual(withFaces.length - 1);
    }
    // The same four people keep their track ids from frame to frame.
    expect(new Set(withFaces.flatMap((f) => f.faces.map((face) => face.trackId)))).toEqual(new Set([1, 2, 3, 4]));
    expect(frames.at(-1)?.faces).toEqual([]);
    expect(moods).toEqual(['happy', NOBODY]);
  });
});

describe('targetFace', () => {
  it('keeps how large faces appeared over the last minutes, and says it in its health line with what to change when they are small', async () => {
    const h = await harness({ faceSizes: { windowMs: 60_000 } });
    expect(h.pipeline.faceSizes).toBeUndefined();
    // A table at 3 m: faces of 20–34 px in a 640x480 frame.
    h.detector.show([
      { x: 10, y: 10, width: 18, height: 20 },
      { x: 100, y: 10, width: 30, height: 34 },
      { x: 200, y: 10, width: 20, height: 22 },
    ]);
    for (let i = 0; i < 25; i++) await h.step();
    expect(h.pipeline.faceSizes).toMatchObject({ smallestPx: 20, medianPx: 22, largestPx: 34, frameWidth: 640, frameHeight: 480 });
    expect(h.pipeline.health().detail).toMatch(
      /^camera on; faces 20–34 px, median 22 px, over the last 1 min \(\d+ faces seen in 640x480 frames\): .*1280x720/,
    );
    // Over a minute later, only a face close to the camera: the small ones have left the window.
    h.detector.show([{ x: 200, y: 120, width: 60, height: 64 }]);
    h.clock.advance(61_000);
    for (let i = 0; i < 15; i++) await h.step();
    expect(h.pipeline.faceSizes).toMatchObject({ smallestPx: 64, medianPx: 64, largestPx: 64 });
    expect(h.pipeline.health().detail).toMatch(/faces 64–64 px, median 64 px, over the last 1 min \(\d+ faces seen in 640x480 frames\)$/);
    await h.pipeline.stop();
  });

  it("picks the signed-in person's face: the largest, and among similar sizes the most centred", () => {
    const frame = [640, 480] as const;
    const centred = { x: 260, y: 180, width: 120, height: 120 };
    const corner = { x: 0, y: 0, width: 130, height: 130 };
    const small = { x: 300, y: 220, width: 40, height: 40 };
    expect(targetFace([corner, centred, small], ...frame)).toBe(1);
    expect(targetFace([small, { ...corner, width: 300, height: 300 }], ...frame)).toBe(1);
    expect(targetFace([], ...frame)).toBe(-1);
  });
});
