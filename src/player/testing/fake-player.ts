import type { Clock, Timer } from '../../kernel/clock.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import type { Service } from '../../kernel/lifecycle.js';
import {
  advance,
  EMPTY_QUEUE,
  enqueue,
  replaceUpcoming,
  startWith,
  type PlayQueue,
  type QueueEntry,
  type QueueItem,
} from '../play-queue.js';
import {
  assertPercent,
  type Player,
  type PlayerEvents,
  type PlayerStall,
  type PlayerState,
  type PlayOptions,
  type PlayOutcome,
} from '../player.js';

/**
 * The simplest complete `Player`: each track "plays" for `trackMs` on the injected clock, its
 * position reported each second as mpv reports it. Control methods: `markBroken(uri)` makes a file
 * fail like a missing one, `endCurrent()` ends the current track at once, `crash()` simulates the
 * player process dying and coming back (stalled meanwhile, as mpv says). Like every player it
 * writes no history: put a `PlayRecorder` next to it. The player contract
 * (`player-contract.ts`) runs the same behaviours against it and against mpv.
 */
export class FakePlayer implements Player, Service {
  readonly name = 'player';
  readonly events = new EventBus<PlayerEvents>(throwingReporter);
  readonly #clock: Clock;
  readonly #trackMs: number;
  readonly #useTrackDurations: boolean;
  #maxVolume: number;
  readonly #broken = new Set<string>();
  #queue: PlayQueue = EMPTY_QUEUE;
  /** True from the current item's `trackStarted` until its `trackEnded`. */
  #isPlaying = false;
  #timer: Timer | undefined;
  /** Reports the position at each whole second of the current track. */
  #positionTimer: Timer | undefined;
  #startedAt = 0;
  #isPaused = false;
  #volume: number;
  #crossfadeMs = 0;
  #stalled: PlayerStall | undefined;

  /** `useTrackDurations`: a track with a `durationMs` plays that long, the others `trackMs`. */
  constructor(
    deps: { clock: Clock },
    options: { trackMs?: number; useTrackDurations?: boolean; maxVolume?: number; volume?: number } = {},
  ) {
    this.#clock = deps.clock;
    this.#trackMs = options.trackMs ?? 1000;
    this.#useTrackDurations = options.useTrackDurations ?? false;
    this.#maxVolume = assertPercent('maxVolume', options.maxVolume ?? 100);
    this.#volume = Math.min(assertPercent('volume', options.volume ?? 80), this.#maxVolume);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.#end('interrupted', false);
  }

  markBroken(uri: string): void {
    this.#broken.add(uri);
  }

  endCurrent(): void {
    this.#end('completed', true);
  }

  /** As mpv's death: stalled (the player), faulted, back with the queue as it was, and flowing again. */
  crash(): void {
    this.stall({ cause: 'player', detail: 'the player stopped (fake crash); restarting' });
    this.events.emit('playerFaulted', { error: 'fake crash', retryInMs: 0 });
    this.events.emit('playerRestarted', { attempt: 1 });
    this.stall(undefined);
  }

  /** No audio reaches the listener (`stall`) or it flows again (`undefined`), as a real player's output failing says. */
  stall(stalled: PlayerStall | undefined): void {
    this.#stalled = stalled;
    this.events.emit('stalledChanged', { stalled: stalled ?? null });
  }

  /** The crossfade set last (ms); the fake plays its tracks one after the other all the same. */
  get crossfadeMs(): number {
    return this.#crossfadeMs;
  }

  async setCrossfade(ms: number): Promise<void> {
    if (!(Number.isInteger(ms) && ms >= 0 && ms <= 12_000)) {
      throw new RangeError(`Expected \`crossfadeMs\` to be an integer from 0 to 12000, got \`${String(ms)}\` (${typeof ms})`);
    }
    this.#crossfadeMs = ms;
  }

