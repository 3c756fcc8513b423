/**
 * What the vision loop's scans find as people come in, and what they cost: a full scan at a fixed
 * period, or as the scene moves (`scanPace`, src/vision/scan-pace.ts). Each sequence is one of the bench's café frames (crowd set, seed 2037: its seated faces) at 10
 * analysed frames a second through the real pipeline and YuNet (the emotion model is the fake one:
 * only the scans are measured), and one more person who comes in: from the frame's left or right
 * edge, sliding in over 6 frames (a walk of 0.6 s), or at once in the room (someone who turns to the
 * camera). The face that comes in is cut, with its head and shoulders, from the next frame of the
 * set; it comes in at frame 12 to 21 (the sequences spread its entry over the full-scan period).
 *
 * A webcam's grain of its own on each frame. Prints, per rule: recall over the frames (the seated faces and the newcomer once wholly in the
 * frame), the entry lag (analysed frames from the newcomer's entry, wholly in the frame, to the
 * first frame the detector returns it; at 10 frames a second a frame is 100 ms) for edge and room
 * entries, and the work per frame: YuNet's input pixels and runs, and the full scans. Work counts,
 * not times: the machine's load does not change them. `--missed` names the newcomers never found;
 * `--still` runs each room with nobody coming in (its entry figures are then empty).
 *
 *   node --import tsx scripts/measure-scan-regions.ts [--fer PATH] [--frames 20] [--people 5,30] [--only 0,3] [--missed] [--still]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Mat } from '@u4/opencv4nodejs';
import { FakeClock } from '../src/daemon/testing/fake-clock.js';
import { seededRandom } from '../src/kernel/random.js';
import { CROWD_TRAINING_FACES, makeCrowdSet } from '../src/vision/lab/crowd-set.js';
import { matchesFace, type LabelledFrame } from '../src/vision/lab/detection-set.js';
import { expandBox, type Box, type DetectedFace, type DetectOptions, type FaceDetector } from '../src/vision/face-detector.js';
import { readFerCsv, type FerRow } from '../src/vision/fer-csv.js';
import { loadOpencv } from '../src/vision/opencv.js';
import { FakeEmotionClassifier } from '../src/vision/testing/fake-emotion-classifier.js';
import { FakeFrameSource } from '../src/vision/testing/fake-frame-source.js';
import type { VisionEvents } from '../src/vision/vision-events.js';
import { VisionPipeline, type VisionPipelineOptions } from '../src/vision/vision-pipeline.js';
import { YunetFaceDetector } from '../src/vision/yunet-face-detector.js';

const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    fer: { type: 'string', default: process.env['MOODBOX_FER_CSV'] ?? join(ROOT, '..', 'shared', 'datasets', 'fer2013', 'fer2013.csv.gz') },
    frames: { type: 'string', default: '20' },
    people: { type: 'string', default: '5,30' },
    only: { type: 'string' },
    missed: { type: 'boolean', default: false },
    still: { type: 'boolean', default: false },
  },
});

/** Frames of a sequence, the entry's first frame (spread over 12–21), and the walk in from an edge. */
const [FRAMES, ENTRY_FROM, WALK] = [45, 12, 6];
const STEP_MS = 100;

const cv = await loadOpencv();
cv.setNumThreads(1);
const training: FerRow[] = [];
for await (const row of readFerCsv(values.fer)) {
  if (row.usage === 'Training' && training.length < CROWD_TRAINING_FACES) training.push(row);
}
const [fewest = 5, most = 30] = values.people.split(',').map(Number);
const rooms = await makeCrowdSet({ random: seededRandom(2037) }, training, { frames: Number(values.frames), people: [fewest, most] });

/** The scan rules compared: a full scan at a fixed period (the default), and as the scene moves (`scanPace`). */
const VARIANTS: Array<{ name: string; options: VisionPipelineOptions }> = [
  { name: 'full scan every 1000 ms (the default)', options: { fullScanEveryMs: 1000 } },
  { name: 'full scan every 500 ms', options: { fullScanEveryMs: 500 } },
  { name: 'full scan every 2000 ms', options: { fullScanEveryMs: 2000 } },
  { name: 'as the scene moves (SCAN_PACE: 500 ms moving, 1000 ms for 3 s after, 3000 still)', options: { scanPace: {} } },
  { name: 'as the scene moves, 1000 ms moving', options: { scanPace: { movingMs: 1000 } } },
];

