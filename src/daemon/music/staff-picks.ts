import type { Clock, Timer } from '../../kernel/clock.js';
import type { PlayerError } from '../../player/errors.js';
import type { Log } from '../../kernel/log.js';
import type { QueueItem } from '../../player/play-queue.js';
import type { Player } from '../../player/player.js';
import { DEFAULT_STREAM_TIMEOUT_S, isStreamUri } from '../../player/streams/stream-url.js';
import type { Track } from '../store/store.js';
import { EMOTIONS, type Emotion } from '../../kernel/room-mood.js';
import { moodsForEmotions, type EmotionMoodMap } from '../../player/moods.js';
import { PLAY_REASONS } from '../../player/pick-reasons.js';
import type { Recommender } from '../../player/recommender.js';
import type { Silence } from './limits-policy.js';
import { topMood, type MoodHold } from './music-aim.js';
import type { MusicCatalogue } from './music-catalogue.js';
import type { MusicLimits } from './music-limits.js';
import type { MusicQueue } from './music-queue.js';
import { entryOf, staffPicks } from './music-next.js';
import { MUSIC_REFUSALS } from './music-refusals.js';

/** The next song and the kiosk's six suggestions: with fewer songs fitting a mood, the picks for it reach beyond it. */
const FEW_FITTING = 7;

/** What staff see of the music: why it is silent, the volume they asked for and the limits on it, a held mood. */
export interface StaffMusicView {
  readonly silence: Silence;
  readonly isPausedByStaff: boolean;
  /** 0–100: the volume people or staff asked for. */
  readonly wantedVolume: number;
  /** 0–100: the highest volume allowed now (the admin's maximum and the volume schedule). */
  readonly volumeCap: number;
  readonly hold: MoodHold | null;
}

/** How well the library serves each mood the room can be in . */
export interface LibraryFit {
  /** Songs and stations the music may play. */
  readonly tracks: number;
  /** Local songs not analysed (not yet, or it failed): they follow the room by their mood tags alone. */
  readonly notAnalysed: number;
  /** Fewer fitting songs than this, and the picks for that mood reach beyond it. */
  readonly fewBelow: number;
  /** Per emotion the camera reads: the mood it plays most (by the admin's table) and how many songs fit. */
  readonly moods: ReadonlyArray<{ readonly emotion: Emotion; readonly mood: string; readonly fitting: number }>;
}

/**
 * How well the library serves each mood the room can be in: per emotion (through the admin's
 * emotion → mood table `map`), the mood it plays most and how many songs fit it, as the
 * recommender counts them; with the library's size and its songs not analysed.
 */
export function libraryFitOf(recommender: Recommender, map: EmotionMoodMap, tracks: number, notAnalysed: number): LibraryFit {
  const moods = EMOTIONS.map((emotion) => {
    const weights = moodsForEmotions({ [emotion]: 1 }, map);
    return { emotion, mood: topMood(weights), fitting: recommender.fittingCount(weights) };
  });
  return { tracks, notAnalysed, fewBelow: FEW_FITTING, moods };
}

/** How long staff who play a station now wait to hear whether it plays (ms): mpv's own wait for a stream, and a margin. */
const STREAM_OPEN_WAIT_MS = (DEFAULT_STREAM_TIMEOUT_S + 5) * 1000;

/**
 * A station being opened: `done` settles once it plays or fails; `failure` is why it failed, as soon
 * as that is heard; `cancel` stops listening.
 */
interface StreamOpening {
  readonly done: Promise<void>;
  readonly failure: () => PlayerError | undefined;
  cancel(): void;
}

/** A song staff started (undefined when a station failed at once), and the station's opening. */
interface Started {
  readonly item: QueueItem | undefined;
  readonly opening: StreamOpening | undefined;
}

/** What the history and the queue say of a song staff chose ("chosen by staff", and as a message). */
export const STAFF_NOTE = PLAY_REASONS.staff;

/** What the staff's picks move: the music's queue in its turn, the player, and what may play. */
export interface StaffPickParts {
  clock: Clock;
  log: Log;
  player: Player;
  queue: MusicQueue;
  limits: Pick<MusicLimits, 'silence'>;
  catalogue: Pick<MusicCatalogue, 'mayPlay' | 'playable'>;
}

/**
 * Plays a song of the library (or a station) now, fading from the one playing; it plays as
 * `staff` ("chosen by staff") and songs staff queued still follow. Refused while the music is silent.
 */
export async function playNowForStaff(parts: StaffPickParts, trackId: number): Promise<QueueItem> {
  const started = await parts.queue.serial('play a song for staff', async () => {
    const track = playable(parts, trackId);
    mayPlay(parts);
    parts.log.info({ trackId }, 'song played now by staff');
    return startNow(parts, track);
  });
  return played(started);
}

/**
 * Puts a song at the head of what comes next: before the music's own pick (which it drops) and
 * before songs staff queued earlier. It plays at once when nothing plays. A change of the room's
 * mood never pushes it out.
 */
export async function playNextForStaff(parts: StaffPickParts, trackId: number): Promise<QueueItem> {
  const { queue, player, log } = parts;
  const started = await queue.serial('queue a song for staff', async (): Promise<Started> => {
    const track = playable(parts, trackId);
    if (player.state().current === undefined) {
      mayPlay(parts);
      return startNow(parts, track);
    }
    await player.replaceUpcoming([queue.entry(track, 'staff', STAFF_NOTE, null), ...staffPicks(player.state().upcoming)]);
    log.info({ trackId }, 'song queued next by staff');
    const queued = player.state().upcoming[0];
    if (queued === undefined) throw MUSIC_REFUSALS.didNotQueue();
    return { item: queued, opening: undefined };
  });
  return played(started);
}

