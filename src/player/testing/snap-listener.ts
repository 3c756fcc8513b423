import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { expect } from 'vitest';
import type { Snapserver } from './snapserver.js';

/** Snapcast's message types (its binary stream protocol, version 2). */
const CODEC_HEADER = 1;
const WIRE_CHUNK = 2;
const HELLO = 5;
/** type, id, refersTo (u16 each), sent and received (two s32 each), size (u32): little-endian. */
const HEADER_BYTES = 26;

/** A stretch of audio as snapserver sent it: its first channel, from the moment it arrived. */
export interface HeardChunk {
  /** When it arrived (`performance.now()`, ms). */
  at: number;
  /** Its first channel, as integers of 16 bits. */
  samples: Int16Array;
}

/**
 * A listener of a real snapserver, as snapclient is one: it says hello on the stream port and
 * keeps the audio of every chunk the server sends it, when it came. It needs the stream's codec
 * to be `pcm` (48000:16:2, snapserver's default sample format); nothing is played. `close()` ends it.
 */
export class SnapListener {
  /** Everything heard, in order. */
  readonly chunks: HeardChunk[] = [];
  readonly #socket: Socket;
  #buffered = Buffer.alloc(0);
  #codec: string | undefined;
  #isClosed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (data: Buffer) => this.#read(data));
    socket.on('close', () => {
      this.#isClosed = true;
    });
  }

  /**
   * Listens to `server` (started with `codec: 'pcm'`) once it answers, waiting up to 15 s for it
   * to start; resolves once it said it sends PCM.
   */
  static async to(server: Snapserver): Promise<SnapListener> {
    await expect.poll(async () => (await server.streamStatus()) !== undefined, { timeout: 15_000, interval: 20 }).toBe(true);
    const listener = await SnapListener.connect(server.ports.stream);
    await expect.poll(() => listener.codec, { timeout: 5000, interval: 10 }).toBe('pcm');
    return listener;
  }

  /** When it first heard music (ms, `performance.now()`): a chunk that is not silence. */
  firstHeard(): number | undefined {
    return this.chunks.find((c) => c.samples.some((sample) => Math.abs(sample) > 0x8000 / 100))?.at;
  }

  /** Connects to the stream port `port` on 127.0.0.1; rejects when nothing listens there. */
  static connect(port: number): Promise<SnapListener> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        // A server that goes away ends the listener: nothing to report.
        socket.on('error', () => undefined);
        const listener = new SnapListener(socket);
        socket.write(hello());
        resolve(listener);
      });
    });
  }

  /** Whether the server closed the connection (it stopped). */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** The codec the server said it sends, once it said. */
  get codec(): string | undefined {
    return this.#codec;
  }

  close(): void {
    this.#socket.destroy();
  }

  #read(data: Buffer): void {
    this.#buffered = Buffer.concat([this.#buffered, data]);
    while (this.#buffered.length >= HEADER_BYTES) {
      const size = this.#buffered.readUInt32LE(22);
      if (this.#buffered.length < HEADER_BYTES + size) return;
      const type = this.#buffered.readUInt16LE(0);
      const body = this.#buffered.subarray(HEADER_BYTES, HEADER_BYTES + size);
      this.#buffered = this.#buffered.subarray(HEADER_BYTES + size);
      if (type === CODEC_HEADER) this.#codec = body.toString('utf8', 4, 4 + body.readUInt32LE(0));
      // A chunk: its timestamp (two s32), then its payload's size and the payload.
      else if (type === WIRE_CHUNK && this.#codec === 'pcm') this.#chunk(body.subarray(12, 12 + body.readUInt32LE(8)));
    }
  }

  #chunk(pcm: Buffer): void {
    const frames = Math.floor(pcm.length / 4);
    const samples = new Int16Array(frames);
    for (let i = 0; i < frames; i++) samples[i] = pcm.readInt16LE(i * 4);
    this.chunks.push({ at: performance.now(), samples });
  }
}

/** snapclient's first message: who it is, and the protocol it speaks. */
function hello(): Buffer {
  const json = JSON.stringify({
    Arch: process.arch,
    ClientName: 'Moodbox test listener',
    HostName: hostname(),
    ID: `moodbox-test-${process.pid}`,
    Instance: 1,
    MAC: '00:00:00:00:00:00',
    OS: process.platform,
    SnapStreamProtocolVersion: 2,
    Version: '0.26.0',
  });
  const payload = Buffer.alloc(4 + Buffer.byteLength(json));
  payload.writeUInt32LE(Buffer.byteLength(json), 0);
  payload.write(json, 4, 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16LE(HELLO, 0);
  header.writeUInt32LE(payload.length, 22);
  return Buffer.concat([header, payload]);
}

/**
 * Where in a song each 20 ms of `samples` (48 kHz) comes from, for a song whose pitch rises
 * linearly with time (`fromHz` at 0 s, `hzPerS` more every second, as `makeTone`'s sweep makes
 * it): the median period between upward zero crossings gives the pitch, the pitch the place (ms).
 * Silence and windows with too few crossings to tell give nothing.
 */
export function sweepPlaces(samples: Int16Array, sweep: { fromHz: number; hzPerS: number }, sampleRate = 48_000): number[] {
  const n = Math.round(sampleRate / 50);
  const places: number[] = [];
  for (let start = 0; start + n <= samples.length; start += n) {
    const crossings: number[] = [];
    let energy = 0;
    for (let i = start + 1; i < start + n; i++) {
      const a = samples[i - 1] ?? 0;
      const b = samples[i] ?? 0;
      energy += b * b;
      // Where the wave crosses zero upwards, between two samples.
      if (a < 0 && b >= 0) crossings.push(i - 1 + -a / (b - a));
    }
    // Quieter than −40 dBFS: silence, or too little of a tone to tell.
    if (Math.sqrt(energy / n) < 0x8000 / 100 || crossings.length < 3) continue;
    const periods = crossings
      .slice(1)
      .map((c, i) => c - (crossings[i] ?? 0))
      .sort((x, y) => x - y);
    const period = periods[Math.floor(periods.length / 2)] ?? 0;
    const hz = sampleRate / period;
    places.push(Math.round(((hz - sweep.fromHz) / sweep.hzPerS) * 1000));
  }
  return places;
}
