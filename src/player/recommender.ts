import type { Random } from '../kernel/random.js';
import type { Said } from '../kernel/said.js';
import { FitCache, type FitQuery, type Fits } from './fit-cache.js';
import type { MoodPoint } from './moods.js';
import { PICK_REASONS, type Reason } from './pick-reasons.js';
import { resolveWeights, type RecommenderWeights } from './recommender-weights.js';
import { Sampler, type HistoryEntry, type ListenerTaste, type Strictness } from './sampler.js';
import type { TrackIndex } from './track-index.js';
import { TasteScorer, type LearnedTastes } from './taste/taste-scorer.js';

export type { CandidateTrack } from './track-index.js';
export type { HistoryEntry, ListenerTaste } from './sampler.js';
export type { LearnedTastes } from './taste/taste-scorer.js';
export type { Reason } from './pick-reasons.js';

/**
 * `match` plays to the room mood. `lift` starts where the music is now (the last play, else the room
 * mood) and moves one step of `stepSize` (valence/arousal units, default
 * `RECOMMENDER_WEIGHTS.liftStepSize`) toward `target` per play.
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
  /**
   * What was learned from earlier plays (the signed-in person's and the room's): re-weights the
   * candidates on top of the fixed weights. Left out, or with nothing learned: the fixed weights alone.
   */
  learned?: LearnedTastes;
  /**
   * Tracks placed above this arousal (−1 calm … 1 excited: where the analysis heard them, else
   * where their moods sit) are not picked, however loose the pass; tracks without a place may be.
   * Left out: no cap.
   */
  maxArousal?: number;
}

/** `learned`: the main reason is a factor the taste model learned (its text names it). */
export type ReasonKind = 'mood' | 'lift' | 'liked' | 'learned' | 'artist' | 'language' | 'fallback';

/** Why a track was picked. */
export interface PickReason {
  kind: ReasonKind;
  /** In plain words, addressed to the listener where it is theirs ("you liked it; fits calm"). */
  text: string;
  /** `text` as a message of the screens' catalogues, for the reader's language (`PICK_REASONS`). */
  said: Said;
  /**
   * Whose taste it comes from: `person` for the listener's own (their likes, artists, language,
   * or what was learned from their plays), `room` for the rest (the mood, a lift, the room's
   * learned taste, a fallback).
   */
  whose: 'person' | 'room';
}

export interface Pick {
  trackId: number;
  /** How well the track fits what was asked, 0–1. */
  fit: number;
  /** The main reason, for the history and the UI. */
  reason: PickReason;
}

export interface Recommendation {
  /** Undefined only when the library is empty. */
  next: Pick | undefined;
  suggestions: Pick[];
  /** The mood the picks aim at: the room mood for `match`, this step's mood for `lift`. */
  aim: string;
  /**
   * Set when no track fits `aim` at all (`match` only): the nearest mood on the plane that has
   * tracks, whose tracks are picked instead (each with reason `fallback`, saying so).
   */
  standIn?: string;
}

export interface RecommenderOptions {
  /** A track is not picked again within this many plays. @default 20 */
  noRepeatPlays?: number;
  /** A track is not picked again within this many minutes. @default 90 */
  noRepeatMinutes?: number;
  /** Tuning: any of `RECOMMENDER_WEIGHTS`, overridden. @default RECOMMENDER_WEIGHTS */
  weights?: Partial<RecommenderWeights>;
}

/**
 * Picks what to play next from a `TrackIndex`: aims at the room mood (or a lift's next step),
 * scores each track's fit (`FitCache`), and draws the next track and the suggestions (`Sampler`).
 * Deterministic: the same index, options, request and seeded `Random` give the same picks. Not
 * pure: it keeps the fits of recent aims and the sampler's buffers between calls (never the index,
 * which it only reads), so an instance serves one caller at a time; build one per library load.
 */
export class Recommender {
  /** The library it picks from; shared, never changed by a recommendation. */
  readonly #index: TrackIndex;
  readonly #weights: RecommenderWeights;
  readonly #fits: FitCache;
  readonly #sampler: Sampler;
  readonly #taste: TasteScorer;
  /** Whether the current recommendation uses a learned taste (for its reasons). */
  #isLearning = false;

