import type { Clock } from '../kernel/clock.js';
import { EventBus } from '../kernel/event-bus.js';
import type { Service, ServiceHealth } from '../kernel/lifecycle.js';
import { assertCrossfadeMs } from './mpv/crossfade.js';
import { mpvArgs } from './mpv/mpv-args.js';
import { MpvIpcClient } from './mpv/mpv-ipc-client.js';
import { MpvPlaylist } from './mpv/mpv-playlist.js';
import { MpvProcess, type MpvProcessOptions } from './mpv/mpv-process.js';
import { OutputWatch, type OutputFailure, type OutputPace } from './mpv/output-watch.js';
import { QueueSync } from './mpv/queue-sync.js';
import { StationGate, type StationGateOptions } from './mpv/station-gate.js';
import type { PlayQueue, QueueEntry } from './play-queue.js';
import type { Log } from '../kernel/log.js';
import { drainSnapcastPipe, isSnapcastPipeRead, snapcastPipeProblem } from './audio-output.js';
import { assertPercent, type Player, type PlayerEvents, type PlayerStall, type PlayerState, type PlayOptions } from './player.js';

export { removeStaleSockets } from './mpv/mpv-process.js';

/**
 * The mpv executable, socket, start timeout and restart backoff are those of `MpvProcessOptions`;
 * the check of stations' addresses, and their timeout, those of `StationGateOptions`.
 */
export interface MpvPlayerOptions extends MpvProcessOptions, StationGateOptions {
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
 * after a crash), an `MpvIpcClient` (commands and events over its socket), a `QueueSync` (our queue,
 * the truth, and the plays it starts and ends) and an `MpvPlaylist` (mpv's side of it: the current
 * file and, for gapless playback, the next one). mpv crashing is a fault, not an end: it is
 * restarted with backoff and the current track resumes where it was, as the same play. So is an
 * output that fails (songs going through it far faster than they play, or making no progress:
 * `OutputWatch`). This class keeps the volume, the pause and the health.
 */
