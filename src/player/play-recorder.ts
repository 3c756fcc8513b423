import type { Clock } from '../kernel/clock.js';
import type { Service, ServiceHealth } from '../kernel/lifecycle.js';
import type { QueueItem } from './play-queue.js';
import type { Log } from '../kernel/log.js';
import type { Player, PlayOutcome, PlayReason } from './player.js';

/**
 * Where plays are recorded. The daemon's play repository satisfies it. Times are ms since the Unix
 * epoch. Any method MAY throw (a full disk); the recorder logs it and carries on.
 */
export interface PlayHistory {
  start(input: { trackId: number; userId?: number | null; reason: PlayReason; mood?: string | null; startedAt: number }): { id: number };
  finish(id: number, outcome: PlayOutcome, endedAt: number): void;
  /** Stores why the play was picked, in words. */
  annotate(id: number, note: string): void;
}

export interface PlayRecorderDeps {
  /** Any player: only its events are used. */
  player: Pick<Player, 'events'>;
  history: PlayHistory;
  /** Stamps `startedAt` and `endedAt`. */
  clock: Pick<Clock, 'now'>;
  log: Pick<Log, 'error'>;
}

/**
 * Writes the play history by listening to a player, so that playback knows nothing of it and
 * every player (mpv, the fake, the ones to come) is recorded alike: `trackStarted` starts a play
 * (track, person, reason, mood, and the note as its annotation), `trackEnded` finishes it with
 * its outcome. A history that cannot be written is logged, and reported by `health()` until a
 * write succeeds again; it never stops the music. Subscribes on `start`, unsubscribes on `stop`,
 * where a play the player left open is finished as `interrupted`.
 */
export class PlayRecorder implements Service {
  readonly name = 'history';
  readonly #player: Pick<Player, 'events'>;
  readonly #history: PlayHistory;
  readonly #clock: Pick<Clock, 'now'>;
  readonly #log: Pick<Log, 'error'>;
  /** The history row of each play that started and has not ended, by queue key. */
  readonly #open = new Map<number, number>();
  #isListening = false;
  #lastError: string | undefined;

  constructor(deps: PlayRecorderDeps) {
    this.#player = deps.player;
    this.#history = deps.history;
    this.#clock = deps.clock;
    this.#log = deps.log;
  }

  async start(): Promise<void> {
    if (this.#isListening) return;
    this.#isListening = true;
    const events = this.#player.events;
    events.on('trackStarted', ({ item }) => this.#started(item), this);
    events.on('trackEnded', ({ item, outcome }) => this.#ended(item.key, outcome), this);
  }

  async stop(): Promise<void> {
    this.#player.events.removeListeners(this);
    this.#isListening = false;
    for (const key of [...this.#open.keys()]) this.#ended(key, 'interrupted');
  }

  health(): ServiceHealth {
    return this.#lastError === undefined
      ? { status: 'ready' }
      : { status: 'degraded', detail: `the play history cannot be written: ${this.#lastError}` };
  }

  #started(item: QueueItem): void {
    let playId: number;
    try {
      playId = this.#history.start({
        trackId: item.track.id,
        userId: item.userId,
        reason: item.reason,
        mood: item.mood,
        startedAt: this.#clock.now(),
      }).id;
    } catch (err) {
      this.#failed(err, { trackId: item.track.id }, 'cannot record the play');
      return;
    }
    this.#open.set(item.key, playId);
    this.#lastError = undefined;
    if (item.note === '') return;
    try {
      this.#history.annotate(playId, item.note);
    } catch (err) {
      this.#failed(err, { playId }, 'cannot record why the play was picked');
    }
  }

  #ended(key: number, outcome: PlayOutcome): void {
    const playId = this.#open.get(key);
    if (playId === undefined) return;
    this.#open.delete(key);
    try {
      this.#history.finish(playId, outcome, this.#clock.now());
      this.#lastError = undefined;
    } catch (err) {
      this.#failed(err, { playId }, 'cannot record the end of the play');
    }
  }

  #failed(err: unknown, fields: object, msg: string): void {
    this.#lastError = err instanceof Error ? err.message : String(err);
    this.#log.error({ err, ...fields }, msg);
  }
}
