import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import { EMOTIONS, isEmotion, NOBODY, type Emotion, type EmotionScores, type RoomMood } from '../../kernel/room-mood.js';
import { DEFAULT_EMOTION, DEFAULT_EMOTION_MOODS, moodsForEmotions, type EmotionMoodMap, type MoodPoint } from '../../player/moods.js';
import type { MoodboxBus } from '../events.js';
import { roomAimOf, type RoomAim } from './fit-policy.js';
import { planePoint } from './music-transitions.js';

/** A mood staff chose for the music to follow instead of the camera's, until `until` (epoch ms). */
export interface MoodHold {
  readonly label: Emotion;
  readonly until: number;
}

/** The longest a mood may be held (minutes): a day, so a forgotten hold ends by itself. */
export const MAX_HOLD_MINUTES = 24 * 60;

export interface MusicAimDeps {
  clock: Pick<Clock, 'now'>;
  log: Log;
  bus: MoodboxBus;
}

/**
 * What the music aims at: the camera's latest room mood, or the mood staff hold it to instead,
 * turned into mood weights by the emotion → mood table (`DEFAULT_EMOTION_MOODS`). Owns the hold
 * (announces `moodHeld` and `moodReleased`).
 */
export class MusicAim {
  readonly #deps: MusicAimDeps;
  /** The room mood, or null before the first reading. */
  #room: RoomMood | null = null;
  #hold: MoodHold | null = null;

  constructor(deps: MusicAimDeps) {
    this.#deps = deps;
  }

  /** The camera's reading changed (null: it stopped seeing). A held mood still leads until it ends. */
  roomChanged(mood: RoomMood | null): void {
    this.#room = mood;
  }

  /** The mood staff hold the music to, or null while the camera leads. */
  get hold(): MoodHold | null {
    return this.#hold;
  }

  /** The mood the music follows now: the one staff hold, else the camera's (null before the first reading). */
  get label(): RoomMood['label'] | null {
    return this.#hold?.label ?? this.#room?.label ?? null;
  }

  /** Whether the camera has read the room (null before the first reading, and once it stopped seeing: off, unplugged). */
  get isRoomRead(): boolean {
    return this.#room !== null;
  }

  /** Whether the room is empty or unknown by the camera's reading (no move of it should cut a song). */
  get isRoomUnread(): boolean {
    return this.#room === null || this.#room.label === NOBODY;
  }

  /** The per-emotion scores the music is picked for now (the default emotion before anyone was read, and when nobody is there). */
  scores(): EmotionScores {
    if (this.#hold !== null) return { [this.#hold.label]: 1 };
    const room = this.#room;
    if (room === null || room.label === NOBODY || Object.keys(room.scores).length === 0) return { [DEFAULT_EMOTION]: 1 };
    return room.scores;
  }

  /** The emotion → mood table the music follows. */
  emotionMoods(): EmotionMoodMap {
    return DEFAULT_EMOTION_MOODS;
  }

  /** The mood the music aims at now, with the mood weights it comes from. */
  current(): RoomAim {
    const aim = roomAimOf(moodsForEmotions(this.scores(), this.emotionMoods()));
    return this.#hold === null ? aim : { ...aim, isHeld: true };
  }

  /** Where the mood followed now sits on the valence/arousal plane, or null when its moods have no place. */
  point(): MoodPoint | null {
    return planePoint(moodsForEmotions(this.scores(), this.emotionMoods()));
  }

  /**
   * Holds the music to `label` until `until` (epoch ms, after now) instead of the camera's mood, and
   * announces `moodHeld`. Throws a `RangeError` for an unknown emotion or a time not after now.
   */
  holdMood(label: Emotion, until: number): MoodHold {
    if (!isEmotion(label)) throw new RangeError(`Expected \`label\` to be one of ${EMOTIONS.join(', ')}, got \`${String(label)}\``);
    const now = this.#deps.clock.now();
    if (!(Number.isFinite(until) && until > now)) {
      throw new RangeError(`Expected \`until\` to be a time after now (${now}), got \`${until}\``);
    }
    this.#hold = { label, until };
    // What the screens call the held music: the mood the admin's table plays most for it.
    const music = topMoodOf(label, this.emotionMoods()) || label;
    this.#deps.log.info({ label, until, music }, 'mood held by staff');
    this.#deps.bus.emit('moodHeld', { label, until, music });
    return this.#hold;
  }

  /** Ends the hold (`why`: staff ended it, or its time was up) and announces `moodReleased`; false when no mood was held. */
  releaseMood(why: 'staff' | 'expired'): boolean {
    if (this.#hold === null) return false;
    this.#hold = null;
    this.#deps.log.info({ why }, 'mood hold ended');
    this.#deps.bus.emit('moodReleased', { why });
    return true;
  }
}

/** The mood `emotion` plays most by the admin's table `map` ('' when it plays none). */
export function topMoodOf(emotion: Emotion, map: EmotionMoodMap): string {
  return topMood(moodsForEmotions({ [emotion]: 1 }, map));
}

/** The heaviest mood of `weights` ('' for none). */
export function topMood(weights: Readonly<Record<string, number>>): string {
  return Object.entries(weights).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}