  constructor(index: TrackIndex, options: RecommenderOptions = {}) {
    this.#index = index;
    this.#weights = resolveWeights(options.weights);
    const noRepeatPlays = checkCount('noRepeatPlays', options.noRepeatPlays ?? 20);
    const noRepeatMs = checkCount('noRepeatMinutes', options.noRepeatMinutes ?? 90) * 60_000;
    this.#fits = new FitCache(index, this.#weights);
    this.#sampler = new Sampler(index, this.#weights, { noRepeatPlays, noRepeatMs });
    this.#taste = new TasteScorer(index);
  }

  /**
   * The next track and `suggestions` more, all distinct, each with a reason. Never repeats a track
   * within the window, never the last play's artist; when the library is too small for that, the
   * rules are relaxed (reason `fallback`) rather than returning nothing.
   */
  recommend(request: RecommendRequest, random: Random): Recommendation {
    const index = this.#index;
    const sampler = this.#sampler;
    const count = checkCount('suggestions', request.suggestions ?? 6);
    const room = normaliseMood(request.mood);
    const policy = request.policy ?? { kind: 'match' };
    const aim = this.#aim(room, policy, request.history ?? []);
    if (index.size === 0) return { next: undefined, suggestions: [], aim: aim.name };

    let fits = this.#fits.fitsFor(aim);
    // No track fits the room at all: the nearest mood that has tracks stands in, rather than
    // whatever happens to lie least far from the room (a mix from every side of the plane).
    const standIn = policy.kind === 'match' && fits.close.length === 0 ? this.#nearestWithTracks(aim) : undefined;
    if (standIn !== undefined) fits = standIn.fits;
    const history = request.history ?? [];
    const liked = sampler.setTaste(request.listener ?? {}, history);
    const lastArtist = this.#lastArtist(history);
    this.#learn(request, liked, fits);

    const chosen: number[] = [];
    const reasons: Pick[] = [];
    for (const [k, pass] of PASSES.entries()) {
      const plays = pass.plays === 'rotation' ? this.#rotationPlays(history) : undefined;
      sampler.block(history, request.now, pass.strictness, chosen, request.maxArousal, plays);
      // The first pass looks only at tracks that fit at all; the later ones at every track.
      if (pass.every) {
        this.#fits.complete(fits);
        // Every track is weighed now, with the fits just completed: their learned odds too.
        if (this.#isLearning) this.#taste.extend(index.all);
      }
      const candidates = pass.every ? index.all : fits.close;
      const total = sampler.weigh(candidates, fits.fit, pass.anyArtist ? -2 : lastArtist, pass.strictness);
      if (total <= 0) continue;
      const chosenArtists = new Set(chosen.map((i) => index.artist[i] ?? -1));
      while (chosen.length < count + 1) {
        const i = sampler.draw(random, candidates, total, chosen, chosenArtists);
        if (i < 0) break;
        chosen.push(i);
        chosenArtists.add(index.artist[i] ?? -1);
        reasons.push(this.#pick(i, fits.fit[i] ?? 0, aim, liked, k > 0, standIn?.name));
      }
      if (chosen.length === count + 1) break;
    }
    const out: Recommendation = { next: reasons[0], suggestions: reasons.slice(1), aim: aim.name };
    if (standIn !== undefined) out.standIn = standIn.name;
    return out;
  }

  /**
   * The mood whose tracks play for a room in `mood` when no track fits it at all: the nearest mood
   * on the plane that has tracks; undefined when some track fits `mood`, or none fits any mood.
   */
  standInFor(mood: string | Readonly<Record<string, number>>): string | undefined {
    const aim = this.#aim(normaliseMood(mood), { kind: 'match' }, []);
    return this.#fits.fitsFor(aim).close.length > 0 ? undefined : this.#nearestWithTracks(aim)?.name;
  }

  /**
   * How many of the latest plays a rotation keeps back: all but those of the tracks heard longest
   * ago, so that a library smaller than the repeat window plays each of its songs before any again.
   */
  #rotationPlays(history: readonly HistoryEntry[]): number {
    const index = this.#index;
    const playable = index.size - index.nearSilent.length;
    const heard = new Set<number>();
    let plays = 0;
    for (const entry of history) {
      const i = index.positionOf(entry.trackId);
      if (i !== undefined && !heard.has(i)) {
        // Keeping this play back too would leave no track to play.
        if (heard.size + 1 >= playable) break;
        heard.add(i);
      }
      plays++;
    }
    return plays;
  }

  /** The nearest mood to the aim's point (the aim's own moods left out) that some track fits, with its fits. */
  #nearestWithTracks(aim: Aim): { name: string; fits: Fits } | undefined {
    const point = aim.point;
    if (point === undefined) return undefined;
    const moods = Object.entries(this.#index.coordinates)
      .filter(([mood]) => !(mood in aim.weights))
      .map(([mood, p]) => ({ mood, p, distance: Math.hypot(p.valence - point.valence, p.arousal - point.arousal) }))
      .sort((a, b) => a.distance - b.distance || a.mood.localeCompare(b.mood));
    for (const { mood, p } of moods) {
      const fits = this.#fits.fitsFor({ weights: { [mood]: 1 }, point: p, isOnTheWay: false });
      if (fits.close.length > 0) return { name: mood, fits };
    }
    return undefined;
  }

  /**
   * How many tracks fit `mood` at all (a mood name, or weights of moods), as the picks for a room in
   * that mood count them: by their tags and by where the analysis placed them. With fewer than the
   * next track and its suggestions, the picks for that mood reach beyond it.
   */
  fittingCount(mood: string | Readonly<Record<string, number>>): number {
    const room = normaliseMood(mood);
    return this.#fits.fitsFor(this.#aim(room, { kind: 'match' }, [])).close.length;
  }

  /** Sets the sampler's learned odds for this request (none when nothing was learned). */
  #learn(request: RecommendRequest, liked: ReadonlySet<number>, fits: Fits): void {
    const learned = request.learned;
    let multipliers;
    if (learned !== undefined) {
      const index = this.#index;
      const positions = (ids: readonly number[] | undefined): Set<number> => {
        const out = new Set<number>();
        for (const id of ids ?? []) {
          const i = index.positionOf(id);
          if (i !== undefined) out.add(i);
        }
        return out;
      };
      const heard = positions((request.history ?? []).map((h) => h.trackId));
      const skipped = positions(request.listener?.skippedTrackIds);
      multipliers = this.#taste.multipliers(learned, { now: request.now, liked, skipped, heard, fit: fits.fit }, fits.close);
    }
    this.#isLearning = multipliers !== undefined;
    this.#sampler.setLearned(multipliers);
  }

