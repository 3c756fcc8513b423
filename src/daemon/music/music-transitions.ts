import type { Clock, Timer } from '../../kernel/clock.js';
import { DEFAULT_MOOD_COORDINATES, type MoodPoint } from '../../player/moods.js';
import type { PlayerSettings } from './limits-policy.js';

/** When a song is cut for the room, and how it fades (`player.transitions`). */
export type TransitionSettings = PlayerSettings['transitions'];

/** A song that ends within this long anyway plays to its end (ms): cutting it would gain nothing. */
export const NEAR_END_MS = 30_000;

/** Beats in a bar: the fade's bars are counted in 4/4, as nearly all the music a café plays. */
const BEATS_PER_BAR = 4;

/**
 * Where a mix of moods sits on the valence/arousal plane: the weighted mean of the moods' places
 * (moods without a place count for nothing), or null when none has one.
 */
export function planePoint(
  weights: Readonly<Record<string, number>>,
  coordinates: Readonly<Record<string, MoodPoint>> = DEFAULT_MOOD_COORDINATES,
): MoodPoint | null {
  let valence = 0;
  let arousal = 0;
  let total = 0;
  for (const [mood, weight] of Object.entries(weights)) {
    const at = coordinates[mood];
    if (at === undefined || !(weight > 0)) continue;
    valence += weight * at.valence;
    arousal += weight * at.arousal;
    total += weight;
  }
  return total > 0 ? { valence: valence / total, arousal: arousal / total } : null;
}

/** The distance between two points of the plane (0 … 2√2). */
export function planeDistance(a: MoodPoint, b: MoodPoint): number {
  return Math.hypot(a.valence - b.valence, a.arousal - b.arousal);
}

/**
 * How long a song cut for the room fades out (ms): `fadeBars` bars at its tempo when it is known,
 * kept within ⅔ to 4⁄3 of `fadeMs` (a slow ballad's four bars would drag, a fast punk song's would
 * snap); else `fadeMs`. A fade of whole bars ends where the music breathes, not mid-phrase.
 */
export function cutFadeMs(settings: TransitionSettings, tempoBpm: number | null | undefined): number {
  if (settings.fadeBars === 0 || tempoBpm === null || tempoBpm === undefined || !(tempoBpm > 0)) return settings.fadeMs;
  const bars = (settings.fadeBars * BEATS_PER_BAR * 60_000) / tempoBpm;
  return Math.round(Math.min((settings.fadeMs * 4) / 3, Math.max((settings.fadeMs * 2) / 3, bars)));
}

/**
 * Watches how far the room has moved from where it was when the song playing started, and for how
 * long: a song is cut only when the room stayed at least `cutDistance` away for `cutHoldMs`. Calls
 * `onDue` with the song's queue key when that happens (by the clock, or at once with no hold); the
 * caller still decides (the song may fit the new room, someone may have chosen it).
 */
export class CutWatch {
  readonly #deps: { clock: Clock; settings: () => TransitionSettings; onDue: (key: number) => void };
  /** The song playing and where the room was when it started (null: nobody there, or no place). */
  #song: { key: number; point: MoodPoint | null } | undefined;
  /** Since when the room has been far from the song's start (clock ms), or undefined while it is not. */
  #farSince: number | undefined;
  #timer: Timer | undefined;

  constructor(deps: { clock: Clock; settings: () => TransitionSettings; onDue: (key: number) => void }) {
    this.#deps = deps;
  }

  /** A song started with the room at `point`: the watch starts again from there. */
  songStarted(key: number, point: MoodPoint | null): void {
    this.#song = { key, point };
    this.#settle();
  }

  /**
   * The room moved to `point`; null when no move of it should cut a song (the room emptied: the
   * volume goes down at once and the next song is calm; the camera stopped seeing).
   */
  roomChanged(point: MoodPoint | null): void {
    const from = this.#song?.point ?? null;
    if (from === null || point === null || planeDistance(from, point) < this.#deps.settings().cutDistance) {
      this.#settle();
      return;
    }
    if (this.#farSince !== undefined) return;
    this.#farSince = this.#deps.clock.now();
    this.#arm();
  }

  /** Whether the room has stayed far from where it was when song `key` started for the hold. */
  isDue(key: number): boolean {
    return (
      this.#song?.key === key && this.#farSince !== undefined && this.#deps.clock.now() - this.#farSince >= this.#deps.settings().cutHoldMs
    );
  }

  stop(): void {
    this.#settle();
    this.#song = undefined;
  }

  #settle(): void {
    this.#farSince = undefined;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #arm(): void {
    this.#timer?.cancel();
    const since = this.#farSince;
    const song = this.#song;
    if (since === undefined || song === undefined) return;
    const waitMs = Math.max(0, since + this.#deps.settings().cutHoldMs - this.#deps.clock.now());
    this.#timer = this.#deps.clock.setTimeout(() => {
      this.#timer = undefined;
      // The hold may have been lengthened meanwhile: wait for the rest of it.
      if (this.isDue(song.key)) this.#deps.onDue(song.key);
      else if (this.#song === song && this.#farSince !== undefined) this.#arm();
    }, waitMs);
  }
}
