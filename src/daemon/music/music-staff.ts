import type { Playback } from '../events.js';
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
import { topMood, type MoodHold, type MusicAim } from './music-aim.js';
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

export interface StaffMusicDeps {
  clock: Clock;
  log: Log;
  player: Player;
  queue: MusicQueue;
  aim: MusicAim;
  limits: MusicLimits;
  catalogue: MusicCatalogue;
}

/**
 * The music as staff steer it (the admin routes' `StaffControls`): a staff pause (only staff end
 * it), the volume, a held mood with its timer, a skip, and songs chosen from the library or the
 * stations to play now or next, or taken out of the queue again. Each change is a move of the
 * music's queue, in its turn; the pause is kept by the limits and the hold by the aim, which
 * announces `moodHeld` and `moodReleased`.
 */
export class StaffMusic {
  readonly #deps: StaffMusicDeps;
  #holdTimer: Timer | undefined;

  constructor(deps: StaffMusicDeps) {
    this.#deps = deps;
  }

  stop(): void {
    this.#holdTimer?.cancel();
  }

  /** What plays now, as the screens show it. */
  get playback(): Playback {
    return this.#deps.queue.playback;
  }

  /** What staff see of the music now. */
  get staffView(): StaffMusicView {
    const { limits, aim } = this.#deps;
    return {
      silence: limits.silence(),
      isPausedByStaff: limits.isPausedByStaff,
      wantedVolume: limits.wantedVolume,
      volumeCap: limits.volumeCap(),
      hold: aim.hold,
    };
  }

  /** What plays and what is queued after it, in order. */
  get queue(): { current: QueueItem | undefined; upcoming: readonly QueueItem[] } {
    const { current, upcoming } = this.#deps.player.state();
    return { current, upcoming };
  }

  /** How well the library serves each mood the room can be in, for the dashboard's warnings. */
  libraryFit(): LibraryFit {
    const { catalogue, aim } = this.#deps;
    return libraryFitOf(catalogue.recommender, aim.emotionMoods(), catalogue.size, catalogue.notAnalysed);
  }

