import { MoodboxError, type MoodboxErrorCode } from '../../kernel/errors.js';
import { said, type Said } from '../../kernel/said.js';
import { PRIVATE_ADDRESS_REASON } from '../../player/streams/stream-address.js';
import { BUSINESS_MUSIC_REASON, type YoutubeBlock } from '../config/site-rules.js';

/**
 * The refusals of the library, its stations and its blocks on the admin panel, each written once in
 * both forms: the English `message` and the same sentence as data (`common.said.library.*`,
 * `common.said.stations.*`, `common.said.blocks.*`), for the panel to say in its reader's language.
 * `test/browser/catalogues.test.ts` says every `said` through the English catalogue and checks it is
 * the `message`. A mood is sent as it is named: an owner may make one up.
 */

/** Why a song does not play here: blocked itself, its artist blocked, or explicit while explicit songs are skipped. */
export type BlockReason = 'song' | 'artist' | 'explicit';

/** Why a song does not play here, in words (the catalogues' `common.said.blocks.why.<reason>`). */
export const BLOCK_WORDS: Record<BlockReason, string> = {
  song: 'it is blocked on this box',
  artist: 'its artist is blocked on this box',
  explicit: 'it is marked explicit, and explicit songs are skipped here',
};

/** A block's reason inside a sentence, as a word of the catalogues. */
export const blockWord = (why: BlockReason): { said: string } => ({ said: `blocks.why.${why}` });

const refused = (code: MoodboxErrorCode, message: string, id: string, values?: Said['values']): MoodboxError =>
  new MoodboxError(code, message, { said: said(id, values) });

export const LIBRARY_REFUSALS = {
  /** No track has this id (removed by a scan meanwhile). */
  noTrack: (id: number) => refused('MB_ERR_NOT_FOUND', `No track with id ${id}.`, 'library.noTrack', { id: String(id) }),
  /** A track's file is not on this box: it cannot be picked to play. */
  noFileToPlay: (id: number) =>
    refused('MB_ERR_NOT_FOUND', `Track ${id} has no file here to play.`, 'library.noFileToPlay', { id: String(id) }),
  /** A track's file is not on this box: it cannot be listened to. */
  noFileToListen: (id: number) =>
    refused('MB_ERR_NOT_FOUND', `Track ${id} has no file to listen to here.`, 'library.noFileToListen', { id: String(id) }),
  /** The box runs without a music library. */
  none: () => refused('MB_ERR_NOT_FOUND', 'This Moodbox has no music library.', 'library.none'),
  /** One mood given twice for a track. */
  moodTwice: (mood: string) =>
    refused('MB_ERR_HTTP_BAD_REQUEST', `Expected each mood once, got “${mood}” twice.`, 'library.moodTwice', { mood }),
  /** An edit of several tracks that adds and removes nothing. */
  moodNeither: () => refused('MB_ERR_HTTP_BAD_REQUEST', 'Expected a mood to add or to remove, got neither.', 'library.moodNeither'),
  /** A mood both added and removed in one edit. */
  moodBoth: (mood: string) =>
    refused('MB_ERR_HTTP_BAD_REQUEST', `Expected “${mood}” to be added or removed, not both.`, 'library.moodBoth', { mood }),
  /** A mood the library does not know; `moods` are those it knows. */
  unknownMood: (mood: string, moods: readonly string[]) =>
    refused('MB_ERR_HTTP_BAD_REQUEST', `“${mood}” is not a known mood. Choose one of: ${moods.join(', ')}.`, 'library.unknownMood', {
      mood,
      moods: moods.join(', '),
    }),
} as const;

