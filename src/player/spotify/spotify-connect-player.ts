import type { Clock, Timer } from '../../kernel/clock.js';
import { SpotifyError, type SpotifyErrorCode } from './spotify-error.js';
import { EventBus } from '../../kernel/event-bus.js';
import { noSpotifyAccountLine } from '../../kernel/health-words.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { PlayableTrack, PlayQueue, QueueEntry, QueueItem } from '../play-queue.js';
import type { Log } from '../../kernel/log.js';
import { assertPercent, type Player, type PlayerEvents, type PlayerState, type PlayOptions, type PlayOutcome } from '../player.js';
import type { SpotifyClient, SpotifyDevice, SpotifyTrack } from './spotify-client.js';

export interface SpotifyConnectOptions {
  /** How often the player state is read while Spotify plays (ms). @default 1000 */
  pollMs?: number;
  /** How often Spotify is tried again after a failure (ms). @default 2000 */
  retryMs?: number;
  /** 0–100. @default 70 */
  volume?: number;
  /** 0–100. @default 100 */
  maxVolume?: number;
}

export interface SpotifyConnectDeps {
  client: SpotifyClient;
  clock: Clock;
  log: Log;
  /** The library row of a track Spotify plays, given the playlist (`spotify:playlist:…`) it plays from. */
  track: (track: SpotifyTrack, contextUri: string | null) => Promise<PlayableTrack>;
  /** The Connect device to play on, by name: the admin's choice, else one named after the box. */
  deviceName: () => string | undefined;
  /** Whether an account is connected. */
  isConnected: () => boolean;
}

/**
 * Plays Spotify playlists on a Connect device through the Web API, as a `Player`: a queue entry
 * whose uri is `spotify:playlist:…` starts that playlist; the player state is polled (`pollMs`, and
 * a 429's Retry-After is waited for by the client) and each track Spotify moves to is announced with
 * `trackStarted`/`trackEnded` like any other, so the history, the screens and likes work the same.
 * Spotify decides what comes next: `replaceUpcoming` keeps nothing. A failure (offline, a 401 after
 * the refresh, rate limits past their waits, no device) ends the play, makes `problem()` say why and
 * tells the availability listeners, then Spotify is tried again every `retryMs` until it answers.
 */
export class SpotifyConnectPlayer implements Player, Service {
  readonly name = 'spotify';
  readonly events = new EventBus<PlayerEvents>((err, event, owner) =>
    this.#deps.log.error({ err, event, owner }, 'a player listener failed'),
  );
  readonly #deps: SpotifyConnectDeps;
  readonly #pollMs: number;
  readonly #retryMs: number;
  readonly #listeners = new Set<() => void>();
  /** The playlist entry playing (or last played). */
  #entry: QueueEntry | undefined;
  #current: QueueItem | undefined;
  /** The Spotify id of the current track. */
  #currentSpotifyId: string | undefined;
  #nextKey = 1;
  #isPlaying = false;
  #isPaused = false;
  #positionMs = 0;
  #volume: number;
  #maxVolume: number;
  #problem: string | undefined;
  /** Epoch ms the current problem began. */
  #problemSince: number | undefined;
  /** The last problem that ended, and when Spotify answered again (epoch ms). */
  #recovered: { at: number; problem: string } | undefined;
  #timer: Timer | undefined;
  #isPolling = false;
  #isStarted = false;
  /** Set by `next()`, so the track it ends counts as skipped. */
  #isSkipping = false;
  /** True from `play()` until its first track starts: that track carries the entry's reason. */
  #isEntryStart = false;

  constructor(deps: SpotifyConnectDeps, options: SpotifyConnectOptions = {}) {
    this.#deps = deps;
    this.#pollMs = options.pollMs ?? 1000;
    this.#retryMs = options.retryMs ?? 2000;
    this.#maxVolume = assertPercent('maxVolume', options.maxVolume ?? 100);
    this.#volume = Math.min(assertPercent('volume', options.volume ?? 70), this.#maxVolume);
  }

  async start(): Promise<void> {
    this.#isStarted = true;
  }

  async stop(): Promise<void> {
    this.#isStarted = false;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#end('interrupted');
    this.#isPlaying = false;
  }

