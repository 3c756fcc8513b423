// Builds the demo camera clip (demo/camera.mp4, played in a loop by the daemon in demo mode: a café
// room of several people at table distance whose mood changes over minutes), the end-to-end test
// clip (src/vision/testing/fixtures/happy-then-sad.mp4) and the one-face clip the calibration tests
// show (src/vision/testing/fixtures/one-face-moods.mp4), each with its timeline as JSON beside it.
// Frames are drawn here, 640x480: a plain synthetic room with a few FER-2013 PublicTest faces
// (48x48 grey) scaled to each person's size and pasted onto simple shapes for bodies, drifting a
// few pixels so it looks like video. The raw BGR frames are piped to the ffmpeg CLI (libx264,
// yuv420p); the product reads the files through an ffmpeg child, so each clip is decoded again
// the same way and every face is checked the way the daemon reads it. How the daemon itself reads
// the demo clip, with its shipped settings: scripts/check-demo-camera.ts.
//
// Only five distinct dataset faces are used (FER-2013 images must not be shipped beyond a few demo
// frames). Each is the first PublicTest row of its emotion, in file order, that the annotators agreed
// on (FER+ votes), that the emotion model in models/ reads as its label with probability >= 0.7 (int8
// model, softmax of the logits; the float model must agree), and that, pasted everywhere the clips
// show it, the model still reads as its label from the daemon's own crop (faces of 48 px and more:
// of the box the Haar cascade finds there; smaller ones, which the cascade does not look for: of
// the face's own box). Deterministic: the same faces and frames every run (only the encoder's bytes
// may differ between ffmpeg builds).
//
//   node scripts/make-demo-clip.mjs [fer2013.csv.gz]
//
// With DEBUG_FACES=1 it also prints why each candidate face was passed over.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { Log } from '@u4/opencv-build';

process.env.OPENCV4NODEJS_DISABLE_AUTOBUILD ??= '1';
process.env.OPENCV4NODEJS_DISABLE_EXTERNAL_MEM_TRACKING ??= '1';
Log.silence = true;
const cv = (await import('@u4/opencv4nodejs')).default;
// onnxruntime's telemetry off, as the product loads it (src/vision/onnxruntime.ts).
process.env.ORT_DISABLE_TELEMETRY = '1';
const ort = await import('onnxruntime-node');

const root = new URL('../', import.meta.url).pathname;
const csvPath = process.argv[2] ?? '/work/shared/datasets/fer2013/fer2013.csv.gz';
const WIDTH = 640;
const HEIGHT = 480;
/** x264 quality: 18 keeps the upscaled faces' detail (the clips stay small: most of a frame is still); a clip may set its own. */
const CRF = 18;
const LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
// FER+ vote columns by FER-2013 label.
const VOTES = {
  angry: 'anger',
  disgust: 'disgust',
  fear: 'fear',
  happy: 'happiness',
  sad: 'sadness',
  surprise: 'surprise',
  neutral: 'neutral',
};
/** Least FER+ annotators (of 10) who chose the face's FER-2013 label. */
const MIN_VOTES = 8;
/** Least probability of the label for the dataset face itself (int8 model). */
const MIN_FACE_P = 0.7;
/** Least probability of the label for the daemon's crop of each pasted copy of the face (int8 model). */
const MIN_CROP_P = 0.6;
/** The same for a copy smaller than 48 px (the model reads a small face less surely, see models/manifest.json). */
const MIN_SMALL_CROP_P = 0.45;
/** Faces this large (px) and larger are checked through the Haar cascade's detection; smaller ones at their own box. */
const DETECTED_PX = 48;
/** The decoded clip: least share of a segment's face readings, per person, that must give the person's emotion. */
const MIN_SEGMENT_ACCURACY = 0.95;

// The five faces, by role, and the emotion each must show.
const FACES = { calm: 'neutral', joy: 'happy', grin: 'happy', wow: 'surprise', blue: 'sad' };

