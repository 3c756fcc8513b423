import type { Clock } from '../kernel/clock.js';
import { isEmotion, NOBODY, type Emotion, type RoomMoodLabel } from '../kernel/room-mood.js';

/** The room mood when no face has been seen for `nobodyAfterMs` (one declaration, in `room-mood.ts`). */
export { NOBODY };

/** One face's emotion reading in one analysed frame. */
export interface FaceReading {
  /** The face's track id (`FaceTracker`): readings with the same id are smoothed together. */
  readonly trackId: number;
  /** Face width in pixels; the aggregate weighs each face by its area, so nearer faces count more. */
  readonly size: number;
  /** Probability per emotion label, each 0–1, summing to about 1. */
  readonly probabilities: Readonly<Record<string, number>>;
}

export interface MoodTrackerOptions {
  /** Time constant of each face's exponential moving average (ms); larger is steadier and slower. @default 600 */
  smoothingMs?: number;
  /**
   * A reading whose top probability is below this does not vote (0–1); the face still counts as
   * present, so it keeps the room from turning `nobody`. @default 0.35
   */
  minConfidence?: number;
  /** Another emotion must score this much above the current mood before it can take over (0–1). @default 0.1 */
  hysteresis?: number;
  /** How long another emotion must lead without a break before the room mood changes to it (ms). @default 2000 */
  dwellMs?: number;
  /** With no face seen for this long (sure or not), the room mood becomes `nobody` (ms). @default 5000 */
  nobodyAfterMs?: number;
  /** A face not read for this long stops counting towards the room mood (ms). @default 1500 */
  faceTimeoutMs?: number;
}

/** The tracker's reading after an update (the app's `RoomMood` is made from it). */
export interface MoodUpdate {
  /** An emotion of the shared vocabulary, or `nobody`: a label the model reads that Moodbox does not know never becomes the mood. */
  readonly mood: RoomMoodLabel;
  /** When the room mood became `mood` (ms since the epoch, from the injected clock). */
  readonly since: number;
  /** True when this update changed `mood`. */
  readonly changed: boolean;
  /** The size-weighted mean of the smoothed face readings, per label (0–1); empty when no face counts. */
  readonly scores: Readonly<Record<string, number>>;
  /** Faces counting towards `scores`. */
  readonly faces: number;
}

interface FaceState {
  ema: Record<string, number>;
  size: number;
  lastAt: number;
}

/**
 * Turns per-face emotion readings into one steady room mood: each face's probabilities are smoothed
 * by a time-based EMA, unsure readings are ignored, the faces are averaged weighted by area, and the
 * mood changes only when another emotion leads by `hysteresis` for `dwellMs`. Pure apart from
 * reading the injected clock; the caller drives it once per analysed frame, with or without faces.
 */
export class MoodTracker {
  readonly #clock: Clock;
  readonly #smoothingMs: number;
  readonly #minConfidence: number;
  readonly #hysteresis: number;
  readonly #dwellMs: number;
  readonly #nobodyAfterMs: number;
  readonly #faceTimeoutMs: number;
  readonly #faces = new Map<number, FaceState>();
  #mood: RoomMoodLabel = NOBODY;
  #since: number;
  #lastFaceAt = Number.NEGATIVE_INFINITY;
  #challenger: { mood: Emotion; since: number } | undefined;

  constructor(deps: { clock: Clock }, options: MoodTrackerOptions = {}) {
    this.#clock = deps.clock;
    this.#smoothingMs = positive('smoothingMs', options.smoothingMs ?? 600);
    this.#minConfidence = unit('minConfidence', options.minConfidence ?? 0.35);
    this.#hysteresis = unit('hysteresis', options.hysteresis ?? 0.1);
    this.#dwellMs = nonNegative('dwellMs', options.dwellMs ?? 2000);
    this.#nobodyAfterMs = nonNegative('nobodyAfterMs', options.nobodyAfterMs ?? 5000);
    this.#faceTimeoutMs = positive('faceTimeoutMs', options.faceTimeoutMs ?? 1500);
    this.#since = this.#clock.now();
  }

