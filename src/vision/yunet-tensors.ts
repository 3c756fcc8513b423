import type { Mat } from '@u4/opencv4nodejs';
import type * as OnnxRuntime from 'onnxruntime-node';
import { ModelError } from './errors.js';
import type { Point } from './face-detector.js';
import type { Cv } from './opencv.js';
import type { YunetFace } from './yunet-scans.js';

/**
 * YuNet's tensors: the input made from an image, and the faces read from the outputs of its three
 * heads (models/README.md, "YuNet").
 */

/** The graph's input and the strides of its three output heads. */
export const INPUT = 'input';
const STRIDES = [8, 16, 32] as const;
export const OUTPUTS = STRIDES.flatMap((s) => [`cls_${s}`, `obj_${s}`, `bbox_${s}`, `kps_${s}`]);

/**
 * Writes the input tensor's data into `data`: `image` (8-bit BGR, BGRA or grey, continuous) as
 * float32 B, G and R planes of `paddedWidth` x `paddedHeight`, values 0–255, zero (black) right of
 * and below the image. Every value of `data` is written, so it may hold an earlier scan's. OpenCV
 * pads and splits the planes and each plane is widened to float32 in one typed-array copy: a
 * 320x240 frame takes about 0.06 ms, where a loop over its pixels in JavaScript took 0.9 ms.
 */
export function fillInput(cv: Cv, image: Mat, paddedWidth: number, paddedHeight: number, data: Float32Array): Float32Array {
  const plane = paddedWidth * paddedHeight;
  if (data.length !== 3 * plane) throw new RangeError(`Expected \`data\` to hold ${3 * plane} values, got ${data.length}`);
  const { cols, rows } = image;
  if (cols > paddedWidth || rows > paddedHeight) {
    throw new RangeError(`Expected an image of at most ${paddedWidth}x${paddedHeight}, got ${cols}x${rows}`);
  }
  const made: Mat[] = [];
  try {
    let bgr = image;
    if (image.channels === 4) made.push((bgr = image.cvtColor(cv.COLOR_BGRA2BGR)));
    let padded = bgr;
    if (cols < paddedWidth || rows < paddedHeight) {
      const black = bgr.channels === 1 ? 0 : new cv.Vec3(0, 0, 0);
      made.push((padded = bgr.copyMakeBorder(0, paddedHeight - rows, 0, paddedWidth - cols, cv.BORDER_CONSTANT, black)));
    }
    if (padded.channels === 1) {
      // A grey image is the same in all three planes.
      const grey = padded.getData();
      for (let c = 0; c < 3; c++) data.set(grey, c * plane);
    } else {
      const planes = padded.splitChannels();
      made.push(...planes);
      planes.forEach((p, c) => data.set(p.getData(), c * plane));
    }
  } finally {
    for (const mat of made) mat.release();
  }
  return data;
}

/**
 * The faces scoring at least `threshold` in YuNet's outputs for a `width` x `height` input (image
 * `batch.index` of a batch of `batch.size`), mapped to the frame: input pixel (u, v) is frame pixel (x + u * sx, y + v * sy). For the cell at column
 * c, row r of stride s: score = sqrt(cls * obj), both clamped to 0–1; centre = ((c + dx) s,
 * (r + dy) s); size = (exp(dw) s, exp(dh) s); landmark k = ((c + kx) s, (r + ky) s).
 */
export function decode(
  outputs: OnnxRuntime.InferenceSession.ReturnType,
  width: number,
  height: number,
  threshold: number,
  to: { x: number; y: number; sx: number; sy: number },
  batch: { readonly index: number; readonly size: number } = { index: 0, size: 1 },
): YunetFace[] {
  const faces: YunetFace[] = [];
  for (const stride of STRIDES) {
    const cols = width / stride;
    const cells = cols * (height / stride);
    const cls = output(outputs, `cls_${stride}`, cells, batch);
    const obj = output(outputs, `obj_${stride}`, cells, batch);
    const bbox = output(outputs, `bbox_${stride}`, cells * 4, batch);
    const kps = output(outputs, `kps_${stride}`, cells * 10, batch);
    for (let i = 0; i < cells; i++) {
      const score = Math.sqrt(clamp(cls[i]!, 0, 1) * clamp(obj[i]!, 0, 1));
      if (!(score >= threshold)) continue;
      const c = i % cols;
      const r = (i - c) / cols;
      const w = Math.exp(bbox[4 * i + 2]!) * stride;
      const h = Math.exp(bbox[4 * i + 3]!) * stride;
      const cx = (c + bbox[4 * i]!) * stride;
      const cy = (r + bbox[4 * i + 1]!) * stride;
      const landmarks: Point[] = [];
      for (let k = 0; k < 5; k++) {
        landmarks.push([to.x + (c + kps[10 * i + 2 * k]!) * stride * to.sx, to.y + (r + kps[10 * i + 2 * k + 1]!) * stride * to.sy]);
      }
      faces.push({ x: to.x + (cx - w / 2) * to.sx, y: to.y + (cy - h / 2) * to.sy, width: w * to.sx, height: h * to.sy, score, landmarks });
    }
  }
  return faces;
}

/** The `length` values of output `name` for the batch's image `index`. */
function output(
  outputs: OnnxRuntime.InferenceSession.ReturnType,
  name: string,
  length: number,
  { index, size }: { readonly index: number; readonly size: number },
): Float32Array {
  const data = outputs[name]?.data;
  if (!(data instanceof Float32Array) || data.length !== length * size) {
    throw new ModelError('MB_ERR_MODEL_LOAD', `the face detection model gave no float32 output ${name} of ${size} x ${length} values`);
  }
  return data.subarray(index * length, (index + 1) * length);
}

export function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