// A person: a face (a key of FACES) with its top-left corner and size (px), a body colour (BGR), a
// slow drift `[x amplitude, y amplitude (px), period (s), phase (rad)]`, and `mirror` to show the
// face flipped left to right (one more look from the same face). The demo's people keep their
// seat from one segment to the next (the same place, size, body and drift): only their face changes.
const SEATS = {
  // Near the camera, at the counter: the one face of 48 px and more.
  near: { x: 470, y: 250, size: 64, body: [70, 90, 140], drift: [3, 2, 13, 0] },
  // At the tables, 28-45 px: 2-3.5 m from a 640x480 webcam with a 70 degree lens.
  a: { x: 80, y: 190, size: 40, body: [110, 80, 60], drift: [2, 1, 9, 1] },
  b: { x: 190, y: 175, size: 34, body: [60, 110, 60], drift: [2, 1, 11, 2] },
  c: { x: 300, y: 200, size: 44, body: [130, 100, 50], drift: [2, 2, 10, 3] },
  d: { x: 390, y: 170, size: 30, body: [90, 70, 120], drift: [1, 1, 8, 4] },
  e: { x: 140, y: 250, size: 45, body: [50, 130, 150], drift: [2, 1, 12, 5] },
  f: { x: 250, y: 150, size: 28, body: [140, 140, 90], drift: [1, 1, 9, 0.5] },
  g: { x: 560, y: 160, size: 32, body: [80, 80, 80], drift: [2, 1, 10, 1.5] },
};
const seat = (name, face, mirror = false) => ({ ...SEATS[name], seat: name, face, mirror });

const CLIPS = [
  {
    path: 'demo/camera.mp4',
    timeline: 'demo/camera.json',
    fps: 5,
    // 5.5 minutes: 22 keeps it about twice the size of the old 100 s clip, and every face still reads right.
    crf: 22,
    about:
      'The demo camera: a café room at table distance whose mood changes over minutes (empty, a few calm people, more, the room warms up to happy, a quieter sad stretch, people leave, empty); played in a loop in demo mode.',
    segments: [
      { fromS: 0, toS: 6, emotion: 'nobody', people: [] },
      { fromS: 6, toS: 45, emotion: 'neutral', people: [seat('near', 'calm'), seat('a', 'calm', true), seat('c', 'calm')] },
      {
        fromS: 45,
        toS: 80,
        emotion: 'neutral',
        people: [
          seat('near', 'calm'),
          seat('a', 'calm', true),
          seat('b', 'calm'),
          seat('c', 'calm'),
          seat('d', 'calm', true),
          seat('e', 'calm', true),
        ],
      },
      {
        fromS: 80,
        toS: 115,
        emotion: 'neutral',
        people: [seat('near', 'calm'), seat('a', 'joy'), seat('b', 'calm'), seat('c', 'calm'), seat('d', 'calm', true), seat('e', 'grin')],
      },
      {
        fromS: 115,
        toS: 190,
        emotion: 'happy',
        people: [
          seat('near', 'joy'),
          seat('a', 'joy'),
          seat('b', 'grin', true),
          seat('c', 'joy', true),
          seat('d', 'grin'),
          seat('e', 'grin'),
          seat('f', 'joy'),
          seat('g', 'calm', true),
        ],
      },
      {
        fromS: 190,
        toS: 255,
        emotion: 'sad',
        people: [seat('near', 'blue'), seat('a', 'blue', true), seat('c', 'blue'), seat('e', 'calm')],
      },
      { fromS: 255, toS: 295, emotion: 'neutral', people: [seat('near', 'calm'), seat('c', 'calm')] },
      { fromS: 295, toS: 330, emotion: 'nobody', people: [] },
    ],
  },
  {
    path: 'src/vision/testing/fixtures/happy-then-sad.mp4',
    timeline: 'src/vision/testing/fixtures/happy-then-sad.json',
    fps: 10,
    about: 'End-to-end test clip: one happy face, then one sad face in the same place and size; the faces do not move.',
    segments: [
      {
        fromS: 0,
        toS: 8,
        emotion: 'happy',
        people: [{ face: 'joy', x: 240, y: 120, size: 160, body: [60, 60, 150], drift: [0, 0, 1, 0] }],
      },
      { fromS: 8, toS: 20, emotion: 'sad', people: [{ face: 'blue', x: 240, y: 120, size: 160, body: [90, 70, 80], drift: [0, 0, 1, 0] }] },
    ],
  },
  {
    path: 'src/vision/testing/fixtures/one-face-moods.mp4',
    timeline: 'src/vision/testing/fixtures/one-face-moods.json',
    fps: 10,
    about:
      'One person near the camera at a time, 2 s each: neutral, happy (two people: 170 px on the left, 120 px on the right), surprised, sad; the pictures the calibration tests show a camera.',
    segments: [
      {
        fromS: 0,
        toS: 2,
        emotion: 'neutral',
        people: [{ face: 'calm', x: 250, y: 110, size: 140, body: [110, 80, 60], drift: [5, 3, 9, 0] }],
      },
      {
        fromS: 2,
        toS: 4,
        emotion: 'happy',
        people: [
          { face: 'joy', x: 90, y: 100, size: 170, body: [60, 60, 150], drift: [4, 3, 11, 1] },
          { face: 'grin', x: 410, y: 150, size: 120, body: [70, 120, 70], drift: [5, 2, 8, 2.5] },
        ],
      },
      {
        fromS: 4,
        toS: 6,
        emotion: 'surprise',
        people: [{ face: 'wow', x: 240, y: 80, size: 180, body: [140, 110, 50], drift: [3, 4, 10, 0.5] }],
      },
      {
        fromS: 6,
        toS: 8,
        emotion: 'sad',
        people: [{ face: 'blue', x: 350, y: 150, size: 110, body: [90, 70, 80], drift: [4, 3, 12, 4] }],
      },
    ],
  },
];

