/**
 * Does aligning faces by their eyes (YuNet's landmarks) before the emotion model read them better
 * than cutting out the detector's box? Measured on FER-2013 PublicTest faces pasted at known boxes
 * on generated rooms, upright and turned by up to ±20°, and on the labelled demo and test clips.
 * Also measures where the eyes of a FER-2013 face are (the geometry alignment aims for).
 *
 *   node --import tsx scripts/measure-alignment.ts [--fer PATH] [--frames 150] [--above 3] [--json]
 *
 * `--above`: faces tilted less than this many degrees are cut out by their box all the same.
 *
 * Prints a table, then one JSON object (only the JSON with --json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/kernel/clock.js';
import { seededRandom } from '../src/kernel/random.js';
import { makeDetectionSet, matchesFace, type LabelledFrame } from '../src/vision/lab/detection-set.js';
import { cropFaces } from '../src/vision/face-crops.js';
import { FfmpegFrameSource } from '../src/vision/ffmpeg-frame-source.js';
import type { DetectedFace } from '../src/vision/face-detector.js';
import { readFerCsv, type FerRow } from '../src/vision/fer-csv.js';
import { OnnxEmotionClassifier } from '../src/vision/onnx-emotion-classifier.js';
import { loadOpencv } from '../src/vision/opencv.js';
import { YunetFaceDetector } from '../src/vision/yunet-face-detector.js';

const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    fer: { type: 'string', default: process.env['MOODBOX_FER_CSV'] ?? join(ROOT, '..', 'shared', 'datasets', 'fer2013', 'fer2013.csv.gz') },
    frames: { type: 'string', default: '150' },
    above: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const frameCount = Number(values.frames);

interface Tally {
  faces: number;
  box: number;
  aligned: number;
}

const cv = await loadOpencv();
cv.setNumThreads(1);
const detector = new YunetFaceDetector({});
await detector.load();
const classifier = new OnnxEmotionClassifier({}, { modelPath: join(ROOT, 'models', 'emotion-int8.onnx') });
await classifier.start(new AbortController().signal);

/** Reads every detected face that matches a labelled one, cut out by its box and aligned by its eyes. */
async function tally(frames: readonly LabelledFrame[], eyes?: number[][]): Promise<Tally> {
  const t: Tally = { faces: 0, box: 0, aligned: 0 };
  for (const frame of frames) {
    const detected: DetectedFace[] = await detector.detect(frame.image);
    for (const face of frame.faces) {
      const d = detected.find((b) => matchesFace(b, face));
      if (d === undefined || face.emotion === undefined || d.landmarks === undefined) continue;
      const [box, aligned] = [
        await cropFaces(frame.image, [d]),
        await cropFaces(frame.image, [d], { align: true, alignAboveDegrees: Number(values.above) }),
      ];
      const [a, b] = await classifier.classify([...box, ...aligned]);
      t.faces++;
      if (a?.label === face.emotion) t.box++;
      if (b?.label === face.emotion) t.aligned++;
      if (eyes !== undefined) {
        const [r, l] = d.landmarks;
        if (r !== undefined && l !== undefined) {
          eyes.push([((r[1] + l[1]) / 2 - face.y) / face.height, Math.hypot(l[0] - r[0], l[1] - r[1]) / face.width]);
        }
      }
    }
  }
  return t;
}

/** Frames of a labelled clip (its JSON timeline beside it), one every `step` seconds, with the segment's emotion on each face. */
async function clip(path: string, step: number): Promise<LabelledFrame[]> {
  const timeline = JSON.parse(readFileSync(path.replace(/\.mp4$/, '.json'), 'utf8')) as {
    fps: number;
    segments: Array<{ fromS: number; toS: number; emotion: string; faces: Array<{ box: number[] }> }>;
  };
  const log = { error: (obj: { err?: unknown }, msg: string) => process.stderr.write(`${msg}: ${String(obj.err)}\n`) };
  const source = new FfmpegFrameSource({ clock: systemClock, log }, { source: path, realtime: false, reopen: false });
  const frames: LabelledFrame[] = [];
  for await (const { image, index } of source.frames(new AbortController().signal)) {
    const t = index / timeline.fps;
    const segment = timeline.segments.find((s) => t >= s.fromS && t < s.toS);
    if (segment === undefined || segment.faces.length === 0 || index % Math.round(step * timeline.fps) !== 0) continue;
    const faces = segment.faces.map(({ box: [x = 0, y = 0, width = 0, height = 0] }) => ({
      x,
      y,
      width,
      height,
      emotion: segment.emotion,
    }));
    frames.push({ name: `${path}@${t}s`, image, faces });
  }
  return frames;
}

const rows: FerRow[] = [];
for await (const row of readFerCsv(values.fer)) if (row.usage === 'PublicTest') rows.push(row);
const eyes: number[][] = [];
const results: Record<string, Tally> = {
  'FER faces pasted upright': await tally(await makeDetectionSet({ random: seededRandom(5) }, rows, { frames: frameCount }), eyes),
  'FER faces pasted, turned up to ±20°': await tally(
    await makeDetectionSet({ random: seededRandom(6) }, rows, { frames: frameCount, maxRotation: 20 }),
  ),
  'demo camera clip': await tally(await clip(join(ROOT, 'demo', 'camera.mp4'), 0.5)),
  'happy-then-sad test clip': await tally(await clip(join(ROOT, 'src', 'vision', 'testing', 'fixtures', 'happy-then-sad.mp4'), 0.5)),
};
const mean = (k: number): number => eyes.reduce((s, e) => s + (e[k] ?? 0), 0) / Math.max(1, eyes.length);
const report = {
  eyes: { faces: eyes.length, meanEyeY: mean(0), meanEyeDistance: mean(1) },
  accuracy: Object.fromEntries(
    Object.entries(results).map(([name, t]) => [
      name,
      { faces: t.faces, box: t.box / Math.max(1, t.faces), aligned: t.aligned / Math.max(1, t.faces) },
    ]),
  ),
};
if (!values.json) {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  process.stdout.write(
    `FER-2013 eyes (YuNet landmarks on ${report.eyes.faces} pasted faces): centre at ${report.eyes.meanEyeY.toFixed(3)} of the height, ` +
      `${report.eyes.meanEyeDistance.toFixed(3)} of the width apart\n` +
      `emotion accuracy (int8 model, manifest's flip-TTA), detector box vs eyes aligned:\n` +
      Object.entries(report.accuracy)
        .map(([name, a]) => `  ${name.padEnd(38)} ${String(a.faces).padStart(5)} faces  box ${pct(a.box)}  aligned ${pct(a.aligned)}`)
        .join('\n') +
      '\n',
  );
}
process.stdout.write(`${JSON.stringify(report)}\n`);
await classifier.stop();
