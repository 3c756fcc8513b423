import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** How much of an Ogg file's end is read for its last page (a page is at most 65,307 bytes). */
const TAIL_BYTES = 72 * 1024;
/** How much of its start is read for the first page's codec header. */
const HEAD_BYTES = 512;
/** Opus counts its granule positions at 48 kHz whatever the input rate was (RFC 7845 §4). */
const OPUS_RATE = 48_000;

/** An Ogg page's header fields (RFC 3533 §6). */
export interface OggPage {
  /** Where the page starts in the bytes it was read from. */
  offset: number;
  /** The page's whole length: header, segment table and body. */
  length: number;
  /** Bit 0x04: the stream's last page. */
  headerType: number;
  /** The stream's sample count at the end of the page; -1 where no packet ends on it. */
  granule: bigint;
  serial: number;
}

/** The Ogg CRC-32 (polynomial 0x04c11db7, not reflected, no final XOR), by table. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let r = n << 24;
  for (let i = 0; i < 8; i++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
  return r >>> 0;
});

function pageCrc(bytes: Uint8Array, start: number, length: number): number {
  let crc = 0;
  for (let i = 0; i < length; i++) {
    // The checksum field (bytes 22..25) counts as zeros.
    const byte = i >= 22 && i < 26 ? 0 : (bytes[start + i] ?? 0);
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] ?? 0)) >>> 0;
  }
  return crc;
}

/** The page that starts at `offset` in `bytes`, when a whole one with a right checksum does. */
export function oggPageAt(bytes: Uint8Array, offset: number): OggPage | undefined {
  if (offset < 0 || offset + 27 > bytes.length) return undefined;
  if (bytes[offset] !== 0x4f || bytes[offset + 1] !== 0x67 || bytes[offset + 2] !== 0x67 || bytes[offset + 3] !== 0x53) return undefined;
  if (bytes[offset + 4] !== 0) return undefined;
  const segments = bytes[offset + 26] ?? 0;
  if (offset + 27 + segments > bytes.length) return undefined;
  let body = 0;
  for (let i = 0; i < segments; i++) body += bytes[offset + 27 + i] ?? 0;
  const length = 27 + segments + body;
  if (offset + length > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 27);
  if (view.getUint32(22, true) !== pageCrc(bytes, offset, length)) return undefined;
  return { offset, length, headerType: view.getUint8(5), granule: view.getBigInt64(6, true), serial: view.getUint32(14, true) };
}

/**
 * The file's last page: the last one in `tail` (the file's final bytes) that checks out and ends
 * exactly where the file does. None where the file ends in anything else (a cut download, bytes
 * appended after the stream).
 */
export function lastOggPage(tail: Uint8Array): OggPage | undefined {
  for (let at = tail.length - 27; at >= 0; at--) {
    if (tail[at] !== 0x4f) continue;
    const page = oggPageAt(tail, at);
    if (page !== undefined) return page.offset + page.length === tail.length ? page : undefined;
  }
  return undefined;
}

/** What the first page's packet says of how granule positions turn into time, for Vorbis and Opus. */
function timeBase(head: Uint8Array, first: OggPage): { rate: number; preSkip: number } | undefined {
  const payload = first.offset + 27 + (head[first.offset + 26] ?? 0);
  const view = new DataView(head.buffer, head.byteOffset);
  const text = (at: number, length: number): string => Buffer.from(head.subarray(payload + at, payload + at + length)).toString('latin1');
  if (payload + 19 > head.length) return undefined;
  // Vorbis identification header: 0x01 "vorbis", version (4), channels (1), rate (4).
  if (head[payload] === 0x01 && text(1, 6) === 'vorbis') {
    const rate = view.getUint32(payload + 12, true);
    return rate > 0 ? { rate, preSkip: 0 } : undefined;
  }
  // Opus identification header: "OpusHead", version (1), channels (1), pre-skip (2).
  if (text(0, 8) === 'OpusHead') return { rate: OPUS_RATE, preSkip: view.getUint16(payload + 10, true) };
  return undefined;
}

/**
 * An Ogg Vorbis or Opus file's length in seconds, from its first page (the codec and its rate) and
 * its last (the sample count), reading about 70 KB whatever the file's size. A full read of the
 * pages, as a tag parser does it, reads every byte of every file in the library. Undefined where
 * the two pages do not give it plainly (another codec, several streams, a cut or padded end): the
 * caller then reads the whole file.
 */
export async function oggLengthSeconds(path: string): Promise<number | undefined> {
  // Without blocking: a FIFO put in the file's place since its tags were read gives no length.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) return undefined;
    const size = info.size;
    const head = new Uint8Array(Math.min(HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    const first = oggPageAt(head, 0);
    if (first === undefined) return undefined;
    const base = timeBase(head, first);
    if (base === undefined) return undefined;
    const tailLength = Math.min(TAIL_BYTES, size);
    const tail = new Uint8Array(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    const last = lastOggPage(tail);
    if (last === undefined || last.serial !== first.serial || (last.headerType & 0x04) === 0 || last.granule < 0n) return undefined;
    const samples = Number(last.granule) - base.preSkip;
    return samples > 0 ? samples / base.rate : undefined;
  } finally {
    await handle.close();
  }
}
