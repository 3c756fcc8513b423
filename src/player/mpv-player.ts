import { lookup as dnsLookup } from 'node:dns/promises';
import type { Clock } from '../kernel/clock.js';
import { EventBus } from '../kernel/event-bus.js';
import type { Service, ServiceHealth } from '../kernel/lifecycle.js';
import type { EndFileReason } from './mpv-ipc.js';
import { assertCrossfadeMs, fileOption, joinFileOptions, planCrossfade } from './mpv/crossfade.js';
import { FirstAudioWatchdog } from './mpv/first-audio-watchdog.js';
import { mpvArgs } from './mpv/mpv-args.js';
import { MpvIpcClient } from './mpv/mpv-ipc-client.js';
import { MpvProcess, type MpvProcessOptions } from './mpv/mpv-process.js';
import { OutputWatch, type OutputFailure, type OutputPace } from './mpv/output-watch.js';
import {
  advance,
  EMPTY_QUEUE,
  enqueue,
  replaceUpcoming,
  startWith,
  type PlayQueue,
  type QueueEntry,
  type QueueItem,
} from './play-queue.js';
import type { Log } from '../kernel/log.js';
import { snapcastPipeProblem } from './audio-output.js';
import { guardBoxAddresses, writeStationGuard } from './streams/station-guard.js';
import { boxAddresses, vetStationUrl, type StationAddressCheck } from './streams/stream-address.js';
import { DEFAULT_STREAM_TIMEOUT_S, isStreamUri, isYouTubeUrl, mpvFileOptions, mpvUrl } from './streams/stream-url.js';
import { assertPercent, type Player, type PlayerEvents, type PlayerState, type PlayOptions, type PlayOutcome } from './player.js';

export { removeStaleSockets } from './mpv/mpv-process.js';

/** What mpv is given for a station that failed the address check: a URL no protocol opens, so its play fails as a dead station's. */
const REFUSED_STATION_URL = 'moodbox-refused://station';

/** The mpv executable, socket, start timeout and restart backoff are those of `MpvProcessOptions`. */
export interface MpvPlayerOptions extends MpvProcessOptions {
  /** `auto` (mpv's default device), `null`, or any mpv `--ao` value such as `pcm`. @default 'auto' */
  audioOutput?: string;
  /** More mpv arguments, e.g. `--ao-pcm-file=out.wav`. @default [] */
  extraArgs?: readonly string[];
  /**
   * The FIFO mpv's PCM output writes into (a Snapcast server's pipe). Before mpv starts and at every
   * restart it MUST be a FIFO; otherwise mpv is not started (nothing is written, nothing plays),
   * `health()` says why, and it is checked again after the restart backoff. @default none
   */
  pcmPipe?: string;
  /**
   * Whether the output plays in real time (a song then takes as long as it lasts: one that goes
   * through it more than 4× faster counts as an output failure) or is written as fast as mpv
   * decodes (a PCM file). @default 'untimed' for `pcm` without `pcmPipe`, else 'real-time'
   */
  outputPace?: OutputPace;
  /** How long a song may make no progress while it plays before the output counts as failed (ms). @default 10000 */
  outputStallMs?: number;
  /**
   * After an output failure mpv is stopped, and started again with the song where it was after
   * this wait (ms), doubled per failure in a row up to `outputRetryMaxMs`. @default 2000
   */
  outputRetryMs?: number;
  /** @default 60000 */
  outputRetryMaxMs?: number;
  /** Volume at start, 0–100; lowered to `maxVolume` when above it. @default 80 */
  volume?: number;
  /** The admin's maximum volume at start, 0–100; `setMaxVolume` changes it later. @default 100 */
  maxVolume?: number;
  /** ReplayGain mode mpv applies from the files' tags. @default 'track' */
  replayGain?: 'track' | 'album' | 'no';
  /** `gapless`: the next file is queued in mpv ahead of time and follows without a gap. @default 'gapless' */
  transition?: 'gapless' | 'none';
  /**
   * How long the end of a song overlaps the start of the next (ms, 0–12000), faded out under it;
   * `setCrossfade` changes it while playing. Needs `transition: 'gapless'`, and songs whose length
   * is known (a stream fades in, never out). Songs of one album stay gapless. @default 0 (gapless)
   */
  crossfadeMs?: number;
  /** How long a stream may take to connect or send data before it counts as dead (s). @default 10 */
  streamTimeoutS?: number;
  /** Whether a station's playlist may lead to an address of the box or its network. @default false */
  allowPrivateStations?: boolean;
  /**
   * How a station's address is judged before it plays (each redirect followed through the same
   * check), when `allowPrivateStations` is off.
   * @default the system's resolver, and `isPrivateAddress` with the box's own addresses
   */
  stationCheck?: StationAddressCheck;
}

