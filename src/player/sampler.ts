import type { Random } from '../kernel/random.js';
import type { RecommenderWeights } from './recommender-weights.js';
import type { ReadonlyTypedArray, TrackIndex } from './track-index.js';

/** One earlier play in the room, newest first in `RecommendRequest.history`. */
export interface HistoryEntry {
  trackId: number;
  /** ms since the Unix epoch. */
  startedAt: number;
  /**
   * How the play ended; the room skipping an artist makes that artist less likely for a while (a
   * song switched for the room was not skipped by anyone).
   */
  outcome?: 'completed' | 'skipped' | 'switched' | 'failed' | 'interrupted' | null;
}

/** What the signed-in person likes; every field MAY be left out. */
export interface ListenerTaste {
  languages?: readonly string[];
  artists?: readonly string[];
  avoidMoods?: readonly string[];
  likedTrackIds?: readonly number[];
  skippedTrackIds?: readonly number[];
}

/**
 * How strictly a pass keeps the rules: 0 keeps the whole repeat window and never the last play's
 * artist; 1 keeps only the last few plays (`relaxedRepeatPlays`); 2, the last resort, only never the
 * last track, and gives every track some odds.
 */
export type Strictness = 0 | 1 | 2;

export interface SamplerOptions {
  /** A track is not picked again within this many plays (strictness 0). */
  noRepeatPlays: number;
  /** A track is not picked again within this many ms (strictness 0). */
  noRepeatMs: number;
}

/** How many weighted draws are tried before taking the heaviest remaining track. */
const ATTEMPTS = 64;
/** The odds of a track with none in the last-resort pass: anything but the last track beats silence. */
const LAST_RESORT_ODDS = 1e-9;
/**
 * The odds of a track with no mood at all in the last-resort pass: far below any tagged track's,
 * so an untagged track plays only when no tagged one can.
 */
const UNTAGGED_ODDS = 1e-18;

/**
 * The seeded weighted draw. Turns fits into odds (fit⁴ × the listener's taste × variety), blocks
 * what must not play, and draws from the odds with a `Random`. It owns the scratch buffers every
 * recommendation reuses (one slot per track, artist or language, sized from the index), so it is
 * stateful: one recommendation at a time (calls are synchronous, so they never interleave).
 * The same index, weights, calls and seeded `Random` give the same draws.
 */
export class Sampler {
  readonly #index: TrackIndex;
  readonly #weights: RecommenderWeights;
  readonly #options: SamplerOptions;
  /** Per-call multipliers: per track (likes, skips, avoided moods), per artist, per language (slot 0: unknown). */
  readonly #trackMult: Float32Array;
  readonly #artistMult: Float32Array;
  readonly #languageMult: Float32Array;
  /** Per-call flags for reasons: 1 for the listener's artists and languages (slot 0: unknown). */
  readonly #favArtist: Uint8Array;
  readonly #favLanguage: Uint8Array;
  /** 1 where a track may not be picked in this pass. */
  readonly #mask: Uint8Array;
  /** Per candidate of the pass: its odds, and their running sum (for the binary search of a draw). */
  readonly #odds: Float64Array;
  readonly #cumulative: Float64Array;
  /** Per-call odds multipliers a learned taste adds per track, or undefined: the fixed weights alone. */
  #learned: ReadonlyTypedArray<Float32Array> | undefined;

  constructor(index: TrackIndex, weights: RecommenderWeights, options: SamplerOptions) {
    const n = index.size;
    this.#index = index;
    this.#weights = weights;
    this.#options = options;
    this.#trackMult = new Float32Array(n);
    this.#artistMult = new Float32Array(index.artistCount);
    this.#languageMult = new Float32Array(index.languageCount + 1);
    this.#favArtist = new Uint8Array(index.artistCount);
    this.#favLanguage = new Uint8Array(index.languageCount + 1);
    this.#mask = new Uint8Array(n);
    this.#odds = new Float64Array(n);
    this.#cumulative = new Float64Array(n);
  }

