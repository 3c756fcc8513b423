import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** A raw picture's size and rate (frames/s; 0 when the source does not say). */
export interface RawVideoFormat {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

/**
 * A child process (ffmpeg, gst-launch-1.0) that writes 8-bit BGR pictures back to back on its
 * stdout. Its format comes from ffmpeg's own description of its output stream on stderr, or is
 * given when the command fixes it. Reads are paced by the reader: the pipe holds the child back.
 * With `latestOnly` (a network camera, which keeps sending whether or not it is read) the child is
 * read at its own pace instead and older whole pictures are dropped, so the reader always gets a
 * recent one: a busy reader sees fewer pictures, never older ones.
 */
export class RawVideo {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #exited: Promise<void>;
  #stderr = '';
  /** What the child said on stderr since it last wrote picture data (from the line then being written). */
  #sincePicture = '';
  #format: RawVideoFormat | undefined;
  #formatWaiters: Array<() => void> = [];
  #spawnError: Error | undefined;
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  #want = Number.POSITIVE_INFINITY;
  #ended = false;
  #onData: (() => void) | undefined;
  readonly #latestOnly: boolean;
  /** ffmpeg was asked for its notes too (`-v info` or more): its last line may be one of them, not a reason. */
  readonly #isTalkative: boolean;
  /** ffmpeg marks each line with its level (`-v level+info`): `[error]`, `[fatal]` say why it stopped, `[info]` is a note. */
  readonly #isLevelled: boolean;
  #dropped = 0;

