/**
 * How the daemon reads the demo camera clip with its shipped settings: the clip's frames, at their
 * own times, through the daemon's own vision loop (the configured face detector, the int8 emotion
 * model and its manifest, face tracks, the room mood with the daemon's `mood.*` defaults). Prints
 * when the room mood changes, and per segment of `demo/camera.json` how many of its faces were
 * found and how the faces in view looked, as the admin dashboard says it. A measurement, not a test:
 * it does not wait on the clock, it sets it.
 *
 * Run: node --import tsx scripts/check-demo-camera.ts [--clip demo/camera.mp4] [--min-face-px N] [--config FILE]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { facesByEmotion } from '../src/daemon/camera/camera-service.js';
import { loadConfig } from '../src/daemon/config/load-config.js';
import type { Clock, Timer } from '../src/kernel/clock.js';
import { createFaceDetector } from '../src/vision/detectors.js';
import { FfmpegFrameSource } from '../src/vision/ffmpeg-frame-source.js';
import { OnnxEmotionClassifier } from '../src/vision/onnx-emotion-classifier.js';
import { FakeFrameSource } from '../src/vision/testing/fake-frame-source.js';
import type { VisionEvents } from '../src/vision/vision-events.js';
import { VisionPipeline } from '../src/vision/vision-pipeline.js';

const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    clip: { type: 'string', default: join(ROOT, 'demo', 'camera.mp4') },
    'min-face-px': { type: 'string' },
    config: { type: 'string' },
  },
});
const clipPath = resolve(values.clip);
const timeline = JSON.parse(readFileSync(clipPath.replace(/\.mp4$/, '.json'), 'utf8')) as {
  fps: number;
  segments: Array<{ fromS: number; toS: number; emotion: string; faces: unknown[] }>;
};
const { config } = loadConfig({ file: values.config, env: {} });
const minFacePx = values['min-face-px'] === undefined ? config.vision.minFacePx : Number(values['min-face-px']);

/** The clip's own time: set to each frame's time before it is handed over; no timers. */
class ClipClock implements Clock {
  at = 0;
  now(): number {
    return this.at;
  }
  monotonic(): number {
    return this.at;
  }
  setTimeout(): Timer {
    throw new TypeError('the clip clock has no timers');
  }
  setInterval(): Timer {
    throw new TypeError('the clip clock has no timers');
  }
  async sleep(): Promise<void> {}
}

const clock = new ClipClock();
const detector = createFaceDetector(config.vision.detector, {
  installDir: ROOT,
  cascadePath: config.vision.cascadePath,
  minFaceSize: minFacePx,
  detectWidth: config.vision.detectWidth,
});
const classifier = new OnnxEmotionClassifier({}, { modelPath: resolve(ROOT, config.vision.modelPath) });
await classifier.start(new AbortController().signal);
await detector.load();
const frames = new FakeFrameSource();
const vision = new VisionPipeline(
  { source: frames, detector, classifier, clock },
  {
    analysisFps: config.vision.analysisFps,
    mood: { dwellMs: config.mood.dwellMs, nobodyAfterMs: config.mood.nobodyAfterMs, minConfidence: config.mood.minConfidence },
    crop: { align: config.vision.alignFaces },
  },
);
const changes: Array<{ atS: number; mood: string }> = [];
const seen: Array<{ atS: number; faces: VisionEvents['facesDetected']['faces'] }> = [];
vision.events.on('moodChanged', ({ mood, at }) => changes.push({ atS: at / 1000, mood }), 'check');
vision.events.on('facesDetected', ({ at, faces }) => seen.push({ atS: at / 1000, faces }), 'check');
await vision.start(new AbortController().signal);

const log = { error: (obj: { err?: unknown }, msg: string) => process.stderr.write(`${msg}: ${String(obj.err)}\n`) };
const source = new FfmpegFrameSource({ clock, log }, { source: clipPath, realtime: false, reopen: false });
for await (const frame of source.frames(new AbortController().signal)) {
  clock.at = (frame.index * 1000) / timeline.fps;
  const before = vision.stats.framesAnalysed;
  frames.push(frame.image, clock.at);
  frame.image.release();
  while (vision.stats.framesAnalysed === before) await new Promise((r) => setImmediate(r));
}
await vision.stop();
const isWeighed = classifier.accuracyBySize !== undefined;
await classifier.stop();

process.stdout.write(
  `${clipPath}: detector ${config.vision.detector}, minFacePx ${minFacePx}, mood.dwellMs ${config.mood.dwellMs}, ` +
    `mood.nobodyAfterMs ${config.mood.nobodyAfterMs}, model ${config.vision.modelPath}` +
    `${isWeighed ? ' (faces weighed by its accuracyBySize)' : ' (no accuracyBySize: every face weighs 1)'}\n\n`,
);
process.stdout.write('room mood changes:\n');
for (const c of changes) process.stdout.write(`  ${c.atS.toFixed(1).padStart(6)} s  ${c.mood}\n`);
process.stdout.write('\nper segment: faces found per frame (of those shown), and the faces in view at its end:\n');
for (const segment of timeline.segments) {
  const inside = seen.filter((f) => f.atS >= segment.fromS && f.atS < segment.toS);
  const found = inside.reduce((sum, f) => sum + f.faces.length, 0) / Math.max(1, inside.length);
  const last = inside.at(-1)?.faces ?? [];
  const counts = Object.entries(facesByEmotion(last))
    .map(([emotion, n]) => `${n} ${emotion}`)
    .join(', ');
  process.stdout.write(
    `  ${`${segment.fromS}-${segment.toS} s`.padEnd(10)} ${segment.emotion.padEnd(8)} ${found.toFixed(1)} of ${segment.faces.length} faces` +
      `${last.length === 0 ? '' : `; at ${segment.toS} s: ${last.length} face${last.length === 1 ? '' : 's'}: ${counts}`}\n`,
  );
}
