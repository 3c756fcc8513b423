import type { MoodboxBus } from '../events.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { Log } from '../../kernel/log.js';
import type { MoodLogEntry, StatsRepository } from '../store/store-stats.js';

/** Mood changes are written at least this often (ms): a power cut loses at most this much of the mood log. */
export const MOOD_FLUSH_MS = 60_000;
/** ... and as soon as this many are waiting. */
export const MOOD_FLUSH_ROWS = 100;
/** While the database cannot be written (a full disk), at most this many changes wait; the oldest go first. */
const MAX_WAITING = 10_000;

export interface MoodRecorderDeps {
  clock: Clock;
  log: Pick<Log, 'error'>;
  bus: MoodboxBus;
  stats: Pick<StatsRepository, 'logMoods'>;
}

/**
 * Writes the mood log the dashboard charts from the room mood the camera service announces
 * (`roomMoodChanged`), as `PlayRecorder` writes plays from the player's events. An SD card wears
 * by writes, and every SQLite commit writes and syncs pages of the log and the database: the
 * changes are batched, written in one transaction every minute, as soon as a hundred wait, and on
 * stop. A batch that cannot be written (a full disk) is logged and kept for the next try, up to
 * ten thousand changes; it never stops the music. Plays are not batched: each stays one
 * transaction of its own (`PlayRecorder`).
 */
export class MoodRecorder implements Service {
  readonly name = 'mood-log';
  readonly #deps: MoodRecorderDeps;
  #waiting: MoodLogEntry[] = [];
  #timer: Timer | undefined;
  #isListening = false;
  #lastError: string | undefined;

  constructor(deps: MoodRecorderDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    if (this.#isListening) return;
    this.#isListening = true;
    this.#deps.bus.on(
      'roomMoodChanged',
      ({ mood }) => {
        // The camera stopped seeing: no mood to log (the charts count what it saw, not a guess).
        if (mood === null) return;
        this.#waiting.push({ at: mood.since, mood: mood.label, confidence: Math.round(mood.confidence * 100) / 100, faces: mood.faces });
        if (this.#waiting.length > MAX_WAITING) this.#waiting.splice(0, this.#waiting.length - MAX_WAITING);
        if (this.#waiting.length >= MOOD_FLUSH_ROWS) this.flush();
      },
      this,
    );
    this.#timer = this.#deps.clock.setInterval(() => this.flush(), MOOD_FLUSH_MS);
  }

  async stop(): Promise<void> {
    this.#isListening = false;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.flush();
  }

  health(): ServiceHealth {
    return this.#lastError === undefined
      ? { status: 'ready' }
      : { status: 'degraded', detail: `the mood log cannot be written (${this.#waiting.length} changes wait): ${this.#lastError}` };
  }

  /** Writes the waiting changes now, in one transaction. */
  flush(): void {
    if (this.#waiting.length === 0) return;
    const batch = this.#waiting;
    try {
      this.#deps.stats.logMoods(batch);
      this.#waiting = [];
      this.#lastError = undefined;
    } catch (err) {
      this.#lastError = err instanceof Error ? err.message : String(err);
      this.#deps.log.error({ err, waiting: batch.length }, 'cannot write the mood log; kept for the next try');
    }
  }
}