export const STATION_REFUSALS = {
  /** No station has this id (removed meanwhile). */
  noStation: (id: number) => refused('MB_ERR_NOT_FOUND', `No station with id ${id}.`, 'stations.noStation', { id: String(id) }),
  /** A station tagged with moods the library does not know; `known` are those it knows. */
  unknownMoods: (unknown: readonly string[], known: readonly string[]) => {
    const moods = unknown.map((m) => `“${m}”`).join(', ');
    const are = unknown.length === 1 ? 'is not a known mood' : 'are not known moods';
    return refused('MB_ERR_HTTP_BAD_REQUEST', `body.moods: ${moods} ${are}; choose from: ${known.join(', ')}.`, 'stations.unknownMoods', {
      moods,
      count: unknown.length,
      known: known.join(', '),
    });
  },
  /** A YouTube station the box may not play now (`YOUTUBE_WORDS`), refused where it is added. */
  youtube: (why: YoutubeBlock) =>
    refused('MB_ERR_PLAYER_NOT_ALLOWED', `\`url\`: ${YOUTUBE_WORDS[why].text}`, 'stations.urlRefused', {
      reason: { said: YOUTUBE_WORDS[why].said.id },
    }),
  /** A station on the box or its network (`what`: the host, and the address it resolves to) while only the internet's are allowed. */
  privateAddress: (what: string) =>
    refused('MB_ERR_PLAYER_NOT_ALLOWED', `\`url\`: ${what} ${PRIVATE_ADDRESS_REASON}`, 'stations.privateAddress', { what }),
} as const;

/** A problem of a block's field, said before the route names the field (`blockFieldRefused`). */
export class BlockProblem extends RangeError {
  readonly said: Said;

  constructor(message: string, id: string, values?: Said['values']) {
    super(message);
    this.said = said(`blocks.${id}`, values);
  }
}

export const BLOCK_REFUSALS = {
  /** No track has this id. */
  noTrack: (trackId: number) =>
    refused('MB_ERR_NOT_FOUND', `Expected a track of the library, got \`${trackId}\``, 'blocks.noTrack', { trackId: String(trackId) }),
  /** No block has this id: it was lifted already. */
  noBlock: (id: number) =>
    refused('MB_ERR_NOT_FOUND', `Expected a block, got \`${id}\` (it was lifted already)`, 'blocks.noBlock', { id: String(id) }),
  /** An artist to block whose name is empty. */
  emptyArtist: () => new BlockProblem('Expected `artist` to name an artist, got an empty name', 'emptyArtist'),
  /** An artist to block whose name hides a character at `position` (from 1). */
  hiddenArtist: (codePoint: string, position: number) =>
    new BlockProblem(
      `Expected \`artist\` without invisible, control or direction-changing characters, got ${codePoint} at character ${position}`,
      'hiddenArtist',
      { codePoint, position },
    ),
  /** A block list whose header has no `artist` column. */
  noArtistColumn: (header: readonly string[]) =>
    new BlockProblem(
      `Expected a CSV header with an \`artist\` column (and optionally \`title\`), got \`${header.join(',')}\``,
      'noArtistColumn',
      { header: header.join(',') },
    ),
  /** A block list longer than `max` lines. */
  tooManyLines: (max: number, lines: number) =>
    new BlockProblem(`Expected at most ${max} lines in a block list, got ${lines}`, 'tooManyLines', {
      max: String(max),
      lines: String(lines),
    }),
} as const;

/** The 400 of a block's problem, naming the request's `field` (`body.artist`), or `err` as it is when it is no such problem. */
export function blockFieldRefused(field: string, err: unknown): unknown {
  if (err instanceof BlockProblem) {
    return new MoodboxError('MB_ERR_HTTP_BAD_REQUEST', `${field}: ${err.message}`, {
      said: said(err.said.id, { ...err.said.values, field }),
    });
  }
  return err instanceof RangeError ? new MoodboxError('MB_ERR_HTTP_BAD_REQUEST', `${field}: ${err.message}`) : err;
}

/** Why a YouTube station cannot play here, in both forms (`common.said.stations.youtube.*`). */
export const YOUTUBE_WORDS: Readonly<Record<YoutubeBlock, { text: string; said: Said }>> = {
  business: { text: `YouTube is not played at a business: ${BUSINESS_MUSIC_REASON}`, said: said('stations.youtube.business') },
  off: { text: 'YouTube is off on this box: turn on `music.youtube` in Settings first', said: said('stations.youtube.off') },
  noYtDlp: {
    text: 'YouTube needs yt-dlp, which is not installed on this box: install it with `sudo apt install yt-dlp`',
    said: said('stations.youtube.noYtDlp'),
  },
};
