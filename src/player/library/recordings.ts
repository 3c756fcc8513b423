import { extname } from 'node:path';
import { bandsDistance, decodePrint, printDistance, type AudioPrint } from '../analysis/audio-print.js';

/** Durations of copies of one recording differ by at most this much (ms): encoders pad and trim. */
export const SAME_RECORDING_MS = 2000;

/**
 * Prints nearer than these are one recording's (`audio-print.ts`). Measured on 40 real pieces
 * (`scripts/measure-audio-print.ts`): copies (MP3 128k; 6 dB quieter and 0.8 s shorter; 1.5 s of
 * silence before, MP3 96k at 22 kHz) differ in at most 0.081 of the bits and 0.125 in band profile;
 * two different pieces in at least 0.469 of the bits.
 */
const SAME_BANDS = 0.25;
const SAME_BITS = 0.25;

/** Lossless formats, played before any lossy copy of the same recording. */
const LOSSLESS = new Set(['.flac', '.wav', '.aiff', '.aif', '.ape', '.wv', '.tta']);

/** What grouping needs of one file of the library (every file present; none missing). */
export interface RecordingFile {
  id: number;
  uri: string;
  title: string;
  artist: string;
  durationMs: number | null;
  fileSize: number | null;
  /** The MusicBrainz recording id of its tags, when tagged. */
  mbid: string | null;
  /** The owner picked this file to play for its recording. */
  preferred: boolean;
  /** Its audio print as stored (`encodePrint`), when its analysis made one. */
  print?: Uint8Array | null;
}

/**
 * Which files are copies of one recording, and which copy plays: file id → the id of the file
 * that plays for its recording, or null for that file itself (and for a file with no copy).
 *
 * Files are one recording when their MusicBrainz recording ids are equal, or, where the tags carry
 * none (or only one of the two does), when their artist and title are equal as a reader would
 * compare them (case, accents, punctuation, "The", a "feat." part) and their lengths are within
 * `SAME_RECORDING_MS`, or, whatever their tags say (a re-tagged copy, an untagged rip), when their
 * audio prints match and their lengths are within `SAME_RECORDING_MS`. Two different MusicBrainz
 * ids are two recordings, whatever the titles or the prints say (a live take and the studio one).
 * The copy that plays is the owner's pick, else a lossless one over a lossy one, else the one of
 * higher bit rate, else the first found.
 */
export function groupRecordings(files: readonly RecordingFile[]): Map<number, number | null> {
  const parent = new Map<number, number>(files.map((f) => [f.id, f.id]));
  const root = (id: number): number => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r) as number;
    parent.set(id, r);
    return r;
  };
  const mbidOf = new Map<number, string>();
  const join = (a: RecordingFile, b: RecordingFile): void => {
    const [ra, rb] = [root(a.id), root(b.id)];
    if (ra === rb) return;
    // Two groups with different MusicBrainz ids stay two recordings.
    const [ma, mb] = [mbidOf.get(ra), mbidOf.get(rb)];
    if (ma !== undefined && mb !== undefined && ma !== mb) return;
    parent.set(rb, ra);
    if (ma === undefined && mb !== undefined) mbidOf.set(ra, mb);
  };
  for (const f of files) if (f.mbid !== null && f.mbid.trim() !== '') mbidOf.set(f.id, f.mbid.trim().toLowerCase());

  for (const same of bucket(files, (f) => mbidOf.get(f.id))) for (const f of same.slice(1)) join(same[0] as RecordingFile, f);
  for (const same of bucket(files, tagKey)) {
    const timed = same
      .filter((f) => f.durationMs !== null)
      .sort((a, b) => (a.durationMs as number) - (b.durationMs as number) || a.id - b.id);
    let first: RecordingFile | undefined;
    for (const f of timed) {
      if (first === undefined || (f.durationMs as number) - (first.durationMs as number) > SAME_RECORDING_MS) first = f;
      else join(first, f);
    }
  }

  for (const [a, b] of samePrints(files)) join(a, b);

  const groups = new Map<number, RecordingFile[]>();
  for (const f of files) {
    const r = root(f.id);
    const group = groups.get(r);
    if (group === undefined) groups.set(r, [f]);
    else group.push(f);
  }
  const playing = new Map<number, number | null>();
  for (const group of groups.values()) {
    const best = [...group].sort(betterFirst)[0] as RecordingFile;
    for (const f of group) playing.set(f.id, f.id === best.id ? null : best.id);
  }
  return playing;
}

/** Pairs of files with lengths within `SAME_RECORDING_MS` whose audio prints match. */
function samePrints(files: readonly RecordingFile[]): Array<[RecordingFile, RecordingFile]> {
  const printed: Array<{ file: RecordingFile; ms: number; print: AudioPrint }> = [];
  for (const file of files) {
    const print = file.print === undefined || file.print === null ? null : decodePrint(file.print);
    if (print !== null && file.durationMs !== null) printed.push({ file, ms: file.durationMs, print });
  }
  printed.sort((a, b) => a.ms - b.ms || a.file.id - b.file.id);
  const pairs: Array<[RecordingFile, RecordingFile]> = [];
  for (let i = 0; i < printed.length; i++) {
    const a = printed[i]!;
    for (let j = i + 1; j < printed.length && printed[j]!.ms - a.ms <= SAME_RECORDING_MS; j++) {
      const b = printed[j]!;
      // The band profiles first: 33 steps tell most pairs apart before the bits are compared.
      if (bandsDistance(a.print, b.print) <= SAME_BANDS && printDistance(a.print, b.print) <= SAME_BITS) pairs.push([a.file, b.file]);
    }
  }
  return pairs;
}

/** The order copies are played in: the owner's pick, lossless, higher bit rate, first found. */
function betterFirst(a: RecordingFile, b: RecordingFile): number {
  return (
    Number(b.preferred) - Number(a.preferred) ||
    Number(isLossless(b.uri)) - Number(isLossless(a.uri)) ||
    bitRate(b) - bitRate(a) ||
    a.id - b.id
  );
}

/** Whether the file's format keeps every sample (FLAC, WAV, AIFF, …). */
export function isLossless(uri: string): boolean {
  return LOSSLESS.has(extname(uri).toLowerCase());
}

/** Bits per second of the file as stored, 0 when its size or length is unknown. */
function bitRate(f: RecordingFile): number {
  return f.fileSize === null || f.durationMs === null || f.durationMs <= 0 ? 0 : (f.fileSize * 8000) / f.durationMs;
}

/** Artist and title as compared, or undefined when either is empty (an untagged file is not guessed at). */
function tagKey(f: RecordingFile): string | undefined {
  const artist = plain(f.artist.replace(/^\s*the\s+/iu, ''));
  const title = plain(f.title);
  return artist === '' || title === '' ? undefined : `${artist}\u0000${title}`;
}

/** Lower case, without accents, a "feat." part or anything but letters and digits: "Café (feat. Bo)" → "cafe". */
function plain(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[([]?\s*\b(?:feat\.?|ft\.|featuring)\s.*$/u, '')
    .replace(/&/g, 'and')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function bucket<T>(items: readonly T[], key: (item: T) => string | undefined): T[][] {
  const buckets = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = buckets.get(k);
    if (list === undefined) buckets.set(k, [item]);
    else list.push(item);
  }
  return [...buckets.values()].filter((list) => list.length > 1);
}
