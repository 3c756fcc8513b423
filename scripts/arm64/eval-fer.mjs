// Accuracy of one emotion model on faces packed by scripts/arm64/make-fer-bin.mjs, the way the
// daemon classifies them (src/vision/onnx-emotion-classifier.ts, preprocess.ts,
// emotion-classifier.ts): float32 `(pixel / scale - mean) / std` with the manifest's normalisation,
// NCHW [N, 1, 48, 48], batches of 64, one intra-op thread, graph optimisation `all`; the label is
// the first largest softmax probability; with flip-TTA each batch also holds the faces' left-right
// mirrors (after the faces) and a face's probabilities are the mean of its own and its mirror's.
// A model whose manifest has a denoising rule (`denoise`) has each face smoothed by it first, with
// the daemon's own built module (dist/vision/denoise-crop.js, beside this script as in the
// repository: scripts/check-arm64.sh copies both into the chroot). A model with offsets by grain
// (`labelOffsets`) has them added to each face's logits and its mirror's, by the grain measured on
// the face before it is smoothed, with the daemon's dist/vision/label-offsets.js and light-measure.js.
// Plain JavaScript (Node 18 or newer) so it runs unchanged on the host and in the arm64 chroot of
// scripts/check-arm64.sh.
//
//   node scripts/arm64/eval-fer.mjs --models DIR --model FILE --data FACES.bin
//        [--limit N] [--modes plain,flip] [--logits OUT.f32] [--progress]
//
// --models: the folder with manifest.json and FILE; --limit: only the first N faces (0: all);
// --logits: write the plain mode's float32 logits ([n, 7], little-endian) there; --progress: a line
// on stderr every few batches. Prints one JSON object on stdout.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

// onnxruntime's telemetry off, as the product loads it (src/vision/onnxruntime.ts).
process.env.ORT_DISABLE_TELEMETRY = '1';
const { default: ort } = await import('onnxruntime-node');

const FACE_SIZE = 48;
const FACE_PIXELS = FACE_SIZE * FACE_SIZE;
const RECORD = 1 + FACE_PIXELS;
const BATCH = 64;
const FER_LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];

const { values: args } = parseArgs({
  options: {
    models: { type: 'string' },
    model: { type: 'string' },
    data: { type: 'string' },
    limit: { type: 'string', default: '0' },
    modes: { type: 'string', default: 'plain,flip' },
    logits: { type: 'string' },
    progress: { type: 'boolean', default: false },
  },
});
if (args.models === undefined || args.model === undefined || args.data === undefined) {
  console.error(
    'usage: node eval-fer.mjs --models DIR --model FILE --data FACES.bin [--limit N] [--modes plain,flip] [--logits OUT] [--progress]',
  );
  process.exit(2);
}
const limit = Number(args.limit);
if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`--limit must be an integer >= 0, got "${args.limit}"`);
const modes = args.modes.split(',');
if (modes.length === 0 || modes.some((m) => m !== 'plain' && m !== 'flip')) {
  throw new RangeError(`--modes must list plain and/or flip, got "${args.modes}"`);
}

const manifest = JSON.parse(readFileSync(join(args.models, 'manifest.json'), 'utf8'));
const entry = manifest.models?.[args.model];
if (entry === undefined) throw new Error(`${args.model} is not in ${join(args.models, 'manifest.json')}`);
if (entry.labels.join(',') !== FER_LABELS.join(',')) {
  throw new Error(`${args.model}: labels ${entry.labels.join(',')} are not in FER-2013 order (${FER_LABELS.join(',')})`);
}
const k = FER_LABELS.length;
// The daemon's own step, when the model has a rule: the same bytes on every CPU (denoise-crop.ts).
const denoiseFace =
  entry.denoise === undefined ? undefined : (await import(new URL('../../dist/vision/denoise-crop.js', import.meta.url).href)).denoiseFace;

// The daemon's offsets by grain, when the model has them (label-offsets.ts).
const offsets =
  entry.labelOffsets === undefined
    ? undefined
    : {
        add: (await import(new URL('../../dist/vision/label-offsets.js', import.meta.url).href)).addLabelOffsets,
        measureLight: (await import(new URL('../../dist/vision/light-measure.js', import.meta.url).href)).measureLight,
      };

const data = readFileSync(args.data);
if (data.length % RECORD !== 0) throw new Error(`${args.data}: ${data.length} bytes is not a whole number of ${RECORD}-byte records`);
const n = limit > 0 ? Math.min(limit, data.length / RECORD) : data.length / RECORD;
const faces = [];
const labels = new Uint8Array(n);
for (let i = 0; i < n; i++) {
  labels[i] = data[i * RECORD];
  faces.push(data.subarray(i * RECORD + 1, (i + 1) * RECORD));
}

// The 256 values a grey level becomes, one float32 rounding per operation (preprocess.ts).
const f = Math.fround;
const { scale, mean, std } = entry.input.normalisation;
const table = new Float32Array(256);
for (let p = 0; p < 256; p++) table[p] = f(f(f(p / f(scale)) - f(mean)) / f(std));

