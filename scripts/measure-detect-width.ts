/**
 * What the YuNet detector's full-scan width and second look cost and find: for each setting, the
 * CPU time of a full scan of the one-face scene (the median over many runs) and of the labelled
 * frames (the mean), and recall and false faces on the labelled frame set `moodbox bench vision`
 * uses (FER-2013 PublicTest faces pasted into 100 generated rooms, seed 2026, plus the fixture
 * photos). CPU time (process.cpuUsage: user + system of the whole process, one onnxruntime and one
 * OpenCV thread) rather than wall time, so that other work on a shared machine counts less.
 *
 *   node --import tsx scripts/measure-detect-width.ts [--fer PATH] [--widths 256,320,480] [--second 0.5,0.3]
 *       [--seed 2026] [--frames 100] [--runs 200] [--json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom } from '../src/kernel/random.js';
import { percentiles } from '../src/vision/bench.js';
import { makeDetectionSet, scoreFrame, type LabelledFrame } from '../src/vision/detection-set.js';
import { readFerCsv, type FerRow } from '../src/vision/fer-csv.js';
import { loadOpencv } from '../src/vision/opencv.js';
import { readImage } from '../src/vision/image-io.js';
import { YunetFaceDetector } from '../src/vision/yunet-face-detector.js';

const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    fer: { type: 'string', default: process.env['MOODBOX_FER_CSV'] ?? join(ROOT, '..', 'shared', 'datasets', 'fer2013', 'fer2013.csv.gz') },
    widths: { type: 'string', default: '256,320,384,480' },
    second: { type: 'string', default: '0.5,0.3' },
    runs: { type: 'string', default: '200' },
    seed: { type: 'string', default: '2026' },
    frames: { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
  },
});
const list = (s: string): number[] => s.split(',').map(Number);

const cv = await loadOpencv();
cv.setNumThreads(1);
const rows: FerRow[] = [];
for await (const row of readFerCsv(values.fer)) if (row.usage === 'PublicTest') rows.push(row);
const fixtures = join(ROOT, 'src', 'vision', 'testing', 'fixtures');
const placed = JSON.parse(readFileSync(join(fixtures, 'faces.json'), 'utf8')) as Record<string, Array<{ box: number[] }>>;
const frames: LabelledFrame[] = [
  ...(await makeDetectionSet({ random: seededRandom(Number(values.seed)) }, rows, { frames: Number(values.frames) })),
  ...(await Promise.all(
    Object.entries(placed).map(async ([name, faces]) => ({
      name,
      image: await readImage(join(fixtures, `${name}.png`)),
      faces: faces.map(({ box: [x = 0, y = 0, width = 0, height = 0] }) => ({ x, y, width, height })),
    })),
  )),
];
const one = (await readImage(join(fixtures, 'happy-face.png'))).resize(480, 640);
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const results = [];
for (const width of list(values.widths)) {
  for (const second of list(values.second)) {
    const detector = new YunetFaceDetector({ detectWidth: width, secondLookThreshold: second });
    await detector.load();
    for (let i = 0; i < 10; i++) await detector.detect(one);
    const oneFace: number[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const started = cpuMs();
      await detector.detect(one);
      oneFace.push(cpuMs() - started);
    }
    let faces = 0;
    let found = 0;
    let falseFaces = 0;
    const started = cpuMs();
    for (const frame of frames) {
      const s = scoreFrame(await detector.detect(frame.image), frame.faces);
      faces += frame.faces.length;
      found += s.found;
      falseFaces += s.falseFaces;
    }
    const labelledMs = (cpuMs() - started) / frames.length;
    const r = {
      width,
      second,
      oneFaceCpuMs: percentiles(oneFace),
      labelledCpuMs: Math.round(labelledMs * 100) / 100,
      faces,
      found,
      recall: found / faces,
      falseFaces,
      frames: frames.length,
    };
    results.push(r);
    if (!values.json)
      console.log(
        `width ${width} second look from ${second}: one face p50 ${r.oneFaceCpuMs.p50.toFixed(2)} ms CPU (p95 ${r.oneFaceCpuMs.p95.toFixed(2)}), labelled frames ${r.labelledCpuMs.toFixed(2)} ms CPU a frame; recall ${(100 * r.recall).toFixed(1)}% (${found}/${faces}), ${falseFaces} false faces in ${frames.length} frames`,
      );
  }
}
if (values.json) console.log(JSON.stringify(results));
