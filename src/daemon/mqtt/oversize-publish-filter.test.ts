import { describe, expect, it } from 'vitest';
import { OversizePublishFilter, type DroppedPublish } from './oversize-publish-filter.js';

// Issue 42 (LOW): over MQTT 3.1.1 a 260 MB retained message cost 700 MiB at every start, since the
// whole packet was gathered before it was dropped. The filter drops it as its bytes arrive.

const MAX = 1024;

function remainingLength(n: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return bytes;
}

function publish(topic: string, payloadBytes: number, options: { qos?: 0 | 1; id?: number; retain?: boolean } = {}): Buffer {
  const qos = options.qos ?? 0;
  const name = Buffer.from(topic, 'utf8');
  const body = Buffer.concat([
    Buffer.from([name.length >> 8, name.length & 0xff]),
    name,
    qos > 0 ? Buffer.from([(options.id ?? 1) >> 8, (options.id ?? 1) & 0xff]) : Buffer.alloc(0),
    Buffer.alloc(payloadBytes, 'x'),
  ]);
  const first = 0x30 | (qos << 1) | (options.retain === true ? 1 : 0);
  return Buffer.concat([Buffer.from([first, ...remainingLength(body.length)]), body]);
}

/** Feeds `bytes` to a filter in pieces of `size` bytes; returns what passed and what was dropped. */
function run(bytes: Buffer, size: number): { passed: Buffer; dropped: DroppedPublish[] } {
  const dropped: DroppedPublish[] = [];
  const filter = new OversizePublishFilter(MAX, (d) => dropped.push(d));
  const passed: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) passed.push(filter.push(bytes.subarray(at, at + size)));
  return { passed: Buffer.concat(passed), dropped };
}

describe('the MQTT 3.1.1 packet size guard', () => {
  const connack = Buffer.from([0x20, 0x02, 0x00, 0x00]);
  const small = publish('moodbox/cafe/lounge/set/volume', 2, { qos: 1, id: 7 });
  const large = publish('moodbox/cafe/lounge/cmd/restart', 3 * 1024 * 1024, { qos: 1, id: 513, retain: true });
  const pingresp = Buffer.from([0xd0, 0x00]);
  const largeQos0 = publish('moodbox/cafe/all/cmd/volume-cap', 5000);
  const stream = Buffer.concat([connack, small, large, pingresp, largeQos0, small]);

  for (const size of [1, 3, 64, 4096, stream.length]) {
    it(`passes every other packet byte for byte and reports each large message once, read ${size} bytes at a time`, () => {
      const { passed, dropped } = run(stream, size);
      expect(passed.equals(Buffer.concat([connack, small, pingresp, small]))).toBe(true);
      expect(dropped).toEqual([
        { topic: 'moodbox/cafe/lounge/cmd/restart', bytes: 3 * 1024 * 1024, qos: 1, retain: true, packetId: 513 },
        { topic: 'moodbox/cafe/all/cmd/volume-cap', bytes: 5000, qos: 0, retain: false, packetId: undefined },
      ]);
    });
  }

  it('lets a message right at the bound through, and other packet types of any size', () => {
    // A fixed header of 3 bytes, the topic's length and the topic 3: the packet is MAX bytes.
    const atBound = publish('t', MAX - 6);
    expect(atBound.length).toBe(MAX);
    expect(run(publish('t', MAX - 5), 100).dropped).toHaveLength(1);
    const subackLike = Buffer.concat([Buffer.from([0x90, ...remainingLength(2000)]), Buffer.alloc(2000, 1)]);
    const { passed, dropped } = run(Buffer.concat([atBound, subackLike]), 100);
    expect(dropped).toEqual([]);
    expect(passed.equals(Buffer.concat([atBound, subackLike]))).toBe(true);
  });

  it('hands what is not MQTT on unchanged, for the parser to refuse', () => {
    const garbage = Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]);
    const { passed, dropped } = run(garbage, 2);
    expect(dropped).toEqual([]);
    expect(passed.equals(garbage)).toBe(true);
  });
});