  #aim(room: Record<string, number>, policy: RecommendPolicy, history: readonly HistoryEntry[]): Aim {
    const index = this.#index;
    const roomName = strongest(room);
    if (policy.kind === 'match') {
      return { name: roomName, weights: room, point: this.#pointOfWeights(room), isOnTheWay: false, kind: 'mood', from: roomName };
    }
    const target = index.coordinates[policy.target];
    const stepSize = policy.stepSize ?? this.#weights.liftStepSize;
    if (!(stepSize > 0)) throw new RangeError(`Expected \`stepSize\` to be above 0, got \`${stepSize}\` (number)`);
    const arrived: Aim = {
      name: policy.target,
      weights: { [policy.target]: 1 },
      point: target,
      isOnTheWay: false,
      kind: 'lift',
      from: roomName,
    };
    // Where the music is now: the last play that has a place on the plane, else the room mood.
    let from: MoodPoint | undefined;
    for (const entry of history) {
      const point = index.pointOf(entry.trackId);
      if (point) {
        from = point;
        arrived.from = index.topMood(entry.trackId) ?? roomName;
        break;
      }
    }
    from ??= this.#pointOfWeights(room);
    // Without coordinates there is no path; play the target itself.
    if (!target || !from) return arrived;
    const dv = target.valence - from.valence;
    const da = target.arousal - from.arousal;
    const distance = Math.hypot(dv, da);
    if (distance <= stepSize) return arrived;
    // Rounded to a 0.02 grid so that nearby steps share cached fits.
    const point = {
      valence: Math.round((from.valence + (dv * stepSize) / distance) * 50) / 50,
      arousal: Math.round((from.arousal + (da * stepSize) / distance) * 50) / 50,
    };
    return {
      name: this.#nearestMood(point),
      weights: {},
      point,
      isOnTheWay: true,
      kind: 'lift',
      from: arrived.from,
      target: policy.target,
    };
  }