if (spawnSync('ffmpeg', ['-version']).status !== 0) throw new Error('ffmpeg is not installed (it encodes the clips)');
const models = [`${root}models/emotion-int8.onnx`, `${root}models/emotion-float.onnx`].filter((p) => existsSync(p));
if (!models[0]?.endsWith('int8.onnx')) throw new Error('models/emotion-int8.onnx is missing');
const sessions = await Promise.all(models.map((p) => ort.InferenceSession.create(p, { intraOpNumThreads: 1, interOpNumThreads: 1 })));
const cascade = new cv.CascadeClassifier('/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml');

/** The room: a soft vertical gradient with a few large, blurred shapes (wall, window, sofa, lamp). */
function room() {
  const bg = new cv.Mat(HEIGHT, WIDTH, cv.CV_8UC3, [150, 160, 170]);
  for (let y = 0; y < HEIGHT; y++) {
    const v = 120 + Math.round((y / HEIGHT) * 80);
    bg.drawLine(new cv.Point2(0, y), new cv.Point2(WIDTH - 1, y), new cv.Vec3(v, v + 8, v + 15), 1);
  }
  bg.drawRectangle(new cv.Rect(0, 380, 640, 100), new cv.Vec3(70, 90, 110), -1);
  bg.drawRectangle(new cv.Rect(470, 30, 140, 110), new cv.Vec3(215, 215, 200), -1);
  bg.drawRectangle(new cv.Rect(30, 330, 580, 60), new cv.Vec3(80, 100, 130), -1);
  bg.drawCircle(new cv.Point2(40, 70), 30, new cv.Vec3(170, 220, 235), -1);
  return bg.gaussianBlur(new cv.Size(31, 31), 0);
}
const ROOM = room();

function faceMat(pixels) {
  return new cv.Mat(Buffer.from(pixels), 48, 48, cv.CV_8UC1);
}

