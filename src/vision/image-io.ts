import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Mat } from '@u4/opencv4nodejs';
import { CameraError } from './errors.js';
import { toMat } from './ffmpeg-frame-source.js';
import { loadOpencv } from './opencv.js';
import { RawVideo } from './raw-video.js';

/**
 * Image files in and out through an ffmpeg child, so that the daemon needs none of OpenCV's
 * image-file libraries: reading a picture (PNG, JPEG, BMP, WebP…) into a BGR Mat, and writing one
 * as a JPEG. Both are rare (a labelled set, `moodbox analyze`); the camera preview's JPEGs, one a
 * second, come from `JpegStream`'s one child instead.
 */

/** Reads the first picture of a file, or of encoded bytes, as an 8-bit BGR Mat. */
export async function readImage(input: string | Buffer, options: { ffmpeg?: string } = {}): Promise<Mat> {
  const name = typeof input === 'string' ? input : 'the image';
  if (typeof input === 'string' && !existsSync(input))
    throw new CameraError('MB_ERR_CAMERA_UNREADABLE', `cannot read ${name}: no such file`);
  const cv = await loadOpencv();
  const args = ['-nostdin', '-hide_banner', '-nostats', '-v', 'level+info'];
  args.push(...(typeof input === 'string' ? ['-i', input] : ['-f', 'image2pipe', '-i', 'pipe:0']));
  args.push('-frames:v', '1', '-an', '-f', 'rawvideo', '-pix_fmt', 'bgr24', 'pipe:1');
  const video = new RawVideo(options.ffmpeg ?? 'ffmpeg', args, typeof input === 'string' ? {} : { input });
  try {
    const format = await video.format();
    const pixels = await video.next();
    if (format === undefined || pixels === undefined)
      throw new CameraError('MB_ERR_CAMERA_UNREADABLE', `cannot read ${name}: not an image ffmpeg can decode (${video.why()})`);
    return toMat(cv, pixels, format);
  } finally {
    await video.close();
  }
}

/**
 * ffmpeg's MJPEG quantiser (2 best, 31 worst) for a JPEG `quality` (1–100, as OpenCV's and
 * libjpeg's scale; 70 ≈ 11). Throws a RangeError for any other quality.
 */
export function mjpegQuantiser(quality: number): number {
  if (!(Number.isInteger(quality) && quality >= 1 && quality <= 100))
    throw new RangeError(`Expected \`quality\` to be an integer in [1, 100], got \`${quality}\``);
  return Math.round(2 + ((100 - quality) / 99) * 29);
}

/** Encodes an 8-bit BGR Mat as a JPEG of `quality` (1–100, as OpenCV's and libjpeg's scale). */
export async function encodeJpeg(image: Mat, quality: number, options: { ffmpeg?: string } = {}): Promise<Buffer> {
  const q = mjpegQuantiser(quality);
  if (image.channels !== 3) throw new TypeError(`Expected a BGR image (3 channels), got ${image.channels} channel(s)`);
  const child = spawn(
    options.ffmpeg ?? 'ffmpeg',
    ['-nostdin', '-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'bgr24', '-s', `${image.cols}x${image.rows}`, '-i', 'pipe:0'].concat([
      '-frames:v',
      '1',
      '-c:v',
      'mjpeg',
      '-q:v',
      String(q),
      '-pix_fmt',
      'yuvj420p',
      '-f',
      'image2pipe',
      'pipe:1',
    ]),
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on('error', () => undefined);
  child.stdin.end(image.getData());
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const jpeg = Buffer.concat(out);
  if (code !== 0 || jpeg.length === 0) throw new Error(`ffmpeg could not encode the JPEG: ${stderr.trim() || `exit code ${String(code)}`}`);
  return jpeg;
}