  health(): ServiceHealth {
    if (!this.#deps.isConnected()) return { status: 'ready', ...noSpotifyAccountLine() };
    return this.#problem === undefined ? { status: 'ready' } : { status: 'degraded', detail: this.#problem };
  }

  /** Why Spotify cannot play now, or undefined when it can. */
  problem(): string | undefined {
    if (!this.#deps.isConnected()) return 'no account is connected: connect one in the admin panel';
    return this.#problem;
  }

  /** Since when the current problem lasts, and the last one that ended: for the admin panel's status. */
  outage(): { since: number | null; recovered: { at: number; problem: string } | null } {
    return { since: this.#problem === undefined ? null : (this.#problemSince ?? null), recovered: this.#recovered ?? null };
  }

  /** The playlist playing, or null. */
  get contextUri(): string | null {
    return this.#isPlaying ? (this.#entry?.track.uri ?? null) : null;
  }

  /** Calls `listener` when `problem()` changes; returns the function that unsubscribes. */
  onAvailabilityChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The account was connected or disconnected: tells the listeners. */
  accountChanged(): void {
    this.#problem = undefined;
    // Another account, or none: the last one's outages are not its own.
    this.#recovered = undefined;
    if (!this.#deps.isConnected()) void this.standBy();
    this.#announce();
  }

  async play(entries: readonly QueueEntry[], options: PlayOptions = {}): Promise<void> {
    const entry = entries[0];
    if (entry === undefined) {
      await this.standBy();
      return;
    }
    if (!entry.track.uri.startsWith('spotify:')) {
      throw new TypeError(`Expected a \`spotify:\` uri, got \`${entry.track.uri}\``);
    }
    if (this.#isPlaying && this.#entry?.track.uri === entry.track.uri) {
      // The playlist plays already: a skip moves on in it, anything else lets it play.
      if (entry.reason === 'skip') await this.next();
      else if (this.#isPaused) await this.resume();
      return;
    }
    try {
      const device = await this.#device();
      await this.#deps.client.play({ deviceId: device, ...playTarget(entry.track.uri) });
      await this.#deps.client.setVolume(this.#volume).catch((err: unknown) => {
        this.#deps.log.warn({ code: (err as SpotifyError).code }, 'spotify volume not set');
      });
    } catch (err) {
      this.#fail(err);
      throw err;
    }
    this.#end(options.replacedAs ?? 'skipped');
    this.#entry = entry;
    this.#isEntryStart = true;
    this.#isPlaying = true;
    this.#isPaused = false;
    this.#emitQueue();
    this.events.emit('pausedChanged', { isPaused: false });
    await this.#poll();
  }

  async enqueue(entries: readonly QueueEntry[]): Promise<void> {
    if (!this.#isPlaying) await this.play(entries);
  }

  /** Spotify plays the playlist on: nothing is queued after it here. */
  async replaceUpcoming(): Promise<void> {}

  async next(): Promise<void> {
    if (!this.#isPlaying) return;
    await this.#command(() => this.#deps.client.next());
    this.#isSkipping = true;
    await this.#poll();
  }

  async pause(): Promise<void> {
    if (!this.#isPlaying || this.#isPaused) return;
    await this.#command(() => this.#deps.client.pause());
    this.#isPaused = true;
    this.events.emit('pausedChanged', { isPaused: true });
  }

  async resume(): Promise<void> {
    if (!this.#isPlaying || !this.#isPaused) return;
    const device = await this.#command(() => this.#device());
    await this.#command(() => this.#deps.client.play({ deviceId: device }));
    this.#isPaused = false;
    this.events.emit('pausedChanged', { isPaused: false });
  }

  async setVolume(volume: number): Promise<number> {
    const applied = Math.min(assertPercent('volume', volume), this.#maxVolume);
    if (this.#isPlaying && this.#problem === undefined) {
      await this.#deps.client.setVolume(Math.round(applied)).catch((err: unknown) => {
        this.#deps.log.warn({ code: (err as SpotifyError).code }, 'spotify volume not set');
      });
    }
    if (applied !== this.#volume) {
      this.#volume = applied;
      this.events.emit('volumeChanged', { volume: applied });
    }
    return applied;
  }

  async setMaxVolume(max: number): Promise<number> {
    this.#maxVolume = assertPercent('max', max);
    return this.#volume > max ? this.setVolume(max) : this.#volume;
  }

  /** Stops playing here (another source plays now): pauses the device and ends the play. */
  async standBy(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    const wasPlaying = this.#isPlaying;
    this.#isPlaying = false;
    this.#end('interrupted');
    this.#emitQueue();
    if (wasPlaying && this.#problem === undefined && this.#deps.isConnected()) {
      await this.#deps.client.pause().catch(() => undefined);
    }
    if (!this.#isStarted) return;
    if (this.#problem !== undefined) this.#schedule(this.#retryMs);
  }

  state(): PlayerState {
    return {
      current: this.#current,
      upcoming: [],
      isPaused: this.#isPaused,
      positionMs: this.#positionMs,
      volume: this.#volume,
      maxVolume: this.#maxVolume,
    };
  }

  queue(): PlayQueue {
    return { current: this.#current, upcoming: [], nextKey: this.#nextKey };
  }

  async #device(): Promise<string> {
    const devices = await this.#deps.client.devices();
    const device = pickDevice(devices, this.#deps.deviceName());
    if (device?.id === undefined || device.id === null) {
      throw new SpotifyError('MB_ERR_SPOTIFY_NO_DEVICE', 'no Spotify Connect device is available: open Spotify on the speaker or phone');
    }
    if (!device.isActive) await this.#deps.client.transfer(device.id, { play: false });
    return device.id;
  }

  /** Runs a Spotify command; a failure of Spotify itself makes the source unavailable. */
  async #command<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.#fail(err);
      throw err;
    }
  }

  #schedule(ms: number): void {
    this.#timer?.cancel();
    this.#timer = this.#deps.clock.setTimeout(() => {
      this.#timer = undefined;
      void (this.#problem === undefined ? this.#poll() : this.#retry());
    }, ms);
  }

  /** Reads what plays and announces what changed; schedules the next read. */
  async #poll(): Promise<void> {
    if (this.#isPolling || !this.#isPlaying) return;
    this.#isPolling = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    try {
      const state = await this.#deps.client.playbackState();
      if (!this.#isPlaying) return;
      const track = state?.track ?? null;
      if (track === null) {
        this.#end('completed');
      } else if (track.id !== this.#currentSpotifyId) {
        this.#end(this.#isSkipping ? 'skipped' : 'completed');
        const playable = await this.#deps.track(track, state?.contextUri ?? this.#entry?.track.uri ?? null);
        if (!this.#isPlaying) return;
        this.#startTrack(track.id, playable);
      }
      this.#isSkipping = false;
      const isPaused = state !== null && !state.isPlaying;
      if (isPaused !== this.#isPaused) {
        this.#isPaused = isPaused;
        this.events.emit('pausedChanged', { isPaused });
      }
      const position = state?.progressMs ?? 0;
      if (this.#current !== undefined && position !== this.#positionMs) {
        this.#positionMs = position;
        this.events.emit('positionChanged', { item: this.#current, positionMs: position });
      }
    } catch (err) {
      this.#fail(err);
      return;
    } finally {
      this.#isPolling = false;
    }
    if (this.#isStarted && this.#isPlaying) this.#schedule(this.#pollMs);
  }

  /** After a failure: asks Spotify for the devices; an answer makes it available again. */
  async #retry(): Promise<void> {
    if (this.#problem === undefined || !this.#deps.isConnected()) return;
    try {
      await this.#deps.client.devices();
    } catch (err) {
      this.#deps.log.debug({ code: (err as SpotifyError).code }, 'spotify still unavailable');
      if (this.#isStarted) this.#schedule(this.#retryMs);
      return;
    }
    this.#deps.log.info({}, 'spotify is back');
    this.#recovered = { at: this.#deps.clock.now(), problem: this.#problem };
    this.#problem = undefined;
    this.#announce();
  }

  #fail(err: unknown): void {
    if (!(err instanceof SpotifyError)) throw err;
    const wasFine = this.#problem === undefined;
    this.#problem = whyNot(err);
    if (wasFine) this.#problemSince = this.#deps.clock.now();
    this.#isPlaying = false;
    this.#end('failed');
    this.#emitQueue();
    this.#deps.log.warn({ code: err.code, why: this.#problem }, 'spotify cannot play; the library plays instead');
    this.events.emit('playerFaulted', { error: this.#problem, retryInMs: this.#retryMs });
    if (this.#isStarted) this.#schedule(this.#retryMs);
    if (wasFine) this.#announce();
  }

  #startTrack(spotifyId: string, track: PlayableTrack): void {
    const entry = this.#entry;
    const item: QueueItem = {
      track,
      reason: this.#isEntryStart ? (entry?.reason ?? 'mood') : 'mood',
      note: entry?.note ?? '',
      ...(entry?.noteSaid === undefined ? {} : { noteSaid: entry.noteSaid }),
      mood: entry?.mood ?? null,
      userId: entry?.userId ?? null,
      key: this.#nextKey++,
    };
    this.#isEntryStart = false;
    this.#current = item;
    this.#currentSpotifyId = spotifyId;
    this.#positionMs = 0;
    this.events.emit('trackStarted', { item });
    this.#emitQueue();
  }

  #end(outcome: PlayOutcome): void {
    const item = this.#current;
    if (item === undefined) return;
    this.#current = undefined;
    this.#currentSpotifyId = undefined;
    this.#positionMs = 0;
    this.events.emit('trackEnded', { item, outcome });
  }

  #emitQueue(): void {
    this.events.emit('queueChanged', { current: this.#current, upcoming: [] });
  }

  #announce(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** The device to play on: one named as asked, else the active one, else the first that may be controlled. */
export function pickDevice(devices: readonly SpotifyDevice[], name: string | undefined): SpotifyDevice | undefined {
  const usable = devices.filter((d) => d.id !== null && !d.isRestricted);
  const wanted = name?.trim().toLowerCase();
  return (wanted ? usable.find((d) => d.name.trim().toLowerCase() === wanted) : undefined) ?? usable.find((d) => d.isActive) ?? usable[0];
}

function playTarget(uri: string): { contextUri: string } | { uris: string[] } {
  return uri.startsWith('spotify:track:') ? { uris: [uri] } : { contextUri: uri };
}

function whyNot(err: SpotifyError): string {
  const words: Partial<Record<SpotifyErrorCode, string>> = {
    MB_ERR_SPOTIFY_UNREACHABLE: 'Spotify cannot be reached',
    MB_ERR_SPOTIFY_AUTH: 'Spotify refused the account: connect it again in the admin panel',
    MB_ERR_SPOTIFY_RATE_LIMITED: 'Spotify asks Moodbox to wait (rate limit)',
    MB_ERR_SPOTIFY_NO_DEVICE: 'no Spotify Connect device is available: open Spotify on the speaker or phone',
  };
  return words[err.code] ?? err.message;
}