/**
 * A webcam's frames are never alike: each frame gets its own grain, up to ±8 grey levels
 * (triangular, one of 8 patterns in turn), on top of the crowd frame's own.
 */
const GRAIN = Array.from({ length: 8 }, (_, k) => {
  const random = seededRandom(500 + k);
  const [up, down] = [Buffer.alloc(640 * 480 * 3), Buffer.alloc(640 * 480 * 3)];
  for (let i = 0; i < up.length; i++) {
    const v = random.int(5) + random.int(5) - 4;
    if (v > 0) up[i] = 2 * v;
    else down[i] = -2 * v;
  }
  return { up: new cv.Mat(up, 480, 640, cv.CV_8UC3), down: new cv.Mat(down, 480, 640, cv.CV_8UC3) };
});

/** `image` with frame `i`'s grain (a new Mat). */
function grainy(image: Mat, i: number): Mat {
  const { up, down } = GRAIN[i % GRAIN.length]!;
  const raised = image.add(up);
  const out = raised.sub(down);
  raised.release();
  return out;
}

/** What one sequence's frames hold: the picture, the faces to find, and the newcomer's box once wholly in. */
interface SeqFrame {
  image: Mat;
  faces: Box[];
  newcomer: Box | undefined;
}

type Entry = 'left' | 'right' | 'room' | 'still';

/** The newcomer of `room`: the largest face of 20 px or more of the next frame, with its head and shoulders. */
function newcomerOf(next: LabelledFrame): { patch: Mat; face: Box } {
  const candidates = next.faces.filter((f) => Math.max(f.width, f.height) >= 20);
  const face = [...(candidates.length > 0 ? candidates : next.faces)].sort((a, b) => b.width - a.width)[0]!;
  const area = expandBox(face, 0.5, next.image.cols, next.image.rows);
  const patch = next.image.getRegion(new cv.Rect(area.x, area.y, area.width, area.height)).copy();
  return { patch, face: { x: face.x - area.x, y: face.y - area.y, width: face.width, height: face.height } };
}

/** `patch` drawn on a copy of `image` with its top-left at (x, y), clipped to the frame. */
function paste(image: Mat, patch: Mat, x: number, y: number): Mat {
  const out = image.copy();
  const x0 = Math.max(0, x);
  const x1 = Math.min(image.cols, x + patch.cols);
  if (x1 > x0) {
    const src = patch.getRegion(new cv.Rect(x0 - x, 0, x1 - x0, patch.rows));
    src.copyTo(out.getRegion(new cv.Rect(x0, y, x1 - x0, patch.rows)));
  }
  return out;
}

