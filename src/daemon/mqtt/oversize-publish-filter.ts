import { Duplex } from 'node:stream';

/** A PUBLISH the filter took out of the stream: its topic (cut to 200 characters), payload size and flags. */
export interface DroppedPublish {
  topic: string;
  /** The payload's size (bytes), which never reached memory whole. */
  bytes: number;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** The packet id (QoS 1 and 2), which the filter acknowledges itself. */
  packetId: number | undefined;
}

const PUBLISH = 3;
/** The most bytes of a dropped packet the filter keeps: the topic's length, the topic (at most 65,535 bytes) and the packet id. */
const MAX_HEAD_BYTES = 2 + 65_535 + 2;

/**
 * Takes PUBLISH packets larger than `maxPacketBytes` out of an incoming MQTT byte stream as it
 * arrives, without holding them: only their topic and packet id are kept, the rest is counted and
 * forgotten. MQTT 3.1.1 has no way to tell the broker the largest packet the box takes (MQTT 5's
 * `maximumPacketSize`), and mqtt.js gathers a whole packet before it hands it over, so a 260 MB
 * retained message cost 700 MiB at every start. Every other packet passes byte for byte.
 */
export class OversizePublishFilter {
  readonly #maxPacketBytes: number;
  readonly #onDropped: (dropped: DroppedPublish) => void;
  /** The fixed header read so far: the first byte and the remaining length's bytes. */
  #header: number[] = [];
  #mode: 'header' | 'pass' | 'drop' | 'broken' = 'header';
  /** Bytes of the current packet's body still to come. */
  #left = 0;
  /** A dropped packet: its first byte, the start of its body (topic, packet id), and its body's size. */
  #dropped: { first: number; head: Buffer[]; headBytes: number; remaining: number } | undefined;

  constructor(maxPacketBytes: number, onDropped: (dropped: DroppedPublish) => void) {
    this.#maxPacketBytes = maxPacketBytes;
    this.#onDropped = onDropped;
  }

  /** The bytes of `chunk` that go on to the MQTT parser (all of them, but those of a packet too large). */
  push(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    let at = 0;
    while (at < chunk.length) {
      switch (this.#mode) {
        case 'broken':
          // Not MQTT as this filter reads it: the parser behind sees it as it came, and closes the connection.
          out.push(chunk.subarray(at));
          at = chunk.length;
          break;
        case 'pass': {
          const take = Math.min(this.#left, chunk.length - at);
          out.push(chunk.subarray(at, at + take));
          at += take;
          this.#left -= take;
          if (this.#left === 0) this.#mode = 'header';
          break;
        }
        case 'drop': {
          const take = Math.min(this.#left, chunk.length - at);
          this.#keepHead(chunk.subarray(at, at + take));
          at += take;
          this.#left -= take;
          if (this.#left === 0) this.#finishDrop();
          break;
        }
        case 'header': {
          const byte = chunk[at] ?? 0;
          at += 1;
          this.#header.push(byte);
          const header = this.#header;
          if (header.length === 1) break;
          if ((byte & 0x80) !== 0) {
            // The remaining length takes at most four bytes.
            if (header.length === 5) {
              this.#mode = 'broken';
              out.push(Buffer.from(header));
            }
            break;
          }
          let remaining = 0;
          for (let i = header.length - 1; i >= 1; i--) remaining = remaining * 128 + ((header[i] ?? 0) & 0x7f);
          const first = header[0] ?? 0;
          this.#header = [];
          this.#left = remaining;
          if (first >> 4 === PUBLISH && header.length + remaining > this.#maxPacketBytes) {
            this.#mode = 'drop';
            this.#dropped = { first, head: [], headBytes: 0, remaining };
          } else {
            out.push(Buffer.from(header));
            this.#mode = remaining === 0 ? 'header' : 'pass';
          }
          break;
        }
        default: {
          const never: never = this.#mode;
          throw new Error(`unknown mode ${String(never)}`);
        }
      }
    }
    return out.length === 1 ? (out[0] ?? Buffer.alloc(0)) : Buffer.concat(out);
  }

  #keepHead(bytes: Buffer): void {
    const dropped = this.#dropped;
    if (dropped === undefined || dropped.headBytes >= MAX_HEAD_BYTES) return;
    const part = bytes.subarray(0, MAX_HEAD_BYTES - dropped.headBytes);
    // A copy: the chunk itself must not be kept alive by a slice of it.
    dropped.head.push(Buffer.from(part));
    dropped.headBytes += part.length;
  }

  #finishDrop(): void {
    const dropped = this.#dropped;
    this.#dropped = undefined;
    this.#mode = 'header';
    if (dropped === undefined) return;
    const head = Buffer.concat(dropped.head);
    const qos = ((dropped.first >> 1) & 3) as 0 | 1 | 2;
    const topicBytes = head.length >= 2 ? head.readUInt16BE(0) : 0;
    const topic = head.subarray(2, 2 + topicBytes).toString('utf8');
    const idAt = 2 + topicBytes;
    const packetId = qos > 0 && head.length >= idAt + 2 ? head.readUInt16BE(idAt) : undefined;
    this.#onDropped({
      topic: topic.slice(0, 200),
      bytes: Math.max(0, dropped.remaining - idAt - (qos > 0 ? 2 : 0)),
      qos,
      retain: (dropped.first & 1) === 1,
      packetId,
    });
  }
}

/**
 * The broker's connection as mqtt.js sees it, with PUBLISH packets over `maxPacketBytes` taken out
 * of what it reads (`OversizePublishFilter`); a dropped QoS 1 or 2 message is acknowledged here
 * (PUBACK, or PUBREC: mqtt.js answers the PUBREL that follows for an id it does not know), so the
 * broker does not keep it in flight. Writes, the end and errors pass through to `socket`.
 */
export class OversizePublishGuard extends Duplex {
  readonly #socket: Duplex;
  readonly #filter: OversizePublishFilter;

  constructor(socket: Duplex, maxPacketBytes: number, onDropped: (dropped: DroppedPublish) => void) {
    super();
    this.#socket = socket;
    this.#filter = new OversizePublishFilter(maxPacketBytes, (dropped) => {
      if (dropped.packetId !== undefined && !socket.destroyed) {
        const type = dropped.qos === 1 ? 0x40 : 0x50;
        socket.write(Buffer.from([type, 0x02, dropped.packetId >> 8, dropped.packetId & 0xff]));
      }
      onDropped(dropped);
    });
    socket.on('data', (chunk: Buffer) => {
      const passed = this.#filter.push(chunk);
      if (passed.length > 0 && !this.push(passed)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.#socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#socket.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#socket.destroy();
    callback(error);
  }
}
