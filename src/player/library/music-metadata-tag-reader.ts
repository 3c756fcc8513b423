import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type * as musicMetadata from 'music-metadata';
import type * as strtok3 from 'strtok3';
import { hasFrameChain } from './frame-check.js';
import { oggLengthSeconds } from './ogg-length.js';
import { readableText } from '../../kernel/visible-text.js';
import { NOT_A_LANGUAGE, TAG_TEXT_LIMITS, type AudioTags, type ReadOptions, type TagReader } from './tag-reader.js';

type Modules = [typeof musicMetadata, typeof strtok3];

/** How long one file's tags may take to read before the file is skipped (ms). */
export const DEFAULT_READ_TIME_LIMIT_MS = 30_000;
/** How much of an MPEG or ADTS stream's start is checked for a chain of frames. */
const FRAME_CHECK_BYTES = 64 * 1024;
/** Files read by the MPEG audio or ADTS parsers, by name. */
const MPEG_EXTENSIONS = new Set(['.mp3', '.mp2', '.aac']);

/**
 * Reads tags with music-metadata (imported on first use). A file is untrusted: it is opened only
 * as a regular file (a FIFO or a device is refused without blocking), its read is bounded in time
 * (`timeLimitMs`) and stops at once when the caller's signal aborts, and an MPEG stream must show
 * real frames before its whole length is scanned for a duration. An Ogg file's length is read from
 * its last page (`oggLengthSeconds`), not by reading every page.
 */
export class MusicMetadataTagReader implements TagReader {
  #modules: Promise<Modules> | undefined;
  readonly #timeLimitMs: number;

  constructor(options: { timeLimitMs?: number } = {}) {
    this.#timeLimitMs = options.timeLimitMs ?? DEFAULT_READ_TIME_LIMIT_MS;
  }

