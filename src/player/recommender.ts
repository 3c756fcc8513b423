import type { Random } from '../daemon/kernel/random.js';
import { DEFAULT_MOOD_COORDINATES, type MoodPoint } from './moods.js';

/** A track as the recommender sees it. */
export interface CandidateTrack {
  id: number;
  artist: string;
  /** ISO 639 code or name as tagged; empty when unknown. */
  language: string;
  /** Weights in (0, 1]. */
  moods: ReadonlyArray<{ mood: string; weight: number }>;
}

/** One earlier play in the room, newest first in `RecommendRequest.history`. */
export interface HistoryEntry {
  trackId: number;
  /** ms since the Unix epoch. */
  startedAt: number;
  /** How the play ended; the room skipping an artist makes that artist less likely for a while. */
  outcome?: 'completed' | 'skipped' | 'failed' | 'interrupted' | null;
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
 * `match` plays to the room mood. `lift` starts where the music is now (the last play, else the room
 * mood) and moves one step of `stepSize` (valence/arousal units, default 0.35) toward `target` per play.
 */
export type RecommendPolicy = { kind: 'match' } | { kind: 'lift'; target: string; stepSize?: number };

export interface RecommendRequest {
  /** The room mood: one mood, or mood weights (any scale; normalised). */
  mood: string | Readonly<Record<string, number>>;
  /** @default {kind: 'match'} */
  policy?: RecommendPolicy;
  listener?: ListenerTaste;
  /** The room's recent plays, newest first. */
  history?: readonly HistoryEntry[];
  /** ms since the Unix epoch; the repeat window in minutes is measured back from here. */
  now: number;
  /** How many suggestions besides the next track. @default 6 */
  suggestions?: number;
}

export type ReasonKind = 'mood' | 'lift' | 'liked' | 'artist' | 'language' | 'fallback';

export interface Pick {
  trackId: number;
  /** How well the track fits what was asked, 0–1. */
  fit: number;
  /** The main reason, for the history and the UI. */
  reason: { kind: ReasonKind; text: string };
}

export interface Recommendation {
  /** Undefined only when the library is empty. */
  next: Pick | undefined;
  suggestions: Pick[];
  /** The mood the picks aim at: the room mood for `match`, this step's mood for `lift`. */
  aim: string;
}

export interface RecommenderOptions {
  /** A track is not picked again within this many plays. @default 20 */
  noRepeatPlays?: number;
  /** A track is not picked again within this many minutes. @default 90 */
  noRepeatMinutes?: number;
  /** Valence/arousal of each mood. @default DEFAULT_MOOD_COORDINATES */
  moodCoordinates?: Readonly<Record<string, MoodPoint>>;
}

/** How far apart on the valence/arousal plane two moods still count as related. */
const PROXIMITY_SCALE = 0.35;
/** Fit of a track with no moods at all: possible, rarely. */
const UNTAGGED_FIT = 0.02;
const ATTEMPTS = 64;
/** Below this fit a track is left out of strict passes: its odds (fit⁴) are negligible anyway. */
const MIN_FIT = 0.2;
const FIT_CACHE_SIZE = 8;
/** Grid cells per axis over the valence/arousal plane [−1, 1]². */
const GRID = 32;
/** How many recent plays a skip by the room is remembered for. */
const SKIP_MEMORY = 30;

interface Posting {
  idx: Int32Array;
  weight: Float32Array;
}

/**
 * Picks what to play next. Pure: the same tracks, request and seeded `Random` give the same picks.
 * The index is built once, at construction (O(tracks)); each call is one pass over typed arrays.
 */
export class Recommender {
  readonly #ids: Int32Array;
  readonly #byId = new Map<number, number>();
  readonly #artist: Int32Array;
  readonly #artistNames: string[] = [];
  readonly #artistIds = new Map<string, number>();
  readonly #language: Int32Array;
  readonly #languageIds = new Map<string, number>();
  readonly #valence: Float32Array;
  readonly #arousal: Float32Array;
  readonly #topMood: Int32Array;
  readonly #moodNames: string[] = [];
  readonly #postings = new Map<string, Posting>();
  readonly #coordinates: Readonly<Record<string, MoodPoint>>;
  readonly #noRepeatPlays: number;
  readonly #noRepeatMs: number;
  // Scratch space reused by every call (calls are synchronous, so never shared).
  /** Fits per aim, kept for the last few aims: the room mood changes far less often than calls come. */
  readonly #fitCache = new Map<string, Fits>();
  /** Per-call multipliers: per track (likes, skips, avoided moods), per artist, per language (slot 0: unknown). */
  readonly #trackMult: Float32Array;
  #artistMult = new Float32Array(0);
  #languageMult = new Float32Array(0);
  /** Per-call flags for reasons: 1 for the listener's artists and languages. */
  #favArtist = new Uint8Array(0);
  #favLanguage = new Uint8Array(0);
  readonly #weights: Float64Array;
  readonly #cumulative: Float64Array;
  /** 1 where a track may not be picked in this pass. */
  readonly #mask: Uint8Array;
  readonly #all: Int32Array;
  /** Tracks placed on the valence/arousal plane, by grid cell: those of cell c are #cellTracks[#cellStart[c] … #cellStart[c+1]). */
  readonly #cellStart: Int32Array;
  readonly #cellTracks: Int32Array;