  /**
   * Sets this recommendation's multipliers from the listener's taste and the room's recent plays;
   * returns the index positions of liked tracks (for reasons).
   */
  setTaste(taste: ListenerTaste, history: readonly HistoryEntry[]): Set<number> {
    const index = this.#index;
    const w = this.#weights;
    const trackMult = this.#trackMult;
    const artistMult = this.#artistMult;
    const languageMult = this.#languageMult;
    trackMult.fill(1);
    artistMult.fill(1);
    languageMult.fill(1);
    this.#favArtist.fill(0);
    this.#favLanguage.fill(0);
    const languages = (taste.languages ?? []).map((l) => index.languageId(l));
    if (languages.length > 0) {
      // Tracks in another known language are less likely; untagged ones (slot 0) are left alone.
      languageMult.fill(w.otherLanguage, 1);
      for (const id of languages) {
        if (id === undefined) continue;
        languageMult[id + 1] = w.favouriteLanguage;
        this.#favLanguage[id + 1] = 1;
      }
    }
    for (const name of taste.artists ?? []) {
      const id = index.artistId(name);
      if (id === undefined) continue;
      artistMult[id] = w.favouriteArtist;
      this.#favArtist[id] = 1;
    }
    // Variety: artists heard in the last few plays are less likely (the very last is excluded elsewhere).
    for (const entry of history.slice(0, w.recentArtistPlays)) {
      const i = index.positionOf(entry.trackId);
      if (i !== undefined) artistMult[index.artist[i] ?? 0] = w.recentArtist * (artistMult[index.artist[i] ?? 0] ?? 1);
    }
    // The room skipped these lately: their artists are less likely.
    for (const entry of history.slice(0, w.skipMemoryPlays)) {
      const i = entry.outcome === 'skipped' ? index.positionOf(entry.trackId) : undefined;
      if (i !== undefined) artistMult[index.artist[i] ?? 0] = w.skippedArtist * (artistMult[index.artist[i] ?? 0] ?? 1);
    }
    const liked = new Set<number>();
    for (const id of taste.likedTrackIds ?? []) {
      const i = index.positionOf(id);
      if (i === undefined) continue;
      trackMult[i] = (trackMult[i] ?? 1) * w.likedTrack;
      liked.add(i);
    }
    for (const id of taste.skippedTrackIds ?? []) {
      const i = index.positionOf(id);
      if (i !== undefined) trackMult[i] = (trackMult[i] ?? 1) * w.skippedTrack;
    }
    for (const mood of taste.avoidMoods ?? []) {
      const posting = index.postings.get(mood);
      if (!posting) continue;
      for (let k = 0; k < posting.idx.length; k++) {
        const i = posting.idx[k] ?? 0;
        const weight = posting.weight[k] ?? 0;
        // A track that is mostly the avoided mood is never picked; a hint of it only lowers the odds.
        trackMult[i] = weight >= w.avoidMoodCutoff ? 0 : (trackMult[i] ?? 1) * (1 - weight);
      }
    }
    return liked;
  }

  /** Sets (or, with undefined, clears) the learned odds multiplier per track for the next passes. */
  setLearned(multipliers: ReadonlyTypedArray<Float32Array> | undefined): void {
    this.#learned = multipliers;
  }

  /** Whether the artist of the track at position `i` is one the listener named (as of the last `setTaste`). */
  isFavouriteArtist(i: number): boolean {
    return this.#favArtist[this.#index.artist[i] ?? 0] === 1;
  }

  /** Whether the track at position `i` is in a language the listener named (as of the last `setTaste`). */
  isFavouriteLanguage(i: number): boolean {
    return this.#favLanguage[(this.#index.language[i] ?? -1) + 1] === 1;
  }

