import type { ReadonlyTypedArray, TrackIndex } from '../track-index.js';
import { daypartOf, describeFeature, featureSaid, type Daypart } from './features.js';
import type { Said } from '../../kernel/said.js';
import type { TasteModel } from './logistic.js';

/** The learned tastes a recommendation may use: the signed-in person's, and the room's (everyone's plays). */
export interface LearnedTastes {
  person?: TasteModel | undefined;
  room?: TasteModel | undefined;
}

/**
 * How many examples a model needs before it counts half: its correction is scaled by
 * `examples / (examples + PRIOR_EXAMPLES)`, so with little data the picks stay those of the fixed
 * weights, and with more they lean on what was learned. 10: about one evening of songs.
 */
export const PRIOR_EXAMPLES = 10;
/** The room's model counts half while a person is signed in: their own taste leads. */
const ROOM_SHARE_WITH_PERSON = 0.5;
/** A learned correction never moves a track's odds more than e³ ≈ 20× either way: the mood and the rules still lead. */
const MAX_CORRECTION = 3;
/** A factor is named in "why" when it alone raises the odds by at least e^0.4 ≈ 1.5×. */
const EXPLAIN_AT = 0.4;

export interface TasteContext {
  now: number;
  /** Index positions the person liked, skipped; the room heard lately. */
  liked: ReadonlySet<number>;
  skipped: ReadonlySet<number>;
  heard: ReadonlySet<number>;
  /** Each track's fit to the aim (per index position). */
  fit: ReadonlyTypedArray<Float32Array>;
}

interface Slot {
  kind: 'artist' | 'language' | 'mood' | 'other';
  id: number;
}

interface Part {
  model: TasteModel;
  scale: number;
  whose: 'person' | 'room';
}

/**
 * Turns learned tastes into a multiplier of each track's odds (exp of the shrunk, clamped log-odds
 * the models add, the intercept left out: it is the same for every track) and names the factor
 * behind a pick. Built once per index; its buffers are reused by every call.
 */
export class TasteScorer {
  readonly #index: TrackIndex;
  readonly #moodIds: ReadonlyMap<string, number>;
  readonly #mult: Float32Array;
  /** Per position, for the last context: 1 liked, 2 skipped, 4 heard (set and cleared per call; few are set). */
  readonly #flags: Uint8Array;
  #flagged: number[] = [];
  /** The combined per-feature weights of the last call, for the tracks weighed later (`extend`). */
  #dense = { fit: 0, energy: 0, liked: 0, skipped: 0, heard: 0, fresh: 0 };
  readonly #artistW: Float64Array;
  readonly #languageW: Float64Array;
  readonly #moodW: Float64Array;
  #parts: Part[] = [];
  #context: TasteContext | undefined;
  #daypart: Daypart = 'night';
  readonly #slots = new Map<string, Slot | undefined>();

  constructor(index: TrackIndex) {
    this.#index = index;
    this.#moodIds = new Map(index.moodNames.map((m, id) => [m, id]));
    this.#mult = new Float32Array(index.size);
    this.#flags = new Uint8Array(index.size);
    this.#artistW = new Float64Array(index.artistCount);
    this.#languageW = new Float64Array(index.languageCount + 1);
    this.#moodW = new Float64Array(index.moodNames.length + 1);
  }