  constructor(tracks: readonly CandidateTrack[], options: RecommenderOptions = {}) {
    const n = tracks.length;
    this.#coordinates = options.moodCoordinates ?? DEFAULT_MOOD_COORDINATES;
    this.#noRepeatPlays = checkCount('noRepeatPlays', options.noRepeatPlays ?? 20);
    this.#noRepeatMs = checkCount('noRepeatMinutes', options.noRepeatMinutes ?? 90) * 60_000;
    this.#ids = new Int32Array(n);
    this.#artist = new Int32Array(n);
    this.#language = new Int32Array(n);
    this.#valence = new Float32Array(n).fill(Number.NaN);
    this.#arousal = new Float32Array(n).fill(Number.NaN);
    this.#topMood = new Int32Array(n).fill(-1);
    this.#trackMult = new Float32Array(n);
    this.#weights = new Float64Array(n);
    this.#cumulative = new Float64Array(n);
    this.#mask = new Uint8Array(n);
    this.#all = Int32Array.from({ length: n }, (_, i) => i);
    const lists = new Map<string, { idx: number[]; weight: number[] }>();
    const moodIds = new Map<string, number>();
    tracks.forEach((track, i) => {
      this.#ids[i] = track.id;
      this.#byId.set(track.id, i);
      this.#artist[i] = intern(this.#artistIds, this.#artistNames, track.artist.trim().toLowerCase());
      this.#language[i] = track.language === '' ? -1 : intern(this.#languageIds, [], track.language.trim().toLowerCase());
      let v = 0;
      let a = 0;
      let placed = 0;
      let top = 0;
      for (const { mood, weight } of track.moods) {
        let list = lists.get(mood);
        if (!list) lists.set(mood, (list = { idx: [], weight: [] }));
        list.idx.push(i);
        list.weight.push(weight);
        if (weight > top) {
          top = weight;
          this.#topMood[i] = intern(moodIds, this.#moodNames, mood);
        }
        const point = this.#coordinates[mood];
        if (point) {
          v += point.valence * weight;
          a += point.arousal * weight;
          placed += weight;
        }
      }
      if (placed > 0) {
        this.#valence[i] = v / placed;
        this.#arousal[i] = a / placed;
      }
    });
    for (const [mood, list] of lists) {
      this.#postings.set(mood, { idx: Int32Array.from(list.idx), weight: Float32Array.from(list.weight) });
    }
    // Tracks by grid cell on the valence/arousal plane (CSR), so a fit looks only at nearby cells.
    const cells = new Int32Array(n).fill(-1);
    const counts = new Int32Array(GRID * GRID + 1);
    for (let i = 0; i < n; i++) {
      const v = this.#valence[i] ?? Number.NaN;
      if (Number.isNaN(v)) continue;
      const cell = gridIndex(v) * GRID + gridIndex(this.#arousal[i] ?? 0);
      cells[i] = cell;
      counts[cell + 1] = (counts[cell + 1] ?? 0) + 1;
    }
    for (let c = 0; c < GRID * GRID; c++) counts[c + 1] = (counts[c + 1] ?? 0) + (counts[c] ?? 0);
    this.#cellStart = counts;
    this.#cellTracks = new Int32Array(counts[GRID * GRID] ?? 0);
    const fill = counts.slice(0, GRID * GRID);
    for (let i = 0; i < n; i++) {
      const cell = cells[i] ?? -1;
      if (cell < 0) continue;
      this.#cellTracks[fill[cell] ?? 0] = i;
      fill[cell] = (fill[cell] ?? 0) + 1;
    }
    this.#artistMult = new Float32Array(this.#artistIds.size);
    this.#favArtist = new Uint8Array(this.#artistIds.size);
    this.#languageMult = new Float32Array(this.#languageIds.size + 1);
    this.#favLanguage = new Uint8Array(this.#languageIds.size + 1);
  }

  /** How many tracks the index holds. */
  get size(): number {
    return this.#ids.length;
  }

  /** The track's strongest mood, or undefined when it has none (or is not in the index). */
  topMood(trackId: number): string | undefined {
    const i = this.#byId.get(trackId);
    const m = i === undefined ? -1 : (this.#topMood[i] ?? -1);
    return m < 0 ? undefined : this.#moodNames[m];
  }

  /** The track's place on the valence/arousal plane, or undefined when none of its moods has coordinates. */
  pointOf(trackId: number): MoodPoint | undefined {
    const i = this.#byId.get(trackId);
    if (i === undefined) return undefined;
    const valence = this.#valence[i] ?? Number.NaN;
    return Number.isNaN(valence) ? undefined : { valence, arousal: this.#arousal[i] ?? 0 };
  }

  /**
   * The next track and `suggestions` more, all distinct, each with a reason. Never repeats a track
   * within the window, never the last play's artist; when the library is too small for that, the
   * rules are relaxed (reason `fallback`) rather than returning nothing.
   */
  recommend(request: RecommendRequest, random: Random): Recommendation {
    const n = this.#ids.length;
    const count = checkCount('suggestions', request.suggestions ?? 6);
    const room = normaliseMood(request.mood);
    const policy = request.policy ?? { kind: 'match' };
    const aim = this.#aim(room, policy, request.history ?? []);
    if (n === 0) return { next: undefined, suggestions: [], aim: aim.name };

    const fits = this.#fitsFor(aim);
    const history = request.history ?? [];
    const liked = this.#scoreTaste(request.listener ?? {}, history);
    const lastArtist = this.#lastArtist(history);

    const chosen: number[] = [];
    const reasons: Pick[] = [];
    for (const level of [0, 1, 2] as const) {
      this.#block(history, request.now, level, chosen);
      // Strict passes look only at tracks that fit at all; the last resort looks at every track.
      if (level === 2) this.#complete(fits);
      const candidates = level === 2 ? fits.all : fits.close;
      const total = this.#fillWeights(candidates, fits.fit, lastArtist, level);
      if (total <= 0) continue;
      const chosenArtists = new Set(chosen.map((i) => this.#artist[i] ?? -1));
      while (chosen.length < count + 1) {
        const i = this.#draw(random, candidates, total, chosen, chosenArtists);
        if (i < 0) break;
        chosen.push(i);
        chosenArtists.add(this.#artist[i] ?? -1);
        reasons.push(this.#pick(i, fits.fit[i] ?? 0, aim, liked, level > 0));
      }
      if (chosen.length === count + 1) break;
    }
    return { next: reasons[0], suggestions: reasons.slice(1), aim: aim.name };
  }

  #aim(room: Record<string, number>, policy: RecommendPolicy, history: readonly HistoryEntry[]): Aim {
    const roomName = strongest(room);
    if (policy.kind === 'match') {
      return { name: roomName, weights: room, point: this.#pointOfWeights(room), kind: 'mood', from: roomName };
    }
    const target = this.#coordinates[policy.target];
    const stepSize = policy.stepSize ?? 0.35;
    if (!(stepSize > 0)) throw new RangeError(`Expected \`stepSize\` to be above 0, got \`${stepSize}\` (number)`);
    // Where the music is now: the last play that has a place on the plane, else the room mood.
    let from: MoodPoint | undefined;
    let fromName = roomName;
    for (const entry of history) {
      const point = this.pointOf(entry.trackId);
      if (point) {
        from = point;
        fromName = this.topMood(entry.trackId) ?? roomName;
        break;
      }
    }
    from ??= this.#pointOfWeights(room);
    if (!target || !from) {
      // Without coordinates there is no path; play the target itself.
      return { name: policy.target, weights: { [policy.target]: 1 }, point: target, kind: 'lift', from: fromName };
    }
    const dv = target.valence - from.valence;
    const da = target.arousal - from.arousal;
    const distance = Math.hypot(dv, da);
    if (distance <= stepSize) {
      return { name: policy.target, weights: { [policy.target]: 1 }, point: target, kind: 'lift', from: fromName };
    }
    // Rounded to a 0.02 grid so that nearby steps share cached fits.
    const point = {
      valence: Math.round((from.valence + (dv * stepSize) / distance) * 50) / 50,
      arousal: Math.round((from.arousal + (da * stepSize) / distance) * 50) / 50,
    };
    return { name: this.#nearestMood(point), weights: {}, point, kind: 'lift', from: fromName, target: policy.target };
  }

  #pointOfWeights(weights: Record<string, number>): MoodPoint | undefined {
    let v = 0;
    let a = 0;
    let total = 0;
    for (const [mood, weight] of Object.entries(weights)) {
      const point = this.#coordinates[mood];
      if (!point) continue;
      v += point.valence * weight;
      a += point.arousal * weight;
      total += weight;
    }
    return total > 0 ? { valence: v / total, arousal: a / total } : undefined;
  }

  #nearestMood(point: MoodPoint): string {
    let best = '';
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const [mood, p] of Object.entries(this.#coordinates)) {
      const d = Math.hypot(p.valence - point.valence, p.arousal - point.arousal);
      if (d < bestDistance) [best, bestDistance] = [mood, d];
    }
    return best;
  }

  /** Each track's fit to the aim, 0–1, and the tracks that fit at all; cached per aim. */
  #fitsFor(aim: Aim): Fits {
    const key = `${aim.kind}|${aim.point ? `${aim.point.valence},${aim.point.arousal}` : '-'}|${JSON.stringify(aim.weights)}|${aim.target ?? ''}`;
    const cached = this.#fitCache.get(key);
    if (cached) {
      // Refresh its place as the most recently used.
      this.#fitCache.delete(key);
      this.#fitCache.set(key, cached);
      return cached;
    }
    const n = this.#ids.length;
    // Reuse the buffers of the least recently used aim once the cache is full: no garbage per call.
    let fit: Float32Array;
    let closeBuffer: Int32Array;
    if (this.#fitCache.size >= FIT_CACHE_SIZE) {
      const [oldKey, old] = this.#fitCache.entries().next().value as [string, Fits];
      this.#fitCache.delete(oldKey);
      fit = old.fit.fill(0);
      closeBuffer = new Int32Array(old.close.buffer);
    } else {
      fit = new Float32Array(n);
      closeBuffer = new Int32Array(n);
    }
    // `closeBuffer` first collects every track given a fit (each once: its fit was still 0).
    let touched = 0;
    for (const [mood, weight] of Object.entries(aim.weights)) {
      const posting = this.#postings.get(mood);
      if (!posting) continue;
      for (let k = 0; k < posting.idx.length; k++) {
        const i = posting.idx[k] ?? 0;
        if (fit[i] === 0) closeBuffer[touched++] = i;
        fit[i] = (fit[i] ?? 0) + weight * (posting.weight[k] ?? 0);
      }
    }
    const point = aim.point;
    // Named moods count in full; closeness on the plane counts for a little less, so a track tagged
    // with the exact mood beats a neighbour. On the way of a lift only closeness counts.
    const nearWeight = aim.kind === 'lift' && aim.target !== undefined ? 1 : 0.7;
    if (point) {
      // Only grid cells within the distance where closeness still reaches MIN_FIT can matter.
      const reach = PROXIMITY_SCALE * Math.sqrt(Math.max(nearWeight / MIN_FIT - 1, 0));
      const [x0, x1] = [gridIndex(point.valence - reach), gridIndex(point.valence + reach)];
      const [y0, y1] = [gridIndex(point.arousal - reach), gridIndex(point.arousal + reach)];
      const cellStart = this.#cellStart;
      const cellTracks = this.#cellTracks;
      for (let x = x0; x <= x1; x++) {
        for (let y = y0; y <= y1; y++) {
          const cell = x * GRID + y;
          for (let k = cellStart[cell] ?? 0, end = cellStart[cell + 1] ?? 0; k < end; k++) {
            const i = cellTracks[k] ?? 0;
            const near = this.#closeness(i, point, nearWeight);
            const f = fit[i] ?? 0;
            if (f === 0) closeBuffer[touched++] = i;
            if (near > f) fit[i] = near;
          }
        }
      }
    }
    let closeCount = 0;
    for (let k = 0; k < touched; k++) {
      const i = closeBuffer[k] ?? 0;
      if ((fit[i] ?? 0) > 1) fit[i] = 1;
      if ((fit[i] ?? 0) >= MIN_FIT) closeBuffer[closeCount++] = i;
    }
    const fits: Fits = { fit, close: closeBuffer.subarray(0, closeCount), all: this.#all, isComplete: false, point, nearWeight };
    this.#fitCache.set(key, fits);
    return fits;
  }

  /** Closeness of track `i` to `point` on the valence/arousal plane, 0–`nearWeight`; 0 without coordinates. */
  #closeness(i: number, point: MoodPoint, nearWeight: number): number {
    const v = this.#valence[i] ?? Number.NaN;
    if (Number.isNaN(v)) return 0;
    const dv = v - point.valence;
    const da = (this.#arousal[i] ?? 0) - point.arousal;
    return nearWeight / (1 + (dv * dv + da * da) / (PROXIMITY_SCALE * PROXIMITY_SCALE));
  }

  /** Gives every track its fit, however small, for the last-resort pass (which looks at every track). */
  #complete(fits: Fits): void {
    if (fits.isComplete) return;
    const { fit, point, nearWeight } = fits;
    for (let i = 0; i < fit.length; i++) {
      if ((fit[i] ?? 0) > 0) continue;
      fit[i] = point && this.#topMood[i] !== -1 ? this.#closeness(i, point, nearWeight) : this.#topMood[i] === -1 ? UNTAGGED_FIT : 0;
    }
    fits.isComplete = true;
  }

  /**
   * Sets the per-call multipliers from the listener's taste and the room's recent artists; returns
   * the index positions of liked tracks (for reasons).
   */
  #scoreTaste(taste: ListenerTaste, history: readonly HistoryEntry[]): Set<number> {
    const trackMult = this.#trackMult;
    const artistMult = this.#artistMult;
    const languageMult = this.#languageMult;
    trackMult.fill(1);
    artistMult.fill(1);
    languageMult.fill(1);
    this.#favArtist.fill(0);
    this.#favLanguage.fill(0);
    const languages = (taste.languages ?? []).map((l) => this.#languageIds.get(l.trim().toLowerCase()));
    if (languages.length > 0) {
      // Tracks in another known language are less likely; untagged ones (slot 0) are left alone.
      languageMult.fill(0.5, 1);
      for (const id of languages) {
        if (id === undefined) continue;
        languageMult[id + 1] = 2;
        this.#favLanguage[id + 1] = 1;
      }
    }
    for (const name of taste.artists ?? []) {
      const id = this.#artistIds.get(name.trim().toLowerCase());
      if (id === undefined) continue;
      artistMult[id] = 4;
      this.#favArtist[id] = 1;
    }
    // Variety: artists heard in the last few plays are less likely (the very last is excluded elsewhere).
    for (const entry of history.slice(0, 5)) {
      const i = this.#byId.get(entry.trackId);
      if (i !== undefined) artistMult[this.#artist[i] ?? 0] = 0.5 * (artistMult[this.#artist[i] ?? 0] ?? 1);
    }
    // The room skipped these lately: their artists are less likely.
    for (const entry of history.slice(0, SKIP_MEMORY)) {
      const i = entry.outcome === 'skipped' ? this.#byId.get(entry.trackId) : undefined;
      if (i !== undefined) artistMult[this.#artist[i] ?? 0] = 0.4 * (artistMult[this.#artist[i] ?? 0] ?? 1);
    }
    const liked = new Set<number>();
    for (const id of taste.likedTrackIds ?? []) {
      const i = this.#byId.get(id);
      if (i === undefined) continue;
      trackMult[i] = (trackMult[i] ?? 1) * 3;
      liked.add(i);
    }
    for (const id of taste.skippedTrackIds ?? []) {
      const i = this.#byId.get(id);
      if (i !== undefined) trackMult[i] = (trackMult[i] ?? 1) * 0.3;
    }
    for (const mood of taste.avoidMoods ?? []) {
      const posting = this.#postings.get(mood);
      if (!posting) continue;
      for (let k = 0; k < posting.idx.length; k++) {
        const i = posting.idx[k] ?? 0;
        const w = posting.weight[k] ?? 0;
        // A track that is mostly the avoided mood is never picked; a hint of it only lowers the odds.
        trackMult[i] = w >= 0.5 ? 0 : (trackMult[i] ?? 1) * (1 - w);
      }
    }
    return liked;
  }

  /** Marks in `#mask` what must not be picked: level 0 the whole window, 1 the last few plays, 2 only the last; and `chosen`. */
  #block(history: readonly HistoryEntry[], now: number, level: 0 | 1 | 2, chosen: readonly number[]): void {
    const mask = this.#mask;
    mask.fill(0);
    const plays = level === 0 ? this.#noRepeatPlays : level === 1 ? Math.min(3, this.#noRepeatPlays) : 1;
    history.forEach((entry, k) => {
      const inWindow = k < plays || (level === 0 && now - entry.startedAt < this.#noRepeatMs);
      const i = this.#byId.get(entry.trackId);
      if (inWindow && i !== undefined) mask[i] = 1;
    });
    for (const i of chosen) mask[i] = 1;
  }

  #lastArtist(history: readonly HistoryEntry[]): number {
    const first = history[0];
    const i = first === undefined ? undefined : this.#byId.get(first.trackId);
    return i === undefined ? -1 : (this.#artist[i] ?? -1);
  }

  /** Fills `#weights` and `#cumulative` over `candidates` (index positions); returns the total weight. */
  #fillWeights(candidates: Int32Array, fits: Float32Array, lastArtist: number, level: 0 | 1 | 2): number {
    const weights = this.#weights;
    const cumulative = this.#cumulative;
    const mask = this.#mask;
    const artists = this.#artist;
    const languages = this.#language;
    const trackMult = this.#trackMult;
    const artistMult = this.#artistMult;
    const languageMult = this.#languageMult;
    const excludedArtist = level === 2 ? -2 : lastArtist;
    const { length } = candidates;
    let total = 0;
    for (let k = 0; k < length; k++) {
      const i = candidates[k] ?? 0;
      let w = 0;
      const artist = artists[i] ?? 0;
      if (mask[i] === 0 && artist !== excludedArtist) {
        // Fit to the fourth power: a close fit is far likelier than a loose one.
        const fit2 = (fits[i] ?? 0) * (fits[i] ?? 0);
        w = fit2 * fit2 * (trackMult[i] ?? 1) * (artistMult[artist] ?? 1) * (languageMult[(languages[i] ?? -1) + 1] ?? 1);
        // Last resort: anything but the last track beats silence.
        if (level === 2 && w === 0) w = 1e-9;
      }
      weights[k] = w;
      total += w;
      cumulative[k] = total;
    }
    return total;
  }

  /** A weighted draw of an index position not yet chosen, preferring an artist not yet chosen; -1 when none is left. */
  #draw(random: Random, candidates: Int32Array, total: number, chosen: number[], chosenArtists: Set<number>): number {
    const taken = new Set(chosen);
    const { length } = candidates;
    let fallback = -1;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const k = upperBound(this.#cumulative, length, random.next() * total);
      const i = candidates[k] ?? 0;
      if (taken.has(i) || (this.#weights[k] ?? 0) <= 0) continue;
      if (!chosenArtists.has(this.#artist[i] ?? -1)) return i;
      if (fallback < 0) fallback = i;
    }
    if (fallback >= 0) return fallback;
    // Rejection kept failing (few candidates left): take the heaviest remaining one.
    let best = -1;
    let bestWeight = 0;
    for (let k = 0; k < length; k++) {
      const w = this.#weights[k] ?? 0;
      const i = candidates[k] ?? 0;
      if (w > bestWeight && !taken.has(i)) [best, bestWeight] = [i, w];
    }
    return best;
  }

  #pick(i: number, rawFit: number, aim: Aim, liked: Set<number>, isFallback: boolean): Pick {
    const trackId = this.#ids[i] ?? 0;
    const fit = Math.round(rawFit * 1000) / 1000;
    if (isFallback) return { trackId, fit, reason: { kind: 'fallback', text: `few tracks fit ${aim.name}; one of the closest left` } };
    if (liked.has(i)) return { trackId, fit, reason: { kind: 'liked', text: `you liked it; fits ${aim.name}` } };
    if (this.#favArtist[this.#artist[i] ?? 0] === 1) {
      const artist = this.#artistNames[this.#artist[i] ?? 0] ?? '';
      return { trackId, fit, reason: { kind: 'artist', text: `an artist you like (${artist}); fits ${aim.name}` } };
    }
    if (aim.kind === 'lift') {
      const text =
        aim.target === undefined ? `reached ${aim.name}, the target mood` : `a step from ${aim.from} toward ${aim.target} (${aim.name})`;
      return { trackId, fit, reason: { kind: 'lift', text } };
    }
    if (this.#favLanguage[(this.#language[i] ?? -1) + 1] === 1)
      return { trackId, fit, reason: { kind: 'language', text: `in your language; fits ${aim.name}` } };
    return { trackId, fit, reason: { kind: 'mood', text: `fits ${aim.name}` } };
  }
}

interface Fits {
  /** Per index position. */
  fit: Float32Array;
  /** Index positions with a fit of at least `MIN_FIT`. */
  close: Int32Array;
  /** Every index position. */
  all: Int32Array;
  /** Whether `fit` is set for every track, not only the close ones. */
  isComplete: boolean;
  point: MoodPoint | undefined;
  nearWeight: number;
}

interface Aim {
  /** The mood named in reasons. */
  name: string;
  /** Mood weights matched by name. */
  weights: Record<string, number>;
  point: MoodPoint | undefined;
  kind: 'mood' | 'lift';
  from: string;
  /** Set while a lift is still on its way. */
  target?: string;
}

function intern(ids: Map<string, number>, names: string[], name: string): number {
  let id = ids.get(name);
  if (id === undefined) {
    id = ids.size;
    ids.set(name, id);
    names.push(name);
  }
  return id;
}

function normaliseMood(mood: string | Readonly<Record<string, number>>): Record<string, number> {
  if (typeof mood === 'string') return { [mood]: 1 };
  const entries = Object.entries(mood).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  if (entries.length === 0) throw new TypeError(`Expected \`mood\` to have a weight above 0, got \`${JSON.stringify(mood)}\``);
  return Object.fromEntries(entries.map(([m, w]) => [m, w / total]));
}

function strongest(weights: Record<string, number>): string {
  let best = '';
  let bestWeight = -1;
  for (const [mood, weight] of Object.entries(weights)) if (weight > bestWeight) [best, bestWeight] = [mood, weight];
  return best;
}

/** The grid column (or row) of a valence (or arousal) value. */
function gridIndex(value: number): number {
  return Math.min(GRID - 1, Math.max(0, Math.floor(((value + 1) / 2) * GRID)));
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

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`Expected \`${name}\` to be an integer ≥ 0, got \`${value}\` (number)`);
  return value;
}
