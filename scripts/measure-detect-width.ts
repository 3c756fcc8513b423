/**
 * What the YuNet detector's settings cost and find. For each setting: recall and false faces on
 * the labelled frame set `moodbox bench vision` uses (FER-2013 PublicTest faces pasted into 100
 * generated rooms, seed 2026, plus the fixture photos); recall by face size (14–24, 24–32, 32–48,
 * >= 48 px) and false faces a frame on the bench's crowd set (60 café frames of 5–30 FER-2013
 * Training faces of 14–60 px, seed 2037); and the CPU time of a full scan of the one-face scene and
 * of the 20-face crowd scene (medians over many runs), and a crowd frame's mean CPU time and input
 * pixels (YuNet runs on that many pixels, a figure the machine's load does not disturb). CPU time
 * (process.cpuUsage: user + system of the whole process, one onnxruntime and one OpenCV thread)
 * rather than wall time, so that other work on a shared machine counts less.
 *
 *   node --import tsx scripts/measure-detect-width.ts [--fer PATH] [--configs JSON] [--runs 100]
 *       [--frames 100] [--crowd-frames 60] [--json]
 *
 * `--configs` is a JSON array of `YunetFaceDetectorOptions` with a `name` each; the default list
 * is the table in docs/face-detector.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Mat } from '@u4/opencv4nodejs';
import { seededRandom } from '../src/kernel/random.js';
import { percentiles } from '../src/vision/lab/bench.js';
import { CROWD_TRAINING_FACES, makeCrowdSet } from '../src/vision/lab/crowd-set.js';
import { makeDetectionSet, scoreDetector, type DetectionScore, type LabelledFrame } from '../src/vision/lab/detection-set.js';
import { readFerCsv, type FerRow } from '../src/vision/fer-csv.js';
import { loadOpencv } from '../src/vision/opencv.js';
import { readImage } from '../src/vision/image-io.js';
import { YunetFaceDetector } from '../src/vision/yunet-face-detector.js';
import type { YunetFaceDetectorOptions } from '../src/vision/yunet-options.js';

const ROOT = join(import.meta.dirname, '..');

/** The settings compared in docs/face-detector.md: the old default, then one change at a time. */
const CONFIGS: Array<YunetFaceDetectorOptions & { name: string }> = [
  {
    name: '320, second look, min 48 (before)',
    minFaceSize: 48,
    smallFaceScanPx: 0,
    smallFaceThreshold: 0.5,
    secondLookBudget: 1,
  },
  { name: '320, second look, min 12', smallFaceScanPx: 0, smallFaceThreshold: 0.5, secondLookBudget: 1 },
  { name: '+ looks at small faces', smallFaceThreshold: 0.5 },
  { name: '+ small faces need 0.6 (default)' },
  { name: 'same, looks scaled up to 2x', maxUpscale: 2 },
  { name: '480, second look, min 12, 0.6', detectWidth: 480, smallFaceScanPx: 0 },
  { name: '640, no second look, min 12, 0.6', detectWidth: 640, secondLookThreshold: 0.5, smallFaceScanPx: 0 },
];

const { values } = parseArgs({
  options: {
    fer: { type: 'string', default: process.env['MOODBOX_FER_CSV'] ?? join(ROOT, '..', 'shared', 'datasets', 'fer2013', 'fer2013.csv.gz') },
    configs: { type: 'string' },
    runs: { type: 'string', default: '100' },
    frames: { type: 'string', default: '100' },
    'crowd-frames': { type: 'string', default: '60' },
    json: { type: 'boolean', default: false },
  },
});
const configs = values.configs === undefined ? CONFIGS : (JSON.parse(values.configs) as typeof CONFIGS);

const cv = await loadOpencv();
cv.setNumThreads(1);
const publicTest: FerRow[] = [];
const training: FerRow[] = [];
for await (const row of readFerCsv(values.fer)) {
  if (row.usage === 'PublicTest') publicTest.push(row);
  else if (row.usage === 'Training' && training.length < CROWD_TRAINING_FACES) training.push(row);
}
const fixtures = join(ROOT, 'src', 'vision', 'testing', 'fixtures');
const placed = JSON.parse(readFileSync(join(fixtures, 'faces.json'), 'utf8')) as Record<string, Array<{ box: number[] }>>;
// The same sets, seeds and scenes as `moodbox bench vision` (src/vision/lab/bench-command.ts).
const labelled: LabelledFrame[] = [
  ...(await makeDetectionSet({ random: seededRandom(2026) }, publicTest, { frames: Number(values.frames) })),
  ...(await Promise.all(
    Object.entries(placed).map(async ([name, faces]) => ({
      name,
      image: await readImage(join(fixtures, `${name}.png`)),
      faces: faces.map(({ box: [x = 0, y = 0, width = 0, height = 0] }) => ({ x, y, width, height })),
    })),
  )),
];
const crowd = await makeCrowdSet({ random: seededRandom(2037) }, training, { frames: Number(values['crowd-frames']) });
const [crowdScene] = await makeCrowdSet({ random: seededRandom(37) }, training, { frames: 1, people: [20, 20], sizes: [16, 40] });
const one = (await readImage(join(fixtures, 'happy-face.png'))).resize(480, 640);
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Median CPU time of a full scan of `image`, after a warm-up. */
async function fullScanMs(detector: YunetFaceDetector, image: Mat): Promise<number> {
  for (let i = 0; i < 10; i++) await detector.detect(image);
  const times: number[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const started = cpuMs();
    await detector.detect(image);
    times.push(cpuMs() - started);
  }
  return percentiles(times).p50;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const results = [];
for (const { name, ...options } of configs) {
  const detector = new YunetFaceDetector(options);
  await detector.load();
  const oneFaceMs = await fullScanMs(detector, one);
  const crowdSceneMs = await fullScanMs(detector, crowdScene!.image);
  const onLabelled: DetectionScore = await scoreDetector(detector, labelled);
  // Once through to warm onnxruntime for the regions' sizes, then measured.
  await scoreDetector(detector, crowd);
  const before = detector.work;
  const started = cpuMs();
  const onCrowd = await scoreDetector(detector, crowd);
  const crowdFrameMs = (cpuMs() - started) / crowd.length;
  const pixels = (detector.work.pixels - before.pixels) / crowd.length;
  const r = { name, options, oneFaceMs, crowdSceneMs, crowdFrameMs, crowdKpx: pixels / 1000, labelled: onLabelled, crowd: onCrowd };
  results.push(r);
  if (!values.json) {
    console.log(
      `${name}: one face ${oneFaceMs.toFixed(2)} ms, 20-face crowd ${crowdSceneMs.toFixed(2)} ms (full scan, CPU p50); ` +
        `labelled recall ${pct(onLabelled.recall)} (${onLabelled.found}/${onLabelled.faces}), ${onLabelled.falseFaces} false; ` +
        `crowd ${onCrowd.bySize.map((b) => `${b.label} ${pct(b.recall)}`).join(', ')}, ${onCrowd.falseFacesPerFrame.toFixed(3)} false faces a frame, ` +
        `${crowdFrameMs.toFixed(1)} ms CPU and ${(pixels / 1000).toFixed(0)} kpx a frame`,
    );
  }
}
if (values.json) console.log(JSON.stringify(results));
