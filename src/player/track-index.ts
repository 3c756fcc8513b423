import { DEFAULT_MOOD_COORDINATES, type MoodPoint } from './moods.js';

/** A track as the recommender sees it. */
export interface CandidateTrack {
  id: number;
  artist: string;
  /** ISO 639 code or name as tagged; empty when unknown. */
  language: string;
  /** Weights in (0, 1]; `origin` as stored (`audio` for moods placed from the analysis). */
  moods: ReadonlyArray<{ mood: string; weight: number; origin?: string }>;
  /**
   * Where the analysis placed the track, and its measured loudness (LUFS); null or left out when
   * it was not analysed. The point is used while the track's moods are the analysis's (a person's
   * moods win); a near-silent track is never picked.
   */
  audio?: { valence: number; arousal: number; loudnessLufs: number | null } | null;
}

/** A track measured quieter than this (LUFS, integrated) is near-silent: never picked by the recommender (it can still be tapped). */
export const NEAR_SILENT_LUFS = -45;

/** A typed array handed out for reading only: the index is shared by every recommendation. */
export type ReadonlyTypedArray<T extends Int32Array | Float32Array> = Readonly<Omit<T, 'set' | 'fill' | 'copyWithin' | 'reverse' | 'sort'>>;

/** The tracks tagged with one mood: index positions and the weight of the mood on each, in library order. */
export interface Posting {
  readonly idx: ReadonlyTypedArray<Int32Array>;
  readonly weight: ReadonlyTypedArray<Float32Array>;
}

export interface TrackIndexOptions {
  /** Valence/arousal of each mood; a track is placed at the weighted mean of its moods'. @default DEFAULT_MOOD_COORDINATES */
  moodCoordinates?: Readonly<Record<string, MoodPoint>>;
}

/** Grid cells per axis over the valence/arousal plane [−1, 1]². */
export const GRID = 32;

/** The grid column (or row) of a valence (or arousal) value. */
export function gridIndex(value: number): number {
  return Math.min(GRID - 1, Math.max(0, Math.floor(((value + 1) / 2) * GRID)));
}

/**
 * The library as the recommender reads it, built once per library load (O(tracks)) and frozen:
 * recommendations only read it, so one index may serve any number of recommenders and calls.
 * Tracks are addressed by their index position `i` (0 … size−1, in the order given); artists,
 * languages and moods by small integer ids.
 */
export class TrackIndex {
  /** Track id per position. */
  readonly ids: ReadonlyTypedArray<Int32Array>;
  /** Artist id per position (names trimmed and lowercased: `Ann` and ` ann` are one artist). */
  readonly artist: ReadonlyTypedArray<Int32Array>;
  /** Artist names by artist id, as interned (lowercased). */
  readonly artistNames: readonly string[];
  /** Language id per position; −1 when unknown. */
  readonly language: ReadonlyTypedArray<Int32Array>;
  /** Language names by language id, as interned (lowercased). */
  readonly languageNames: readonly string[];
  /** Place on the valence/arousal plane per position; NaN when none of the track's moods has coordinates. */
  readonly valence: ReadonlyTypedArray<Float32Array>;
  readonly arousal: ReadonlyTypedArray<Float32Array>;
  /** Mood id of each track's strongest mood; −1 when it has none. */
  readonly topMoodId: ReadonlyTypedArray<Int32Array>;
  /** Mood names by mood id. */
  readonly moodNames: readonly string[];
  /** Tracks by mood name. */
  readonly postings: ReadonlyMap<string, Posting>;
  /** Positions of near-silent tracks (measured below `NEAR_SILENT_LUFS`): never picked. */
  readonly nearSilent: ReadonlyTypedArray<Int32Array>;
  /** Every position, 0 … size−1. */
  readonly all: ReadonlyTypedArray<Int32Array>;
  /** Placed tracks by grid cell (CSR): those of cell c are `cellTracks[cellStart[c] … cellStart[c+1])`, c = column × GRID + row. */
  readonly cellStart: ReadonlyTypedArray<Int32Array>;
  readonly cellTracks: ReadonlyTypedArray<Int32Array>;
  /** Valence/arousal of each mood. */
  readonly coordinates: Readonly<Record<string, MoodPoint>>;
  readonly #byId: ReadonlyMap<number, number>;
  readonly #artistIds: ReadonlyMap<string, number>;
  readonly #languageIds: ReadonlyMap<string, number>;

