import { EventBus } from '../../kernel/event-bus.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { Log } from '../../kernel/log.js';
import type { PlayQueue, QueueEntry } from '../play-queue.js';
import type { Player, PlayerEvents, PlayerState, PlayOptions } from '../player.js';

/** A player for the entries of one source, known by their uri's scheme (`spotify:`). */
export interface SourceRoute {
  /** The uri scheme, with its colon: `spotify:`. */
  scheme: string;
  player: Player & Service;
}

/** Events of every player, whether it plays now or not: the history needs each play's end. */
const ALWAYS: ReadonlySet<keyof PlayerEvents> = new Set(['trackStarted', 'trackEnded', 'trackFailed']);
const EVENTS: ReadonlyArray<keyof PlayerEvents> = [
  'trackStarted',
  'trackEnded',
  'trackFailed',
  'streamTitleChanged',
  'positionChanged',
  'pausedChanged',
  'volumeChanged',
  'queueChanged',
  'queueEnded',
  'playerFaulted',
  'playerRestarted',
  'outputRestored',
  'stalledChanged',
];

/**
 * One `Player` over the players of each source: an entry plays on the player of its uri's scheme
 * (the library's paths and URLs on mpv), and the one that played before stops (`play([])`). The
 * state, the volume, pause and skips are those of the player in use; every player's plays are
 * announced, so one `PlayRecorder` writes the history of all of them.
 */
export class SourcePlayer implements Player, Service {
  readonly name = 'player';
  readonly events: EventBus<PlayerEvents>;
  readonly #local: Player & Service;
  readonly #routes: readonly SourceRoute[];
  #active: Player & Service;

  constructor(deps: { local: Player & Service; routes: readonly SourceRoute[]; log?: Log }) {
    const log = deps.log;
    this.events = new EventBus<PlayerEvents>((err, event, owner) => log?.error({ err, event, owner }, 'a player listener failed'));
    this.#local = deps.local;
    this.#routes = deps.routes;
    this.#active = deps.local;
    for (const player of [deps.local, ...deps.routes.map((r) => r.player)]) {
      for (const event of EVENTS) {
        player.events.on(
          event,
          (payload) => {
            if (ALWAYS.has(event) || player === this.#active) this.events.emit(event, payload);
          },
          this,
        );
      }
    }
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.#local.start(signal);
    for (const route of this.#routes) await route.player.start(signal);
  }

  async stop(): Promise<void> {
    for (const route of [...this.#routes].reverse()) await route.player.stop();
    await this.#local.stop();
  }

  health(): ServiceHealth {
    return this.#local.health?.() ?? { status: 'ready' };
  }

  async play(entries: readonly QueueEntry[], options?: PlayOptions): Promise<void> {
    const target = this.#playerFor(entries[0]?.track.uri);
    if (target !== this.#active) {
      const before = this.#active;
      this.#active = target;
      await before.play([], options);
    }
    await target.play(entries, options);
    this.events.emit('queueChanged', { current: target.state().current, upcoming: target.state().upcoming });
  }

  async enqueue(entries: readonly QueueEntry[], options?: { next?: boolean }): Promise<void> {
    if (this.#active.state().current === undefined) return this.play(entries);
    if (this.#playerFor(entries[0]?.track.uri) === this.#active) await this.#active.enqueue(entries, options);
  }

  /** What follows the current entry, on its own player; another source's entries are not queued behind it. */
  async replaceUpcoming(entries: readonly QueueEntry[]): Promise<void> {
    await this.#active.replaceUpcoming(entries.filter((e) => this.#playerFor(e.track.uri) === this.#active));
  }

  next(): Promise<void> {
    return this.#active.next();
  }

  pause(): Promise<void> {
    return this.#active.pause();
  }

  resume(): Promise<void> {
    return this.#active.resume();
  }

  async setVolume(volume: number): Promise<number> {
    return this.#active.setVolume(volume);
  }

  async setMaxVolume(max: number): Promise<number> {
    let applied = 0;
    for (const player of [this.#local, ...this.#routes.map((r) => r.player)]) {
      const volume = await player.setMaxVolume(max);
      if (player === this.#active) applied = volume;
    }
    return applied;
  }

  /** Every player that can crossfade takes the new length, so that it holds whichever plays next. */
  async setCrossfade(ms: number): Promise<void> {
    for (const player of [this.#local, ...this.#routes.map((r) => r.player)]) await player.setCrossfade?.(ms);
  }

  state(): PlayerState {
    return this.#active.state();
  }

  queue(): PlayQueue {
    return this.#active.queue();
  }

  #playerFor(uri: string | undefined): Player & Service {
    if (uri === undefined) return this.#active;
    return this.#routes.find((r) => uri.startsWith(r.scheme))?.player ?? this.#local;
  }
}