  #pointOfWeights(weights: Record<string, number>): MoodPoint | undefined {
    let v = 0;
    let a = 0;
    let total = 0;
    for (const [mood, weight] of Object.entries(weights)) {
      const point = this.#index.coordinates[mood];
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
    for (const [mood, p] of Object.entries(this.#index.coordinates)) {
      const d = Math.hypot(p.valence - point.valence, p.arousal - point.arousal);
      if (d < bestDistance) [best, bestDistance] = [mood, d];
    }
    return best;
  }

  #lastArtist(history: readonly HistoryEntry[]): number {
    const first = history[0];
    const i = first === undefined ? undefined : this.#index.positionOf(first.trackId);
    return i === undefined ? -1 : (this.#index.artist[i] ?? -1);
  }

  #pick(i: number, rawFit: number, aim: Aim, liked: ReadonlySet<number>, isFallback: boolean, standIn: string | undefined): Pick {
    const index = this.#index;
    const trackId = index.ids[i] ?? 0;
    const fit = Math.round(rawFit * 1000) / 1000;
    const reason = (kind: ReasonKind, { text, said }: Reason, whose: PickReason['whose']): Pick => ({
      trackId,
      fit,
      reason: { kind, text, said, whose },
    });
    const own = index.topMood(trackId);
    if (rawFit < this.#weights.minFit && own !== undefined && own !== aim.name && (isFallback || standIn !== undefined)) {
      // Far from the aim, picked as the songs near it played lately or are few: it says so, by its own mood.
      return reason('fallback', PICK_REASONS.fewNear(own, aim.name), 'room');
    }
    if (standIn !== undefined) {
      // Its fit is to the stand-in mood; the reason says the room's mood has no songs.
      return reason('fallback', PICK_REASONS.noSongsFit(aim.name, standIn), 'room');
    }
    if (isFallback) {
      // About the song itself: the fallback kind alone says that few tracks fit.
      // Its own mood may be the aim's (a song the recent plays or the artist rule kept back): "calm, near calm" said nothing.
      return reason('fallback', PICK_REASONS.fallback(own, aim.name), 'room');
    }
    if (liked.has(i)) return reason('liked', PICK_REASONS.liked(aim.name), 'person');
    const learned = this.#isLearning ? this.#taste.explain(i) : undefined;
    if (learned !== undefined) return reason('learned', PICK_REASONS.learned(learned.text, learned.said, aim.name), learned.whose);
    if (this.#sampler.isFavouriteArtist(i)) {
      const artist = index.artistNames[index.artist[i] ?? 0] ?? '';
      return reason('artist', PICK_REASONS.artist(artist, aim.name), 'person');
    }
    if (aim.kind === 'lift') {
      const lift = aim.target === undefined ? PICK_REASONS.liftReached(aim.name) : PICK_REASONS.liftStep(aim.from, aim.target, aim.name);
      return reason('lift', lift, 'room');
    }
    if (this.#sampler.isFavouriteLanguage(i)) return reason('language', PICK_REASONS.language(aim.name), 'person');
    return reason('mood', PICK_REASONS.fits(aim.name, index.topMood(trackId)), 'room');
  }
}

/**
 * The passes of a recommendation, each looser than the one before, until the next track and its
 * suggestions are drawn: the repeat window holds while any other track can play, over the tracks
 * that fit first, then every track by its fit (the nearest moods, then the rest), then any artist
 * (a library of one artist); then a rotation (the tracks heard longest ago), then the last few
 * plays alone, then anything but the last track.
 */
const PASSES: ReadonlyArray<{ strictness: Strictness; every: boolean; anyArtist: boolean; plays?: 'rotation' }> = [
  { strictness: 0, every: false, anyArtist: false },
  { strictness: 0, every: true, anyArtist: false },
  { strictness: 0, every: true, anyArtist: true },
  { strictness: 1, every: true, anyArtist: true, plays: 'rotation' },
  { strictness: 1, every: false, anyArtist: false },
  { strictness: 2, every: true, anyArtist: true },
];

interface Aim extends FitQuery {
  /** The mood named in reasons. */
  name: string;
  kind: 'mood' | 'lift';
  from: string;
  /** Set while a lift is still on its way. */
  target?: string;
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

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`Expected \`${name}\` to be an integer ≥ 0, got \`${value}\` (number)`);
  return value;
}