/** Takes a song staff queued out of the queue again (by its queue key); the music's own pick takes its place when none is left. */
export function unqueueForStaff(parts: StaffPickParts, key: number): Promise<QueueItem> {
  const { queue, player, log } = parts;
  return queue.serial('take a song out of the queue for staff', async () => {
    const upcoming = player.state().upcoming;
    const item = upcoming.find((i) => i.key === key && i.reason === 'staff');
    if (item === undefined) throw MUSIC_REFUSALS.notQueuedByStaff(key);
    await player.replaceUpcoming(upcoming.filter((i) => i !== item).map(entryOf));
    log.info({ trackId: item.track.id }, 'song taken out of the queue by staff');
    if (!player.state().upcoming.some((i) => i.reason === 'staff')) await queue.queueUpcoming(queue.recommend());
    return item;
  });
}

/**
 * Moves a song staff queued (by its queue key) to `position` among the songs staff queued (0: next);
 * the others keep their order, and what follows them stays after them. `MB_ERR_NOT_FOUND` once it
 * has started playing or is gone; a position past the last is the last.
 */
export function moveForStaff(parts: StaffPickParts, key: number, position: number): Promise<QueueItem> {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`Expected \`position\` to be an integer of 0 or more, got \`${String(position)}\` (${typeof position})`);
  }
  const { queue, player, log } = parts;
  return queue.serial('move a song in the queue for staff', async () => {
    const upcoming = player.state().upcoming;
    const picks = upcoming.filter((i) => i.reason === 'staff');
    const item = picks.find((i) => i.key === key);
    if (item === undefined) throw MUSIC_REFUSALS.notQueuedByStaff(key);
    const others = picks.filter((i) => i !== item);
    const at = Math.min(position, others.length);
    const order = [...others.slice(0, at), item, ...others.slice(at), ...upcoming.filter((i) => i.reason !== 'staff')];
    await player.replaceUpcoming(order.map(entryOf));
    log.info({ trackId: item.track.id, position: at }, 'song moved in the queue by staff');
    const moved = player.state().upcoming.filter((i) => i.reason === 'staff')[at];
    if (moved === undefined) throw MUSIC_REFUSALS.didNotMove();
    return moved;
  });
}

/**
 * Starts `track` at once as staff's choice, within the queue's turn. A station's stream opens
 * after mpv is given it, so its opening is listened to from before and waited for by `played`.
 */
async function startNow(parts: StaffPickParts, track: Track): Promise<Started> {
  const { queue, player } = parts;
  const opening = isStreamUri(track.uri) ? streamOpening(parts, track) : undefined;
  try {
    await queue.playNow([queue.entry(track, 'staff', STAFF_NOTE, null)]);
  } catch (err) {
    opening?.cancel();
    // A refused stream may fail before mpv's answer is read: staff are told why it did not play.
    throw opening?.failure() ?? err;
  }
  // Undefined when a station failed at once and the next pick has not started yet.
  return { item: player.state().current, opening };
}

/** What `startNow` started, once a station has played or failed: outside the queue's turn, since a failure moves the queue on. */
async function played({ item, opening }: Started): Promise<QueueItem> {
  await opening?.done;
  if (item === undefined) throw MUSIC_REFUSALS.didNotStart();
  return item;
}

/**
 * Whether the station `track` plays: `done` resolves once it sends its first position or title (or
 * after `STREAM_OPEN_WAIT_MS`, still trying), and rejects with `MB_ERR_PLAYER_STREAM` saying why
 * when it fails to open.
 */
function streamOpening(parts: StaffPickParts, track: Track): StreamOpening {
  const events = parts.player.events;
  const owner = {};
  let timer: Timer | undefined;
  let failure: PlayerError | undefined;
  const cancel = (): void => {
    events.removeListeners(owner);
    timer?.cancel();
  };
  const done = new Promise<void>((resolve, reject) => {
    const heard = ({ item }: { item: QueueItem }): void => {
      if (item.track.id !== track.id) return;
      cancel();
      resolve();
    };
    events.on('positionChanged', heard, owner);
    events.on('streamTitleChanged', heard, owner);
    events.on(
      'trackFailed',
      ({ item, error }) => {
        if (item.track.id !== track.id) return;
        cancel();
        failure = MUSIC_REFUSALS.stationDidNotPlay(track.title, error);
        reject(failure);
      },
      owner,
    );
    timer = parts.clock.setTimeout(() => {
      cancel();
      resolve();
    }, STREAM_OPEN_WAIT_MS);
  });
  // Read by `played` after the turn, or dropped when the start throws first (it then throws `failure`).
  done.catch(() => undefined);
  return { done, failure: () => failure, cancel };
}

/** A library entry that may play now; throws `MB_ERR_NOT_FOUND` or `MB_ERR_PLAYER_NOT_ALLOWED`. */
function playable(parts: StaffPickParts, trackId: number): Track {
  return parts.catalogue.mayPlay(parts.catalogue.playable(trackId));
}

/** Staff may start a song unless the music is silent (a pause, quiet hours, the schedule, the empty room's silence). */
function mayPlay(parts: StaffPickParts): void {
  const silence = parts.limits.silence();
  if (silence !== null) throw MUSIC_REFUSALS.cannotPlayNow(silence);
}
