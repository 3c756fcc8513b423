import { iou, type Box } from './face-detector.js';

/** One face followed across frames. */
export interface Track {
  /** Stable id, unique for the tracker's lifetime, starting at 1. */
  readonly id: number;
  /** Where the face was last detected (px). */
  readonly box: Box;
  /** Frames in which the face was detected. */
  readonly hits: number;
  /** Consecutive frames in which it was not detected; 0 when seen in the latest frame. */
  readonly misses: number;
  /** True once `hits` reaches `minHits`: only confirmed tracks count as faces. */
  readonly isConfirmed: boolean;
}

export interface FaceTrackerOptions {
  /** A detection continues a track when their boxes overlap at least this much (IoU, 0–1). @default 0.3 */
  minIou?: number;
  /** A track missed in this many consecutive frames is dropped. @default 5 */
  maxMisses?: number;
  /** Detections needed before a track is confirmed; 2 or more keeps one-frame false positives out. @default 1 */
  minHits?: number;
}

export interface TrackUpdate {
  /** For each input box, in order, the id of the track it now belongs to. */
  readonly trackIds: readonly number[];
  /** Ids of tracks dropped in this update. */
  readonly lost: readonly number[];
}

interface MutableTrack {
  id: number;
  box: Box;
  hits: number;
  misses: number;
}

/**
 * Follows faces across frames by box overlap: each frame's detections are matched to the existing
 * tracks greedily, best IoU first; unmatched detections start new tracks. Pure: it counts frames,
 * not time.
 */
export class FaceTracker {
  readonly #minIou: number;
  readonly #maxMisses: number;
  readonly #minHits: number;
  #tracks: MutableTrack[] = [];
  #nextId = 1;

  constructor(options: FaceTrackerOptions = {}) {
    this.#minIou = options.minIou ?? 0.3;
    this.#maxMisses = options.maxMisses ?? 5;
    this.#minHits = options.minHits ?? 1;
    if (!(this.#minIou > 0 && this.#minIou <= 1)) throw new RangeError(`Expected \`minIou\` to be in (0, 1], got \`${this.#minIou}\``);
    if (!(Number.isInteger(this.#maxMisses) && this.#maxMisses >= 0))
      throw new RangeError(`Expected \`maxMisses\` to be an integer >= 0, got \`${this.#maxMisses}\``);
    if (!(Number.isInteger(this.#minHits) && this.#minHits >= 1))
      throw new RangeError(`Expected \`minHits\` to be an integer >= 1, got \`${this.#minHits}\``);
  }

  /** The live tracks, oldest first. */
  get tracks(): readonly Track[] {
    return this.#tracks.map((t) => ({ ...t, isConfirmed: t.hits >= this.#minHits }));
  }

  /** Folds in one frame's detections. */
  update(boxes: readonly Box[]): TrackUpdate {
    const pairs: Array<{ track: number; box: number; overlap: number }> = [];
    this.#tracks.forEach((track, t) => {
      boxes.forEach((box, b) => {
        const overlap = iou(track.box, box);
        if (overlap >= this.#minIou) pairs.push({ track: t, box: b, overlap });
      });
    });
    pairs.sort((p, q) => q.overlap - p.overlap || p.track - q.track || p.box - q.box);

    const trackIds = new Array<number>(boxes.length).fill(0);
    const matchedTracks = new Set<number>();
    for (const { track, box } of pairs) {
      if (matchedTracks.has(track) || trackIds[box] !== 0) continue;
      const t = this.#tracks[track];
      const b = boxes[box];
      if (t === undefined || b === undefined) continue;
      matchedTracks.add(track);
      t.box = b;
      t.hits += 1;
      t.misses = 0;
      trackIds[box] = t.id;
    }

    const lost: number[] = [];
    this.#tracks = this.#tracks.filter((t, index) => {
      if (matchedTracks.has(index)) return true;
      t.misses += 1;
      if (t.misses > this.#maxMisses) {
        lost.push(t.id);
        return false;
      }
      return true;
    });

    boxes.forEach((box, b) => {
      if (trackIds[b] !== 0) return;
      const track = { id: this.#nextId++, box, hits: 1, misses: 0 };
      this.#tracks.push(track);
      trackIds[b] = track.id;
    });
    return { trackIds, lost };
  }

  /** Drops every track (the source was reopened, say). */
  reset(): void {
    this.#tracks = [];
  }
}
