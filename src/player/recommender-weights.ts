/**
 * The recommender's tuning: every number that decides how much one thing counts against another.
 * The engine (`Recommender`) and the sampler only apply them. Multipliers act on a track's odds,
 * which start at its fit to the aimed mood to the fourth power; 1 is neutral, above 1 favours,
 * below 1 disfavours, 0 rules out.
 */
export const RECOMMENDER_WEIGHTS = {
  /**
   * How much closeness on the valence/arousal plane counts against a match by mood name (0–1).
   * 0.7: a track tagged with the exact mood beats a neighbour, yet a near neighbour still plays when
   * few tracks carry the mood. Raise it to mix neighbouring moods in more. (On a lift's way to its
   * target only closeness counts, in full.)
   */
  nearMood: 0.7,
  /**
   * The distance on the valence/arousal plane at which a track counts half as close (closeness is
   * `nearMood / (1 + d² / proximityScale²)`; to a room of several moods, the sum over its moods,
   * each by its share, not the closeness to the one point between them). 0.35 is about half the gap between two neighbouring
   * built-in moods: calm and mellow (0.72 apart) stay distinct, each still reaches the other.
   */
  proximityScale: 0.35,
  /**
   * The fit below which a track is left out of the strict passes (it plays only when nothing else
   * may). 0.2: its odds, 0.2⁴ = 0.0016 of a perfect fit, are negligible anyway, and leaving it out
   * keeps a pass over a large library short.
   */
  minFit: 0.2,
  /** The fit of a track with no moods at all, in the last-resort pass: 0.02 makes it possible but rare. */
  untaggedFit: 0.02,
  /**
   * How far a lift moves per play on the valence/arousal plane when the policy gives no `stepSize`.
   * 0.35, the same as `proximityScale`: each step is a neighbour of the last, so the room does not
   * hear a jump, and crossing the plane (about 1.4 from mellow to upbeat) takes four or five songs.
   */
  liftStepSize: 0.35,
  /** Odds of tracks in one of the listener's languages: ×2, a clear lean without drowning out the mood. */
  favouriteLanguage: 2,
  /**
   * Odds of tracks in a known language the listener did not name: ×0.5. Together with
   * `favouriteLanguage` their language is 4× likelier; tracks with no language tagged keep ×1.
   */
  otherLanguage: 0.5,
  /** Odds of tracks by the listener's artists: ×4, the strongest lean: naming an artist is a clear wish. */
  favouriteArtist: 4,
  /**
   * Odds of an artist heard in the room's last `recentArtistPlays` plays, once per play: ×0.5, for
   * variety. (The very last play's artist is ruled out altogether while anything else may play.)
   */
  recentArtist: 0.5,
  /** How many of the room's latest plays count for `recentArtist`: 5, about a quarter of an hour. */
  recentArtistPlays: 5,
  /**
   * Odds of an artist the room skipped in its last `skipMemoryPlays` plays, once per skip: ×0.4, a
   * little stronger than `recentArtist`: a skip says more than a play.
   */
  skippedArtist: 0.4,
  /** How many of the room's latest plays a skip is remembered for: 30, about an hour and a half. */
  skipMemoryPlays: 30,
  /** Odds of a track the listener liked: ×3, enough that likes come back often, not every time. */
  likedTrack: 3,
  /** Odds of a track the listener skipped: ×0.3, rarely again for them, but not never (a skip may be a mood). */
  skippedTrack: 0.3,
  /**
   * A track whose weight of a mood the listener avoids reaches this is ruled out; below it its odds
   * are multiplied by `1 − weight`. 0.5: mostly that mood is never played, a hint of it only lowers the odds.
   */
  avoidMoodCutoff: 0.5,
  /**
   * When the repeat window would leave nothing to play, the second pass blocks only this many of the
   * latest plays (or fewer, if the window is smaller). 3: a short library still never loops within a few songs.
   */
  relaxedRepeatPlays: 3,
} as const;

/** The weights a `Recommender` runs with: the same keys as `RECOMMENDER_WEIGHTS`, any values. */
export type RecommenderWeights = { readonly [K in keyof typeof RECOMMENDER_WEIGHTS]: number };

/** The weights that count plays, and must therefore be whole numbers. */
const COUNTS: ReadonlySet<keyof RecommenderWeights> = new Set(['recentArtistPlays', 'skipMemoryPlays', 'relaxedRepeatPlays']);

/**
 * `RECOMMENDER_WEIGHTS` with `overrides` on top, checked and frozen. Throws a `RangeError` for a
 * weight that is not a number ≥ 0 (or, for a count of plays, an integer ≥ 0).
 */
export function resolveWeights(overrides: Partial<RecommenderWeights> = {}): RecommenderWeights {
  const weights: Record<string, number> = { ...RECOMMENDER_WEIGHTS };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in RECOMMENDER_WEIGHTS)) {
      throw new RangeError(`Expected \`weights.${key}\` to be one of ${Object.keys(RECOMMENDER_WEIGHTS).join(', ')}, got \`${key}\``);
    }
    if (value === undefined) continue;
    const isCount = COUNTS.has(key as keyof RecommenderWeights);
    if (!(Number.isFinite(value) && value >= 0 && (!isCount || Number.isInteger(value)))) {
      throw new RangeError(
        `Expected \`weights.${key}\` to be ${isCount ? 'an integer' : 'a number'} ≥ 0, got \`${value}\` (${typeof value})`,
      );
    }
    weights[key] = value;
  }
  return Object.freeze(weights as RecommenderWeights);
}
