import type { MoodPoint } from './moods.js';
import type { RecommenderWeights } from './recommender-weights.js';
import { GRID, gridIndex, type ReadonlyTypedArray, type TrackIndex } from './track-index.js';

/** What the picks aim at, as far as each track's fit is concerned. */
export interface FitQuery {
  /** Mood weights matched by name. */
  weights: Readonly<Record<string, number>>;
  /** The point on the valence/arousal plane closeness is measured to; undefined: by name only. */
  point: MoodPoint | undefined;
  /** True on a lift's way to its target: only closeness counts, in full. */
  isOnTheWay: boolean;
}

/** Each track's fit to one query, 0–1. Owned by the cache: read it before the next `fitsFor`'s eviction. */
export interface Fits {
  /** Per index position. */
  readonly fit: ReadonlyTypedArray<Float32Array>;
  /** Index positions with a fit of at least `minFit`, in a fixed order for the query. */
  readonly close: ReadonlyTypedArray<Int32Array>;
}

interface Entry {
  fit: Float32Array;
  close: Int32Array;
  /** Whether `fit` is set for every track, not only those that fit at all. */
  isComplete: boolean;
  point: MoodPoint | undefined;
  nearWeight: number;
}

/** How many queries' fits are kept: the room mood changes far less often than recommendations come. */
const FIT_CACHE_SIZE = 8;

/**
 * Computes each track's fit to a query and keeps the last few (LRU), reusing the evicted one's
 * buffers: no garbage per call. The fits of a query are a function of the index, the weights and
 * the query alone, whatever was cached before.
 */
export class FitCache {
  readonly #index: TrackIndex;
  readonly #weights: RecommenderWeights;
  readonly #entries = new Map<string, Entry>();

  constructor(index: TrackIndex, weights: RecommenderWeights) {
    this.#index = index;
    this.#weights = weights;
  }

  /** Each track's fit to the query, 0–1, and the tracks that fit at all. */
  fitsFor(query: FitQuery): Fits {
    const key = `${query.isOnTheWay ? 'way' : 'aim'}|${query.point ? `${query.point.valence},${query.point.arousal}` : '-'}|${JSON.stringify(query.weights)}`;
    const cached = this.#entries.get(key);
    if (cached) {
      // Refresh its place as the most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached;
    }
    const index = this.#index;
    const { minFit, nearMood, proximityScale } = this.#weights;
    const n = index.size;
    let fit: Float32Array;
    let closeBuffer: Int32Array;
    if (this.#entries.size >= FIT_CACHE_SIZE) {
      const [oldKey, old] = this.#entries.entries().next().value as [string, Entry];
      this.#entries.delete(oldKey);
      fit = old.fit.fill(0);
      closeBuffer = new Int32Array(old.close.buffer);
    } else {
      fit = new Float32Array(n);
      closeBuffer = new Int32Array(n);
    }
    // `closeBuffer` first collects every track given a fit (each once: its fit was still 0).
    let touched = 0;
    for (const [mood, weight] of Object.entries(query.weights)) {
      const posting = index.postings.get(mood);
      if (!posting) continue;
      for (let k = 0; k < posting.idx.length; k++) {
        const i = posting.idx[k] ?? 0;
        if (fit[i] === 0) closeBuffer[touched++] = i;
        fit[i] = (fit[i] ?? 0) + weight * (posting.weight[k] ?? 0);
      }
    }
    const point = query.point;
    const nearWeight = query.isOnTheWay ? 1 : nearMood;
    if (point) {
      // Only grid cells within the distance where closeness still reaches `minFit` can matter.
      const reach = proximityScale * Math.sqrt(Math.max(nearWeight / minFit - 1, 0));
      const [x0, x1] = [gridIndex(point.valence - reach), gridIndex(point.valence + reach)];
      const [y0, y1] = [gridIndex(point.arousal - reach), gridIndex(point.arousal + reach)];
      const { cellStart, cellTracks } = index;
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
      if ((fit[i] ?? 0) >= minFit) closeBuffer[closeCount++] = i;
    }
    const entry: Entry = { fit, close: closeBuffer.subarray(0, closeCount), isComplete: false, point, nearWeight };
    this.#entries.set(key, entry);
    return entry;
  }

  /**
   * Gives every track of `fits` its fit, however small, for the last-resort pass (which looks at
   * every track); the close tracks and their fits stay as they were.
   */
  complete(fits: Fits): void {
    const entry = fits as Entry;
    if (entry.isComplete) return;
    const { fit, point, nearWeight } = entry;
    const topMoodId = this.#index.topMoodId;
    const { untaggedFit } = this.#weights;
    for (let i = 0; i < fit.length; i++) {
      if ((fit[i] ?? 0) > 0) continue;
      fit[i] = point && topMoodId[i] !== -1 ? this.#closeness(i, point, nearWeight) : topMoodId[i] === -1 ? untaggedFit : 0;
    }
    entry.isComplete = true;
  }

  /** Closeness of track `i` to `point` on the valence/arousal plane, 0–`nearWeight`; 0 without coordinates. */
  #closeness(i: number, point: MoodPoint, nearWeight: number): number {
    const v = this.#index.valence[i] ?? Number.NaN;
    if (Number.isNaN(v)) return 0;
    const dv = v - point.valence;
    const da = (this.#index.arousal[i] ?? 0) - point.arousal;
    const scale = this.#weights.proximityScale;
    return nearWeight / (1 + (dv * dv + da * da) / (scale * scale));
  }
}
