import type { MoodboxBus, Playback } from '../events.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import { PlayerError } from '../../player/errors.js';
import type { Log } from '../../kernel/log.js';
import type { Silence } from './music-limits.js';
import type { Track } from '../store/store.js';
import type { QueueEntry, QueueItem } from '../../player/play-queue.js';
import type { Player } from '../../player/player.js';
import { EMOTIONS, isEmotion, type Emotion } from '../../kernel/room-mood.js';
import { moodsForEmotions, type EmotionMoodMap } from '../../player/moods.js';
import type { Recommender } from '../../player/recommender.js';

/** The next song and the kiosk's six suggestions: with fewer songs fitting a mood, the picks for it reach beyond it. */
const FEW_FITTING = 7;

/** A mood staff chose for the music to follow instead of the camera's, until `until` (epoch ms). */
export interface MoodHold {
  readonly label: Emotion;
  readonly until: number;
}

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

/** The mood `emotion` plays most by the admin's table `map` ('' when it plays none). */
export function topMoodOf(emotion: Emotion, map: EmotionMoodMap): string {
  return topMood(moodsForEmotions({ [emotion]: 1 }, map));
}

function topMood(weights: Readonly<Record<string, number>>): string {
  return Object.entries(weights).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

/** What the history and the queue say of a song staff chose. */
export const STAFF_NOTE = 'chosen by staff';

/** What the staff controls need of the music director: its serial queue of work and its own moves. */
export interface StaffCore {
  clock: Clock;
  log: Log;
  bus: MoodboxBus;
  player: Player;
  /** Runs `fn` after the director's other work; a failure is logged and given to the caller. */
  serial<T>(what: string, fn: () => Promise<T>): Promise<T>;
  /** As `serial`, for work nobody waits on. */
  background(what: string, fn: () => Promise<unknown>): void;
  silence(): Silence;
  /** What plays now, as the screens show it. */
  playback(): Playback;
  /** 0–100: the volume asked for, and the highest allowed now. */
  wantedVolume(): number;
  volumeCap(): number;
  /** Sets the wanted volume; resolves with the volume applied. */
  setVolume(volume: number): Promise<number>;
  /** How well the library serves each mood the room can be in. */
  libraryFit(): LibraryFit;
  /** The admin's emotion → mood table now. */
  emotionMoods(): EmotionMoodMap;
  /** Pauses or resumes for the rules now (a staff pause among them). */
  applyLimits(): Promise<void>;
  /** Plays to the mood followed now (held or the room's), changing a song that does not fit it. */
  follow(): Promise<void>;
  /** Skips the song playing: to a song staff queued when one is next, else to a new pick. */
  skip(): Promise<void>;
  /** Queues the director's own pick after the song playing (when no chosen song is queued). */
  queueRoomPick(): Promise<void>;
  /** A library entry that may play now; throws `MB_ERR_NOT_FOUND` or `MB_ERR_PLAYER_NOT_ALLOWED`. */
  playable(trackId: number): Track;
  /** Plays `entries` now, the songs staff queued kept after them, fading as a change of song does. */
  playNow(entries: readonly QueueEntry[]): Promise<void>;
  entry(track: Track, note: string): QueueEntry;
}

/** A queued item as an entry to queue again. */
export function entryOf(item: QueueItem): QueueEntry {
  return { track: item.track, reason: item.reason, note: item.note, mood: item.mood, userId: item.userId };
}

/** The songs staff chose that wait in `upcoming`, in order. */
export function staffPicks(upcoming: readonly QueueItem[]): QueueEntry[] {
  return upcoming.filter((item) => item.reason === 'staff').map(entryOf);
}

/**
 * The music as staff steer it (the admin routes' `StaffControls`): a staff pause (only staff end
 * it), the volume, a held mood with its timer, a skip, and songs chosen from the library or the
 * stations to play now or next, or taken out of the queue again. Each change runs in the director's
 * serial queue; the director asks here whether staff paused and which mood they hold.
 */
export class StaffMusic {
  readonly #core: StaffCore;
  #isPaused = false;
  #hold: MoodHold | null = null;
  #holdTimer: Timer | undefined;

  constructor(core: StaffCore) {
    this.#core = core;
  }

  /** True from a staff pause until a staff resume. */
  get isPaused(): boolean {
    return this.#isPaused;
  }

  /** The mood staff hold the music to, or null while the camera leads. */
  get hold(): MoodHold | null {
    return this.#hold;
  }

  stop(): void {
    this.#holdTimer?.cancel();
  }

  /** What plays now, as the screens show it. */
  get playback(): Playback {
    return this.#core.playback();
  }

  /** What staff see of the music now. */
  get staffView(): StaffMusicView {
    const core = this.#core;
    return {
      silence: core.silence(),
      isPausedByStaff: this.#isPaused,
      wantedVolume: core.wantedVolume(),
      volumeCap: core.volumeCap(),
      hold: this.#hold,
    };
  }

  /** What plays and what is queued after it, in order. */
  get queue(): { current: QueueItem | undefined; upcoming: readonly QueueItem[] } {
    const { current, upcoming } = this.#core.player.state();
    return { current, upcoming };
  }

  /** How well the library serves each mood the room can be in, for the dashboard's warnings. */
  libraryFit(): LibraryFit {
    return this.#core.libraryFit();
  }

  /**
   * Staff pause the music. It stays paused until `resume()`: no rule of Moodbox's own (the room, the
   * end of quiet hours, a tap at the kiosk) starts it again. Announces `playbackChanged`.
   */
  pause(): Promise<StaffMusicView> {
    return this.#core.serial('pause for staff', async () => {
      this.#isPaused = true;
      this.#core.log.info({}, 'music paused by staff');
      await this.#core.applyLimits();
      return this.staffView;
    });
  }

  /** Ends a staff pause; the music plays again unless quiet hours or the schedule keep it silent (`silence` says why). */
  resume(): Promise<StaffMusicView> {
    return this.#core.serial('resume for staff', async () => {
      this.#isPaused = false;
      this.#core.log.info({}, 'music resumed by staff');
      await this.#core.applyLimits();
      return this.staffView;
    });
  }

  /** 0–100; the admin's maximum, the schedule and the idle volume still apply. Resolves with the volume applied. */
  setVolume(volume: number): Promise<number> {
    return this.#core.setVolume(volume);
  }

  /**
   * Staff skip the current track: a song staff queued plays when it is next, else the next pick;
   * nobody's likes or skips are touched. Refused while the music is silent.
   */
  next(): Promise<{ trackId: number | null }> {
    return this.#core.serial('skip for staff', async () => {
      const silence = this.#core.silence();
      if (silence !== null) throw new PlayerError('MB_ERR_PLAYER_NOT_ALLOWED', `Nothing to skip: the music is silent (${silence})`);
      const current = this.#core.player.state().current;
      if (current === undefined) return { trackId: null };
      await this.#core.skip();
      return { trackId: current.track.id };
    });
  }

  /**
   * Staff hold the music to `label` until `until` (epoch ms, in the future): the music follows that
   * mood instead of the camera's, switching a song that does not fit it, and goes back to the room
   * when the time is up or on `releaseMood()`. Announces `moodHeld`, then `moodReleased`.
   */
  holdMood(label: Emotion, until: number): Promise<StaffMusicView> {
    return this.#core.serial('hold a mood', async () => {
      if (!isEmotion(label)) throw new RangeError(`Expected \`label\` to be one of ${EMOTIONS.join(', ')}, got \`${String(label)}\``);
      const now = this.#core.clock.now();
      if (!(Number.isFinite(until) && until > now)) {
        throw new RangeError(`Expected \`until\` to be a time after now (${now}), got \`${until}\``);
      }
      this.#hold = { label, until };
      this.#holdTimer?.cancel();
      this.#holdTimer = this.#core.clock.setTimeout(
        () => this.#core.background('end a held mood', () => this.#release('expired')),
        until - now,
      );
      // What the screens call the held music: the mood the admin's table plays most for it.
      const music = topMoodOf(label, this.#core.emotionMoods()) || label;
      this.#core.log.info({ label, until, music }, 'mood held by staff');
      this.#core.bus.emit('moodHeld', { label, until, music });
      await this.#core.follow();
      return this.staffView;
    });
  }

  /** Ends a staff mood hold at once: the music follows the camera again. Nothing happens when no mood is held. */
  releaseMood(): Promise<StaffMusicView> {
    return this.#core.serial('release the held mood', async () => {
      await this.#release('staff');
      return this.staffView;
    });
  }

  async #release(why: 'staff' | 'expired'): Promise<void> {
    if (this.#hold === null) return;
    this.#hold = null;
    this.#holdTimer?.cancel();
    this.#holdTimer = undefined;
    this.#core.log.info({ why }, 'mood hold ended');
    this.#core.bus.emit('moodReleased', { why });
    await this.#core.follow();
  }

  /**
   * Plays a song of the library (or a station) now, fading from the one playing; it plays as
   * `staff` ("chosen by staff") and songs staff queued still follow. Refused while the music is silent.
   */
  playNow(trackId: number): Promise<QueueItem> {
    return this.#core.serial('play a song for staff', async () => {
      const track = this.#core.playable(trackId);
      this.#mayPlay();
      this.#core.log.info({ trackId }, 'song played now by staff');
      await this.#core.playNow([this.#core.entry(track, STAFF_NOTE)]);
      return this.#current();
    });
  }

  /**
   * Puts a song at the head of what comes next: before the director's own pick (which it drops) and
   * before songs staff queued earlier. It plays at once when nothing plays. A change of the room's
   * mood never pushes it out.
   */
  playNext(trackId: number): Promise<QueueItem> {
    return this.#core.serial('queue a song for staff', async () => {
      const track = this.#core.playable(trackId);
      const player = this.#core.player;
      const entry = this.#core.entry(track, STAFF_NOTE);
      if (player.state().current === undefined) {
        this.#mayPlay();
        await this.#core.playNow([entry]);
        return this.#current();
      }
      await player.replaceUpcoming([entry, ...staffPicks(player.state().upcoming)]);
      this.#core.log.info({ trackId }, 'song queued next by staff');
      const queued = player.state().upcoming[0];
      if (queued === undefined) throw new PlayerError('MB_ERR_PLAYER_COMMAND', 'The player did not queue the song');
      return queued;
    });
  }

  /** Takes a song staff queued out of the queue again (by its queue key); the director's own pick takes its place when none is left. */
  unqueue(key: number): Promise<QueueItem> {
    return this.#core.serial('take a song out of the queue for staff', async () => {
      const player = this.#core.player;
      const upcoming = player.state().upcoming;
      const item = upcoming.find((i) => i.key === key && i.reason === 'staff');
      if (item === undefined) {
        throw new MoodboxError(
          'MB_ERR_NOT_FOUND',
          `Expected a song staff queued, got queue key \`${key}\` (it has started playing, or is gone)`,
        );
      }
      await player.replaceUpcoming(upcoming.filter((i) => i !== item).map(entryOf));
      this.#core.log.info({ trackId: item.track.id }, 'song taken out of the queue by staff');
      if (!player.state().upcoming.some((i) => i.reason === 'staff')) await this.#core.queueRoomPick();
      return item;
    });
  }

  /** Staff may start a song unless the music is silent (a pause, quiet hours, the schedule, the empty room's silence). */
  #mayPlay(): void {
    const silence = this.#core.silence();
    if (silence !== null) {
      const why =
        silence === 'paused by staff' ? 'the music is paused: press Play first, or choose “Play next”' : `no music now (${silence})`;
      throw new PlayerError('MB_ERR_PLAYER_NOT_ALLOWED', `Cannot play it now: ${why}`);
    }
  }

  #current(): QueueItem {
    const current = this.#core.player.state().current;
    if (current === undefined) throw new PlayerError('MB_ERR_PLAYER_COMMAND', 'The player did not start the song');
    return current;
  }
}
