// Builds the vision test images in src/vision/testing/fixtures/ from FER-2013 PublicTest faces:
// 48x48 grey faces, upscaled and pasted onto a plain 640x480 background. Only a handful of faces
// are used (FER-2013 images must not be shipped beyond a few demo frames). Each face is chosen as
// the first PublicTest row of its emotion that the annotators agreed on (FER+ votes), that the Haar
// cascade finds once pasted, and, for the single happy face, that the emotion model in models/
// reads as happy.
//
//   node scripts/make-face-fixtures.mjs [fer2013.csv.gz]
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
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
const outDir = `${root}src/vision/testing/fixtures`;
const modelPath = [`${root}models/emotion-int8.onnx`, `${root}models/emotion-float.onnx`].find((p) => existsSync(p));
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
const cascade = new cv.CascadeClassifier(`/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml`);
const session = modelPath === undefined ? undefined : await ort.InferenceSession.create(modelPath);

/** A plain background: a soft vertical gradient with a few large, blurred shapes (wall, furniture). */
function background() {
  const bg = new cv.Mat(480, 640, cv.CV_8UC3, [150, 160, 170]);
  for (let y = 0; y < 480; y++) {
    const v = 120 + Math.round((y / 480) * 80);
    bg.drawLine(new cv.Point2(0, y), new cv.Point2(639, y), new cv.Vec3(v, v + 8, v + 15), 1);
  }
  bg.drawRectangle(new cv.Rect(0, 380, 640, 100), new cv.Vec3(70, 90, 110), -1);
  bg.drawCircle(new cv.Point2(560, 80), 50, new cv.Vec3(200, 220, 230), -1);
  return bg.gaussianBlur(new cv.Size(31, 31), 0);
}

function faceMat(pixels) {
  return new cv.Mat(Buffer.from(pixels), 48, 48, cv.CV_8UC1);
}

/** Pastes `face` (48x48 grey) scaled to `size` px with its top-left at `x`,`y`. */
function paste(canvas, face, x, y, size) {
  const big = face.resize(size, size, 0, 0, cv.INTER_CUBIC).cvtColor(cv.COLOR_GRAY2BGR);
  big.copyTo(canvas.getRegion(new cv.Rect(x, y, size, size)));
}

/** Detection as HaarFaceDetector does it with its defaults: 320 px wide, equalized, alt2, 1.15, 4 neighbours. */
function detect(image) {
  const scale = 320 / image.cols;
  const grey = image
    .bgrToGray()
    .resize(Math.round(image.rows * scale), 320, 0, 0, cv.INTER_AREA)
    .equalizeHist();
  return cascade
    .detectMultiScale(grey, 1.15, 4, 0, new cv.Size(24, 24))
    .objects.map((r) => new cv.Rect(r.x / scale, r.y / scale, r.width / scale, r.height / scale));
}

async function classify(face) {
  if (session === undefined) return undefined;
  const data = Float32Array.from(face.getData(), (g) => (g / 255 - 0.5) / 0.25);
  const input = new ort.Tensor('float32', data, [1, 1, 48, 48]);
  const out = await session.run({ [session.inputNames[0]]: input });
  const logits = out[session.outputNames[0]].data;
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return LABELS[best];
}

/** True when each placed face is found by exactly one detection centred on it. */
function allFound(image, placed) {
  const found = detect(image);
  return (
    found.length === placed.length &&
    placed.every(({ box: [x, y, w, h] }) =>
      found.some((r) => Math.abs(r.x + r.width / 2 - (x + w / 2)) < w / 4 && Math.abs(r.y + r.height / 2 - (y + h / 2)) < h / 4),
    )
  );
}

// The single face and the group's, each as [label, x, y, size]; the group's faces all differ.
const SINGLES = { 'happy-face': ['happy', 240, 120, 160] };
const GROUP = [
  ['happy', 40, 90, 120],
  ['neutral', 200, 160, 96],
  ['surprise', 340, 70, 140],
  ['sad', 500, 180, 100],
];

const used = new Set();
const wanted = [...Object.values(SINGLES).map((s) => ({ spec: s, single: true })), ...GROUP.map((s) => ({ spec: s, single: false }))];
const chosen = new Map();

const header = [];
const lines = createInterface({ input: createReadStream(csvPath).pipe(createGunzip()) });
for await (const line of lines) {
  if (header.length === 0) {
    header.push(...line.split(','));
    continue;
  }
  const cols = line.split(',');
  const row = Object.fromEntries(header.map((h, i) => [h, cols[i]]));
  if (row.Usage !== 'PublicTest') continue;
  const label = LABELS[Number(row.emotion)];
  if (Number(row[VOTES[label]] ?? 0) < 8 || used.has(row.pixels)) continue;
  for (const [i, want] of wanted.entries()) {
    if (chosen.has(i) || want.spec[0] !== label) continue;
    const face = faceMat(row.pixels.split(' ').map(Number));
    const [, x, y, size] = want.spec;
    const probe = background();
    paste(probe, face, x, y, size);
    if (!allFound(probe, [{ box: [x, y, size, size] }])) continue;
    if (want.single && session !== undefined && (await classify(face)) !== label) continue;
    chosen.set(i, face);
    used.add(row.pixels);
    break;
  }
  if (chosen.size === wanted.length) break;
}
lines.close();
if (chosen.size !== wanted.length) throw new Error(`found only ${chosen.size} of ${wanted.length} suitable faces`);

mkdirSync(outDir, { recursive: true });
const truth = {};
let i = 0;
for (const [name, [label, x, y, size]] of Object.entries(SINGLES)) {
  const image = background();
  paste(image, chosen.get(i++), x, y, size);
  writePng(`${outDir}/${name}.png`, image);
  truth[name] = [{ emotion: label, box: [x, y, size, size] }];
}
const group = background();
const groupTruth = [];
for (const [label, x, y, size] of GROUP) {
  paste(group, chosen.get(i++), x, y, size);
  groupTruth.push({ emotion: label, box: [x, y, size, size] });
}
if (!allFound(group, groupTruth)) throw new Error('the cascade does not find every face of the group image');
writePng(`${outDir}/group.png`, group);
truth.group = groupTruth;
writePng(`${outDir}/no-face.png`, background());
truth['no-face'] = [];
writeFileSync(`${outDir}/faces.json`, `${JSON.stringify(truth, null, 2)}\n`);
console.log(`wrote ${Object.keys(truth).length} images to ${outDir} (model check: ${modelPath ?? 'none'})`);

/** Writes a BGR Mat as a PNG through ffmpeg (Moodbox's OpenCV binding has no image-file module). */
function writePng(path, image) {
  const args = ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'bgr24', '-s', `${image.cols}x${image.rows}`, '-i', 'pipe:0'];
  const result = spawnSync('ffmpeg', [...args, '-frames:v', '1', '-pix_fmt', 'rgb24', path], { input: image.getData() });
  if (result.status !== 0) throw new Error(`ffmpeg could not write ${path}: ${result.stderr}`);
}
