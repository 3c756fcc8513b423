import { existsSync, statSync } from 'node:fs';
import { Backoff } from '../kernel/backoff.js';
import type { Clock, Timer } from '../kernel/clock.js';
import { CameraError } from './errors.js';
import { EventBus, type ListenerOwner } from '../kernel/event-bus.js';
import type { Log } from '../kernel/log.js';
import type { Frame, FrameSource, SourceStatus } from './frame-source.js';
import { loadOpencv, type Cv } from './opencv.js';
import { RawVideo, type RawVideoFormat } from './raw-video.js';

/** What a source string names, as `parseSourceSpec` reads it. */
export type SourceSpec =
  | { readonly kind: 'device'; readonly device: number | string }
  | { readonly kind: 'gstreamer'; readonly pipeline: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'sequence'; readonly pattern: string }
  | { readonly kind: 'file'; readonly path: string };

/**
 * Reads a camera source string: a device index (`0`) or path (`/dev/video0`), a GStreamer pipeline
 * (contains `appsink`), an `http(s)://` or `rtsp://` URL (MJPEG over HTTP, say), an image sequence
 * (a printf pattern such as `frames_%04d.png`), else a video file.
 */
export function parseSourceSpec(source: string): SourceSpec {
  const text = source.trim();
  if (text === '') throw new TypeError('Expected `source` to be a device, file, pattern, pipeline or URL, got `""` (string)');
  if (/^\d+$/.test(text)) return { kind: 'device', device: Number(text) };
  if (/^\/dev\/video\d+$/.test(text) || text.startsWith('/dev/v4l/')) return { kind: 'device', device: text };
  if (/\bappsink\b/.test(text) && text.includes('!')) return { kind: 'gstreamer', pipeline: text };
  if (/^(https?|rtsp):\/\//i.test(text)) return { kind: 'url', url: text };
  if (/%0?\d*d/.test(text)) return { kind: 'sequence', pattern: text };
  return { kind: 'file', path: text };
}

/** The longest a live source may take to say what it delivers once its child runs (ms). */
const FORMAT_TIMEOUT_MS = 30_000;

/** True for sources that deliver frames at their own pace and cannot be rewound. */
const isLive = (spec: SourceSpec): boolean => spec.kind === 'device' || spec.kind === 'gstreamer' || spec.kind === 'url';

export interface FfmpegFrameSourceOptions {
  /** The source string (see `parseSourceSpec`). */
  source: string;
  /** Frame size requested from a device or a GStreamer pipeline (px); other sources deliver their own size. @default 640x480 */
  width?: number;
  height?: number;
  /**
   * Frames per second: requested from a device; the pace of an image sequence and of a video file
   * that does not state its rate. @default 15
   */
  fps?: number;
  /** Files and image sequences start again at the end instead of ending. @default false */
  loop?: boolean;
  /**
   * Files and image sequences are paced at their frame rate, like a camera. When false they are
   * read as fast as the consumer takes frames (analysis of a recording). @default true
   */
  realtime?: boolean;
  /** Reopen with backoff when the source fails; when false, `frames` throws a `CameraError` instead. @default true */
  reopen?: boolean;
  /** How long an HTTP camera may take to answer before it counts as unavailable (ms). @default 5000 */
  openTimeoutMs?: number;
  /**
   * How long a live source may go without a frame (its child still running: a USB camera or a
   * network stream that hangs) before it counts as lost and is restarted (ms). @default 10000
   */
  stallTimeoutMs?: number;
  /** First wait before reopening (ms); it doubles on each failure in a row. @default 500 */
  retryMinMs?: number;
  /** Longest wait between attempts to reopen (ms). @default 30000 */
  retryMaxMs?: number;
  /** The ffmpeg program. @default 'ffmpeg' */
  ffmpeg?: string;
  /** The GStreamer launcher, for pipelines. @default 'gst-launch-1.0' */
  gstLaunch?: string;
}

/**
 * `FrameSource` on an ffmpeg child that writes raw BGR frames on a pipe (V4L2 devices, video files,
 * image sequences, MJPEG and RTSP URLs), or gst-launch-1.0 for a GStreamer pipeline. Decoding
 * happens in the child, so the daemon links none of OpenCV's video and image-file libraries, and
 * the pipe holds the child back while the pipeline is busy. A source that fails to open, or a live
 * one that stops delivering, is reported `unavailable` and restarted with backoff timed by the
 * injected clock; iteration goes on.
 */
export class FfmpegFrameSource implements FrameSource {
  readonly description: string;
  readonly #clock: Clock;
  readonly #spec: SourceSpec;
  readonly #width: number;
  readonly #height: number;
  readonly #fps: number;
  readonly #loop: boolean;
  readonly #realtime: boolean;
  readonly #reopen: boolean;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  readonly #openTimeoutMs: number;
  readonly #stallTimeoutMs: number;
  readonly #ffmpeg: string;
  readonly #gstLaunch: string;
  readonly #log: Pick<Log, 'error'>;
  readonly #bus = new EventBus<{ status: SourceStatus }>((err, event, owner) =>
    this.#log.error({ err, event, owner }, 'a camera source listener failed'),
  );
  #index = 0;
  #state: SourceStatus['state'] | undefined;

  constructor(deps: { clock: Clock; log: Pick<Log, 'error'> }, options: FfmpegFrameSourceOptions) {
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#spec = parseSourceSpec(options.source);
    this.description = options.source.trim();
    this.#width = options.width ?? 640;
    this.#height = options.height ?? 480;
    this.#fps = options.fps ?? 15;
    this.#loop = options.loop ?? false;
    this.#realtime = options.realtime ?? true;
    this.#reopen = options.reopen ?? true;
    this.#retryMinMs = options.retryMinMs ?? 500;
    this.#retryMaxMs = options.retryMaxMs ?? 30_000;
    this.#openTimeoutMs = options.openTimeoutMs ?? 5000;
    this.#stallTimeoutMs = options.stallTimeoutMs ?? 10_000;
    if (!(this.#stallTimeoutMs > 0)) throw new RangeError(`Expected \`stallTimeoutMs\` > 0, got \`${this.#stallTimeoutMs}\``);
    this.#ffmpeg = options.ffmpeg ?? 'ffmpeg';
    this.#gstLaunch = options.gstLaunch ?? 'gst-launch-1.0';
    if (!(this.#fps > 0 && this.#fps <= 240)) throw new RangeError(`Expected \`fps\` to be in (0, 240], got \`${this.#fps}\``);
    if (!(this.#retryMinMs > 0 && this.#retryMaxMs >= this.#retryMinMs))
      throw new RangeError(`Expected \`retryMinMs\` > 0 and \`retryMaxMs\` >= it, got \`${this.#retryMinMs}\` and \`${this.#retryMaxMs}\``);
    if (!(this.#width > 0 && this.#height > 0 && Number.isInteger(this.#width) && Number.isInteger(this.#height)))
      throw new RangeError(`Expected \`width\` and \`height\` to be positive integers, got \`${this.#width}\` and \`${this.#height}\``);
  }

  /** What the source string was read as. */
  get spec(): SourceSpec {
    return this.#spec;
  }

  onStatus(listener: (status: SourceStatus) => void, owner: ListenerOwner): () => void {
    return this.#bus.on('status', listener, owner);
  }

  async *frames(signal: AbortSignal): AsyncGenerator<Frame, void, undefined> {
    const cv = await loadOpencv();
    // A new iteration reports `open` again, even if the last one ended open.
    this.#state = undefined;
    const backoff = new Backoff({ firstMs: this.#retryMinMs, maxMs: this.#retryMaxMs });
    while (!signal.aborted) {
      let video: RawVideo | undefined;
      const stop = (): void => void video?.close();
      signal.addEventListener('abort', stop);
      try {
        video = await this.#open();
        const opened = video;
        // ffmpeg probes a stream for a few seconds before it says what it holds.
        const formatMs = Math.max(this.#stallTimeoutMs, FORMAT_TIMEOUT_MS);
        const format = await this.#watched(opened.format(), formatMs, () =>
          stalled('MB_ERR_CAMERA_OPEN', opened, this.description, formatMs),
        );
        if (signal.aborted) return;
        if (format === undefined)
          throw new CameraError(
            'MB_ERR_CAMERA_OPEN',
            `cannot open camera source ${this.description}: ${ownWords(video.why(), this.description)}`,
          );
        let delivered = 0;
        let next = this.#clock.monotonic();
        const interval = 1000 / (format.fps > 0 && !isLive(this.#spec) && this.#spec.kind !== 'sequence' ? format.fps : this.#fps);
        while (!signal.aborted) {
          const pixels = await this.#watched(opened.next(), this.#stallTimeoutMs, () =>
            stalled('MB_ERR_CAMERA_LOST', opened, this.description, this.#stallTimeoutMs),
          );
          if (pixels === undefined) break;
          const image = toMat(cv, pixels, format);
          if (delivered === 0) {
            backoff.reset();
            this.#report({ state: 'open', width: format.width, height: format.height, fps: format.fps });
          }
          if (this.#realtime && !isLive(this.#spec)) {
            const wait = next - this.#clock.monotonic();
            if (wait > 0 && !(await this.#sleep(wait, signal))) {
              image.release();
              return;
            }
            next = Math.max(next + interval, this.#clock.monotonic() - interval);
          }
          delivered += 1;
          yield { image, index: this.#index++, at: this.#clock.now() };
        }
        if (signal.aborted) return;
        if (!isLive(this.#spec) && delivered > 0) {
          if (this.#loop) continue;
          this.#report({ state: 'ended' });
          return;
        }
        throw new CameraError(
          delivered > 0 ? 'MB_ERR_CAMERA_LOST' : 'MB_ERR_CAMERA_OPEN',
          delivered > 0
            ? `camera source ${this.description} stopped delivering frames: ${ownWords(video.why(), this.description)}`
            : `camera source ${this.description} gave no frame: ${ownWords(video.why(), this.description)}`,
        );
      } catch (err) {
        if (signal.aborted) return;
        const error =
          err instanceof CameraError
            ? err
            : new CameraError(
                'MB_ERR_CAMERA_OPEN',
                `cannot open camera source ${this.description}: ${ownWords(describe(err), this.description)}`,
                { cause: err },
              );
        if (!this.#reopen) throw error;
        const retryInMs = backoff.fail();
        this.#report({ state: 'unavailable', reason: error.message, error, retryInMs });
        if (!(await this.#sleep(retryInMs, signal))) return;
      } finally {
        signal.removeEventListener('abort', stop);
        await video?.close();
      }
    }
  }

  /**
   * `work` as it is for a file or an image sequence; for a live source, a `CameraError` once it has
   * waited `ms` (the caller then closes the child and reopens).
   */
  async #watched<T>(work: Promise<T>, ms: number, lost: () => CameraError): Promise<T> {
    if (!isLive(this.#spec)) return work;
    let timer: Timer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.#clock.setTimeout(() => reject(lost()), ms);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      timer?.cancel();
    }
  }

  /** Starts the child that decodes the source. */
  async #open(): Promise<RawVideo> {
    const spec = this.#spec;
    const output = ['-an', '-sn', '-dn', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'bgr24', 'pipe:1'];
    const ffmpeg = (input: string[], options: { latestOnly?: boolean } = {}): RawVideo =>
      new RawVideo(
        this.#ffmpeg,
        ['-nostdin', '-hide_banner', '-nostats', '-v', 'level+info', '-threads', '1', '-filter_threads', '1', ...input, ...output],
        options,
      );
    switch (spec.kind) {
      case 'device': {
        const device = typeof spec.device === 'number' ? `/dev/video${spec.device}` : spec.device;
        const size = `${this.#width}x${this.#height}`;
        return ffmpeg(['-f', 'v4l2', '-framerate', String(this.#fps), '-video_size', size, '-i', device]);
      }
      case 'gstreamer': {
        // The pipeline's appsink (and its properties) becomes a raw BGR stream of the configured size on stdout.
        const tail = `videoconvert ! videoscale ! video/x-raw,format=BGR,width=${this.#width},height=${this.#height} ! fdsink fd=1`;
        const pipeline = spec.pipeline.replace(/\bappsink\b[^!]*$/, tail);
        const format: RawVideoFormat = { width: this.#width, height: this.#height, fps: 0 };
        // As a shell would pass it: gst-launch-1.0 quotes an argument that holds spaces.
        return new RawVideo(this.#gstLaunch, ['-q', ...pipeline.split(/\s+/).filter((word) => word !== '')], { format });
      }
      case 'url':
        await this.#probe(spec.url);
        // A network camera sends at its own pace whether or not it is read: unread pictures would
        // queue in the sockets, and a busy box would read the room seconds, then minutes, late.
        return ffmpeg(['-i', spec.url], { latestOnly: true });
      case 'sequence':
        return ffmpeg(['-f', 'image2', '-framerate', String(this.#fps), '-i', spec.pattern]);
      case 'file':
        if (!existsSync(spec.path) || !statSync(spec.path).isFile())
          throw new CameraError('MB_ERR_CAMERA_OPEN', `no such video file: ${spec.path}`);
        return ffmpeg(['-i', spec.path]);
      default:
        throw new TypeError(`unknown source kind ${String(spec satisfies never)}`);
    }
  }

  /**
   * Asks an HTTP camera for its stream first, so that a missing or slow camera fails within
   * `openTimeoutMs` and says so in words.
   */
  async #probe(url: string): Promise<void> {
    if (!/^https?:/i.test(url)) return;
    const abort = new AbortController();
    const timer = this.#clock.setTimeout(() => abort.abort(), this.#openTimeoutMs);
    try {
      const response = await fetch(url, { signal: abort.signal });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (err) {
      throw new CameraError('MB_ERR_CAMERA_OPEN', `camera ${url} does not answer: ${describe(err)}`, { cause: err });
    } finally {
      timer.cancel();
    }
  }

  /** Emits `status`, except an `open` that repeats the previous one (a looped file reopening). */
  #report(status: SourceStatus): void {
    if (status.state === 'open' && this.#state === 'open') return;
    this.#state = status.state;
    this.#bus.emit('status', status);
  }

  /** Sleeps on the injected clock; false when `signal` aborted first. */
  async #sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.#clock.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** A BGR Mat holding a copy of `pixels`. */
export function toMat(cv: Cv, pixels: Buffer, format: { width: number; height: number }): InstanceType<Cv['Mat']> {
  return new cv.Mat(pixels, format.height, format.width, cv.CV_8UC3);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The error for a live source whose child runs but has sent nothing for `ms`: before its first frame, or after. */
function stalled(code: 'MB_ERR_CAMERA_OPEN' | 'MB_ERR_CAMERA_LOST', video: RawVideo, description: string, ms: number): CameraError {
  const what = code === 'MB_ERR_CAMERA_OPEN' ? 'sent nothing' : 'delivered no frame';
  return new CameraError(
    code,
    `camera source ${description} ${what} for ${Math.round(ms / 1000)} s: ${ownWords(video.why(), description)}`,
  );
}

/**
 * Why a source failed, without the source itself when the words begin with it: ffmpeg names its
 * input first (`/dev/video0: No such file or directory`), and the message names the source already.
 */
function ownWords(why: string, description: string): string {
  return why.startsWith(`${description}: `) ? why.slice(description.length + 2) : why;
}