  /**
   * Staff pause the music. It stays paused until `resume()`: no rule of Moodbox's own (the room, the
   * end of quiet hours, a tap at the kiosk) starts it again. Announces `playbackChanged`, even
   * when the music was silent already.
   */
  pause(): Promise<StaffMusicView> {
    return this.#deps.queue.serial('pause for staff', async () => {
      this.#deps.limits.setPausedByStaff(true);
      this.#deps.log.info({}, 'music paused by staff');
      await this.#deps.queue.applyLimits();
      // Told even when the music was silent already (quiet hours): the pause itself is news to Home Assistant.
      this.#deps.queue.publishPlayer();
      return this.staffView;
    });
  }

  /** Ends a staff pause; the music plays again unless quiet hours or the schedule keep it silent (`silence` says why). */
  resume(): Promise<StaffMusicView> {
    return this.#deps.queue.serial('resume for staff', async () => {
      this.#deps.limits.setPausedByStaff(false);
      this.#deps.log.info({}, 'music resumed by staff');
      await this.#deps.queue.applyLimits();
      this.#deps.queue.publishPlayer();
      return this.staffView;
    });
  }

  /** 0–100; the admin's maximum, the schedule and the idle volume still apply. Resolves with the volume applied. */
  setVolume(volume: number): Promise<number> {
    return this.#deps.queue.serial('set the volume', () => this.#deps.limits.setWanted(volume));
  }

  /**
   * Staff skip the current track: the song next plays, as the screens show it (a song staff queued,
   * a guest's request or the music's own pick); nobody's likes or skips are touched. Refused while
   * the music is silent.
   */
  next(): Promise<{ trackId: number | null }> {
    const { queue, limits, player } = this.#deps;
    return queue.serial('skip for staff', async () => {
      const silence = limits.silence();
      if (silence !== null) throw MUSIC_REFUSALS.nothingToSkip(silence);
      const current = player.state().current;
      if (current === undefined) return { trackId: null };
      await queue.skip();
      return { trackId: current.track.id };
    });
  }

  /**
   * Staff hold the music to `label` until `until` (epoch ms, in the future): the music follows that
   * mood instead of the camera's, switching a song that does not fit it, and goes back to the room
   * when the time is up or on `releaseMood()`. The aim announces `moodHeld`, then `moodReleased`.
   */
  holdMood(label: Emotion, until: number): Promise<StaffMusicView> {
    const { queue } = this.#deps;
    return queue.serial('hold a mood', async () => {
      this.keepHold({ label, until });
      await queue.follow();
      return this.staffView;
    });
  }

  /**
   * Holds the music to `hold` with its timer, within a turn of the queue already running (the
   * start, putting back a hold kept from before a restart): the music follows it from the next move.
   */
  keepHold(hold: MoodHold): void {
    const { queue, aim, clock } = this.#deps;
    aim.holdMood(hold.label, hold.until);
    this.#holdTimer?.cancel();
    this.#holdTimer = clock.setTimeout(() => queue.background('end a held mood', () => this.#release('expired')), hold.until - clock.now());
  }

  /** Ends a staff mood hold at once: the music follows the camera again. Nothing happens when no mood is held. */
  releaseMood(): Promise<StaffMusicView> {
    return this.#deps.queue.serial('release the held mood', async () => {
      await this.#release('staff');
      return this.staffView;
    });
  }

  async #release(why: 'staff' | 'expired'): Promise<void> {
    this.#holdTimer?.cancel();
    this.#holdTimer = undefined;
    if (this.#deps.aim.releaseMood(why)) await this.#deps.queue.follow();
  }

  /**
   * Plays a song of the library (or a station) now, fading from the one playing; it plays as
   * `staff` ("chosen by staff") and songs staff queued still follow. Refused while the music is silent.
   */
  async playNow(trackId: number): Promise<QueueItem> {
    const { queue, log } = this.#deps;
    const started = await queue.serial('play a song for staff', async () => {
      const track = this.#playable(trackId);
      this.#mayPlay();
      log.info({ trackId }, 'song played now by staff');
      return this.#startNow(track);
    });
    return this.#played(started);
  }

  /**
   * Starts `track` at once as staff's choice, within the queue's turn. A station's stream opens
   * after mpv is given it, so its opening is listened to from before and waited for by `#played`.
   */
  async #startNow(track: Track): Promise<Started> {
    const { queue, player } = this.#deps;
    const opening = isStreamUri(track.uri) ? this.#streamOpening(track) : undefined;
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

  /** What `#startNow` started, once a station has played or failed: outside the queue's turn, since a failure moves the queue on. */
  async #played({ item, opening }: Started): Promise<QueueItem> {
    await opening?.done;
    if (item === undefined) throw MUSIC_REFUSALS.didNotStart();
    return item;
  }

  /**
   * Whether the station `track` plays: `done` resolves once it sends its first position or title (or
   * after `STREAM_OPEN_WAIT_MS`, still trying), and rejects with `MB_ERR_PLAYER_STREAM` saying why
   * when it fails to open.
   */
  #streamOpening(track: Track): StreamOpening {
    const events = this.#deps.player.events;
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
      timer = this.#deps.clock.setTimeout(() => {
        cancel();
        resolve();
      }, STREAM_OPEN_WAIT_MS);
    });
    // Read by `playNow` after its turn, or dropped when `playNow` throws first (it then throws `failure`).
    done.catch(() => undefined);
    return { done, failure: () => failure, cancel };
  }

  /**
   * Puts a song at the head of what comes next: before the director's own pick (which it drops) and
   * before songs staff queued earlier. It plays at once when nothing plays. A change of the room's
   * mood never pushes it out.
   */
  async playNext(trackId: number): Promise<QueueItem> {
    const { queue, player, log } = this.#deps;
    const started = await queue.serial('queue a song for staff', async (): Promise<Started> => {
      const track = this.#playable(trackId);
      if (player.state().current === undefined) {
        this.#mayPlay();
        return this.#startNow(track);
      }
      await player.replaceUpcoming([queue.entry(track, 'staff', STAFF_NOTE, null), ...staffPicks(player.state().upcoming)]);
      log.info({ trackId }, 'song queued next by staff');
      const queued = player.state().upcoming[0];
      if (queued === undefined) throw MUSIC_REFUSALS.didNotQueue();
      return { item: queued, opening: undefined };
    });
    return this.#played(started);
  }

  /** Takes a song staff queued out of the queue again (by its queue key); the director's own pick takes its place when none is left. */
  unqueue(key: number): Promise<QueueItem> {
    const { queue, player, log } = this.#deps;
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
  move(key: number, position: number): Promise<QueueItem> {
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new RangeError(`Expected \`position\` to be an integer of 0 or more, got \`${String(position)}\` (${typeof position})`);
    }
    const { queue, player, log } = this.#deps;
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

  /** A library entry that may play now; throws `MB_ERR_NOT_FOUND` or `MB_ERR_PLAYER_NOT_ALLOWED`. */
  #playable(trackId: number): Track {
    const catalogue = this.#deps.catalogue;
    return catalogue.mayPlay(catalogue.playable(trackId));
  }

  /** Staff may start a song unless the music is silent (a pause, quiet hours, the schedule, the empty room's silence). */
  #mayPlay(): void {
    const silence = this.#deps.limits.silence();
    if (silence !== null) throw MUSIC_REFUSALS.cannotPlayNow(silence);
  }
}
