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

/** A place on the plane closeness is measured to, with its share of the closeness. */
interface Anchor {
  point: MoodPoint;
  share: number;
}

interface Entry {
  fit: Float32Array;
  close: Int32Array;
  /** Whether `fit` is set for every track, not only those that fit at all. */
  isComplete: boolean;
  anchors: readonly Anchor[];
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
  /** Per track, the last query (by `#generation`) that measured its closeness: each track once a query. */
  readonly #visited: Uint32Array;
  #generation = 0;

  constructor(index: TrackIndex, weights: RecommenderWeights) {
    this.#index = index;
    this.#weights = weights;
    this.#visited = new Uint32Array(index.size);
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
    const anchors = this.#anchorsOf(query);
    const nearWeight = query.isOnTheWay ? 1 : nearMood;
    // Only grid cells within the distance where one anchor's closeness alone still reaches `minFit`
    // can matter (the shares sum to 1, so no sum of anchors reaches it farther out).
    const reach = proximityScale * Math.sqrt(Math.max(nearWeight / minFit - 1, 0));
    const { cellStart, cellTracks } = index;
    const visited = this.#visited;
    const generation = (this.#generation = (this.#generation % 0xffff_fffe) + 1);
    for (const { point } of anchors) {
      const [x0, x1] = [gridIndex(point.valence - reach), gridIndex(point.valence + reach)];
      const [y0, y1] = [gridIndex(point.arousal - reach), gridIndex(point.arousal + reach)];
      for (let x = x0; x <= x1; x++) {
        for (let y = y0; y <= y1; y++) {
          const cell = x * GRID + y;
          for (let k = cellStart[cell] ?? 0, end = cellStart[cell + 1] ?? 0; k < end; k++) {
            const i = cellTracks[k] ?? 0;
            if (visited[i] === generation) continue;
            visited[i] = generation;
            const near = this.#closeness(i, anchors, nearWeight);
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
    const entry: Entry = { fit, close: closeBuffer.subarray(0, closeCount), isComplete: false, anchors, nearWeight };
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
    const { fit, anchors, nearWeight } = entry;
    const topMoodId = this.#index.topMoodId;
    const { untaggedFit } = this.#weights;
    for (let i = 0; i < fit.length; i++) {
      if ((fit[i] ?? 0) > 0) continue;
      fit[i] = anchors.length > 0 && topMoodId[i] !== -1 ? this.#closeness(i, anchors, nearWeight) : topMoodId[i] === -1 ? untaggedFit : 0;
    }
    entry.isComplete = true;
  }

  /**
   * Where closeness is measured to. A room of several moods is the places of its moods, each with
   * its share, not the one point between them: a lively room (upbeat, energetic, a little calm)
   * has its centre near uplifting, a mood nobody in it shows. A lift's way is its one point.
   */
  #anchorsOf(query: FitQuery): Anchor[] {
    if (query.point === undefined) return [];
    if (query.isOnTheWay) return [{ point: query.point, share: 1 }];
    const placed: Anchor[] = [];
    let total = 0;
    for (const [mood, weight] of Object.entries(query.weights)) {
      const point = this.#index.coordinates[mood];
      if (point === undefined || !(weight > 0)) continue;
      placed.push({ point, share: weight });
      total += weight;
    }
    if (total <= 0) return [{ point: query.point, share: 1 }];
    for (const anchor of placed) anchor.share /= total;
    return placed;
  }

  /**
   * Closeness of track `i` to the anchors on the valence/arousal plane, 0–`nearWeight`: each
   * anchor's `nearWeight / (1 + d² / proximityScale²)` by its share; 0 without coordinates.
   */
  #closeness(i: number, anchors: readonly Anchor[], nearWeight: number): number {
    const v = this.#index.valence[i] ?? Number.NaN;
    if (Number.isNaN(v)) return 0;
    const a = this.#index.arousal[i] ?? 0;
    const scale2 = this.#weights.proximityScale ** 2;
    let near = 0;
    for (const { point, share } of anchors) {
      const dv = v - point.valence;
      const da = a - point.arousal;
      near += share / (1 + (dv * dv + da * da) / scale2);
    }
    return nearWeight * near;
  }
}
