/**
 * The duration of common audio files without starting ffprobe (which costs more CPU to start than
 * a whole excerpt costs to measure): music-metadata's header read, and for Ogg (whose headers do
 * not say) the last page's granule position. Returns null whenever it is not sure: the caller then
 * asks ffprobe, which also says why a file cannot be read.
 */
import { open } from 'node:fs/promises';
import type * as MusicMetadata from 'music-metadata';

const TAIL_BYTES = 65_536;

/** The length of an Ogg Vorbis or Opus stream (s), from its first and last pages; null if unsure. */
export async function oggDurationS(path: string): Promise<number | null> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(Math.min(size, 4096));
    await file.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(size, TAIL_BYTES));
    await file.read(tail, 0, tail.length, size - tail.length);
    let rate: number;
    let preSkip = 0;
    const vorbis = head.indexOf('\x01vorbis', 0, 'latin1');
    const opus = head.indexOf('OpusHead', 0, 'latin1');
    if (vorbis >= 0 && vorbis + 16 <= head.length) {
      rate = head.readUInt32LE(vorbis + 12);
    } else if (opus >= 0 && opus + 12 <= head.length) {
      rate = 48_000;
      preSkip = head.readUInt16LE(opus + 10);
    } else {
      return null;
    }
    const last = tail.lastIndexOf('OggS', tail.length - 27, 'latin1');
    if (last < 0 || last + 14 > tail.length || !(rate > 0)) return null;
    const granule = Number(tail.readBigInt64LE(last + 6));
    const seconds = (granule - preSkip) / rate;
    return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
  } finally {
    await file.close();
  }
}

let musicMetadata: Promise<typeof MusicMetadata> | undefined;

/** The duration (s) when the file's headers tell it and its audio codec is known; else null. */
export async function quickDurationS(path: string): Promise<number | null> {
  try {
    if (/\.(ogg|oga|opus)$/i.test(path)) return await oggDurationS(path);
    musicMetadata ??= import('music-metadata');
    const { parseFile } = await musicMetadata;
    const { format } = await parseFile(path, { duration: false, skipCovers: true });
    const known = format.codec !== undefined && (format.numberOfChannels ?? 0) > 0;
    return known && format.duration !== undefined && format.duration > 0 ? format.duration : null;
  } catch {
    return null;
  }
}
