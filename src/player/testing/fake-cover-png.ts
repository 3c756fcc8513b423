/**
 * The fake Spotify's album and playlist covers (`FakeSpotifyServer`, `/images/`): a real PNG, one
 * pixel, whose colour comes from the id it is asked for, so that covers differ.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** A tiny valid PNG (1x1), its colour taken from `id`, so each cover differs. */
export function coverPng(id: string): Buffer {
  const hash = createHash('sha256').update(id).digest();
  const raw = Buffer.from([0, hash[0] ?? 0, hash[1] ?? 0, hash[2] ?? 0]);
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
