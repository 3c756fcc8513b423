import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { FeedbackKind, Play, Store, TasteOwner } from '../store/store.js';
import type { Player, PlayOutcome, PlayReason } from '../../player/player.js';
import { daypartOf, tasteFeatures, trackTaste } from '../../player/taste/features.js';
import { emptyModel, learn, type TasteModel } from '../../player/taste/logistic.js';

/** How many of the room's plays before one make it `heard` (familiar): the recommender looks back as far. */
const HEARD_WINDOW = 100;
/** How many plays a rebuild from history replays, newest: a few months of a busy café. */
const REBUILD_PLAYS = 5000;
/** A like or a tap counts as this many finished plays: the clearest signal a person gives. */
const STRONG = 2;

type TasteStore = Pick<Store, 'taste' | 'tracks' | 'plays' | 'users'>;

/** One play as the learner takes it, live or from the history. */
export interface PlayOutcomeInput {
  trackId: number;
  userId: number | null;
  reason: PlayReason;
  /** The mood it was picked for. */
  mood: string | null;
  outcome: PlayOutcome;
  startedAt: number;
  endedAt: number;
  /** Played in the room's recent plays before this one. */
  heard: boolean;
  /** The person's likes and skips, newest first (any order works). */
  feedback: ReadonlyArray<{ trackId: number; kind: FeedbackKind; at: number }>;
}

/**
 * The example a play teaches, or undefined when it teaches nothing (it failed or was cut short by
 * a stop, or the track is gone). Finished: positive; skipped: negative; liked while it played, or
 * tapped and played to the end: positive, counting double.
 */
export function exampleOf(
  store: Pick<Store, 'tracks'>,
  play: PlayOutcomeInput,
): { features: Record<string, number>; label: 0 | 1; weight: number } | undefined {
  if (play.outcome !== 'completed' && play.outcome !== 'skipped') return undefined;
  const track = store.tracks.get(play.trackId);
  if (track === undefined) return undefined;
  const mine = play.feedback.filter((f) => f.trackId === play.trackId);
  const likedBefore = mine.some((f) => f.kind === 'like' && f.at < play.startedAt);
  const skippedBefore = mine.some((f) => f.kind === 'skip' && f.at < play.startedAt);
  const likedNow = mine.some((f) => f.kind === 'like' && f.at >= play.startedAt && f.at <= play.endedAt);
  const features = tasteFeatures({
    ...trackTaste({ artist: track.artist, language: track.language, moods: store.tracks.moods(track.id) }, play.mood),
    liked: likedBefore,
    skipped: skippedBefore,
    heard: play.heard,
    daypart: daypartOf(play.startedAt),
  });
  if (likedNow) return { features, label: 1, weight: STRONG };
  if (play.outcome === 'skipped') return { features, label: 0, weight: 1 };
  return { features, label: 1, weight: play.reason === 'tap' ? STRONG : 1 };
}

export interface TasteLearnerDeps {
  store: TasteStore;
  /** Any player: only its track events are used. */
  player: Pick<Player, 'events'>;
  clock: Pick<Clock, 'now'>;
  log: Pick<Log, 'info' | 'error'>;
}

/**
 * Teaches the recommender's taste models from every play that ends: the room's from every play,
 * the signed-in person's from theirs. One update per play (a few weights each), stored at once, so
 * a restart loses nothing. On start, a model that is missing (a new database, an upgrade) is
 * rebuilt from the play history. A model that cannot be written is logged and reported by
 * `health()`; it never stops the music.
 */
export class TasteLearner implements Service {
  readonly name = 'taste';
  readonly #deps: TasteLearnerDeps;
  /** When each play that has not ended started, by queue key. */
  readonly #started = new Map<number, number>();
  #isListening = false;
  #lastError: string | undefined;