/** Where a person's face is at `t` seconds: `[x, y, size, size]`, whole pixels. */
function boxAt(person, t) {
  const [ax, ay, period, phase] = person.drift;
  const a = (2 * Math.PI * t) / period + phase;
  return [person.x + Math.round(ax * Math.sin(a)), person.y + Math.round(ay * Math.sin(0.77 * a + 1)), person.size, person.size];
}

/** Draws `people` (with their face Mats) at `t` seconds onto a copy of the room, the farthest (smallest) first. */
function render(people, t) {
  const frame = ROOM.copy();
  for (const { person, face } of [...people].sort((p, q) => p.person.size - q.person.size)) {
    const [x, y, size] = boxAt(person, t);
    const body = new cv.Vec3(...person.body);
    const cx = x + Math.round(size / 2);
    frame.drawRectangle(new cv.Rect(cx - Math.round(size * 0.18), y + size - 4, Math.round(size * 0.36), Math.round(size * 0.3)), body, -1);
    frame.drawEllipse(
      new cv.Point2(cx, y + Math.round(size * 1.75)),
      new cv.Size(Math.round(size * 0.8), Math.round(size * 0.55)),
      0,
      180,
      360,
      body,
      -1,
    );
    // The body down to the bottom of the frame for a near person, to the table for a far one.
    frame.drawRectangle(
      new cv.Rect(cx - Math.round(size * 0.8), y + Math.round(size * 1.75), Math.round(size * 1.6), Math.round(size * 2.2)),
      body,
      -1,
    );
    // A face shrunk for a far person is resized by area, as a camera's sensor averages it.
    const shown = person.mirror ? face.flip(1) : face;
    const big = shown.resize(size, size, 0, 0, size < 48 ? cv.INTER_AREA : cv.INTER_CUBIC).cvtColor(cv.COLOR_GRAY2BGR);
    big.copyTo(frame.getRegion(new cv.Rect(x, y, size, size)));
    big.release();
  }
  return frame;
}

/**
 * Faces as HaarFaceDetector finds them with its defaults (a full scan): 320 px wide, INTER_AREA,
 * equalized, alt2, scale 1.15, 4 neighbours, 24 px (48 px of the frame) and up; not square enough or
 * overlapping a stronger candidate: dropped.
 */
function detect(image) {
  const scale = 320 / image.cols;
  const grey = image.bgrToGray();
  const small = grey.resize(Math.round(image.rows * scale), 320, 0, 0, cv.INTER_AREA);
  const prepared = small.equalizeHist();
  const { objects, numDetections } = cascade.detectMultiScale(prepared, 1.15, 4, 0, new cv.Size(24, 24), new cv.Size(0, 0));
  for (const mat of [grey, small, prepared]) mat.release();
  const found = objects
    .map((r, i) => ({
      x: Math.round(r.x / scale),
      y: Math.round(r.y / scale),
      width: Math.round(r.width / scale),
      height: Math.round(r.height / scale),
      neighbours: numDetections[i] ?? 0,
    }))
    .sort((a, b) => b.neighbours - a.neighbours || b.width - a.width);
  const kept = [];
  for (const f of found) {
    const aspect = f.width / f.height;
    if (aspect < 0.75 || aspect > 1.33) continue;
    if (kept.some((k) => iou(k, f) > 0.3 || contains(k, f) || contains(f, k))) continue;
    kept.push(f);
  }
  return kept;
}

