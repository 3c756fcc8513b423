import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Mat } from '@u4/opencv4nodejs';
import type { Clock, Timer } from '../kernel/clock.js';
import { mjpegQuantiser } from './image-io.js';

export interface JpegStreamOptions {
  /** 1–100, as OpenCV's and libjpeg's scale. */
  quality: number;
  /** Stops the child after this long without a frame (ms). @default 10000 */
  idleMs?: number;
  /** The ffmpeg program. @default 'ffmpeg' */
  ffmpeg?: string;
}

interface Running {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  width: number;
  height: number;
  /** Output not yet handed out. */
  pending: Buffer;
  stderr: string;
  /** The frame waiting for its JPEG. */
  waiting: { resolve: (jpeg: Buffer) => void; reject: (err: Error) => void } | undefined;
}

/**
 * JPEGs of a stream of same-sized BGR frames from one long-lived ffmpeg child (raw frames in,
 * MJPEG out), for the camera preview: starting ffmpeg for each picture costs far more than
 * encoding it. The child starts with the first frame, starts again when the size changes or after
 * it died, and stops after `idleMs` without a frame, or on `close`. Frames are encoded one at a time,
 * in the order asked.
 */
export class JpegStream {
  readonly #clock: Clock;
  readonly #q: number;
  readonly #idleMs: number;
  readonly #ffmpeg: string;
  #running: Running | undefined;
  #idle: Timer | undefined;
  #turn: Promise<unknown> = Promise.resolve();

  constructor(deps: { clock: Clock }, options: JpegStreamOptions) {
    this.#q = mjpegQuantiser(options.quality);
    this.#clock = deps.clock;
    this.#idleMs = options.idleMs ?? 10_000;
    this.#ffmpeg = options.ffmpeg ?? 'ffmpeg';
  }

  /** Whether the ffmpeg child runs now. */
  get isRunning(): boolean {
    return this.#running !== undefined;
  }

  /** The JPEG of `image` (8-bit BGR); rejects when ffmpeg cannot encode it. */
  encode(image: Mat): Promise<Buffer> {
    if (image.channels !== 3) return Promise.reject(new TypeError(`Expected a BGR image (3 channels), got ${image.channels} channel(s)`));
    const pixels = image.getData();
    const [width, height] = [image.cols, image.rows];
    const turn = this.#turn.then(() => this.#encode(pixels, width, height));
    this.#turn = turn.catch(() => undefined);
    return turn;
  }

  /** Stops the child; a later `encode` starts it again. */
  async close(): Promise<void> {
    this.#idle?.cancel();
    this.#idle = undefined;
    const running = this.#running;
    this.#running = undefined;
    if (running === undefined) return;
    const exited = new Promise((resolve) => running.child.once('close', resolve));
    running.child.stdin.end();
    running.child.kill('SIGTERM');
    await exited;
  }

  async #encode(pixels: Buffer, width: number, height: number): Promise<Buffer> {
    this.#idle?.cancel();
    if (this.#running !== undefined && (this.#running.width !== width || this.#running.height !== height)) await this.close();
    const running = this.#running ?? this.#start(width, height);
    try {
      return await new Promise<Buffer>((resolve, reject) => {
        running.waiting = { resolve, reject };
        running.child.stdin.write(pixels);
        this.#take(running);
      });
    } finally {
      running.waiting = undefined;
      if (this.#running === running) this.#idle = this.#clock.setTimeout(() => void this.close(), this.#idleMs);
    }
  }

  #start(width: number, height: number): Running {
    // Each JPEG as soon as its frame is in: no probing ahead, no frame-rate pacing, one thread. The
    // quantiser is pinned with qmin/qmax: `-q:v` holds every JPEG back until the next frame arrives.
    const q = String(this.#q);
    const child = spawn(
      this.#ffmpeg,
      ['-nostdin', '-v', 'error', '-probesize', '32', '-f', 'rawvideo', '-pix_fmt', 'bgr24', '-s', `${width}x${height}`, '-i', 'pipe:0']
        .concat(['-fps_mode', 'passthrough', '-threads', '1', '-c:v', 'mjpeg', '-qmin', q, '-qmax', q, '-pix_fmt', 'yuvj420p'])
        .concat(['-flush_packets', '1', '-f', 'image2pipe', 'pipe:1']),
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const running: Running = { child, width, height, pending: Buffer.alloc(0), stderr: '', waiting: undefined };
    this.#running = running;
    child.stdout.on('data', (chunk: Buffer) => {
      running.pending = Buffer.concat([running.pending, chunk]);
      this.#take(running);
    });
    child.stderr.on('data', (chunk: Buffer) => (running.stderr = (running.stderr + chunk.toString()).slice(-2000)));
    child.stdin.on('error', () => undefined);
    const fail = (why: string): void => {
      if (this.#running === running) this.#running = undefined;
      running.waiting?.reject(new Error(`ffmpeg could not encode the JPEG: ${running.stderr.trim() || why}`));
      running.waiting = undefined;
    };
    child.once('error', (err) => fail(err.message));
    child.once('close', (code, signal) => fail(`it stopped (${signal ?? `exit code ${String(code)}`})`));
    return running;
  }

  /** Hands the first complete JPEG of the output to the frame waiting for it. */
  #take(running: Running): void {
    if (running.waiting === undefined) return;
    const end = jpegEnd(running.pending);
    if (end < 0) return;
    const jpeg = running.pending.subarray(0, end);
    running.pending = running.pending.subarray(end);
    running.waiting.resolve(Buffer.from(jpeg));
    running.waiting = undefined;
  }
}

/**
 * Where the JPEG at the start of `bytes` ends (just past its EOI marker), or -1 while it is not all
 * there. Walks the segments by their lengths, and the entropy-coded data to the next marker (a 0xFF
 * there is followed by 0x00, or by a restart marker, unless it starts one).
 */
export function jpegEnd(bytes: Buffer): number {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return -1;
  let i = 2;
  while (i + 1 < bytes.length) {
    if (bytes[i] !== 0xff) return -1;
    const marker = bytes[i + 1] ?? 0;
    if (marker === 0xd9) return i + 2;
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    if (i + 3 >= bytes.length) return -1;
    const length = bytes.readUInt16BE(i + 2);
    i += 2 + length;
    if (marker !== 0xda) continue;
    // Entropy-coded data up to the next marker.
    while (
      i + 1 < bytes.length &&
      !(bytes[i] === 0xff && bytes[i + 1] !== 0x00 && !((bytes[i + 1] ?? 0) >= 0xd0 && (bytes[i + 1] ?? 0) <= 0xd7))
    )
      i += 1;
  }
  return -1;
}