  async read(path: string, options: ReadOptions = {}): Promise<AudioTags> {
    const caller = options.signal;
    caller?.throwIfAborted();
    this.#modules ??= Promise.all([import('music-metadata'), import('strtok3')]);
    const [{ parseFromTokenizer }, { fromFile }] = await this.#modules;
    const timeLimit = AbortSignal.timeout(this.#timeLimitMs);
    const signal = caller === undefined ? timeLimit : AbortSignal.any([caller, timeLimit]);
    const parse = async (duration: boolean) => {
      try {
        const tokenizer = await fromFile(path, { abortSignal: signal, regularFileOnly: true });
        try {
          return await parseFromTokenizer(tokenizer, { duration });
        } finally {
          await tokenizer.close();
        }
      } catch (err) {
        // The caller's abort wins (the scan stops, the daemon shuts down); the time limit skips the file.
        if (caller?.aborted) throw caller.reason;
        if (timeLimit.aborted) throw new Error(`reading its tags took longer than ${Math.round(this.#timeLimitMs / 1000)} s: skipped`);
        throw err;
      }
    };
    // MPEG and ADTS parsers hunt through the whole file for a frame: a large file of noise is
    // refused from its first bytes instead, before they look.
    const isMpegByName = MPEG_EXTENSIONS.has(extname(path).toLowerCase());
    if (isMpegByName && !hasFrameChain(await audioHead(path))) throw new Error(`no MPEG audio frames in a row: not an audio stream`);
    let meta = await parse(false);
    const container = meta.format.container ?? '';
    // Checked before any scan of the whole file: a large file of noise must be refused at once.
    if (!isMpegByName && (container === 'MPEG' || container.startsWith('ADTS')) && !hasFrameChain(await audioHead(path))) {
      throw new Error(`no ${container} audio frames in a row: not an audio stream`);
    }
    let duration = meta.format.duration;
    if (duration === undefined && meta.format.hasAudio === true) {
      // An Ogg file's length is in its last page: read there, not through every page to it.
      duration = container === 'Ogg' ? await oggLengthSeconds(path) : undefined;
      if (duration === undefined) {
        // Some MPEG files only give their length to a full scan of their frames.
        meta = await parse(true);
        duration = meta.format.duration;
      }
    }
    const { common, format } = meta;
    // Random bytes can look like an MPEG frame header; a stream with no measurable length is not audio.
    if (format.hasAudio !== true || duration === undefined || !(duration > 0)) {
      throw new Error(`no audio stream with a known duration (${format.container ?? 'unknown container'})`);
    }
    const picture = common.picture?.[0];
    const tags: AudioTags = { durationMs: Math.round(duration * 1000) };
    // The one door for a file's words: each passes `readableText` before the library or a screen sees it.
    const title = tagText(common.title, 'title');
    if (title !== undefined) tags.title = title;
    const artist = tagText(common.artist, 'artist');
    if (artist !== undefined) tags.artist = artist;
    const album = tagText(common.album, 'album');
    if (album !== undefined) tags.album = album;
    if (common.year !== undefined) tags.year = common.year;
    const genre = tagText(common.genre?.[0], 'genre');
    if (genre !== undefined) tags.genre = genre;
    const language = tagText(common.language, 'language');
    if (language !== undefined && !NOT_A_LANGUAGE.has(language.toLowerCase())) tags.language = language;
    if (common.bpm !== undefined && common.bpm > 0) tags.bpm = common.bpm;
    const mood = tagText(common.mood, 'mood');
    if (mood !== undefined) tags.mood = mood;
    // Untrusted: kept only when it is the UUID MusicBrainz gives.
    const recording = common.musicbrainz_recordingid?.trim();
    if (recording !== undefined && UUID.test(recording)) tags.recordingMbid = recording.toLowerCase();
    const gain = common.replaygain_track_gain?.dB;
    if (gain !== undefined && Number.isFinite(gain)) tags.replayGainDb = gain;
    if (picture && picture.data.length > 0) tags.picture = { mime: picture.format, data: picture.data };
    const explicit = explicitOf(meta.native);
    if (explicit !== undefined) tags.explicit = explicit;
    return tags;
  }
}

/** A text tag as the library keeps it (`readableText`, capped by `TAG_TEXT_LIMITS`), or undefined when nothing is left of it. */
function tagText(value: unknown, tag: keyof typeof TAG_TEXT_LIMITS): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = readableText(value, TAG_TEXT_LIMITS[tag]);
  return text === '' ? undefined : text;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** iTunes' content advisory as the tag formats carry it: `rtng` in MP4, a TXXX frame in ID3v2, a field in Vorbis and APE. */
const ADVISORY_TAGS = new Set(['rtng', 'txxx:itunesadvisory', 'itunesadvisory', 'explicit']);

/**
 * What a file's tags say of its lyrics: explicit (advisory 1 or 4, or `explicit`/`yes`/`true`),
 * clean (2 or 0 / `clean`/`no`/`false`), or nothing (no such tag, or one it cannot read).
 */
export function explicitOf(native: Record<string, ReadonlyArray<{ id: string; value: unknown }>>): boolean | undefined {
  for (const tags of Object.values(native)) {
    for (const { id, value } of tags) {
      if (!ADVISORY_TAGS.has(id.toLowerCase())) continue;
      const word = (Array.isArray(value) ? String(value[0]) : String(value)).trim().toLowerCase();
      if (['1', '4', 'explicit', 'yes', 'true'].includes(word)) return true;
      if (['0', '2', 'clean', 'no', 'false'].includes(word)) return false;
    }
  }
  return undefined;
}

/**
 * The first bytes of the audio stream: after an ID3v2 tag when the file starts with one (a large
 * embedded cover puts the first frame far past the file's start).
 */
async function audioHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const header = new Uint8Array(10);
    const { bytesRead } = await handle.read(header, 0, 10, 0);
    const start = bytesRead === 10 ? id3v2Length(header) : 0;
    const buffer = new Uint8Array(FRAME_CHECK_BYTES);
    const read = await handle.read(buffer, 0, FRAME_CHECK_BYTES, start);
    return buffer.subarray(0, read.bytesRead);
  } finally {
    await handle.close();
  }
}

/** The whole length of the ID3v2 tag that `header` (a file's first 10 bytes) starts, or 0 when there is none. */
export function id3v2Length(header: Uint8Array): number {
  if (header[0] !== 0x49 || header[1] !== 0x44 || header[2] !== 0x33) return 0; // "ID3"
  const size = header.subarray(6, 10);
  if (size.some((b) => b >= 0x80)) return 0; // not a syncsafe integer: no tag
  const body = ((size[0] ?? 0) << 21) | ((size[1] ?? 0) << 14) | ((size[2] ?? 0) << 7) | (size[3] ?? 0);
  const footer = ((header[5] ?? 0) & 0x10) !== 0 ? 10 : 0;
  return 10 + body + footer;
}