function iou(a, b) {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

function contains(outer, inner) {
  const cx = inner.x + inner.width / 2;
  const cy = inner.y + inner.height / 2;
  return cx > outer.x && cx < outer.x + outer.width && cy > outer.y && cy < outer.y + outer.height;
}

/** The daemon's 48x48 grey crop of a detected box (face-crops.ts: a 5% margin, squared, kept inside). */
function crop(image, box) {
  const side = Math.round(Math.max(box.width, box.height) * 1.1);
  const w = Math.min(side, image.cols);
  const h = Math.min(side, image.rows);
  const x = Math.min(Math.max(0, Math.round(box.x + box.width / 2 - w / 2)), image.cols - w);
  const y = Math.min(Math.max(0, Math.round(box.y + box.height / 2 - h / 2)), image.rows - h);
  const grey = image.bgrToGray();
  const face = grey.getRegion(new cv.Rect(x, y, w, h)).resize(48, 48, 0, 0, w > 48 ? cv.INTER_AREA : cv.INTER_LINEAR);
  grey.release();
  return face;
}

/** Probability per label of a 48x48 grey face: softmax of the logits of `sessions[which]`. */
async function probabilities(face, which = 0) {
  const session = sessions[which];
  const data = Float32Array.from(face.getData(), (g) => (g / 255 - 0.5) / 0.25);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, [1, 1, 48, 48]) });
  const logits = Array.from(out[session.outputNames[0]].data);
  const top = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - top));
  const sum = exp.reduce((a, b) => a + b, 0);
  return Object.fromEntries(LABELS.map((label, i) => [label, exp[i] / sum]));
}

const argmax = (p) => Object.entries(p).reduce((a, b) => (b[1] > a[1] ? b : a))[0];

/** The one detection centred on `box` (`[x, y, w, h]`), if any. */
function matching(found, [x, y, w, h]) {
  return found.find((r) => Math.abs(r.x + r.width / 2 - (x + w / 2)) < w / 4 && Math.abs(r.y + r.height / 2 - (y + h / 2)) < h / 4);
}

// Everywhere each face is shown: its people and the times it is on screen (every distinct position).
const showings = new Map(Object.keys(FACES).map((name) => [name, []]));
for (const clip of CLIPS) {
  const fps = clip.fps;
  for (const segment of clip.segments) {
    for (const person of segment.people) {
      const seen = new Set();
      for (let i = Math.ceil(segment.fromS * fps); i < segment.toS * fps; i++) {
        const key = `${boxAt(person, i / fps).join()}${person.mirror ? ' mirrored' : ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        showings.get(person.face).push({ person, t: i / fps });
      }
    }
  }
}

/** Why `face` cannot play `name` (undefined when it can), checked as described at the top. */
async function unsuitable(name, face) {
  const label = FACES[name];
  const p = await probabilities(face);
  if (p[label] < MIN_FACE_P) return `int8 ${label} ${p[label].toFixed(2)}`;
  if (sessions[1] !== undefined && argmax(await probabilities(face, 1)) !== label) return 'float model disagrees';
  for (const { person, t } of showings.get(name)) {
    const frame = render([{ person, face }], t);
    const box = boxAt(person, t);
    let hit = { x: box[0], y: box[1], width: box[2], height: box[3] };
    if (person.size >= DETECTED_PX) {
      const found = detect(frame);
      hit = matching(found, box);
      if (found.length !== 1 || hit === undefined) {
        frame.release();
        return `cascade finds ${found.length} faces, ${hit ? '' : 'none '}on it at ${box}`;
      }
    }
    const cut = crop(frame, hit);
    frame.release();
    const q = await probabilities(cut);
    cut.release();
    const least = person.size >= DETECTED_PX ? MIN_CROP_P : MIN_SMALL_CROP_P;
    if (q[label] < least || argmax(q) !== label)
      return `crop at ${box}${person.mirror ? ' (mirrored)' : ''} reads ${label} ${q[label].toFixed(2)}`;
  }
  return undefined;
}

// The faces: for each role in turn, the first suitable PublicTest row of its label.
const chosen = new Map();
const used = new Set();
const header = [];
const lines = createInterface({ input: createReadStream(csvPath).pipe(createGunzip()) });
let row = 0;
for await (const line of lines) {
  if (header.length === 0) {
    header.push(...line.split(','));
    continue;
  }
  row += 1;
  const cols = line.split(',');
  const record = Object.fromEntries(header.map((h, i) => [h, cols[i]]));
  if (record.Usage !== 'PublicTest') continue;
  const label = LABELS[Number(record.emotion)];
  if (Number(record[VOTES[label]] || 0) < MIN_VOTES || used.has(record.pixels)) continue;
  for (const [name, want] of Object.entries(FACES)) {
    if (chosen.has(name) || want !== label) continue;
    const face = faceMat(record.pixels.split(' ').map(Number));
    const why = await unsuitable(name, face);
    if (process.env.DEBUG_FACES) console.log(`row ${row} for ${name}: ${why ?? 'ok'}`);
    if (why !== undefined) continue;
    chosen.set(name, { face, row });
    used.add(record.pixels);
    break;
  }
  if (chosen.size === Object.keys(FACES).length) break;
}
lines.close();
if (chosen.size !== Object.keys(FACES).length) {
  throw new Error(`no suitable face for ${Object.keys(FACES).filter((name) => !chosen.has(name))}`);
}
for (const [name, { face, row: n }] of chosen) {
  const label = FACES[name];
  const p = await Promise.all(sessions.map(async (_, which) => (await probabilities(face, which))[label].toFixed(2)));
  console.log(`${name}: data row ${n} of ${csvPath}, ${label} p ${p.join(' (int8), ')}${p.length > 1 ? ' (float)' : ' (int8)'}`);
}

/** Pipes the clip's frames to ffmpeg; resolves when the file is written. */
async function encode(clip, frames) {
  const out = `${root}${clip.path}`;
  mkdirSync(dirname(out), { recursive: true });
  const ffmpeg = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'rawvideo', '-pix_fmt', 'bgr24', '-s', `${WIDTH}x${HEIGHT}`, '-r', String(clip.fps), '-i', '-'],
      ...['-c:v', 'libx264', '-preset', 'slow', '-crf', String(clip.crf ?? CRF), '-pix_fmt', 'yuv420p', '-threads', '1'],
      ...['-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-movflags', '+faststart', out],
    ],
    { stdio: ['pipe', 'inherit', 'inherit'] },
  );
  const done = new Promise((resolve, reject) => {
    ffmpeg.on('error', reject);
    ffmpeg.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`))));
  });
  for (let i = 0; i < frames; i++) {
    const frame = render(peopleAt(clip, i / clip.fps), i / clip.fps);
    const data = frame.getData();
    frame.release();
    if (!ffmpeg.stdin.write(data)) await new Promise((resolve) => ffmpeg.stdin.once('drain', resolve));
  }
  ffmpeg.stdin.end();
  await done;
}

