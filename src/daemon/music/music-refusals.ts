import { MoodboxError, type MoodboxErrorCode } from '../../kernel/errors.js';
import { said, type Said } from '../../kernel/said.js';
import { PlayerError, type PlayerErrorCode } from '../../player/errors.js';
import type { Silence } from './limits-policy.js';
import { BLOCK_WORDS, blockWord, type BlockReason } from './library-refusals.js';

/**
 * The refusals of what staff and the kiosk ask of the music (play, queue, skip, like), each written
 * once in both forms: the English `message` and the same sentence as data (`common.said.music.*`),
 * for the admin panel and the kiosk to say in their reader's language.
 * `test/browser/catalogues.test.ts` says every `said` through the English catalogue and checks it is
 * the `message`. A cause of mpv's own (a stream's error) stays English: it is for the technician.
 */

/** Why the music is silent, as the catalogues name it (`common.said.music.silence.<id>`). */
const SILENCE_WORDS: Record<NonNullable<Silence>, string> = {
  'quiet hours': 'quietHours',
  'nobody there': 'nobodyThere',
  'volume schedule': 'volumeSchedule',
  'day plan': 'dayPlan',
  'paused by staff': 'pausedByStaff',
};

/** Every reason for silence, for tests. */
export const SILENCES = Object.keys(SILENCE_WORDS) as Array<NonNullable<Silence>>;

const silenceWord = (silence: NonNullable<Silence>): { said: string } => ({ said: `music.silence.${SILENCE_WORDS[silence]}` });

/** What mpv says of a stream it could not open, whatever the cause (refused, 404, a silent server). */
const LOADING_FAILED = 'loading failed';
/** The words a station's failure to open is told in. */
export const STREAM_NOT_OPENED = 'the stream could not be opened (refused, not found, or nothing sent in time)';

const music = (code: MoodboxErrorCode, message: string, id: string, values?: Said['values']): MoodboxError =>
  new MoodboxError(code, message, { said: said(`music.${id}`, values) });
const player = (code: PlayerErrorCode, message: string, id: string, values?: Said['values']): PlayerError =>
  new PlayerError(code, message, { said: said(`music.${id}`, values) });

