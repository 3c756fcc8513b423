import type { Clock } from '../../kernel/clock.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../store/store.js';
import {
  DEFAULT_EMOTION,
  DEFAULT_EMOTION_MOODS,
  EMOTIONS,
  moodsForEmotions,
  type Emotion,
  type EmotionMoodMap,
} from '../../player/moods.js';
import type { HistoryEntry, LearnedTastes, ListenerTaste, Recommendation, Recommender, RecommendPolicy } from '../../player/recommender.js';
import { leanToward, maxArousalOf, type DayPlan } from './day-plan-policy.js';

/** How many of the room's latest plays the recommender looks back at (its repeat window is 20 plays or 90 minutes). */
const HISTORY_PLAYS = 100;

export interface RecommendForDeps {
  /**
   * Where the listener's taste, the room's recent plays and the learned tastes (`taste`; without
   * it, the fixed weights alone) are read from.
   */
  store: Pick<Store, 'users' | 'plays'> & Partial<Pick<Store, 'taste'>>;
  clock: Pick<Clock, 'now'>;
  random: Random;
  /** The engine over the library as loaded now. */
  recommender: Recommender;
  /** The emotion → mood table the room's emotions are turned into moods by. @default `DEFAULT_EMOTION_MOODS` */
  emotionMoods?: EmotionMoodMap;
}

export interface RecommendForInput {
  /**
   * The room's per-emotion scores, any scale (the vision pipeline's are 0–1). They are blended into
   * mood weights through the emotion → mood table. Empty, or no score above 0 (nobody read
   * yet, nobody there): the default, a neutral one-hot.
   */
  scores: Readonly<Partial<Record<Emotion, number>>>;
  /**
   * `match` plays to the room's moods; `lift` steps toward `liftTo`, by default the table's `liftTo`
   * of the strongest emotion, and matches when there is none. @default 'match'
   */
  policy?: 'match' | 'lift';
  /** The mood a lift steps toward, instead of the table's (`moodbox recommend --lift`). */
  liftTo?: string;
  /** Mood weights (any scale) to aim at instead of those `scores` blend into (`moodbox recommend --mood calm`). */
  moods?: Readonly<Record<string, number>>;
  /** The signed-in person whose taste shapes the picks; null for nobody. @default null */
  userId?: number | null;
  /** How many suggestions besides the next track. @default 6 */
  suggestions?: number;
  /**
   * The day plan in force: the picks lean toward its mood (`LEAN_SHARE` of the weights) and leave
   * out songs above its energy cap, unless none is left under it. @default none
   */
  plan?: Pick<DayPlan, 'mood' | 'energyCap'> | null;
}

/** The picks, with the mood weights they were asked for (`room`: what a playing track is checked against). */
export type RoomRecommendation = Recommendation & { room: Record<string, number> };

/**
 * What to play for the room now: builds the request from the room's emotions (through the emotion →
 * mood table), the store (the listener's taste, the room's history, the time) and asks the engine. The one place a
 * recommendation request is built, for the music director and `moodbox recommend` alike.
 */
export function recommendFor(deps: RecommendForDeps, input: RecommendForInput): RoomRecommendation {
  const { store, clock, random, recommender } = deps;
  const map = deps.emotionMoods ?? DEFAULT_EMOTION_MOODS;
  const scores = readScores(input.scores);
  const plan = input.plan ?? null;
  const asked = input.moods === undefined ? moodsForEmotions(scores, map) : { ...input.moods };
  const room = plan === null ? asked : leanToward(asked, plan.mood);
  const liftTo = input.liftTo ?? map[strongest(scores)].liftTo;
  const policy: RecommendPolicy = input.policy === 'lift' && liftTo !== undefined ? { kind: 'lift', target: liftTo } : { kind: 'match' };
  const userId = input.userId ?? null;
  const request = {
    mood: room,
    policy,
    ...(userId === null ? {} : { listener: listenerTaste(store, userId) }),
    history: roomHistory(store),
    now: clock.now(),
    ...(input.suggestions === undefined ? {} : { suggestions: input.suggestions }),
    ...(store.taste === undefined ? {} : { learned: learnedTastes(store.taste, userId) }),
  };
  const maxArousal = plan === null ? undefined : maxArousalOf(plan.energyCap);
  const capped = maxArousal === undefined ? undefined : recommender.recommend({ ...request, maxArousal }, random);
  // A cap that leaves nothing to play (a library of loud songs) gives way: music under no cap beats silence.
  const recommendation = capped?.next !== undefined ? capped : recommender.recommend(request, random);
  return { ...recommendation, room };
}

/** The scores above 0 (finite), or the default one-hot when there is none. */
function readScores(scores: Readonly<Partial<Record<Emotion, number>>>): Partial<Record<Emotion, number>> {
  const out: Partial<Record<Emotion, number>> = {};
  let hasAny = false;
  for (const emotion of EMOTIONS) {
    const score = scores[emotion];
    if (score === undefined || !Number.isFinite(score) || score <= 0) continue;
    out[emotion] = score;
    hasAny = true;
  }
  return hasAny ? out : { [DEFAULT_EMOTION]: 1 };
}

/** The emotion with the highest score (the first in `EMOTIONS` order on a tie). */
function strongest(scores: Readonly<Partial<Record<Emotion, number>>>): Emotion {
  let best: Emotion = DEFAULT_EMOTION;
  let bestScore = 0;
  for (const emotion of EMOTIONS) {
    const score = scores[emotion] ?? 0;
    if (score > bestScore) [best, bestScore] = [emotion, score];
  }
  return best;
}

/** What a person likes, as the recommender takes it: preferences, likes and skips. */
function listenerTaste(store: Pick<Store, 'users' | 'plays'>, userId: number): ListenerTaste {
  const user = store.users.get(userId);
  if (user === undefined) return {};
  const feedback = store.plays.feedbackFor(userId);
  return {
    languages: user.preferences.languages ?? [],
    artists: user.preferences.artists ?? [],
    avoidMoods: user.preferences.avoidMoods ?? [],
    likedTrackIds: feedback.filter((f) => f.kind === 'like').map((f) => f.trackId),
    skippedTrackIds: feedback.filter((f) => f.kind === 'skip').map((f) => f.trackId),
  };
}

/** The room's learned taste, and the signed-in person's. */
function learnedTastes(taste: Store['taste'], userId: number | null): LearnedTastes {
  return { room: taste.get('room'), person: userId === null ? undefined : taste.get({ userId }) };
}

/** The room's recent plays, newest first, as the recommender takes them. */
function roomHistory(store: Pick<Store, 'plays'>): HistoryEntry[] {
  return store.plays
    .list({ limit: HISTORY_PLAYS })
    .items.filter((p) => p.trackId !== null)
    .map((p) => ({ trackId: p.trackId ?? 0, startedAt: p.startedAt, outcome: p.outcome }));
}