  constructor(command: string, args: readonly string[], options: { format?: RawVideoFormat; input?: Buffer; latestOnly?: boolean } = {}) {
    this.#format = options.format;
    this.#latestOnly = options.latestOnly ?? false;
    // `-v level+info`: flags (`level`, `repeat`) joined to the level by `+`.
    const words = args.includes('-v') ? (args[args.indexOf('-v') + 1] ?? '').split('+') : [];
    this.#isTalkative = ['info', 'verbose', 'debug', 'trace'].includes(words.at(-1) ?? '');
    this.#isLevelled = words.slice(0, -1).includes('level');
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    this.#exited = new Promise((resolve) => {
      child.once('close', () => resolve());
      child.once('error', (err) => {
        this.#spawnError = err;
        resolve();
      });
    });
    void this.#exited.then(() => {
      this.#wake();
      this.#ended = true;
      this.#data();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      this.#sincePicture = this.#sincePicture.slice(this.#sincePicture.lastIndexOf('\n') + 1);
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      if (this.#latestOnly) this.#dropStale();
      else if (this.#buffered >= 2 * this.#want) child.stdout.pause();
      this.#data();
    });
    const end = (): void => {
      this.#ended = true;
      this.#data();
    };
    child.stdout.once('end', end);
    child.stdout.once('close', end);
    child.stdout.once('error', end);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      // The start (the stream descriptions) and the end (why it stopped) are what matter.
      this.#stderr = withTail(this.#stderr, text);
      this.#sincePicture = withTail(this.#sincePicture, text);
      if (this.#format === undefined) {
        this.#format = parseFfmpegOutputFormat(this.#stderr);
        if (this.#format !== undefined) this.#wake();
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  }

  /** Whole pictures dropped unread (with `latestOnly`) since the child started. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The pictures' format, or undefined when the child ended without stating it (it failed). */
  async format(): Promise<RawVideoFormat | undefined> {
    while (this.#format === undefined && this.#child.exitCode === null && this.#spawnError === undefined && this.#child.signalCode === null)
      await new Promise<void>((resolve) => this.#formatWaiters.push(resolve));
    return this.#format;
  }

  /** The next picture (width × height × 3 bytes), or undefined once the child stops writing. */
  async next(): Promise<Buffer | undefined> {
    const format = await this.format();
    if (format === undefined) return undefined;
    const size = format.width * format.height * 3;
    this.#want = size;
    while (this.#buffered < size && !this.#ended) await new Promise<void>((resolve) => (this.#onData = resolve));
    if (this.#buffered < size) return undefined;
    const picture = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const chunk = this.#chunks[0]!;
      const take = Math.min(chunk.length, size - filled);
      chunk.copy(picture, filled, 0, take);
      filled += take;
      if (take === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(take);
    }
    this.#buffered -= size;
    // Two pictures ahead at most: the pipe then holds the child back.
    if (this.#buffered < 2 * size) this.#child.stdout.resume();
    return picture;
  }

  /**
   * Why the child stopped, in its own words: ffmpeg's last error where it marks its lines' levels
   * (`-v level+info`), a quiet child's last line, or else how it ended; why it could not start.
   */
  why(): string {
    if (this.#spawnError !== undefined)
      return (this.#spawnError as NodeJS.ErrnoException).code === 'ENOENT'
        ? `${this.#child.spawnfile} is not installed`
        : this.#spawnError.message;
    const lines = linesOf(this.#stderr);
    const code = this.#child.exitCode;
    // A note (an encoder's name, what it wrote) is never the reason: where the lines carry their
    // level, its last fatal error or else its last error; a child asked for its notes without
    // levels says nothing of why; a quiet one's last line is its complaint. An error before a
    // picture that came after it (a damaged picture skipped) is not why the child stopped, unless
    // it failed and said nothing since.
    const complaint = this.#isLevelled
      ? (lastComplaint(linesOf(this.#sincePicture)) ?? (code !== null && code !== 0 ? lastComplaint(lines) : undefined))
      : this.#isTalkative
        ? undefined
        : lines.at(-1);
    return (
      complaint ??
      (code === null
        ? `${this.#child.spawnfile} stopped writing`
        : code === 0
          ? 'the stream ended'
          : `${this.#child.spawnfile} exited with code ${code}`)
    );
  }

  /** Stops the child and waits until it is gone. */
  async close(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null && this.#spawnError === undefined) this.#child.kill('SIGKILL');
    this.#child.stdout.destroy();
    await this.#exited;
  }

  #data(): void {
    const resolve = this.#onData;
    this.#onData = undefined;
    resolve?.();
  }

  /** Keeps the newest whole picture and the one arriving: older ones are dropped, whole. */
  #dropStale(): void {
    const format = this.#format;
    if (format === undefined) return;
    const size = format.width * format.height * 3;
    while (this.#buffered >= 2 * size) {
      let left = size;
      while (left > 0) {
        const chunk = this.#chunks[0]!;
        if (chunk.length <= left) {
          this.#chunks.shift();
          left -= chunk.length;
        } else {
          this.#chunks[0] = chunk.subarray(left);
          left = 0;
        }
      }
      this.#buffered -= size;
      this.#dropped += 1;
    }
  }

  #wake(): void {
    for (const waiter of this.#formatWaiters.splice(0)) waiter();
  }
}

/**
 * The size and rate of ffmpeg's raw BGR output stream, from its stderr (`-v info`): the stream
 * line under `Output #0`, e.g. `Stream #0:0: Video: rawvideo (BGR[24] / 0x18524742), bgr24,
 * 640x480 [SAR 1:1 DAR 4:3], q=2-31, 184320 kb/s, 25 fps, 25 tbn`. Undefined until it is there.
 */
export function parseFfmpegOutputFormat(stderr: string): RawVideoFormat | undefined {
  const output = stderr.indexOf('Output #0');
  if (output < 0) return undefined;
  // Only whole lines: the stream line may still be arriving.
  const line = stderr
    .slice(output, Math.max(output, stderr.lastIndexOf('\n')))
    .split('\n')
    .find((l) => /Stream #\d+:\d+.*Video: rawvideo/.test(l));
  if (line === undefined) return undefined;
  const size = /, (\d+)x(\d+)/.exec(line);
  if (size === null) return undefined;
  const fps = /([\d.]+)(k?) fps/.exec(line);
  const rate = fps === null ? 0 : Number(fps[1]) * (fps[2] === 'k' ? 1000 : 1);
  return { width: Number(size[1]), height: Number(size[2]), fps: Number.isFinite(rate) && rate > 0 && rate < 1000 ? rate : 0 };
}

/**
 * A line of ffmpeg's at `-v level+…`: the level in brackets, after the name of the part that speaks
 * when there is one ("[tcp @ 0x55ff32a75f80] [error] Connection to tcp://… failed: Connection refused").
 */
const LEVELLED = /^(?:\[[^\]]* @ 0x[0-9a-f]+\] )?\[(\w+)\] (.*)$/;

/** `kept` with `text` added, its start dropped past 16 KiB (the last 8 KiB and `text` kept). */
function withTail(kept: string, text: string): string {
  return kept.length < 16_384 ? kept + text : kept.slice(-8192) + text;
}

/** The non-empty lines of `text`, trimmed. */
function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The words of ffmpeg's last fatal line, or else its last error; undefined when it had none. */
function lastComplaint(lines: readonly string[]): string | undefined {
  const said = lines.flatMap((line) => {
    const match = LEVELLED.exec(line);
    return match === null ? [] : [{ level: match[1], words: match[2] ?? '' }];
  });
  const last = (levels: readonly string[]) => said.findLast((line) => levels.includes(line.level ?? '') && line.words.trim() !== '');
  return (last(['panic', 'fatal']) ?? last(['error']))?.words.trim();
}