  constructor(tracks: readonly CandidateTrack[], options: TrackIndexOptions = {}) {
    const n = tracks.length;
    const coordinates = options.moodCoordinates ?? DEFAULT_MOOD_COORDINATES;
    const ids = new Int32Array(n);
    const artist = new Int32Array(n);
    const language = new Int32Array(n);
    const valence = new Float32Array(n).fill(Number.NaN);
    const arousal = new Float32Array(n).fill(Number.NaN);
    const topMoodId = new Int32Array(n).fill(-1);
    const byId = new Map<number, number>();
    const artistIds = new Map<string, number>();
    const artistNames: string[] = [];
    const languageIds = new Map<string, number>();
    const languageNames: string[] = [];
    const moodIds = new Map<string, number>();
    const moodNames: string[] = [];
    const lists = new Map<string, { idx: number[]; weight: number[] }>();
    const quiet: number[] = [];
    tracks.forEach((track, i) => {
      ids[i] = track.id;
      byId.set(track.id, i);
      artist[i] = intern(artistIds, artistNames, track.artist.trim().toLowerCase());
      language[i] = track.language === '' ? -1 : intern(languageIds, languageNames, track.language.trim().toLowerCase());
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
          topMoodId[i] = intern(moodIds, moodNames, mood);
        }
        const point = coordinates[mood];
        if (point) {
          v += point.valence * weight;
          a += point.arousal * weight;
          placed += weight;
        }
      }
      const heard = track.audio;
      if (heard != null && track.moods.some((m) => m.origin === 'audio')) {
        // What was measured, not the mean of the moods it was turned into.
        valence[i] = heard.valence;
        arousal[i] = heard.arousal;
      } else if (placed > 0) {
        valence[i] = v / placed;
        arousal[i] = a / placed;
      }
      if (heard?.loudnessLufs != null && heard.loudnessLufs < NEAR_SILENT_LUFS) quiet.push(i);
    });
    const postings = new Map<string, Posting>();
    for (const [mood, list] of lists) {
      postings.set(mood, Object.freeze({ idx: Int32Array.from(list.idx), weight: Float32Array.from(list.weight) }));
    }
    // Tracks by grid cell on the valence/arousal plane (CSR), so a fit looks only at nearby cells.
    const cells = new Int32Array(n).fill(-1);
    const cellStart = new Int32Array(GRID * GRID + 1);
    for (let i = 0; i < n; i++) {
      const v = valence[i] ?? Number.NaN;
      if (Number.isNaN(v)) continue;
      const cell = gridIndex(v) * GRID + gridIndex(arousal[i] ?? 0);
      cells[i] = cell;
      cellStart[cell + 1] = (cellStart[cell + 1] ?? 0) + 1;
    }
    for (let c = 0; c < GRID * GRID; c++) cellStart[c + 1] = (cellStart[c + 1] ?? 0) + (cellStart[c] ?? 0);
    const cellTracks = new Int32Array(cellStart[GRID * GRID] ?? 0);
    const fill = cellStart.slice(0, GRID * GRID);
    for (let i = 0; i < n; i++) {
      const cell = cells[i] ?? -1;
      if (cell < 0) continue;
      cellTracks[fill[cell] ?? 0] = i;
      fill[cell] = (fill[cell] ?? 0) + 1;
    }

    this.ids = ids;
    this.artist = artist;
    this.artistNames = Object.freeze(artistNames);
    this.language = language;
    this.languageNames = Object.freeze(languageNames);
    this.valence = valence;
    this.arousal = arousal;
    this.topMoodId = topMoodId;
    this.moodNames = Object.freeze(moodNames);
    this.postings = postings;
    this.nearSilent = Int32Array.from(quiet);
    this.all = Int32Array.from({ length: n }, (_, i) => i);
    this.cellStart = cellStart;
    this.cellTracks = cellTracks;
    this.coordinates = coordinates;
    this.#byId = byId;
    this.#artistIds = artistIds;
    this.#languageIds = languageIds;
    // Typed arrays cannot be frozen; their readonly types and this freeze keep the index as built.
    Object.freeze(this);
  }

  /** How many tracks the index holds. */
  get size(): number {
    return this.ids.length;
  }

  /** How many distinct artists the tracks have (artist ids are 0 … artistCount−1). */
  get artistCount(): number {
    return this.#artistIds.size;
  }

  /** How many distinct known languages the tracks have (language ids are 0 … languageCount−1). */
  get languageCount(): number {
    return this.#languageIds.size;
  }

  /** The index position of a track, or undefined when it is not in the index. */
  positionOf(trackId: number): number | undefined {
    return this.#byId.get(trackId);
  }

  /** The id of an artist (any case, surrounding spaces ignored), or undefined when no track has them. */
  artistId(name: string): number | undefined {
    return this.#artistIds.get(name.trim().toLowerCase());
  }

  /** The id of a language (any case, surrounding spaces ignored), or undefined when no track is in it. */
  languageId(name: string): number | undefined {
    return this.#languageIds.get(name.trim().toLowerCase());
  }

  /** The track's strongest mood, or undefined when it has none (or is not in the index). */
  topMood(trackId: number): string | undefined {
    const i = this.#byId.get(trackId);
    const m = i === undefined ? -1 : (this.topMoodId[i] ?? -1);
    return m < 0 ? undefined : this.moodNames[m];
  }

  /** The track's place on the valence/arousal plane, or undefined when none of its moods has coordinates. */
  pointOf(trackId: number): MoodPoint | undefined {
    const i = this.#byId.get(trackId);
    if (i === undefined) return undefined;
    const valence = this.valence[i] ?? Number.NaN;
    return Number.isNaN(valence) ? undefined : { valence, arousal: this.arousal[i] ?? 0 };
  }
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