export class MpvPlayer implements Player, Service {
  readonly name = 'player';
  readonly events = new EventBus<PlayerEvents>((err, event, owner) => this.#log.error({ err, event, owner }, 'a player listener failed'));
  readonly #log: Log;
  /** Keeps stations off the box's network: the guard mpv loads, each station's address checked. */
  readonly #gate: StationGate;
  readonly #client: MpvIpcClient;
  readonly #process: MpvProcess;
  readonly #playlist: MpvPlaylist;
  readonly #sync: QueueSync;
  readonly #audioOutput: string;
  readonly #extraArgs: readonly string[];
  readonly #replayGain: NonNullable<MpvPlayerOptions['replayGain']>;
  readonly #isGapless: boolean;

  #maxVolume: number;
  #volume: number;
  #isPaused = false;
  /** Judges whether what mpv plays goes through its output. */
  readonly #output: OutputWatch;
  /** The pipe of the Snapcast output, named in an output failure. */
  readonly #pcmPipe: string | undefined;
  /** Why the output counts as failed, until music goes through it in real time again. */
  #outputProblem: string | undefined;
  /** Why no audio reaches the listener, from a fault until a song goes through the output in step again. */
  #stall: PlayerStall | undefined;

  constructor(deps: { clock: Clock; log: Log }, options: MpvPlayerOptions = {}) {
    this.#log = deps.log;
    this.#gate = new StationGate({ log: deps.log }, options);
    this.#audioOutput = options.audioOutput ?? 'auto';
    this.#extraArgs = options.extraArgs ?? [];
    this.#maxVolume = assertPercent('maxVolume', options.maxVolume ?? 100);
    this.#volume = Math.min(assertPercent('volume', options.volume ?? 80), this.#maxVolume);
    this.#replayGain = options.replayGain ?? 'track';
    this.#isGapless = (options.transition ?? 'gapless') === 'gapless';
    const pcmPipe = options.pcmPipe;
    this.#pcmPipe = pcmPipe;
    this.#output = new OutputWatch(
      {
        clock: deps.clock,
        failed: (failure) => this.#onOutputFailed(failure),
        restored: () => this.#onOutputRestored(),
        flowing: () => this.#setStall(undefined),
        isTaken: () => pcmPipe === undefined || isSnapcastPipeRead(pcmPipe),
      },
      {
        pace: options.outputPace ?? (this.#audioOutput === 'pcm' && pcmPipe === undefined ? 'untimed' : 'real-time'),
        stallMs: options.outputStallMs,
        retryMs: options.outputRetryMs,
        retryMaxMs: options.outputRetryMaxMs,
      },
    );
    this.#client = new MpvIpcClient({ log: deps.log });
    this.#playlist = new MpvPlaylist(
      {
        client: this.#client,
        log: deps.log,
        queue: () => this.#sync.queue,
        positionMs: () => this.#sync.positionMs,
        isDown: () => this.#isDown,
        vetted: (uri) => this.#gate.vetted(uri),
      },
      {
        isGapless: this.#isGapless,
        replayGain: this.#replayGain,
        crossfadeMs: assertCrossfadeMs(options.crossfadeMs ?? 0),
        streamTimeoutS: options.streamTimeoutS,
      },
    );
    this.#sync = new QueueSync(
      {
        clock: deps.clock,
        log: deps.log,
        client: this.#client,
        events: this.events,
        playlist: this.#playlist,
        output: this.#output,
        isDown: () => this.#isDown,
      },
      { streamTimeoutS: options.streamTimeoutS },
    );
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
    this.#client.events.on('propertyChanged', ({ name, data }) => this.#onProperty(name, data), this);
    // The output took the song up again (after a restart, a load, a seek): the music flows, if it takes it.
    this.#client.events.on('playbackRestarted', () => this.#output.outputOpened(), this);
    this.#client.events.on('audioReconfigured', () => this.#output.outputConfigured(), this);
    this.#process.events.on('faulted', ({ error, retryInMs }) => this.#onFaulted(error, retryInMs), this);
    this.#process.events.on('restarted', ({ attempt }) => void this.#onRestarted(attempt), this);
  }

  /** The mpv process id while it runs (for diagnostics). */
  get pid(): number | undefined {
    return this.#process.pid;
  }

  async start(signal?: AbortSignal): Promise<void> {
    this.#gate.open();
    this.#sync.attach();
    await this.#process.start(signal);
  }

  /** Ends the current play as `interrupted`, then quits mpv. */
  async stop(): Promise<void> {
    this.#output.stop();
    this.#sync.interrupt();
    await this.#process.stop();
    this.#sync.detach();
    this.#gate.close();
    this.#stall = undefined;
  }

  health(): ServiceHealth {
    const detail =
      this.#process.refused ?? this.#outputProblem ?? (this.#process.isFaulted ? 'mpv stopped unexpectedly; restarting' : undefined);
    return detail === undefined ? { status: 'ready' } : { status: 'degraded', detail };
  }

  state(): PlayerState {
    const queue = this.#sync.queue;
    return {
      current: queue.current,
      upcoming: queue.upcoming,
      isPaused: this.#isPaused,
      positionMs: this.#sync.positionMs,
      volume: this.#volume,
      maxVolume: this.#maxVolume,
      ...(this.#stall === undefined ? {} : { stalled: this.#stall }),
    };
  }

  queue(): PlayQueue {
    return this.#sync.queue;
  }

  play(entries: readonly QueueEntry[], options: PlayOptions = {}): Promise<void> {
    return this.#sync.play(entries, options);
  }

  enqueue(entries: readonly QueueEntry[], options: { next?: boolean } = {}): Promise<void> {
    return this.#sync.enqueue(entries, options);
  }

  replaceUpcoming(entries: readonly QueueEntry[]): Promise<void> {
    return this.#sync.replaceUpcoming(entries);
  }

  next(): Promise<void> {
    return this.#sync.next();
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
  setCrossfade(ms: number): Promise<void> {
    return this.#playlist.setCrossfade(ms);
  }

  // --- the mpv process ---

  /** mpv's arguments at each launch: the volume is the one of the moment. */
  #mpvArgs(): string[] {
    return mpvArgs({
      ...this.#gate.launch(),
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

  /** mpv is down (crashed, refused, or stopped for its output): nothing reaches the listener until a song flows again. */
  #onFaulted(error: string, retryInMs: number): void {
    this.#output.stop();
    this.#sync.mpvDown();
    const detail = this.#process.refused ?? this.#outputProblem;
    this.#setStall(
      detail === undefined ? { cause: 'player', detail: `the player stopped (${error}); restarting` } : { cause: 'output', detail },
    );
    this.events.emit('playerFaulted', { error, retryInMs });
  }

  #setStall(stall: PlayerStall | undefined): void {
    if (stall?.cause === this.#stall?.cause && stall?.detail === this.#stall?.detail) return;
    this.#stall = stall;
    this.events.emit('stalledChanged', { stalled: stall ?? null });
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
    const trackId = this.#sync.queue.current?.track.id;
    this.#log.warn({ error: why, retryInMs, trackId, resumeAtMs }, 'the audio output failed: stopping the music');
    const pipe = this.#pcmPipe;
    this.#sync.outputFailed(resumeAtMs, () => {
      const exited = this.#process.restartAfter(why, retryInMs);
      // What the mpv taken down left in the pipe is from before where the song resumes.
      if (pipe !== undefined) void exited.then(() => drainSnapcastPipe(pipe));
    });
  }

  #onOutputRestored(): void {
    this.#outputProblem = undefined;
    this.#setStall(undefined);
    this.#log.info({ trackId: this.#sync.queue.current?.track.id }, 'the audio output plays again');
    this.events.emit('outputRestored', {});
  }

  async #onRestarted(attempt: number): Promise<void> {
    this.#sync.mpvUp();
    this.events.emit('playerRestarted', { attempt });
    try {
      if (this.#isPaused) await this.#client.command(['set_property', 'pause', true]);
      await this.#sync.reload();
    } catch (err) {
      this.#log.warn({ err }, 'cannot resume after restart');
    }
  }

  // --- mpv's properties ---

  #onProperty(name: string, data: unknown): void {
    if (name === 'pause' && typeof data === 'boolean') {
      this.#onPaused(data);
    } else if (name === 'volume' && typeof data === 'number') {
      this.#volume = Math.round(data);
      this.events.emit('volumeChanged', { volume: this.#volume });
    } else if (name === 'metadata') {
      this.#sync.metadata(data);
    } else if (name === 'duration' && typeof data === 'number') {
      this.#sync.duration(Math.round(data * 1000));
    } else if (name === 'time-pos' && typeof data === 'number') {
      this.#sync.position(Math.round(data * 1000));
    }
  }

  #onPaused(isPaused: boolean): void {
    this.#output.paused(isPaused);
    if (isPaused === this.#isPaused) return;
    this.#isPaused = isPaused;
    this.events.emit('pausedChanged', { isPaused });
  }
}
