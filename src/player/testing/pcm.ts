import { readFile } from 'node:fs/promises';

/** The first channel of a WAV file mpv's `--ao=pcm` wrote, as floats in −1…1. */
export interface Pcm {
  sampleRate: number;
  samples: Float32Array;
}

/** Reads a WAV file of 16- or 32-bit integers or 32-bit floats (plain or WAVE_FORMAT_EXTENSIBLE): its first channel. */
export async function readWav(path: string): Promise<Pcm> {
  const bytes = await readFile(path);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new TypeError(`Expected a WAV file at \`${path}\`, got something else`);
  }
  let format: { tag: number; channels: number; sampleRate: number; bits: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = bytes.toString('ascii', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      let tag = bytes.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (tag === 0xfffe) tag = bytes.readUInt16LE(body + 24);
      format = {
        tag,
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        bits: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new TypeError(`Expected a fmt chunk before the data in \`${path}\``);
      // mpv may leave the size unset (a file still being written): read to the end.
      const end = size === 0 || body + size > bytes.length ? bytes.length : body + size;
      return { sampleRate: format.sampleRate, samples: firstChannel(bytes.subarray(body, end), format) };
    }
    at = body + size + (size % 2);
  }
  throw new TypeError(`Expected a data chunk in \`${path}\``);
}

function firstChannel(data: Buffer, format: { tag: number; channels: number; bits: number }): Float32Array {
  const width = format.bits / 8;
  const frame = width * format.channels;
  const out = new Float32Array(Math.floor(data.length / frame));
  for (let i = 0; i < out.length; i++) {
    const at = i * frame;
    if (format.tag === 3 && format.bits === 32) out[i] = data.readFloatLE(at);
    else if (format.tag === 1 && format.bits === 16) out[i] = data.readInt16LE(at) / 0x8000;
    else if (format.tag === 1 && format.bits === 32) out[i] = data.readInt32LE(at) / 0x80000000;
    else throw new TypeError(`Expected 16/32-bit integer or 32-bit float samples, got format ${format.tag} with ${format.bits} bits`);
  }
  return out;
}

/**
 * The amplitude of `hz` in each window of `windowMs` (Goertzel's algorithm over a Hann window,
 * scaled so that a full-scale sine reads 1).
 */
export function toneLevels(pcm: Pcm, hz: number, windowMs = 50): number[] {
  const n = Math.round((pcm.sampleRate * windowMs) / 1000);
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / pcm.sampleRate);
  const hann = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));
  const levels: number[] = [];
  for (let start = 0; start + n <= pcm.samples.length; start += n) {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const s0 = (pcm.samples[start + i] ?? 0) * (hann[i] ?? 0) + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    // The Hann window keeps half of a sine's amplitude.
    levels.push((2 * Math.sqrt(Math.max(power, 0))) / (n * 0.5));
  }
  return levels;
}