function preprocess(chunk, mirrored) {
  const count = chunk.length;
  const out = new Float32Array((mirrored ? 2 * count : count) * FACE_PIXELS);
  chunk.forEach((face, i) => {
    const base = i * FACE_PIXELS;
    for (let j = 0; j < FACE_PIXELS; j++) out[base + j] = table[face[j]];
    if (mirrored) {
      const mirror = (count + i) * FACE_PIXELS;
      for (let r = 0; r < FACE_SIZE; r++) {
        const row = r * FACE_SIZE;
        for (let c = 0; c < FACE_SIZE; c++) out[mirror + row + c] = out[base + row + FACE_SIZE - 1 - c];
      }
    }
  });
  return out;
}

// Numerically stable softmax in float64 (emotion-classifier.ts).
function softmax(scores, offset) {
  const out = new Float64Array(k);
  let max = -Infinity;
  for (let i = 0; i < k; i++) max = Math.max(max, scores[offset + i]);
  let sum = 0;
  for (let i = 0; i < k; i++) {
    out[i] = Math.exp(scores[offset + i] - max);
    sum += out[i];
  }
  for (let i = 0; i < k; i++) out[i] /= sum;
  return out;
}

function argmax(p) {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
}

// aarch64 HWCAP bits the int8 kernels depend on, from the auxiliary vector (emulated by qemu-user).
function arm64Features() {
  if (process.arch !== 'arm64') return undefined;
  try {
    const auxv = readFileSync('/proc/self/auxv');
    let hwcap = 0n;
    let hwcap2 = 0n;
    for (let o = 0; o + 16 <= auxv.length; o += 16) {
      const type = auxv.readBigUInt64LE(o);
      if (type === 16n) hwcap = auxv.readBigUInt64LE(o + 8);
      if (type === 26n) hwcap2 = auxv.readBigUInt64LE(o + 8);
    }
    return { asimd: (hwcap & (1n << 1n)) !== 0n, dotprod: (hwcap & (1n << 20n)) !== 0n, i8mm: (hwcap2 & (1n << 13n)) !== 0n };
  } catch {
    return undefined;
  }
}

const session = await ort.InferenceSession.create(join(args.models, args.model), {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});
const inputName = entry.input.name;
const outputName = entry.output.name;
if (!session.inputNames.includes(inputName) || !session.outputNames.includes(outputName)) {
  throw new Error(
    `${args.model}: the graph has inputs ${session.inputNames.join(',')} and outputs ${session.outputNames.join(',')}, the manifest says ${inputName} and ${outputName}`,
  );
}

const result = {
  model: args.model,
  n,
  arch: process.arch,
  node: process.versions.node,
  onnxruntime: ort.env.versions?.common,
  cpuFeatures: arm64Features(),
  modes: {},
};
for (const mode of modes) {
  const flip = mode === 'flip';
  const logits = mode === 'plain' && args.logits !== undefined ? new Float32Array(n * k) : undefined;
  let correct = 0;
  let ms = 0;
  for (let start = 0; start < n; start += BATCH) {
    const chunk = faces.slice(start, start + BATCH).map((face) => (denoiseFace === undefined ? face : denoiseFace(face, entry.denoise)));
    const count = chunk.length;
    const rows = flip ? 2 * count : count;
    const t0 = performance.now();
    const input = new ort.Tensor('float32', preprocess(chunk, flip), [rows, 1, FACE_SIZE, FACE_SIZE]);
    const output = (await session.run({ [inputName]: input }))[outputName];
    ms += performance.now() - t0;
    if (output === undefined || output.data.length !== rows * k)
      throw new Error(`${args.model}: expected ${rows * k} values from ${outputName}`);
    const scores = output.data;
    if (offsets !== undefined) {
      faces.slice(start, start + count).forEach((face, i) => {
        const noise = offsets.measureLight(face, FACE_SIZE, FACE_SIZE).noise;
        offsets.add(entry.labelOffsets, noise, scores, i * k, k);
        if (flip) offsets.add(entry.labelOffsets, noise, scores, (count + i) * k, k);
      });
    }
    logits?.set(scores.subarray(0, count * k), start * k);
    for (let i = 0; i < count; i++) {
      const p = softmax(scores, i * k);
      if (flip) {
        const q = softmax(scores, (count + i) * k);
        for (let j = 0; j < k; j++) p[j] = (p[j] + q[j]) / 2;
      }
      if (argmax(p) === labels[start + i]) correct++;
    }
    const done = start + count;
    if (args.progress && (done % (BATCH * 4) === 0 || done === n)) {
      console.error(`  ${args.model} ${flip ? 'flip-TTA' : 'no flip'}: ${done}/${n} faces, ${(ms / done).toFixed(1)} ms per face`);
    }
  }
  result.modes[mode] = { correct, accuracy: correct / n, msPerFace: ms / n };
  if (logits !== undefined) writeFileSync(args.logits, Buffer.from(logits.buffer));
}
await session.release();
console.log(JSON.stringify(result));
