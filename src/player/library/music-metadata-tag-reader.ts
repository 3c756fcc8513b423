import { open } from 'node:fs/promises';
import type * as musicMetadata from 'music-metadata';
import { hasFrameChain } from './frame-check.js';
import type { AudioTags, TagReader } from './tag-reader.js';

type MusicMetadata = typeof musicMetadata;

/** Reads tags with music-metadata (imported on first use). */
export class MusicMetadataTagReader implements TagReader {
  #module: Promise<MusicMetadata> | undefined;

  async read(path: string): Promise<AudioTags> {
    this.#module ??= import('music-metadata');
    const { parseFile } = await this.#module;
    let meta = await parseFile(path, { duration: false });
    if (meta.format.duration === undefined && meta.format.hasAudio === true) {
      // Some MPEG files only give their length to a full scan of their frames.
      meta = await parseFile(path, { duration: true });
    }
    const { common, format } = meta;
    const duration = format.duration;
    // Random bytes can look like an MPEG frame header; a stream with no measurable length is not audio.
    if (format.hasAudio !== true || duration === undefined || !(duration > 0)) {
      throw new Error(`no audio stream with a known duration (${format.container ?? 'unknown container'})`);
    }
    const container = format.container ?? '';
    if ((container === 'MPEG' || container.startsWith('ADTS')) && !hasFrameChain(await head(path, 64 * 1024))) {
      throw new Error(`no ${container} audio frames in a row: not an audio stream`);
    }
    const picture = common.picture?.[0];
    const tags: AudioTags = { durationMs: Math.round(duration * 1000) };
    if (common.title) tags.title = common.title;
    if (common.artist) tags.artist = common.artist;
    if (common.album) tags.album = common.album;
    if (common.year !== undefined) tags.year = common.year;
    if (common.genre?.[0]) tags.genre = common.genre[0];
    if (common.language) tags.language = common.language;
    if (common.bpm !== undefined && common.bpm > 0) tags.bpm = common.bpm;
    if (common.mood) tags.mood = common.mood;
    const gain = common.replaygain_track_gain?.dB;
    if (gain !== undefined && Number.isFinite(gain)) tags.replayGainDb = gain;
    if (picture && picture.data.length > 0) tags.picture = { mime: picture.format, data: picture.data };
    return tags;
  }
}

/** The first `bytes` bytes of a file (fewer when it is shorter). */
async function head(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