  /**
   * Blocks for this pass what must not be picked at `strictness`, the positions already `chosen`,
   * and tracks placed above `maxArousal` (when given); `relaxedPlays` keeps back that many of the
   * latest plays at strictness 1 instead of `relaxedRepeatPlays` (never more than the window).
   */
  block(
    history: readonly HistoryEntry[],
    now: number,
    strictness: Strictness,
    chosen: readonly number[],
    maxArousal?: number,
    relaxedPlays?: number,
  ): void {
    const mask = this.#mask;
    mask.fill(0);
    const { noRepeatPlays, noRepeatMs } = this.#options;
    const relaxed = Math.min(relaxedPlays ?? this.#weights.relaxedRepeatPlays, noRepeatPlays);
    const plays = strictness === 0 ? noRepeatPlays : strictness === 1 ? relaxed : 1;
    history.forEach((entry, k) => {
      const inWindow = k < plays || (strictness === 0 && now - entry.startedAt < noRepeatMs);
      const i = this.#index.positionOf(entry.trackId);
      if (inWindow && i !== undefined) mask[i] = 1;
    });
    for (const i of chosen) mask[i] = 1;
    // Near-silent tracks are never picked, however loose the pass.
    for (const i of this.#index.nearSilent) mask[i] = 1;
    // Above the energy cap, however loose the pass: NaN (no place) compares false and stays in.
    if (maxArousal !== undefined) {
      const arousal = this.#index.arousal;
      for (let i = 0; i < arousal.length; i++) if ((arousal[i] ?? Number.NaN) > maxArousal) mask[i] = 1;
    }
  }

  /**
   * Sets the odds of each of `candidates` (index positions) for this pass, from `fits` and the
   * multipliers; `lastArtist` (an artist id, −1 for none) is ruled out below strictness 2. Returns
   * the total odds: 0 when nothing may be drawn.
   */
  weigh(
    candidates: ReadonlyTypedArray<Int32Array>,
    fits: ReadonlyTypedArray<Float32Array>,
    lastArtist: number,
    strictness: Strictness,
  ): number {
    const odds = this.#odds;
    const cumulative = this.#cumulative;
    const mask = this.#mask;
    const { artist: artists, language: languages, topMoodId, valence: valences } = this.#index;
    const trackMult = this.#trackMult;
    const artistMult = this.#artistMult;
    const languageMult = this.#languageMult;
    const learned = this.#learned;
    const excludedArtist = strictness === 2 ? -2 : lastArtist;
    const { length } = candidates;
    let total = 0;
    for (let k = 0; k < length; k++) {
      const i = candidates[k] ?? 0;
      let w = 0;
      const artist = artists[i] ?? 0;
      if (mask[i] === 0 && artist !== excludedArtist) {
        // Fit to the fourth power: a close fit is far likelier than a loose one. (Squared twice, not
        // `** 4`, which rounds differently and would change seeded picks.)
        const fit2 = (fits[i] ?? 0) * (fits[i] ?? 0);
        // A track with no mood and no place waits for the last resort, whatever a stricter pass weighs.
        const isUntagged = strictness < 2 && (topMoodId[i] ?? -1) < 0 && Number.isNaN(valences[i] ?? Number.NaN);
        w = isUntagged ? 0 : fit2 * fit2 * (trackMult[i] ?? 1) * (artistMult[artist] ?? 1) * (languageMult[(languages[i] ?? -1) + 1] ?? 1);
        if (learned !== undefined) w *= learned[i] ?? 1;
        // The last resort: any tagged track at least at its odds (a far fit's fit⁴ may be below them), an untagged one below them all.
        if (strictness === 2) w = (topMoodId[i] ?? -1) < 0 ? UNTAGGED_ODDS : Math.max(w, LAST_RESORT_ODDS);
      }
      odds[k] = w;
      total += w;
      cumulative[k] = total;
    }
    return total;
  }

  /**
   * A weighted draw from the `candidates` last weighed (with their `total`) of a position not yet
   * `chosen`, preferring an artist not in `chosenArtists`; −1 when none is left.
   */
  draw(
    random: Random,
    candidates: ReadonlyTypedArray<Int32Array>,
    total: number,
    chosen: readonly number[],
    chosenArtists: ReadonlySet<number>,
  ): number {
    const taken = new Set(chosen);
    const { length } = candidates;
    const artists = this.#index.artist;
    let fallback = -1;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const k = upperBound(this.#cumulative, length, random.next() * total);
      const i = candidates[k] ?? 0;
      if (taken.has(i) || (this.#odds[k] ?? 0) <= 0) continue;
      if (!chosenArtists.has(artists[i] ?? -1)) return i;
      if (fallback < 0) fallback = i;
    }
    if (fallback >= 0) return fallback;
    // Rejection kept failing (few candidates left): take the heaviest remaining one.
    let best = -1;
    let bestOdds = 0;
    for (let k = 0; k < length; k++) {
      const w = this.#odds[k] ?? 0;
      const i = candidates[k] ?? 0;
      if (w > bestOdds && !taken.has(i)) [best, bestOdds] = [i, w];
    }
    return best;
  }
}

/** The first position below `length` whose cumulative weight exceeds `x`. */
function upperBound(cumulative: Float64Array, length: number, x: number): number {
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] ?? 0) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