/** mpv properties observed (ids for `observe_property`). Observed, not events: mpv 0.35 no longer sends pause/unpause events. */
const OBSERVED = [
  [1, 'pause'],
  [2, 'time-pos'],
  [3, 'volume'],
  [4, 'metadata'],
  [5, 'duration'],
] as const;

/**
 * Plays through mpv: the `Player` port, built from an `MpvProcess` (spawning mpv and restarting it
 * after a crash) and an `MpvIpcClient` (commands and events over its socket). This class keeps the
 * queue and mpv's playlist in step. Our queue is the truth; mpv holds the current file and, for
 * gapless playback, the next one. mpv crashing is a fault, not an end: it is restarted with backoff
 * and the current track resumes where it was, as the same play. So is an output that fails (songs
 * going through it far faster than they play, or making no progress: `OutputWatch`).
 */
export class MpvPlayer implements Player, Service {
  readonly name = 'player';
  readonly events = new EventBus<PlayerEvents>((err, event, owner) => this.#log.error({ err, event, owner }, 'a player listener failed'));
  readonly #log: Log;
  readonly #allowPrivateStations: boolean;
  readonly #stationCheck: StationAddressCheck;
  /** The station guard mpv loads (see `STATION_GUARD_LUA`), written at start. */
  #guard: { path: string; remove: () => void } | undefined;
  /** Gives up on a station that connects but sends no audio. */
  readonly #firstAudio: FirstAudioWatchdog;
  readonly #client: MpvIpcClient;
  readonly #process: MpvProcess;
  readonly #audioOutput: string;
  readonly #extraArgs: readonly string[];
  readonly #replayGain: NonNullable<MpvPlayerOptions['replayGain']>;
  readonly #isGapless: boolean;
  readonly #streamTimeoutS: number | undefined;
  /** What the stream playing now says it plays (ICY title), or null. */
  #streamTitle: string | null = null;

  #maxVolume: number;
  #volume: number;
  #crossfadeMs: number;
  #queue: PlayQueue = EMPTY_QUEUE;
  #isPaused = false;
  #positionMs = 0;
  /** mpv playlist entry id → queue key, for every file we loaded. */
  readonly #entries = new Map<number, number>();
  /** The entry mpv plays now. */
  #playing: { entryId: number; key: number } | undefined;
  /**
   * The next file, already handed to mpv (its entry id arrives with the reply); `isCrossfade` when
   * its entry carries the crossfade and the file playing now stops early for it.
   */
  #preloaded: { key: number; entryId: number | undefined; isCrossfade: boolean } | undefined;
  /** Items whose play started and has not ended, by key: a replaced item leaves the queue before its end-file arrives. */
  readonly #started = new Map<number, QueueItem>();
  /** The preload in flight, if any. */
  #preloading: Promise<void> | undefined;
  /**
   * How many entries of an opened playlist (a station's .m3u or .pls, a YouTube playlist) are left
   * in mpv, by queue key: they are one play, and mpv goes from one to the next by itself.
   */
  readonly #expanded = new Map<number, number>();
  /** Keys the user skipped, so that their `stop` ends as `skipped`. */
  /** Plays that were left by `next()` or replaced by `play()`, with how they end. */
  readonly #skipped = new Map<number, 'skipped' | 'switched'>();
  /** Where to seek once the given key's file is loaded again (after a restart), in ms. */
  #resumeAt: { key: number; positionMs: number } | undefined;
  /** From mpv's crash until it runs again: what mpv held is gone. */
  #isRecovering = false;
  /** Judges whether what mpv plays goes through its output. */
  readonly #output: OutputWatch;
  /** The pipe of the Snapcast output, named in an output failure. */
  readonly #pcmPipe: string | undefined;
  /** Why the output counts as failed, until music goes through it in real time again. */
  #outputProblem: string | undefined;

  constructor(deps: { clock: Clock; log: Log }, options: MpvPlayerOptions = {}) {
    this.#log = deps.log;
    this.#allowPrivateStations = options.allowPrivateStations ?? false;
    this.#stationCheck = options.stationCheck ?? {
      lookup: async (host) => (await dnsLookup(host, { all: true })).map((a) => a.address),
    };
    this.#audioOutput = options.audioOutput ?? 'auto';
    this.#extraArgs = options.extraArgs ?? [];
    this.#maxVolume = assertPercent('maxVolume', options.maxVolume ?? 100);
    this.#volume = Math.min(assertPercent('volume', options.volume ?? 80), this.#maxVolume);
    this.#replayGain = options.replayGain ?? 'track';
    this.#isGapless = (options.transition ?? 'gapless') === 'gapless';
    this.#crossfadeMs = assertCrossfadeMs(options.crossfadeMs ?? 0);
    this.#streamTimeoutS = options.streamTimeoutS;
    const pcmPipe = options.pcmPipe;
    this.#pcmPipe = pcmPipe;
    this.#output = new OutputWatch(
      { clock: deps.clock, failed: (failure) => this.#onOutputFailed(failure), restored: () => this.#onOutputRestored() },
      {
        pace: options.outputPace ?? (this.#audioOutput === 'pcm' && pcmPipe === undefined ? 'untimed' : 'real-time'),
        stallMs: options.outputStallMs,
        retryMs: options.outputRetryMs,
        retryMaxMs: options.outputRetryMaxMs,
      },
    );
    this.#firstAudio = new FirstAudioWatchdog(
      {
        clock: deps.clock,
        log: deps.log,
        isPlaying: (key) => this.#playing?.key === key,
        giveUp: (key) => void this.#abandon(key).catch((err: unknown) => this.#log.warn({ err }, 'cannot stop the station')),
      },
      { timeoutS: options.streamTimeoutS },
    );
    this.#client = new MpvIpcClient({ log: deps.log });
    this.#process = new MpvProcess(
      {
        clock: deps.clock,
        log: deps.log,
        client: this.#client,
        args: () => this.#mpvArgs(),
        setUp: () => this.#observe(),
        refusal: () => (pcmPipe === undefined ? undefined : snapcastPipeProblem(pcmPipe)),
      },
      options,
    );
    const mpv = this.#client.events;
    mpv.on('startFile', ({ entryId }) => this.#onStartFile(entryId));
    mpv.on('endFile', ({ entryId, reason, fileError, insertId, insertCount }) =>
      reason === 'redirect' && entryId !== undefined && insertId !== undefined
        ? this.#onExpanded(entryId, insertId, insertCount ?? 0)
        : this.#onEndFile(entryId, reason, fileError),
    );
    mpv.on('fileLoaded', () => this.#onFileLoaded());
    mpv.on('propertyChanged', ({ name, data }) => this.#onProperty(name, data));
    this.#process.events.on('faulted', ({ error, retryInMs }) => this.#onFaulted(error, retryInMs), this);
    this.#process.events.on('restarted', ({ attempt }) => void this.#onRestarted(attempt), this);
  }

  /** The mpv process id while it runs (for diagnostics). */
  get pid(): number | undefined {
    return this.#process.pid;
  }

  async start(signal?: AbortSignal): Promise<void> {
    this.#guard ??= writeStationGuard();
    await this.#process.start(signal);
  }

  /** Ends the current play as `interrupted`, then quits mpv. */
  async stop(): Promise<void> {
    this.#firstAudio.disarm();
    this.#output.stop();
    const current = this.#queue.current;
    if (current) this.#finish(current, 'interrupted');
    await this.#process.stop();
    this.#guard?.remove();
    this.#guard = undefined;
  }

  health(): ServiceHealth {
    const detail =
      this.#process.refused ?? this.#outputProblem ?? (this.#process.isFaulted ? 'mpv stopped unexpectedly; restarting' : undefined);
    return detail === undefined ? { status: 'ready' } : { status: 'degraded', detail };
  }

  state(): PlayerState {
    return {
      current: this.#queue.current,
      upcoming: this.#queue.upcoming,
      isPaused: this.#isPaused,
      positionMs: this.#positionMs,
      volume: this.#volume,
      maxVolume: this.#maxVolume,
    };
  }

  queue(): PlayQueue {
    return this.#queue;
  }

  async play(entries: readonly QueueEntry[], options: PlayOptions = {}): Promise<void> {
    const before = this.#queue.current;
    this.#queue = startWith(this.#queue, entries);
    if (before) this.#skipped.set(before.key, options.replacedAs ?? 'skipped');
    this.#preloaded = undefined;
    this.#emitQueue();
    const first = this.#queue.current;
    if (first) await this.#load(first, 'replace');
    else if (!this.#isDown) await this.#client.command(['stop']);
  }

  async enqueue(entries: readonly QueueEntry[], options: { next?: boolean } = {}): Promise<void> {
    const wasIdle = this.#queue.current === undefined;
    this.#queue = enqueue(this.#queue, entries, options.next === true ? 'next' : 'end');
    if (wasIdle) this.#queue = advance(this.#queue);
    this.#emitQueue();
    if (wasIdle && this.#queue.current) await this.#load(this.#queue.current, 'replace');
    else if (options.next === true) await this.#refreshPreload();
    else if (!this.#preloaded) await this.#preload();
  }

  async replaceUpcoming(entries: readonly QueueEntry[]): Promise<void> {
    if (this.#queue.current === undefined) {
      await this.enqueue(entries);
      return;
    }
    this.#queue = replaceUpcoming(this.#queue, entries);
    this.#emitQueue();
    await this.#refreshPreload();
  }

  async next(): Promise<void> {
    const current = this.#queue.current;
    if (!current) return;
    this.#skipped.set(current.key, 'skipped');
    await this.#preloading;
    // `playlist-next` would go to the next entry of the station's own playlist: take those out first.
    if ((this.#expanded.get(current.key) ?? 1) > 1) {
      this.#expanded.delete(current.key);
      await this.#dropPreload();
    }
    // A skip cuts: the next entry's crossfade would play the end of this song, not where it is now.
    if (this.#preloaded?.isCrossfade === true) await this.#dropPreload();
    // With the next file in mpv, `playlist-next` moves to it without a gap; else `stop` ends the
    // current file and the end-file handler loads what comes next.
    if (this.#preloaded?.entryId !== undefined) await this.#client.command(['playlist-next', 'force']);
    else await this.#client.command(['stop']);
  }

  async pause(): Promise<void> {
    await this.#setPause(true);
  }

  async resume(): Promise<void> {
    await this.#setPause(false);
  }

  /** While mpv is down the pause is kept, and given to the next mpv before it plays. */
  async #setPause(isPaused: boolean): Promise<void> {
    if (this.#isDown) this.#onPaused(isPaused);
    else await this.#client.command(['set_property', 'pause', isPaused]);
  }

  async setVolume(volume: number): Promise<number> {
    assertPercent('volume', volume);
    for (;;) {
      const applied = Math.min(volume, this.#maxVolume);
      if (this.#isDown) {
        // The next mpv starts at this volume.
        this.#volume = applied;
        this.events.emit('volumeChanged', { volume: applied });
        return applied;
      }
      await this.#client.command(['set_property', 'volume', applied]);
      // A maximum lowered while mpv was answering wins: apply the volume again under it.
      if (applied > this.#maxVolume) continue;
      this.#volume = applied;
      return applied;
    }
  }

  /**
   * Applies a new maximum at once: mpv's volume is lowered when above it (mpv reports the change,
   * which emits `volumeChanged`). While mpv is down (crashed, not started) the lowered volume is
   * kept and given to the next mpv at its start.
   */
  async setMaxVolume(max: number): Promise<number> {
    this.#maxVolume = assertPercent('maxVolume', max);
    if (this.#volume <= max) return this.#volume;
    if (this.#client.isConnected) {
      await this.#client.command(['set_property', 'volume', max]);
      this.#volume = Math.min(this.#volume, this.#maxVolume);
    } else {
      this.#volume = max;
      this.events.emit('volumeChanged', { volume: max });
    }
    return this.#volume;
  }

  /**
   * Sets the crossfade between songs (ms, 0–12000; 0: gapless) at once, with no restart: a next
   * song already handed to mpv is handed again with the new crossfade. Throws a `RangeError`
   * outside 0–12000.
   */
  async setCrossfade(ms: number): Promise<void> {
    if (assertCrossfadeMs(ms) === this.#crossfadeMs) return;
    this.#crossfadeMs = ms;
    await this.#preloading;
    if (!this.#preloaded || !this.#client.isConnected) return;
    await this.#dropPreload();
    await this.#preload();
  }

  // --- the mpv process ---

  /** mpv's arguments at each launch: the volume is the one of the moment. */
  #mpvArgs(): string[] {
    return mpvArgs({
      guardPath: this.#guard?.path,
      allowPrivateStations: this.#allowPrivateStations,
      boxAddresses: this.#allowPrivateStations ? undefined : guardBoxAddresses(boxAddresses()),
      isGapless: this.#isGapless,
      replayGain: this.#replayGain,
      volume: this.#volume,
      audioOutput: this.#audioOutput,
      extraArgs: this.#extraArgs,
    });
  }

  /**
   * mpv is down (crashed, refused, or stopped for its output) and comes back by itself: the queue,
   * the pause and the volume are kept meanwhile and given to it then, so nothing is sent now.
   */
  get #isDown(): boolean {
    return this.#process.isFaulted;
  }

  async #observe(): Promise<void> {
    for (const [id, name] of OBSERVED) await this.#client.command(['observe_property', id, name]);
  }

  #onFaulted(error: string, retryInMs: number): void {
    this.#output.stop();
    if (!this.#isRecovering) {
      // What mpv held is gone with it; the queue is not. Remember where the current track was.
      this.#isRecovering = true;
      this.#entries.clear();
      this.#expanded.clear();
      this.#playing = undefined;
      this.#preloaded = undefined;
      const current = this.#queue.current;
      if (current) this.#resumeAt = { key: current.key, positionMs: this.#positionMs };
    }
    this.events.emit('playerFaulted', { error, retryInMs });
  }

  /**
   * What mpv plays does not reach the output: a failed output is not a finished song. mpv is
   * stopped (no song is loaded, none ends), the play stays open and resumes, with the queue, from
   * the last position heard, once mpv is started again after `retryInMs` (and the Snapcast pipe is
   * read again). The history records no end for it meanwhile.
   */
  #onOutputFailed({ error, retryInMs, resumeAtMs }: OutputFailure): void {
    const why = this.#pcmPipe === undefined ? error : `${error} (does snapserver read ${this.#pcmPipe}?)`;
    const wait = retryInMs % 1000 === 0 ? String(retryInMs / 1000) : (retryInMs / 1000).toFixed(1);
    this.#outputProblem = `${why}; the music is stopped and tried again in ${wait} s`;
    const current = this.#queue.current;
    this.#log.warn({ error: why, retryInMs, trackId: current?.track.id, resumeAtMs }, 'the audio output failed: stopping the music');
    if (current !== undefined && this.#playing?.key === current.key) this.#positionMs = resumeAtMs;
    this.#process.restartAfter(why, retryInMs);
    if (current !== undefined && this.#started.has(current.key))
      this.events.emit('positionChanged', { item: current, positionMs: this.#positionMs });
  }

  #onOutputRestored(): void {
    this.#outputProblem = undefined;
    const current = this.#queue.current;
    this.#log.info({ trackId: current?.track.id }, 'the audio output plays again');
    this.events.emit('outputRestored', {});
  }

  async #onRestarted(attempt: number): Promise<void> {
    this.#isRecovering = false;
    this.events.emit('playerRestarted', { attempt });
    try {
      if (this.#isPaused) await this.#client.command(['set_property', 'pause', true]);
      const current = this.#queue.current;
      if (current) await this.#load(current, 'replace');
    } catch (err) {
      this.#log.warn({ err }, 'cannot resume after restart');
    }
  }

  // --- queue ↔ mpv playlist ---

  /**
   * Hands `item` to mpv: `replace` plays it now; `append-play` queues it (and plays it when idle).
   * `af` is the entry's own audio filter (a crossfade).
   */
  async #load(item: QueueItem, mode: 'replace' | 'append-play', af?: string): Promise<number | undefined> {
    if (mode === 'replace') this.#preloaded = undefined;
    // The restarted mpv is handed the current item.
    if (this.#isDown) return undefined;
    let entryId: number | undefined;
    const uri = await this.#vetted(item.track.uri);
    // The entry id must be known before mpv's start-file for it is handled, which may come in the same read.
    const options = joinFileOptions(
      mpvFileOptions(uri, { timeoutS: this.#streamTimeoutS }),
      af === undefined ? undefined : fileOption('af', af),
    );
    const command = options === undefined ? ['loadfile', uri, mode] : { name: 'loadfile', url: mpvUrl(uri), flags: mode, options };
    await this.#client.command(command, (data) => {
      entryId = (data as { playlist_entry_id?: number } | null)?.playlist_entry_id;
      if (entryId !== undefined) this.#entries.set(entryId, item.key);
    });
    return entryId;
  }

  /**
   * The URL mpv is given for `uri`: a station's, once its address and each of its redirects passed
   * the check (mpv itself follows no redirect); one that fails it is given as a URL that fails to
   * open, so that its play fails as a dead station's does. Files and YouTube entries as they are.
   */
  async #vetted(uri: string): Promise<string> {
    if (this.#allowPrivateStations || !isStreamUri(uri) || isYouTubeUrl(uri)) return uri;
    try {
      return await vetStationUrl(uri, this.#stationCheck, { timeoutMs: (this.#streamTimeoutS ?? DEFAULT_STREAM_TIMEOUT_S) * 1000 });
    } catch (err) {
      this.#log.warn({ url: uri, err: { message: (err as Error).message } }, 'station refused');
      return REFUSED_STATION_URL;
    }
  }

  /** Hands the next upcoming file to mpv so that it follows without a gap, or crossfaded. */
  async #preload(): Promise<void> {
    const next = this.#queue.upcoming[0];
    const current = this.#queue.current;
    if (!next || !current || !this.#isGapless || this.#playing === undefined || this.#preloaded) return;
    const plan =
      this.#playing.key === current.key
        ? planCrossfade(current.track, next.track, {
            crossfadeMs: this.#crossfadeMs,
            replayGain: this.#replayGain,
            positionMs: this.#positionMs,
          })
        : undefined;
    const marker = { key: next.key, entryId: undefined as number | undefined, isCrossfade: plan !== undefined };
    this.#preloaded = marker;
    // The song playing stops early only for this next entry: `file-local-options` end with the file.
    const stopping =
      plan === undefined ? Promise.resolve() : this.#client.command(['set_property', 'file-local-options/end', plan.endS.toFixed(3)]);
    const loading = stopping
      .then(() => this.#load(next, 'append-play', plan?.af))
      .then(
        (entryId) => {
          marker.entryId = entryId;
        },
        (err: unknown) => {
          if (this.#preloaded === marker) this.#preloaded = undefined;
          this.#log.warn({ err }, 'cannot queue the next file in mpv');
        },
      );
    this.#preloading = loading;
    await loading;
    if (this.#preloading === loading) this.#preloading = undefined;
  }

  /** After the upcoming list changed: drop a preloaded file that is no longer next, and preload the new one. */
  async #refreshPreload(): Promise<void> {
    if (this.#preloaded && this.#preloaded.key === this.#queue.upcoming[0]?.key) return;
    if (this.#preloaded) await this.#dropPreload();
    await this.#preload();
  }

  /** Takes the next file back from mpv; the song playing plays to its end again. */
  async #dropPreload(): Promise<void> {
    const dropped = this.#preloaded;
    if (!dropped) return;
    this.#preloaded = undefined;
    // The song's own end first: were the entry gone while the early end held, the song would stop short.
    if (dropped.isCrossfade) await this.#client.command(['set_property', 'file-local-options/end', 'none']);
    // Removes every entry but the one playing (the rest of a station's own playlist too).
    const current = this.#queue.current;
    if (current) this.#expanded.delete(current.key);
    await this.#client.command(['playlist-clear']);
  }

  #onFileLoaded(): void {
    const resume = this.#resumeAt;
    if (!resume || this.#playing?.key !== resume.key) return;
    if (resume.positionMs <= 0) {
      this.#resumeAt = undefined;
      return;
    }
    this.#client.command(['seek', resume.positionMs / 1000, 'absolute']).catch((err: unknown) => {
      this.#resumeAt = undefined;
      this.#log.warn({ err }, 'cannot seek to where the track was');
    });
  }

  #onProperty(name: string, data: unknown): void {
    if (name === 'pause' && typeof data === 'boolean') {
      this.#onPaused(data);
    } else if (name === 'volume' && typeof data === 'number') {
      this.#volume = Math.round(data);
      this.events.emit('volumeChanged', { volume: this.#volume });
    } else if (name === 'metadata') {
      this.#onMetadata(data);
    } else if (name === 'duration' && typeof data === 'number') {
      // The file's own length: a song whose end comes far past the last position heard went there unheard.
      if (this.#playing !== undefined) this.#output.duration(Math.round(data * 1000));
    } else if (name === 'time-pos' && typeof data === 'number') {
      const positionMs = Math.round(data * 1000);
      if (positionMs > 0) this.#firstAudio.heard(this.#playing?.key);
      const resume = this.#resumeAt;
      if (resume && resume.key === this.#playing?.key) {
        // Until the seek after a restart lands, the position mpv reports is not where the track is.
        if (positionMs < resume.positionMs - 500) return;
        this.#resumeAt = undefined;
        this.#output.jumped(positionMs);
      }
      // A position the output did not play (it went through far too fast) is not where the track is.
      if (this.#playing !== undefined && !this.#output.position(positionMs)) return;
      const isNewSecond = Math.floor(positionMs / 1000) !== Math.floor(this.#positionMs / 1000);
      this.#positionMs = positionMs;
      const current = this.#queue.current;
      if (isNewSecond && current && this.#playing?.key === current.key) this.events.emit('positionChanged', { item: current, positionMs });
    }
  }

  #onPaused(isPaused: boolean): void {
    this.#output.paused(isPaused);
    if (isPaused === this.#isPaused) return;
    this.#isPaused = isPaused;
    this.events.emit('pausedChanged', { isPaused });
  }

  /** A stream's ICY title (`icy-title`, as mpv names it) is what the station plays now. */
  #onMetadata(data: unknown): void {
    const tags = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    const icy = Object.entries(tags).find(([key]) => key.toLowerCase() === 'icy-title')?.[1];
    const title = typeof icy === 'string' && icy.trim() !== '' ? icy.trim() : null;
    if (title === this.#streamTitle) return;
    this.#streamTitle = title;
    const current = this.#queue.current;
    if (current && this.#playing?.key === current.key) this.events.emit('streamTitleChanged', { item: current, title });
  }

  #onStartFile(entryId: number | undefined): void {
    const key = entryId === undefined ? undefined : this.#entries.get(entryId);
    if (key === undefined || entryId === undefined) return;
    const before = this.#playing;
    if (before !== undefined && before.entryId !== entryId && this.#output.isWatching(before.entryId)) {
      // mpv started this entry before the end of the one before was read (gapless, on a busy
      // machine): that end is judged now, by its own song's start, before this one replaces it.
      // A song that went through far too fast is not left behind: it plays again once mpv is back.
      if (this.#skipped.has(before.key)) this.#output.songLeft(before.entryId);
      else if (!this.#output.songEnded({ entry: before.entryId, durationMs: this.#started.get(before.key)?.track.durationMs ?? undefined }))
        return;
    }
    if (this.#queue.current?.key !== key && this.#queue.upcoming[0]?.key === key) {
      // mpv moved on to the preloaded file by itself (gapless).
      this.#queue = advance(this.#queue);
      this.#emitQueue();
    }
    const item = this.#queue.current;
    if (item?.key !== key) return;
    this.#playing = { entryId, key };
    if (this.#preloaded?.key === key) this.#preloaded = undefined;
    this.#firstAudio.arm(item);
    // A file's audio is there to be read: one that makes no progress is the output's fault; a station may wait on the network.
    this.#output.songStarted({ canStall: !isStreamUri(item.track.uri), entry: entryId });
    // After a restart the same item starts again in mpv: that is the same play, not a new one.
    if (!this.#started.has(key)) {
      this.#positionMs = 0;
      this.#started.set(key, item);
      this.#log.info({ trackId: item.track.id, reason: item.reason, mood: item.mood }, 'track started');
      this.events.emit('trackStarted', { item });
    }
    void this.#preload();
  }

  /** Ends the current play without counting it as a skip: the rest of its playlist goes too. */
  async #abandon(key: number): Promise<void> {
    await this.#preloading;
    if (this.#queue.current?.key !== key) return;
    if ((this.#expanded.get(key) ?? 1) > 1) {
      this.#expanded.delete(key);
      await this.#dropPreload();
    }
    if (this.#preloaded?.isCrossfade === true) await this.#dropPreload();
    if (this.#preloaded?.entryId !== undefined) await this.#client.command(['playlist-next', 'force']);
    else await this.#client.command(['stop']);
  }

  /** mpv opened a playlist (a station's .m3u or .pls, a YouTube playlist) and put its entries in its place: one play. */
  #onExpanded(entryId: number, firstId: number, count: number): void {
    const key = this.#entries.get(entryId);
    if (key === undefined) return;
    if (count === 0) {
      this.#onEndFile(entryId, 'error', 'the playlist is empty');
      return;
    }
    this.#entries.delete(entryId);
    for (let id = firstId; id < firstId + count; id++) this.#entries.set(id, key);
    this.#expanded.set(key, (this.#expanded.get(key) ?? 1) - 1 + count);
    if (this.#playing?.entryId === entryId) this.#playing = undefined;
  }

  #onEndFile(entryId: number | undefined, reason: EndFileReason, fileError: string | undefined): void {
    const key = entryId === undefined ? undefined : this.#entries.get(entryId);
    if (entryId !== undefined && this.#output.isWatching(entryId)) {
      // An end far sooner than the song plays is the output failing, not the song finishing: mpv is
      // taken down (what it sends after this is not read), and the play goes on once it is back.
      // Each entry's end is judged by its own start, also when mpv started the next one first.
      const ending = key === undefined ? undefined : this.#queue.current?.key === key ? this.#queue.current : this.#started.get(key);
      if (reason === 'eof' && !this.#output.songEnded({ entry: entryId, durationMs: ending?.track.durationMs ?? undefined })) return;
      this.#output.songLeft(entryId);
    }
    if (entryId !== undefined) this.#entries.delete(entryId);
    if (key === undefined) return;
    if (this.#preloaded?.entryId === entryId) this.#preloaded = undefined;
    if (this.#playing?.entryId === entryId) this.#playing = undefined;
    const left = (this.#expanded.get(key) ?? 1) - 1;
    if (left > 0 && (reason === 'eof' || reason === 'error')) {
      // mpv goes on to the playlist's next entry by itself: the play goes on.
      this.#expanded.set(key, left);
      if (reason === 'error')
        this.#log.warn({ key, error: fileError }, 'an entry of the station’s playlist cannot be played: trying the next');
      return;
    }
    this.#expanded.delete(key);
    const item = this.#queue.current?.key === key ? this.#queue.current : undefined;
    const started = this.#started.get(key);
    // A preloaded file dropped before it started was never a play.
    if (!started) return;
    const ended = item ?? started;
    const leftAs = this.#skipped.get(key);
    this.#skipped.delete(key);
    // A station does not end: the end of its stream is the station going away (its server stopped
    // or dropped the connection). A YouTube video ends as a song does.
    const stalled = this.#firstAudio.ended(key);
    const isDeadStream = stalled !== undefined || (reason === 'eof' && isStreamUri(ended.track.uri) && !isYouTubeUrl(ended.track.uri));
    const outcome: PlayOutcome =
      reason === 'eof' && !isDeadStream ? 'completed' : reason === 'error' || isDeadStream ? 'failed' : (leftAs ?? 'interrupted');
    if (outcome === 'failed') {
      const error = stalled ?? fileError ?? (isDeadStream ? 'the stream ended: the station stopped sending' : 'cannot play the file');
      this.#log.warn({ trackId: ended.track.id, uri: ended.track.uri, error }, 'track skipped: cannot play it');
      this.events.emit('trackFailed', { item: ended, error });
    }
    this.#finish(ended, outcome);
    // Only the end of the current item moves the queue; a replaced one has already been left behind.
    if (!item) return;
    if (this.#preloaded) return; // mpv starts it by itself; start-file advances the queue.
    this.#queue = advance(this.#queue);
    this.#emitQueue();
    const next = this.#queue.current;
    if (next) {
      this.#load(next, 'append-play').catch((err: unknown) => this.#log.warn({ err }, 'cannot load the next file'));
    } else {
      this.events.emit('queueEnded', { lastKey: key });
    }
  }

  /** Ends a play that started: `trackEnded`, once. */
  #finish(item: QueueItem, outcome: PlayOutcome): void {
    if (!this.#started.delete(item.key)) return;
    this.events.emit('trackEnded', { item, outcome });
  }

  #emitQueue(): void {
    this.events.emit('queueChanged', { current: this.#queue.current, upcoming: this.#queue.upcoming });
  }
}
