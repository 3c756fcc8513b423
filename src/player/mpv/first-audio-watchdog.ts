import type { Clock, Timer } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import type { QueueItem } from '../play-queue.js';
import { DEFAULT_STREAM_TIMEOUT_S, isStreamUri, isYouTubeUrl } from '../streams/stream-url.js';

/**
 * A station's first audio, awaited: mpv's network timeout fires only when nothing at all comes,
 * so a station that trickles a byte now and then, or sends headers without end, is given up on
 * by this watchdog when no audio has played `timeoutS` after it started. A YouTube entry waits
 * for yt-dlp instead, and a file is never watched.
 */
export class FirstAudioWatchdog {
  readonly #clock: Clock;
  readonly #log: Log;
  readonly #timeoutS: number;
  readonly #isPlaying: (key: number) => boolean;
  readonly #giveUp: (key: number) => void;
  #armed: { key: number; timer: Timer } | undefined;
  /** Keys of plays given up on, with why: their end is a failure. */
  readonly #stalled = new Map<number, string>();

  /**
   * `isPlaying(key)` says whether that play is still the one mpv plays when the time is up;
   * `giveUp(key)` ends it (its end then counts as failed, see `ended`).
   */
  constructor(
    deps: { clock: Clock; log: Log; isPlaying: (key: number) => boolean; giveUp: (key: number) => void },
    options: { timeoutS?: number | undefined } = {},
  ) {
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#isPlaying = deps.isPlaying;
    this.#giveUp = deps.giveUp;
    this.#timeoutS = options.timeoutS ?? DEFAULT_STREAM_TIMEOUT_S;
  }

  /** A play started: watches it when it is a station, and stops watching the one before. */
  arm(item: QueueItem): void {
    this.disarm();
    if (!isStreamUri(item.track.uri) || isYouTubeUrl(item.track.uri)) return;
    const timeoutS = this.#timeoutS;
    const timer = this.#clock.setTimeout(() => {
      if (this.#armed?.timer !== timer) return;
      this.#armed = undefined;
      if (!this.#isPlaying(item.key)) return;
      const why = `no audio from the station within ${timeoutS} s (it connected, but sends too little or never finishes its headers)`;
      this.#log.warn({ trackId: item.track.id, uri: item.track.uri, timeoutS }, 'station gave no audio in time: giving up on it');
      this.#stalled.set(item.key, why);
      this.#giveUp(item.key);
    }, timeoutS * 1000);
    this.#armed = { key: item.key, timer };
  }

  /** Audio played for the play `key` (the one mpv plays, if any): it is no longer watched. */
  heard(key: number | undefined): void {
    if (this.#armed !== undefined && this.#armed.key === key) this.disarm();
  }

  /** The play `key` ended: why it was given up on, if it was; it is no longer watched. */
  ended(key: number): string | undefined {
    const stalled = this.#stalled.get(key);
    this.#stalled.delete(key);
    if (this.#armed?.key === key) this.disarm();
    return stalled;
  }

  /** Stops watching (the player stops). */
  disarm(): void {
    this.#armed?.timer.cancel();
    this.#armed = undefined;
  }
}