  /** The current room mood, without folding in a reading. */
  get mood(): RoomMoodLabel {
    return this.#mood;
  }

  /** Folds in one analysed frame's readings (possibly none) and returns the room mood. */
  update(readings: readonly FaceReading[]): MoodUpdate {
    const now = this.#clock.now();
    for (const reading of readings) this.#fold(reading, now);
    for (const [id, face] of this.#faces) if (now - face.lastAt > this.#faceTimeoutMs) this.#faces.delete(id);

    const scores = this.#aggregate();
    const faces = this.#faces.size;
    const previous = this.#mood;

    if (faces === 0) {
      this.#challenger = undefined;
      if (this.#mood !== NOBODY && now - this.#lastFaceAt >= this.#nobodyAfterMs) this.#switchTo(NOBODY, now);
    } else {
      this.#consider(scores, now);
    }
    return { mood: this.#mood, since: this.#since, changed: this.#mood !== previous, scores, faces };
  }

  /** Forgets the faces whose tracks ended, so they stop counting at once. */
  forget(trackIds: Iterable<number>): void {
    for (const id of trackIds) this.#faces.delete(id);
  }

  #fold(reading: FaceReading, now: number): void {
    this.#lastFaceAt = now;
    const top = Math.max(0, ...Object.values(reading.probabilities));
    if (top < this.#minConfidence) return;
    const face = this.#faces.get(reading.trackId);
    if (face === undefined) {
      this.#faces.set(reading.trackId, { ema: { ...reading.probabilities }, size: reading.size, lastAt: now });
      return;
    }
    const alpha = 1 - Math.exp(-Math.max(0, now - face.lastAt) / this.#smoothingMs);
    const labels = new Set([...Object.keys(face.ema), ...Object.keys(reading.probabilities)]);
    for (const label of labels) {
      const old = face.ema[label] ?? 0;
      face.ema[label] = old + alpha * ((reading.probabilities[label] ?? 0) - old);
    }
    face.size = reading.size;
    face.lastAt = now;
  }

  #aggregate(): Record<string, number> {
    const scores: Record<string, number> = {};
    let total = 0;
    for (const face of this.#faces.values()) {
      const weight = Math.max(1, face.size) ** 2;
      total += weight;
      for (const [label, p] of Object.entries(face.ema)) scores[label] = (scores[label] ?? 0) + weight * p;
    }
    if (total > 0) for (const label of Object.keys(scores)) scores[label] = (scores[label] ?? 0) / total;
    return scores;
  }

  #consider(scores: Readonly<Record<string, number>>, now: number): void {
    let best: Emotion | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const [label, score] of Object.entries(scores)) {
      // A model may carry labels the music has no use for: they are smoothed and shown, never the room mood.
      if (isEmotion(label) && score > bestScore) {
        best = label;
        bestScore = score;
      }
    }
    const current = this.#mood === NOBODY ? 0 : (scores[this.#mood] ?? 0);
    if (best === undefined || best === this.#mood || bestScore - current < this.#hysteresis) {
      this.#challenger = undefined;
      return;
    }
    if (this.#challenger?.mood !== best) this.#challenger = { mood: best, since: now };
    if (now - this.#challenger.since >= this.#dwellMs) this.#switchTo(best, now);
  }

  #switchTo(mood: RoomMoodLabel, now: number): void {
    this.#mood = mood;
    this.#since = now;
    this.#challenger = undefined;
  }
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`Expected \`${name}\` to be a positive number, got \`${value}\``);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`Expected \`${name}\` to be a number >= 0, got \`${value}\``);
  return value;
}

function unit(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`Expected \`${name}\` to be 0–1, got \`${value}\``);
  return value;
}
