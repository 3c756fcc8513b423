import type { Clock } from '../kernel/clock.js';
import { isEmotion, NOBODY, type Emotion, type RoomMoodLabel } from '../kernel/room-mood.js';

/** The room mood when no face has been seen for `nobodyAfterMs` (one declaration, in `room-mood.ts`). */
export { NOBODY };

/** How long no face is seen before the room reads empty, unless `nobodyAfterMs` says otherwise (ms). */
export const NOBODY_AFTER_MS = 5000;

/** One face's emotion reading in one analysed frame. */
export interface FaceReading {
  /** The face's track id (`FaceTracker`): readings with the same id are smoothed together. */
  readonly trackId: number;
  /** The face's size: its box's larger side, in pixels of the frame. It sets the face's vote weight (`faceWeight`). */
  readonly size: number;
  /** Probability per emotion label, each 0–1, summing to about 1. */
  readonly probabilities: Readonly<Record<string, number>>;
  /**
   * What the face's light earns, 0–1 (`lightWeigher` in vote-weight.ts): a dim, grainy face is a
   * person all the same, but its vote shrinks. @default 1
   */
  readonly light?: number;
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
  /** With no face seen for this long (sure or not), the room mood becomes `nobody` (ms). @default `NOBODY_AFTER_MS` */
  nobodyAfterMs?: number;
  /** A face not read for this long stops counting towards the room mood (ms). @default 1500 */
  faceTimeoutMs?: number;
  /**
   * A face's last sure reading votes in full for this long (ms); older, its vote shrinks in a
   * straight line to none at `faceTimeoutMs`. Steady faces are read twice a second
   * (`read-pace.ts`), so their reads stay within it; a face the detector lost for a moment fades
   * rather than voting in full on an old reading. @default 600
   */
  fullVoteMs?: number;
  /**
   * A face's vote weight by its size (px), 0–1: what the emotion model's accuracy at that size
   * earns (`faceWeigher` in vote-weight.ts). A face is a person at any size; only its vote shrinks.
   * @default every face weighs 1
   */
  faceWeight?: (sizePx: number) => number;
  /**
   * With three or more faces voting, no one face holds more than this share of the vote (0–1); the
   * faces above it are trimmed to it and the others keep theirs. Never below an equal share. @default 0.5
   */
  maxFaceShare?: number;
  /**
   * A face whose light earns less than this weight is too dark to read: the model reads it with
   * less than half the skill (above chance) it has in good light. When most faces in view are, the
   * room mood holds: it never turns calm or sad because the lights went down. @default 0.5
   */
  darkBelow?: number;
}

/** The tracker's reading after an update (the app's `RoomMood` is made from it). */
export interface MoodUpdate {
  /** An emotion of the shared vocabulary, or `nobody`: a label the model reads that Moodbox does not know never becomes the mood. */
  readonly mood: RoomMoodLabel;
  /** When the room mood became `mood` (ms since the epoch, from the injected clock). */
  readonly since: number;
  /** True when this update changed `mood`. */
  readonly changed: boolean;
  /**
   * The room's vote per label (0–1): the mean of the voting faces' smoothed readings, each face
   * weighted by its size weight (its share capped by `maxFaceShare`); empty when no face votes.
   */
  readonly scores: Readonly<Record<string, number>>;
  /** Faces voting (a sure reading within `faceTimeoutMs`, a weight above 0). */
  readonly faces: number;
  /** Faces in view whose light is too dark to read (`darkBelow`). */
  readonly dark: number;
  /** Most faces in view are too dark to read: the mood holds as it was, whatever the rest read. */
  readonly tooDark: boolean;
  /**
   * Another emotion scores above the room mood (an emotion, not `nobody`): the mood changes if it
   * comes to lead by `hysteresis` for `dwellMs`. The reading pace reads every face in every frame
   * meanwhile (`read-pace.ts`), so the dwell is judged on fresh readings.
   */
  readonly contested: boolean;
}

/** What the tracker makes of one face now. */
export interface FaceStanding {
  /** The face's smoothed emotion, or null while it has no sure reading (it counts as present, without a vote). */
  readonly emotion: string | null;
  /** Its vote weight by its size and light, 0–1 (before any cap on its share). */
  readonly weight: number;
  /** What its light earns, 0–1 (1 when the reading did not say). */
  readonly light: number;
}

interface FaceState {
  /** The smoothed sure readings; undefined until the first one. */
  ema: Record<string, number> | undefined;
  size: number;
  /** What the face's light earned in its last reading, 0–1. */
  light: number;
  /** The last sure reading. */
  lastAt: number;
  /** The last reading, sure or not. */
  seenAt: number;
}