function segmentAt(clip, t) {
  return clip.segments.find((s) => t >= s.fromS && t < s.toS);
}

function peopleAt(clip, t) {
  return segmentAt(clip, t).people.map((person) => ({ person, face: chosen.get(person.face).face }));
}

/** Decodes a clip as the daemon does (an ffmpeg child writing raw BGR frames), one Mat at a time. */
async function* decode(path) {
  const child = spawn('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-i',
    path,
    '-an',
    '-fps_mode',
    'passthrough',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'bgr24',
    'pipe:1',
  ]);
  const size = WIDTH * HEIGHT * 3;
  let pending = Buffer.alloc(0);
  for await (const chunk of child.stdout) {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= size) {
      yield new cv.Mat(pending.subarray(0, size), HEIGHT, WIDTH, cv.CV_8UC3);
      pending = pending.subarray(size);
    }
  }
}

/**
 * Reads the clip back as the daemon does and checks every frame: each person's face read as their
 * emotion from the daemon's crop (of the box the cascade finds for faces of 48 px and more, which
 * must each be found, with no other face; of the face's own box for smaller ones).
 */
async function verify(clip, frames) {
  const probe = spawnSync(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=avg_frame_rate', '-of', 'csv=p=0', `${root}${clip.path}`],
    { encoding: 'utf8' },
  );
  const [num = 0, den = 1] = probe.stdout.trim().split('/').map(Number);
  const fps = num / den;
  if (Math.abs(fps - clip.fps) > 0.01) throw new Error(`${clip.path}: ffprobe reads ${fps} fps`);
  const stats = clip.segments.map((segment) => segment.people.map(() => ({ readings: 0, right: 0, missed: 0, least: 1 })));
  const extra = clip.segments.map(() => 0);
  let i = 0;
  for await (const image of decode(`${root}${clip.path}`)) {
    if (image.cols !== WIDTH || image.rows !== HEIGHT) throw new Error(`${clip.path}: frame ${i} is ${image.cols}x${image.rows}`);
    const t = i / clip.fps;
    const segment = segmentAt(clip, t);
    const k = clip.segments.indexOf(segment);
    const found = detect(image);
    const matched = new Set();
    for (const [j, person] of segment.people.entries()) {
      const s = stats[k][j];
      const box = boxAt(person, t);
      let hit = { x: box[0], y: box[1], width: box[2], height: box[3] };
      if (person.size >= DETECTED_PX) {
        hit = matching(found, box);
        if (hit === undefined) {
          s.missed += 1;
          continue;
        }
        matched.add(hit);
      } else {
        // A small face the cascade happens to find is not an extra one.
        const seen = matching(found, box);
        if (seen !== undefined) matched.add(seen);
      }
      const face = crop(image, hit);
      const p = await probabilities(face);
      face.release();
      const label = FACES[person.face];
      s.readings += 1;
      if (argmax(p) === label) s.right += 1;
      s.least = Math.min(s.least, p[label]);
    }
    extra[k] += found.filter((f) => !matched.has(f)).length;
    image.release();
    i++;
  }
  if (i !== frames) throw new Error(`${clip.path}: ffmpeg decodes ${i} frames, ${frames} were written`);
  const problems = [];
  for (const [k, segment] of clip.segments.entries()) {
    const people = segment.people.map((person, j) => {
      const s = stats[k][j];
      const accuracy = s.readings === 0 ? 1 : s.right / s.readings;
      if (s.missed > 0 || accuracy < MIN_SEGMENT_ACCURACY)
        problems.push(`${segment.fromS}-${segment.toS} s, ${person.size} px ${person.face}`);
      return `${person.size} px ${FACES[person.face]} ${s.right}/${s.readings} (least p ${s.readings === 0 ? '-' : s.least.toFixed(2)})${s.missed > 0 ? `, ${s.missed} missed` : ''}`;
    });
    console.log(`  ${segment.fromS}-${segment.toS} s ${segment.emotion}: ${people.join('; ') || 'nobody'}; ${extra[k]} extra`);
    if (extra[k] > 0) problems.push(`${segment.fromS}-${segment.toS} s: ${extra[k]} extra faces`);
  }
  if (problems.length > 0) throw new Error(`${clip.path}: faces missed or misread in ${problems.join(', ')}`);
}

for (const clip of CLIPS) {
  const durationS = clip.segments.at(-1).toS;
  const frames = Math.round(durationS * clip.fps);
  await encode(clip, frames);
  console.log(`${clip.path}: ${frames} frames, ${durationS} s, ${statSync(`${root}${clip.path}`).size} bytes`);
  await verify(clip, frames);
  const timeline = {
    about: clip.about,
    fps: clip.fps,
    width: WIDTH,
    height: HEIGHT,
    durationS,
    segments: clip.segments.map(({ fromS, toS, emotion, people }) => ({
      fromS,
      toS,
      emotion,
      faces: people.map((person) => ({
        box: [person.x, person.y, person.size, person.size],
        driftPx: person.drift.slice(0, 2),
        emotion: FACES[person.face],
        ...(person.seat === undefined ? {} : { seat: person.seat }),
      })),
    })),
  };
  // Two-space JSON with number arrays on one line, as Prettier writes it.
  const json = JSON.stringify(timeline, null, 2).replace(
    /\[\s+(-?[\d.]+(?:,\s+-?[\d.]+)*)\s+\]/g,
    (_, items) => `[${items.split(/,\s+/).join(', ')}]`,
  );
  writeFileSync(`${root}${clip.timeline}`, `${json}\n`);
}