export const MUSIC_REFUSALS = {
  /** Staff skip while the music is silent. */
  nothingToSkip: (silence: NonNullable<Silence>) =>
    player('MB_ERR_PLAYER_NOT_ALLOWED', `Nothing to skip: the music is silent (${silence})`, 'nothingToSkip', {
      silence: silenceWord(silence),
    }),
  /** Staff play a song while the music is silent: paused by staff, or silent by a rule. */
  cannotPlayNow: (silence: NonNullable<Silence>) =>
    silence === 'paused by staff'
      ? player('MB_ERR_PLAYER_NOT_ALLOWED', 'Cannot play it now: the music is paused: press Play first, or choose “Play next”', 'paused')
      : player('MB_ERR_PLAYER_NOT_ALLOWED', `Cannot play it now: no music now (${silence})`, 'cannotPlayNow', {
          silence: silenceWord(silence),
        }),
  /** A tap at the kiosk while the music is silent by a rule. */
  noMusicNow: (silence: NonNullable<Silence>) =>
    player('MB_ERR_PLAYER_NOT_ALLOWED', `No music now: ${silence}`, 'noMusicNow', { silence: silenceWord(silence) }),
  /** The player did not start, queue or move the song staff asked for. */
  didNotStart: () => player('MB_ERR_PLAYER_COMMAND', 'The player did not start the song', 'didNotStart'),
  didNotQueue: () => player('MB_ERR_PLAYER_COMMAND', 'The player did not queue the song', 'didNotQueue'),
  didNotMove: () => player('MB_ERR_PLAYER_COMMAND', 'The player did not move the song', 'didNotMove'),
  /** A station staff chose did not play; `error` is mpv's. */
  stationDidNotPlay: (title: string, error: string) => {
    const why = stationFailure(error);
    return player('MB_ERR_PLAYER_STREAM', `${title} did not play: ${why}; the next song plays instead`, 'stationDidNotPlay', {
      title,
      reason: error === LOADING_FAILED ? { said: 'music.streamNotOpened' } : why,
    });
  },
  /** A song staff queued that started playing or is gone. */
  notQueuedByStaff: (key: number) =>
    music(
      'MB_ERR_NOT_FOUND',
      `Expected a song staff queued, got queue key \`${key}\` (it has started playing, or is gone)`,
      'notQueuedByStaff',
      { key: String(key) },
    ),
  /** No track of the library has this id, or its file is gone. */
  notPlayable: (trackId: number) =>
    music('MB_ERR_NOT_FOUND', `Expected a track of the library, got \`${trackId}\` (no such track, or its file is gone)`, 'notPlayable', {
      trackId: String(trackId),
    }),
  /** No track of the library has this id. */
  noSuchTrack: (trackId: number) =>
    music('MB_ERR_NOT_FOUND', `Expected a track of the library, got \`${trackId}\` (no such track)`, 'noSuchTrack', {
      trackId: String(trackId),
    }),
  /** A Spotify track while Spotify is no source of the music. */
  spotifyNotASource: (title: string) =>
    player(
      'MB_ERR_PLAYER_NOT_ALLOWED',
      `“${title}” is a Spotify track, and Spotify is not a source of the music on this box: it plays its own library (\`music.source\` is \`local\`, as it is at a business)`,
      'spotifyNotASource',
      { title },
    ),
  /**
   * A library entry the player cannot play (`entryProblem`): a station whose address today's rules
   * refuse, a song that is no file, a source nothing plays. Written straight into the database.
   */
  unplayableEntry: (title: string, source: string) =>
    player(
      'MB_ERR_PLAYER_NOT_ALLOWED',
      `“${title}” cannot play: its entry in the library is not one this box plays (source \`${source}\`: a song is a file's full path, a station an http or https address, as the library stores them)`,
      'unplayableEntry',
      { title, source },
    ),
  /** A song blocked here, for `why`. */
  blocked: (title: string, why: BlockReason) =>
    player('MB_ERR_MUSIC_BLOCKED', `“${title}” does not play here: ${BLOCK_WORDS[why]} (Library › Blocked lifts it)`, 'blocked', {
      title,
      why: blockWord(why),
    }),
  /** A station that failed a moment ago, or that this box may not play. */
  stationCannotPlay: () =>
    player(
      'MB_ERR_PLAYER_NOT_ALLOWED',
      'This station cannot play now: it failed a moment ago, or this box may not play it',
      'stationCannotPlay',
    ),
  /** A tap with nobody signed in, where the kiosk lets only signed-in people choose. */
  signInToChoose: () =>
    player('MB_ERR_PLAYER_NOT_ALLOWED', 'Sign in to choose a song: this kiosk lets signed-in people choose', 'signInToChoose'),
  /** A skip of a song that ended meanwhile. */
  alreadyEnded: (playing: number, asked: number) =>
    music('MB_ERR_CONFLICT', `Expected the song playing now (${playing}), got ${asked}: it already ended`, 'alreadyEnded', {
      playing: String(playing),
      asked: String(asked),
    }),
  /** A tap on a kiosk screen on another device, with no guests' requests to take it. */
  atKioskOnly: () =>
    music('MB_ERR_PLAYER_NOT_ALLOWED', 'Choose songs at the kiosk itself: this screen is on another device', 'atKioskOnly'),
  /** Songs were chosen here as often as the taps' budget allows: wait `seconds`. */
  tooManyTaps: (seconds: number) =>
    new MoodboxError('MB_ERR_PLAYER_TOO_FAST', `Songs were chosen here often enough for now: wait ${seconds} s and try again`, {
      said: said('kiosk.tooFast', { seconds }),
    }),
} as const;

/** Why a station did not play, from mpv's error: in words for its one vague error, else mpv's own. */
export function stationFailure(error: string): string {
  // mpv says only `loading failed` for a refused connection, a 404 and a silent server alike.
  return error === LOADING_FAILED ? STREAM_NOT_OPENED : error;
}