  constructor(deps: TasteLearnerDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    if (this.#isListening) return;
    try {
      this.rebuildMissing();
    } catch (err) {
      this.#failed(err, 'cannot rebuild the taste models from the history');
    }
    const events = this.#deps.player.events;
    this.#isListening = true;
    events.on('trackStarted', ({ item }) => void this.#started.set(item.key, this.#deps.clock.now()), this);
    events.on(
      'trackEnded',
      ({ item, outcome }) => {
        const startedAt = this.#started.get(item.key) ?? this.#deps.clock.now();
        this.#started.delete(item.key);
        try {
          this.#learnLive({ trackId: item.track.id, userId: item.userId, reason: item.reason, mood: item.mood, outcome, startedAt });
        } catch (err) {
          this.#failed(err, 'cannot learn from the play');
        }
      },
      this,
    );
  }

  async stop(): Promise<void> {
    this.#isListening = false;
    this.#started.clear();
  }

  health(): ServiceHealth {
    return this.#lastError === undefined
      ? { status: 'ready' }
      : { status: 'degraded', detail: `the taste models cannot be updated: ${this.#lastError}` };
  }

  /** Rebuilds the room's model and each person's from the play history where none is stored; returns the owners rebuilt. */
  rebuildMissing(): TasteOwner[] {
    const { store } = this.#deps;
    const rebuilt: TasteOwner[] = [];
    if (store.taste.get('room') === undefined) {
      const plays = store.plays.list({ limit: REBUILD_PLAYS }).items.reverse();
      if (this.#replay('room', plays, plays)) rebuilt.push('room');
    }
    for (const user of store.users.list()) {
      const owner = { userId: user.id };
      if (store.taste.get(owner) !== undefined) continue;
      const plays = store.plays.list({ userId: user.id, limit: REBUILD_PLAYS }).items.reverse();
      if (this.#replay(owner, plays, plays)) rebuilt.push(owner);
    }
    if (rebuilt.length > 0) this.#deps.log.info({ models: rebuilt.length }, 'taste models rebuilt from the play history');
    return rebuilt;
  }

  /** Learns `plays` (oldest first) into a new model for `owner`, `context` the plays "heard" is judged against; false when none taught anything. */
  #replay(owner: TasteOwner, plays: readonly Play[], context: readonly Play[]): boolean {
    const { store, clock } = this.#deps;
    const model = emptyModel();
    const feedback = new Map<number, ReturnType<Store['plays']['feedbackFor']>>();
    const seen: number[] = [];
    let k = 0;
    for (const play of plays) {
      // The room's plays before this one, for `heard`.
      while (k < context.length && (context[k]?.startedAt ?? 0) < play.startedAt) seen.push(context[k++]?.trackId ?? -1);
      if (play.trackId === null || play.outcome === null || play.endedAt === null) continue;
      let mine = play.userId === null ? [] : feedback.get(play.userId);
      if (mine === undefined && play.userId !== null) feedback.set(play.userId, (mine = store.plays.feedbackFor(play.userId)));
      const example = exampleOf(store, {
        trackId: play.trackId,
        userId: play.userId,
        reason: play.reason,
        mood: play.mood,
        outcome: play.outcome,
        startedAt: play.startedAt,
        endedAt: play.endedAt,
        heard: seen.slice(-HEARD_WINDOW).includes(play.trackId),
        feedback: mine ?? [],
      });
      if (example) learn(model, example.features, example.label, example.weight);
    }
    if (model.examples === 0) return false;
    store.taste.save(owner, model, clock.now());
    return true;
  }

  #learnLive(play: Omit<PlayOutcomeInput, 'endedAt' | 'heard' | 'feedback'>): void {
    const { store, clock } = this.#deps;
    const endedAt = clock.now();
    // The play itself is the newest in the history (the recorder started it): heard means played before that too.
    const recent = store.plays.list({ limit: HEARD_WINDOW + 1 }).items;
    const heard = recent.filter((p) => p.trackId === play.trackId).length > 1;
    const person = play.userId !== null && store.users.get(play.userId) !== undefined ? play.userId : null;
    const feedback = person === null ? [] : store.plays.feedbackFor(person, { limit: 1000 });
    const example = exampleOf(store, { ...play, endedAt, heard, feedback });
    if (example === undefined) return;
    const owners: TasteOwner[] = person === null ? ['room'] : ['room', { userId: person }];
    for (const owner of owners) {
      const model: TasteModel = store.taste.get(owner) ?? emptyModel();
      learn(model, example.features, example.label, example.weight);
      store.taste.save(owner, model, endedAt);
    }
    this.#lastError = undefined;
  }

  #failed(err: unknown, msg: string): void {
    this.#lastError = err instanceof Error ? err.message : String(err);
    this.#deps.log.error({ err }, msg);
  }
}
