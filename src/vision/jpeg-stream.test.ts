import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../daemon/testing/fake-clock.js';
import { encodeJpeg, readImage } from './image-io.js';
import { JpegStream, jpegEnd } from './jpeg-stream.js';
import { loadOpencv } from './opencv.js';

// The camera preview's JPEGs come from one ffmpeg child while someone watches, not one per picture.

let dir: string;
/** An ffmpeg that notes each start (its process id) in `starts` and then runs the real one. */
let ffmpeg: string;
const started = (): number[] => readFileSync(join(dir, 'starts'), 'utf8').split('\n').filter(Boolean).map(Number);
const starts = (): number => started().length;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mb-jpeg-stream-'));
  writeFileSync(join(dir, 'starts'), '');
  ffmpeg = join(dir, 'ffmpeg');
  writeFileSync(ffmpeg, `#!/bin/sh\necho $$ >> '${join(dir, 'starts')}'\nexec ffmpeg "$@"\n`, { mode: 0o755 });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A flat BGR picture. */
async function flat(width: number, height: number, bgr: [number, number, number]) {
  const cv = await loadOpencv();
  return new cv.Mat(height, width, cv.CV_8UC3, bgr);
}

/** The mean BGR colour of a JPEG, decoded by ffmpeg. */
async function meanOf(jpeg: Buffer): Promise<{ size: [number, number]; bgr: number[] }> {
  const image = await readImage(jpeg);
  const { w, x, y } = image.mean();
  return { size: [image.cols, image.rows], bgr: [w, x, y].map(Math.round) };
}

describe('JpegStream', () => {
  it('encodes picture after picture through one ffmpeg, each its own, in the order asked', async () => {
    const stream = new JpegStream({ clock: new FakeClock() }, { quality: 70, ffmpeg });
    const colours: Array<[number, number, number]> = [
      [200, 30, 30],
      [30, 200, 30],
      [30, 30, 200],
      [128, 128, 128],
    ];
    const pictures = await Promise.all(colours.map((c) => flat(320, 240, c)));
    const jpegs = await Promise.all(pictures.map((p) => stream.encode(p)));
    for (const [i, jpeg] of jpegs.entries()) {
      const { size, bgr } = await meanOf(jpeg);
      expect(size).toEqual([320, 240]);
      bgr.forEach((v, c) => expect(Math.abs(v - (colours[i]?.[c] ?? 0))).toBeLessThan(12));
    }
    expect(starts()).toBe(1);
    await stream.close();
    expect(stream.isRunning).toBe(false);
  });

  it('starts ffmpeg again for a new size, after being idle, and after it died', async () => {
    const clock = new FakeClock();
    const stream = new JpegStream({ clock }, { quality: 70, idleMs: 10_000, ffmpeg });
    await stream.encode(await flat(320, 240, [10, 20, 30]));
    expect((await meanOf(await stream.encode(await flat(160, 120, [10, 20, 30])))).size).toEqual([160, 120]);
    expect(starts()).toBe(2);
    clock.advance(9_999);
    expect(stream.isRunning).toBe(true);
    clock.advance(1);
    await expect.poll(() => stream.isRunning).toBe(false);
    await stream.encode(await flat(160, 120, [10, 20, 30]));
    expect(starts()).toBe(3);
    // Killed from outside: the picture then asked for starts a new one.
    process.kill(started().at(-1) ?? 0, 'SIGKILL');
    await expect.poll(() => stream.isRunning).toBe(false);
    const { bgr } = await meanOf(await stream.encode(await flat(160, 120, [90, 90, 90])));
    bgr.forEach((v) => expect(Math.abs(v - 90)).toBeLessThan(12));
    expect(starts()).toBe(4);
    await stream.close();
  });

  it('says why when ffmpeg cannot be started, and works once it can', async () => {
    const stream = new JpegStream({ clock: new FakeClock() }, { quality: 70, ffmpeg: join(dir, 'no-such-ffmpeg') });
    await expect(stream.encode(await flat(64, 48, [1, 2, 3]))).rejects.toThrow(/ffmpeg could not encode the JPEG: .*ENOENT/);
    expect(stream.isRunning).toBe(false);
  });
});

describe('jpegEnd', () => {
  it('finds where a JPEG ends, and says when it is not all there yet', async () => {
    const jpeg = await encodeJpeg(await flat(64, 48, [40, 80, 120]), 90);
    expect(jpegEnd(jpeg)).toBe(jpeg.length);
    expect(jpegEnd(Buffer.concat([jpeg, jpeg]))).toBe(jpeg.length);
    for (const cut of [1, 3, 20, jpeg.length - 1]) expect(jpegEnd(jpeg.subarray(0, cut))).toBe(-1);
    expect(jpegEnd(Buffer.from('not a jpeg'))).toBe(-1);
  });
});