  state(): PlayerState {
    const current = this.#queue.current;
    const positionMs = current ? Math.min(this.#clock.monotonic() - this.#startedAt, this.#lengthOf(current)) : 0;
    return {
      current: this.#queue.current,
      upcoming: this.#queue.upcoming,
      isPaused: this.#isPaused,
      positionMs,
      volume: this.#volume,
      maxVolume: this.#maxVolume,
      ...(this.#stalled === undefined ? {} : { stalled: this.#stalled }),
    };
  }

  queue(): PlayQueue {
    return this.#queue;
  }

  async play(entries: readonly QueueEntry[], options: PlayOptions = {}): Promise<void> {
    this.#end(options.replacedAs ?? 'skipped', false);
    this.#queue = startWith(this.#queue, entries);
    this.#changed();
    this.#begin(options.startAtMs ?? 0);
  }

  async enqueue(entries: readonly QueueEntry[], options: { next?: boolean } = {}): Promise<void> {
    const wasIdle = this.#queue.current === undefined;
    this.#queue = enqueue(this.#queue, entries, options.next === true ? 'next' : 'end');
    this.#changed();
    if (wasIdle) this.#begin();
  }

  async replaceUpcoming(entries: readonly QueueEntry[]): Promise<void> {
    if (this.#queue.current === undefined) return this.enqueue(entries);
    this.#queue = replaceUpcoming(this.#queue, entries);
    this.#changed();
  }

  async next(): Promise<void> {
    this.#end('skipped', true);
  }

  async pause(): Promise<void> {
    if (this.#isPaused) return;
    this.#isPaused = true;
    this.events.emit('pausedChanged', { isPaused: true });
  }

  async resume(): Promise<void> {
    if (!this.#isPaused) return;
    this.#isPaused = false;
    this.events.emit('pausedChanged', { isPaused: false });
  }

  async setVolume(volume: number): Promise<number> {
    this.#volume = Math.min(assertPercent('volume', volume), this.#maxVolume);
    this.events.emit('volumeChanged', { volume: this.#volume });
    return this.#volume;
  }

  async setMaxVolume(max: number): Promise<number> {
    this.#maxVolume = assertPercent('maxVolume', max);
    if (this.#volume > max) {
      this.#volume = max;
      this.events.emit('volumeChanged', { volume: max });
    }
    return this.#volume;
  }

  /** Starts the current item, `startAtMs` into it (a play resumed), as mpv loads a file there. */
  #begin(startAtMs = 0): void {
    const item = this.#queue.current;
    if (!item) return;
    this.#isPlaying = true;
    startAtMs = Math.min(Math.max(0, startAtMs), this.#lengthOf(item));
    this.#startedAt = this.#clock.monotonic() - startAtMs;
    this.events.emit('trackStarted', { item });
    if (this.#broken.has(item.track.uri)) {
      // Like mpv: a file that cannot be opened fails right after it starts.
      this.#timer = this.#clock.setTimeout(() => this.#fail(item), 0);
      return;
    }
    this.#timer = this.#clock.setTimeout(() => this.#end('completed', true), this.#lengthOf(item) - startAtMs);
    this.#reportPositions(item, startAtMs);
  }

  /**
   * As mpv reports it: at each whole second the position reaches (a resumed play at once, when it
   * starts a second or more in), while unpaused; not at the end (the end comes first).
   */
  #reportPositions(item: QueueItem, startAtMs: number): void {
    const report = (): void => {
      if (!this.#isPaused) this.events.emit('positionChanged', { item, positionMs: this.state().positionMs });
    };
    if (startAtMs >= 1000) report();
    this.#positionTimer = this.#clock.setTimeout(
      () => {
        report();
        this.#positionTimer = this.#clock.setInterval(report, 1000);
      },
      1000 - (startAtMs % 1000),
    );
  }

  #lengthOf(item: QueueItem): number {
    const ms = item.track.durationMs;
    return this.#useTrackDurations && typeof ms === 'number' && ms > 0 ? ms : this.#trackMs;
  }

  #fail(item: QueueItem): void {
    this.events.emit('trackFailed', { item, error: 'loading failed' });
    this.#end('failed', true);
  }

  #end(outcome: PlayOutcome, moveOn: boolean): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#positionTimer?.cancel();
    this.#positionTimer = undefined;
    const item = this.#queue.current;
    if (!item || !this.#isPlaying) return;
    this.#isPlaying = false;
    this.events.emit('trackEnded', { item, outcome });
    if (!moveOn) return;
    this.#queue = advance(this.#queue);
    this.#changed();
    if (this.#queue.current) this.#begin();
    else this.events.emit('queueEnded', { lastKey: item.key });
  }

  #changed(): void {
    this.events.emit('queueChanged', { current: this.#queue.current, upcoming: this.#queue.upcoming });
  }
}