/** A place in `room` for the patch that covers none of its faces (or the least crowded of 50 tries). */
function freePlace(room: LabelledFrame, patch: Mat, random: ReturnType<typeof seededRandom>): { x: number; y: number } {
  let best = { x: 0, y: 0, hits: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 50 && best.hits > 0; i++) {
    const x = Math.floor(random.next() * (room.image.cols - patch.cols));
    const y = Math.floor(random.next() * (room.image.rows - patch.rows));
    const area = { x, y, width: patch.cols, height: patch.rows };
    const hits = room.faces.filter((f) => overlaps(f, area)).length;
    if (hits < best.hits) best = { x, y, hits };
  }
  return best;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function sequence(index: number, entry: Entry): { frames: SeqFrame[]; entryFrame: number } {
  const room = rooms[index]!;
  const { patch, face } = newcomerOf(rooms[(index + 1) % rooms.length]!);
  const random = seededRandom(100 + index);
  const start = ENTRY_FROM + (index % 10);
  const place = entry === 'room' ? freePlace(room, patch, random) : { x: 0, y: Math.floor(random.next() * (room.image.rows - patch.rows)) };
  const finalX = entry === 'left' ? 0 : entry === 'right' ? room.image.cols - patch.cols : place.x;
  const seated = room.faces.filter((f) => !overlaps(f, { x: finalX, y: place.y, width: patch.cols, height: patch.rows }));
  const frames: SeqFrame[] = [];
  let entryFrame = -1;
  for (let i = 0; i < FRAMES; i++) {
    if (i < start || entry === 'still') {
      frames.push({ image: room.image.copy(), faces: [...room.faces], newcomer: undefined });
      continue;
    }
    const step = Math.min(WALK, i - start + 1) / WALK;
    const x =
      entry === 'room'
        ? finalX
        : entry === 'left'
          ? Math.round(-patch.cols + step * patch.cols)
          : Math.round(room.image.cols - step * patch.cols);
    const box = { x: x + face.x, y: place.y + face.y, width: face.width, height: face.height };
    const isIn = box.x >= 0 && box.x + box.width <= room.image.cols;
    if (isIn && entryFrame < 0) entryFrame = i;
    frames.push({
      image: paste(room.image, patch, x, place.y),
      faces: isIn ? [...seated, box] : [...seated],
      newcomer: isIn ? box : undefined,
    });
  }
  patch.release();
  return { frames, entryFrame };
}

/** The detector, each call's faces and kind kept. */
class Recording implements FaceDetector {
  readonly calls: Array<{ full: boolean; faces: DetectedFace[] }> = [];
  constructor(readonly inner: YunetFaceDetector) {}
  async detect(image: Mat, options?: DetectOptions): Promise<DetectedFace[]> {
    const faces = await this.inner.detect(image, options);
    this.calls.push({ full: options?.near === undefined, faces });
    return faces;
  }
}

const yunet = new YunetFaceDetector();
await yunet.load();

async function runSequence(frames: readonly SeqFrame[], options: VisionPipelineOptions): Promise<Recording['calls']> {
  const clock = new FakeClock();
  const source = new FakeFrameSource();
  const detector = new Recording(yunet);
  const pipeline = new VisionPipeline(
    { source, detector, classifier: new FakeEmotionClassifier(), clock },
    { ...options, lightWeight: () => 1 },
  );
  await pipeline.start(new AbortController().signal);
  for (const frame of frames) {
    clock.advance(STEP_MS);
    const analysed = new Promise<VisionEvents['facesDetected']>((resolve) => {
      const off = pipeline.events.on(
        'facesDetected',
        (f) => {
          off();
          resolve(f);
        },
        'measure',
      );
    });
    const image = grainy(frame.image, clock.now() / STEP_MS);
    source.push(image, clock.now());
    image.release();
    await analysed;
  }
  await pipeline.stop();
  return detector.calls;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const only = values.only === undefined ? undefined : new Set(values.only.split(',').map(Number));
for (const [v, variant] of VARIANTS.entries()) {
  if (only !== undefined && !only.has(v)) continue;
  let [faces, found, full, calls] = [0, 0, 0, 0];
  const lags: Record<'edge' | 'room', number[]> = { edge: [], room: [] };
  let missed = { edge: 0, room: 0 };
  const before = yunet.work;
  for (let index = 0; index < rooms.length; index++) {
    for (const entry of (values.still ? ['still'] : ['left', 'right', 'room']) as Entry[]) {
      const { frames, entryFrame } = sequence(index, entry);
      const seen = await runSequence(frames, variant.options);
      calls += seen.length;
      frames.forEach((frame, i) => {
        const got = seen[i]?.faces ?? [];
        full += seen[i]?.full === true ? 1 : 0;
        // The first frames form the tracks: recall from the third.
        if (i >= 2) {
          faces += frame.faces.length;
          found += frame.faces.filter((f) => got.some((g) => matchesFace(g, f))).length;
        }
      });
      const first = frames.findIndex(
        (frame, i) => frame.newcomer !== undefined && (seen[i]?.faces ?? []).some((g) => matchesFace(g, frame.newcomer!)),
      );
      const kind = entry === 'room' ? 'room' : 'edge';
      if (first < 0) missed = { ...missed, [kind]: missed[kind] + 1 };
      if (first < 0 && values.missed) console.log(`never found: room ${index}, ${entry}, entry frame ${entryFrame}`);
      else lags[kind].push(first - entryFrame);
      for (const frame of frames) frame.image.release();
    }
  }
  const work = { scans: yunet.work.scans - before.scans, pixels: yunet.work.pixels - before.pixels };
  const summary = (xs: number[]): string => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
    return `mean ${mean.toFixed(2)}, p90 ${sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))] ?? NaN} frames`;
  };
  console.log(
    `${variant.name}: recall ${pct(found / faces)} (${found}/${faces}); entry lag from an edge ${summary(lags.edge)} ` +
      `(${missed.edge} never found), in the room ${summary(lags.room)} (${missed.room} never found); a frame: ` +
      `${(work.pixels / calls / 1000).toFixed(1)} kpx, ${(work.scans / calls).toFixed(2)} YuNet runs, ${pct(full / calls)} full scans`,
  );
}
process.exit(0);