  /**
   * The odds multiplier of each of `positions` (index positions; the others are left as they were)
   * for `tastes` in `context`, or undefined when nothing was learned yet (the picks are then
   * exactly those of the fixed weights). `extend` sets more positions in the same context.
   */
  multipliers(
    tastes: LearnedTastes,
    context: TasteContext,
    positions: ReadonlyTypedArray<Int32Array>,
  ): ReadonlyTypedArray<Float32Array> | undefined {
    const parts: Part[] = [];
    const { person, room } = tastes;
    if (person && person.examples > 0) parts.push({ model: person, scale: shrink(person), whose: 'person' });
    if (room && room.examples > 0) {
      parts.push({ model: room, scale: shrink(room) * (person ? ROOM_SHARE_WITH_PERSON : 1), whose: 'room' });
    }
    this.#parts = parts;
    this.#context = context;
    if (parts.length === 0) return undefined;
    this.#daypart = daypartOf(context.now);
    const artistW = this.#artistW.fill(0);
    const languageW = this.#languageW.fill(0);
    const moodW = this.#moodW.fill(0);
    let fitW = 0;
    let energyW = 0;
    let likedW = 0;
    let skippedW = 0;
    let heardW = 0;
    let freshW = 0;
    const energyName = `energy:${this.#daypart}`;
    for (const { model, scale } of parts) {
      for (const name in model.weights) {
        const w = (model.weights[name] ?? 0) * scale;
        const slot = this.#slotOf(name);
        if (slot !== undefined) {
          if (slot.kind === 'other') continue;
          const table = slot.kind === 'artist' ? artistW : slot.kind === 'language' ? languageW : moodW;
          table[slot.id] = (table[slot.id] ?? 0) + w;
        } else if (name === 'fit') fitW += w;
        else if (name === energyName) energyW += w;
        else if (name === 'liked') likedW += w;
        else if (name === 'skipped') skippedW += w;
        else if (name === 'heard') heardW += w;
        else if (name === 'fresh') freshW += w;
      }
    }
    this.#dense = { fit: fitW, energy: energyW, liked: likedW, skipped: skippedW, heard: heardW, fresh: freshW };
    const flags = this.#flags;
    for (const i of this.#flagged) flags[i] = 0;
    this.#flagged = [];
    const flag = (set: ReadonlySet<number>, bit: number): void => {
      for (const i of set) {
        flags[i] = (flags[i] ?? 0) | bit;
        this.#flagged.push(i);
      }
    };
    flag(context.liked, 1);
    flag(context.skipped, 2);
    flag(context.heard, 4);
    this.extend(positions);
    return this.#mult;
  }

  /** Sets the multipliers of more `positions` (the last resort weighs every track) in the last call's context. */
  extend(positions: ReadonlyTypedArray<Int32Array>): void {
    const context = this.#context;
    if (!context || this.#parts.length === 0) return;
    const mult = this.#mult;
    const flags = this.#flags;
    const artistW = this.#artistW;
    const languageW = this.#languageW;
    const moodW = this.#moodW;
    const { fit: fitW, energy: energyW, liked: likedW, skipped: skippedW, heard: heardW, fresh: freshW } = this.#dense;
    const { artist, language, topMoodId, arousal } = this.#index;
    const { fit } = context;
    for (let k = 0; k < positions.length; k++) {
      const i = positions[k] ?? 0;
      const energy = arousal[i] ?? Number.NaN;
      const f = flags[i] ?? 0;
      let z =
        (artistW[artist[i] ?? 0] ?? 0) +
        (languageW[(language[i] ?? -1) + 1] ?? 0) +
        (moodW[topMoodId[i] ?? -1] ?? 0) +
        fitW * (fit[i] ?? 0) +
        // NaN (no place on the mood plane) is the one value not equal to itself.
        (energy === energy ? energyW * energy : 0) +
        ((f & 4) === 0 ? freshW : heardW);
      if ((f & 1) !== 0) z += likedW;
      if ((f & 2) !== 0) z += skippedW;
      mult[i] = Math.exp(z > MAX_CORRECTION ? MAX_CORRECTION : z < -MAX_CORRECTION ? -MAX_CORRECTION : z);
    }
  }

  /**
   * The learned factor that raises the odds of the track at position `i` most, in plain words and
   * as a message of the screens' catalogues, as of the last `multipliers`; undefined when none
   * raises them by much.
   */
  explain(i: number): { feature: string; text: string; said: Said; whose: 'person' | 'room' } | undefined {
    let best: { feature: string; text: string; said: Said; whose: 'person' | 'room' } | undefined;
    let bestPart = EXPLAIN_AT;
    const features = this.#featuresOf(i);
    for (const { model, scale, whose } of this.#parts) {
      for (const [name, value] of features) {
        const part = (model.weights[name] ?? 0) * scale * value;
        if (part > bestPart) {
          bestPart = part;
          best = { feature: name, text: describeFeature(name, value, whose), said: featureSaid(name, value, whose), whose };
        }
      }
    }
    return best;
  }

  /**
   * The features of the track at position `i` that may explain it, with their values, in the last
   * context. Mood fit and novelty are left out: nearly every candidate shares them, so "why this
   * one" is never them.
   */
  #featuresOf(i: number): Array<[string, number]> {
    const index = this.#index;
    const flags = this.#flags[i] ?? 0;
    const language = index.language[i] ?? -1;
    const mood = index.topMoodId[i] ?? -1;
    const energy = index.arousal[i] ?? Number.NaN;
    const out: Array<[string, number]> = [
      [`artist:${index.artistNames[index.artist[i] ?? 0] ?? ''}`, 1],
      [`language:${language < 0 ? '-' : (index.languageNames[language] ?? '')}`, 1],
    ];
    if (mood >= 0) out.push([`mood:${index.moodNames[mood] ?? ''}`, 1]);
    if (!Number.isNaN(energy) && energy !== 0) out.push([`energy:${this.#daypart}`, energy]);
    if ((flags & 1) !== 0) out.push(['liked', 1]);
    if ((flags & 2) !== 0) out.push(['skipped', 1]);
    if ((flags & 4) !== 0) out.push(['heard', 1]);
    return out;
  }

  /**
   * Where a per-artist, -language or -mood feature's weight goes (`other`: a name no track has),
   * or undefined for the other features. Kept per name: the same names come in every call.
   */
  #slotOf(name: string): Slot | undefined {
    const cached = this.#slots.get(name);
    if (cached !== undefined || this.#slots.has(name)) return cached;
    let slot: Slot | undefined;
    const other: Slot = { kind: 'other', id: 0 };
    if (name.startsWith('artist:')) {
      const id = this.#index.artistId(name.slice(7));
      slot = id === undefined ? other : { kind: 'artist', id };
    } else if (name.startsWith('language:')) {
      const id = this.#languageSlot(name.slice(9));
      slot = id === undefined ? other : { kind: 'language', id };
    } else if (name.startsWith('mood:')) {
      const id = this.#moodIds.get(name.slice(5));
      slot = id === undefined ? other : { kind: 'mood', id };
    }
    this.#slots.set(name, slot);
    return slot;
  }

  /** The language slot of a feature's language (0: unknown), or undefined when no track is in it. */
  #languageSlot(name: string): number | undefined {
    if (name === '-') return 0;
    const id = this.#index.languageId(name);
    return id === undefined ? undefined : id + 1;
  }
}

function shrink(model: TasteModel): number {
  return model.examples / (model.examples + PRIOR_EXAMPLES);
}