/**
 * Turns per-face emotion readings into one steady room mood. Each face's sure readings are smoothed
 * by a time-based EMA; each face votes with its smoothed probabilities, weighted by what its size
 * earns (a face near the camera counts as one person, never more, and with three or more faces no
 * one face holds more than `maxFaceShare` of the vote); the mood changes only when another emotion
 * leads by `hysteresis` for `dwellMs`. Calm faces count as fully as smiling ones: a reading's
 * confidence is already in its probabilities and is not weighed in a second time, so a room where
 * most faces are neutral stays neutral until most of it has changed. Pure apart from reading the
 * injected clock; the caller drives it once per analysed frame, with or without faces.
 */
export class MoodTracker {
  readonly #clock: Clock;
  readonly #smoothingMs: number;
  readonly #minConfidence: number;
  readonly #hysteresis: number;
  readonly #dwellMs: number;
  readonly #nobodyAfterMs: number;
  readonly #faceTimeoutMs: number;
  readonly #fullVoteMs: number;
  readonly #faceWeight: (sizePx: number) => number;
  readonly #maxFaceShare: number;
  readonly #darkBelow: number;
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
    this.#nobodyAfterMs = nonNegative('nobodyAfterMs', options.nobodyAfterMs ?? NOBODY_AFTER_MS);
    this.#faceTimeoutMs = positive('faceTimeoutMs', options.faceTimeoutMs ?? 1500);
    this.#fullVoteMs = nonNegative('fullVoteMs', options.fullVoteMs ?? 600);
    this.#faceWeight = options.faceWeight ?? (() => 1);
    this.#maxFaceShare = unit('maxFaceShare', options.maxFaceShare ?? 0.5);
    this.#darkBelow = unit('darkBelow', options.darkBelow ?? 0.5);
    this.#since = this.#clock.now();
  }

  /** The current room mood, without folding in a reading. */
  get mood(): RoomMoodLabel {
    return this.#mood;
  }

  /**
   * Folds in one analysed frame's readings (possibly none) and returns the room mood. `tooDarkToSee`:
   * the frame is too dark or grainy to see faces in at all (`isTooDarkToSee`); a room not seen is
   * not an empty room, and its mood holds. `present`: the faces seen in this frame but not read
   * again (their last reading stands, weighed by its age: `fullVoteMs`).
   */
  update(readings: readonly FaceReading[], frame: { tooDarkToSee?: boolean; present?: Iterable<number> } = {}): MoodUpdate {
    const now = this.#clock.now();
    for (const reading of readings) this.#fold(reading, now);
    for (const id of frame.present ?? []) {
      const face = this.#faces.get(id);
      if (face === undefined) continue;
      face.seenAt = now;
      this.#lastFaceAt = now;
    }
    for (const [id, face] of this.#faces) if (now - face.seenAt > this.#faceTimeoutMs) this.#faces.delete(id);

    const { scores, faces } = this.#aggregate(now);
    const previous = this.#mood;
    // The faces in view: read within `faceTimeoutMs`, whether this frame found them or not.
    const inView = this.#faces.size;
    const dark = [...this.#faces.values()].filter((face) => face.light < this.#darkBelow).length;
    // Most of the room too dark to read: what the rest read is no room's mood, and the light is no mood at all.
    // No face found in a frame too dark to see in: the room is unseen, not empty.
    const unseen = frame.tooDarkToSee === true && inView === 0 && this.#mood !== NOBODY;
    const tooDark = (inView > 0 && 2 * dark > inView) || unseen;

    if (faces === 0 || tooDark) {
      this.#challenger = undefined;
      const isEmpty = faces === 0 && !unseen && now - this.#lastFaceAt >= this.#nobodyAfterMs;
      if (isEmpty && this.#mood !== NOBODY) this.#switchTo(NOBODY, now);
    } else {
      this.#consider(scores, now);
    }
    const contested = faces > 0 && !tooDark && this.#isContested(scores);
    return { mood: this.#mood, since: this.#since, changed: this.#mood !== previous, scores, faces, dark, tooDark, contested };
  }

  /** What the tracker makes of a face now (as of the last update), or undefined for a face it does not hold. */
  standing(trackId: number): FaceStanding | undefined {
    const face = this.#faces.get(trackId);
    if (face === undefined) return undefined;
    return {
      emotion: this.#isVoting(face, this.#clock.now()) ? top(face.ema ?? {}) : null,
      weight: this.#weightOf(face, this.#clock.now()),
      light: face.light,
    };
  }

  /** Forgets the faces whose tracks ended, so they stop counting at once. */
  forget(trackIds: Iterable<number>): void {
    for (const id of trackIds) this.#faces.delete(id);
  }

  #fold(reading: FaceReading, now: number): void {
    this.#lastFaceAt = now;
    let face = this.#faces.get(reading.trackId);
    if (face === undefined) {
      face = { ema: undefined, size: reading.size, light: 1, lastAt: Number.NEGATIVE_INFINITY, seenAt: now };
      this.#faces.set(reading.trackId, face);
    }
    face.size = reading.size;
    face.light = lightOf(reading.light);
    face.seenAt = now;
    const confidence = Math.max(0, ...Object.values(reading.probabilities));
    if (confidence < this.#minConfidence) return;
    const ema = face.ema;
    if (ema === undefined || now - face.lastAt > this.#faceTimeoutMs) {
      face.ema = { ...reading.probabilities };
    } else {
      const alpha = 1 - Math.exp(-Math.max(0, now - face.lastAt) / this.#smoothingMs);
      const labels = new Set([...Object.keys(ema), ...Object.keys(reading.probabilities)]);
      for (const label of labels) {
        const old = ema[label] ?? 0;
        ema[label] = old + alpha * ((reading.probabilities[label] ?? 0) - old);
      }
    }
    face.lastAt = now;
  }

  #isVoting(face: FaceState, now: number): boolean {
    return face.ema !== undefined && now - face.lastAt <= this.#faceTimeoutMs;
  }

  #weightOf(face: FaceState, now: number): number {
    const weight = this.#faceWeight(face.size) * face.light * this.#ageWeight(now - face.lastAt);
    return Number.isFinite(weight) ? Math.min(1, Math.max(0, weight)) : 0;
  }

  /** What a reading this old (ms) is worth: 1 up to `fullVoteMs`, then less in a straight line to 0 at `faceTimeoutMs`. */
  #ageWeight(ageMs: number): number {
    // No sure reading yet: nothing to age (such a face does not vote).
    if (!(ageMs > this.#fullVoteMs) || !Number.isFinite(ageMs)) return 1;
    const span = this.#faceTimeoutMs - this.#fullVoteMs;
    return span > 0 ? Math.max(0, 1 - (ageMs - this.#fullVoteMs) / span) : 1;
  }

  #aggregate(now: number): { scores: Record<string, number>; faces: number } {
    const voters: Array<{ ema: Record<string, number>; weight: number }> = [];
    for (const face of this.#faces.values()) {
      const weight = this.#weightOf(face, now);
      if (face.ema !== undefined && this.#isVoting(face, now) && weight > 0) voters.push({ ema: face.ema, weight });
    }
    const weights = capShares(
      voters.map((v) => v.weight),
      voters.length >= 3 ? this.#maxFaceShare : 1,
    );
    const scores: Record<string, number> = {};
    let total = 0;
    voters.forEach(({ ema }, i) => {
      const weight = weights[i] ?? 0;
      total += weight;
      for (const [label, p] of Object.entries(ema)) scores[label] = (scores[label] ?? 0) + weight * p;
    });
    if (total > 0) for (const label of Object.keys(scores)) scores[label] = (scores[label] ?? 0) / total;
    return { scores, faces: voters.length };
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

  /** Whether an emotion other than the room mood scores above it (`MoodUpdate.contested`); never while the mood is `nobody`. */
  #isContested(scores: Readonly<Record<string, number>>): boolean {
    if (this.#mood === NOBODY) return false;
    const current = scores[this.#mood] ?? 0;
    return Object.entries(scores).some(([label, score]) => label !== this.#mood && isEmotion(label) && score > current);
  }

  #switchTo(mood: RoomMoodLabel, now: number): void {
    this.#mood = mood;
    this.#since = now;
    this.#challenger = undefined;
  }
}

/**
 * The weights with no one's share of their sum above `maxShare` (never below an equal share): the
 * largest are lowered to the one level T at which each of them holds exactly that share, the
 * others keep theirs. Pure.
 */
export function capShares(weights: readonly number[], maxShare: number): number[] {
  const n = weights.length;
  const share = Math.max(maxShare, n === 0 ? 1 : 1 / n);
  const total = weights.reduce((a, b) => a + b, 0);
  if (n < 2 || share >= 1 || total <= 0 || Math.max(...weights) <= share * total) return [...weights];
  const sorted = [...weights].sort((a, b) => b - a);
  let rest = total;
  for (let k = 1; k <= n; k++) {
    rest -= sorted[k - 1] ?? 0;
    // The k largest at level T, the rest as they are: T = share * (k * T + rest).
    const level = (share * rest) / (1 - k * share);
    const next = sorted[k] ?? 0;
    if (k * share < 1 && level >= next) return weights.map((w) => Math.min(w, level));
  }
  // Only an equal share is left: every face at the smallest weight.
  const least = sorted[n - 1] ?? 0;
  return weights.map(() => least);
}

/** A reading's light weight, 0–1: 1 when it did not say, 0 for a value that is not a number. */
function lightOf(light: number | undefined): number {
  if (light === undefined) return 1;
  return Number.isFinite(light) ? Math.min(1, Math.max(0, light)) : 0;
}

/** The label with the highest probability (the first on a tie); '' for none. */
function top(probabilities: Readonly<Record<string, number>>): string {
  let best = '';
  let bestP = Number.NEGATIVE_INFINITY;
  for (const [label, p] of Object.entries(probabilities)) {
    if (p > bestP) {
      best = label;
      bestP = p;
    }
  }
  return best;
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
