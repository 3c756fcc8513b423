/**
 * Tells an MPEG audio (MP3) or ADTS (AAC) stream from bytes that only look like one. Tag readers
 * accept any 11 sync bits as a frame header, and about one file of random bytes in six passes
 * them; a real stream has frames back to back, so a chain of headers each where the previous frame
 * ends is required. Pure: works on the first bytes of a file.
 */

/** Consecutive frames a stream must start with. */
const CHAIN = 4;

const SAMPLE_RATES: Readonly<Record<number, readonly number[]>> = {
  3: [44100, 48000, 32000], // MPEG 1
  2: [22050, 24000, 16000], // MPEG 2
  0: [11025, 12000, 8000], // MPEG 2.5
};

// kbit/s by bitrate index, for [MPEG 1 layer I, II, III] and [MPEG 2/2.5 layer I, II & III].
const V1_L1 = [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448];
const V1_L2 = [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384];
const V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const V2_L1 = [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256];
const V2_L23 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/** The length in bytes of the frame whose header starts at `i`, or 0 when there is none. */
export function frameLength(bytes: Uint8Array, i: number): number {
  if (i + 7 > bytes.length) return 0;
  const b1 = bytes[i + 1] ?? 0;
  const b2 = bytes[i + 2] ?? 0;
  if (bytes[i] !== 0xff || (b1 & 0xe0) !== 0xe0) return 0;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  if (layer === 0) {
    // ADTS: 12 sync bits, layer 00, the frame length in the header itself.
    if ((b1 & 0xf0) !== 0xf0) return 0;
    const length = (((bytes[i + 3] ?? 0) & 3) << 11) | ((bytes[i + 4] ?? 0) << 3) | ((bytes[i + 5] ?? 0) >> 5);
    const rateIndex = (b2 >> 2) & 15;
    return length >= 7 && rateIndex < 13 ? length : 0;
  }
  const rates = SAMPLE_RATES[version];
  const rate = rates?.[(b2 >> 2) & 3];
  const bitrateIndex = b2 >> 4;
  if (rate === undefined || bitrateIndex === 0 || bitrateIndex === 15) return 0;
  const padding = (b2 >> 1) & 1;
  const isV1 = version === 3;
  const table = isV1 ? [V1_L3, V1_L2, V1_L1][layer - 1] : layer === 3 ? V2_L1 : V2_L23;
  const kbps = table?.[bitrateIndex] ?? 0;
  if (layer === 3) return (Math.floor((12 * kbps * 1000) / rate) + padding) * 4;
  const perFrame = layer === 1 && !isV1 ? 72 : 144;
  return Math.floor((perFrame * kbps * 1000) / rate) + padding;
}

/** Bytes taken by an ID3v2 tag at the start (0 when there is none). */
export function id3v2Length(bytes: Uint8Array): number {
  if (bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return 0;
  const size =
    (((bytes[6] ?? 0) & 0x7f) << 21) | (((bytes[7] ?? 0) & 0x7f) << 14) | (((bytes[8] ?? 0) & 0x7f) << 7) | ((bytes[9] ?? 0) & 0x7f);
  const hasFooter = ((bytes[5] ?? 0) & 0x10) !== 0;
  return 10 + size + (hasFooter ? 10 : 0);
}

/**
 * True when `bytes` (the start of a file; the first 64 KiB is plenty) hold at least four MPEG or
 * ADTS frames back to back, after any ID3v2 tag and a little junk; or when the stream is shorter
 * than that but runs frame to frame to its very end.
 */
export function hasFrameChain(bytes: Uint8Array): boolean {
  const start = id3v2Length(bytes);
  for (let i = start; i < bytes.length - 4; i++) {
    let at = i;
    let frames = 0;
    while (frames < CHAIN) {
      const length = frameLength(bytes, at);
      if (length === 0) break;
      at += length;
      frames++;
      if (at === bytes.length) return true;
    }
    if (frames === CHAIN) return true;
  }
  return false;
}
