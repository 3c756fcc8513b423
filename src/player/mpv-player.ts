import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, Timer } from '../daemon/kernel/clock.js';
import { PlayerError } from '../daemon/kernel/errors.js';
import { EventBus } from '../daemon/kernel/event-bus.js';
import type { Service, ServiceHealth } from '../daemon/kernel/lifecycle.js';
import { encodeCommand, MpvLineDecoder, type MpvArg, type MpvMessage } from './mpv-ipc.js';
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
import type { PlayerEvents, PlayerState, PlayHistory, PlayOutcome, Player } from './player.js';

export interface PlayerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface MpvPlayerOptions {
  /** The mpv executable. @default 'mpv' */
  mpvPath?: string;
  /** `auto` (mpv's default device), `null`, or any mpv `--ao` value such as `pcm`. @default 'auto' */
  audioOutput?: string;
  /** More mpv arguments, e.g. `--ao-pcm-file=out.wav`. @default [] */
  extraArgs?: readonly string[];
  /** The IPC socket path; a stale socket there is removed first. @default a path of its own in the temp folder */
  socketPath?: string;
  /** Volume at start, 0–100. @default 80 */
  volume?: number;
  /** The admin's maximum volume, 0–100. @default 100 */
  maxVolume?: number;
  /** ReplayGain mode mpv applies from the files' tags. @default 'track' */
  replayGain?: 'track' | 'album' | 'no';
  /** `gapless`: the next file is queued in mpv ahead of time and follows without a gap. @default 'gapless' */
  transition?: 'gapless' | 'none';
  /** How long mpv may take to open its socket (ms). @default 5000 */
  startTimeoutMs?: number;
  /** First wait before restarting a crashed mpv (ms); doubles per failed try up to `restartMaxDelayMs`. @default 250 */
  restartDelayMs?: number;
  /** @default 10000 */
  restartMaxDelayMs?: number;
  /**
   * mpv is killed by the kernel when the daemon dies, even by SIGKILL (util-linux's `setpriv
   * --pdeathsig`, when it is installed), so no orphan keeps playing. @default true
   */
  dieWithDaemon?: boolean;
}

/** util-linux's setpriv, which Debian and Raspberry Pi OS always have. */
const SETPRIV = '/usr/bin/setpriv';
/** Default IPC socket names: the daemon's pid, then a random part. */
const SOCKET_NAME = /^moodbox-mpv-(\d+)-[0-9a-f]{8}\.sock$/;

interface Pending {
  /** Runs as the reply is read, before events that follow it in the same chunk. */
  onData: ((data: unknown) => void) | undefined;
  resolve: (data: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * Plays through mpv, driven over its JSON IPC socket. Our queue is the truth; mpv holds the current
 * file and, for gapless playback, the next one. mpv crashing is a fault, not an end: it is restarted
 * with backoff and the current track resumes where it was.
 */
export class MpvPlayer implements Player, Service {
  readonly name = 'player';
  readonly events = new EventBus<PlayerEvents>();
  readonly #clock: Clock;
  readonly #history: PlayHistory;
  readonly #log: PlayerLog;
  readonly #mpvPath: string;
  readonly #audioOutput: string;
  readonly #extraArgs: readonly string[];
  readonly #socketPath: string;
  readonly #dieWithDaemon: boolean;
  readonly #maxVolume: number;
  readonly #replayGain: string;
  readonly #isGapless: boolean;
  readonly #startTimeoutMs: number;
  readonly #restartDelayMs: number;
  readonly #restartMaxDelayMs: number;

  #queue: PlayQueue = EMPTY_QUEUE;
  #volume: number;
  #isPaused = false;
  #positionMs = 0;
  #process: ChildProcess | undefined;
  #socket: Socket | undefined;
  #requestId = 1;
  readonly #pending = new Map<number, Pending>();
  /** mpv playlist entry id → queue key, for every file we loaded. */
  readonly #entries = new Map<number, number>();
  /** The entry mpv plays now. */
  #playing: { entryId: number; key: number } | undefined;
  /** The next file, already handed to mpv (its entry id arrives with the reply). */
  #preloaded: { key: number; entryId: number | undefined } | undefined;
  /** History rows of items that started, by queue key. */
  readonly #playIds = new Map<number, number>();
  /** Items that started, by key: a replaced item leaves the queue before its end-file arrives. */
  readonly #started = new Map<number, QueueItem>();
  /** The preload in flight, if any. */
  #preloading: Promise<void> | undefined;
  /** Keys the user skipped, so that their `stop` ends as `skipped`. */
  readonly #skipped = new Set<number>();
  /** Where to seek once the given key's file is loaded again (after a restart), in ms. */
  #resumeAt: { key: number; positionMs: number } | undefined;
  #isStopping = false;
  #isFaulted = false;
  /** Set once `start` succeeded: only then is an exit a crash to recover from. */
  #hasStarted = false;
  #restartTimer: Timer | undefined;
  #restartAttempt = 0;
  #stderrTail = '';

  constructor(deps: { clock: Clock; history: PlayHistory; log: PlayerLog }, options: MpvPlayerOptions = {}) {
    this.#clock = deps.clock;
    this.#history = deps.history;
    this.#log = deps.log;
    this.#mpvPath = options.mpvPath ?? 'mpv';
    this.#audioOutput = options.audioOutput ?? 'auto';
    this.#extraArgs = options.extraArgs ?? [];
    this.#socketPath = options.socketPath ?? join(tmpdir(), `moodbox-mpv-${process.pid}-${randomBytes(4).toString('hex')}.sock`);
    this.#dieWithDaemon = (options.dieWithDaemon ?? true) && existsSync(SETPRIV);
    if (options.socketPath === undefined) removeStaleSockets(tmpdir());
    this.#maxVolume = percent('maxVolume', options.maxVolume ?? 100);
    this.#volume = Math.min(percent('volume', options.volume ?? 80), this.#maxVolume);
    this.#replayGain = options.replayGain ?? 'track';
    this.#isGapless = (options.transition ?? 'gapless') === 'gapless';
    this.#startTimeoutMs = options.startTimeoutMs ?? 5000;
    this.#restartDelayMs = options.restartDelayMs ?? 250;
    this.#restartMaxDelayMs = options.restartMaxDelayMs ?? 10_000;
  }

  /** The mpv process id while it runs (for diagnostics). */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  async start(signal?: AbortSignal): Promise<void> {
    this.#isStopping = false;
    await this.#launch(signal);
    this.#hasStarted = true;
  }

  async stop(): Promise<void> {
    this.#isStopping = true;
    this.#hasStarted = false;
    this.#restartTimer?.cancel();
    this.#restartTimer = undefined;
    const current = this.#queue.current;
    if (current) this.#finish(current, 'interrupted');
    const child = this.#process;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      this.#sendRaw(['quit']);
      const kill = this.#clock.setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      kill.cancel();
    }
    this.#disconnect(new PlayerError('MB_ERR_PLAYER_START', 'the player stopped'));
    this.#process = undefined;
    rmSync(this.#socketPath, { force: true });
  }

  health(): ServiceHealth {
    return this.#isFaulted ? { status: 'degraded', detail: 'mpv stopped unexpectedly; restarting' } : { status: 'ready' };
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

  async play(entries: readonly QueueEntry[]): Promise<void> {
    const before = this.#queue.current;
    this.#queue = startWith(this.#queue, entries);
    if (before) this.#skipped.add(before.key);
    this.#preloaded = undefined;
    this.#emitQueue();
    const first = this.#queue.current;
    if (first) await this.#load(first, 'replace');
    else await this.#command(['stop']);
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
    this.#skipped.add(current.key);
    await this.#preloading;
    // With the next file in mpv, `playlist-next` moves to it without a gap; else `stop` ends the
    // current file and the end-file handler loads what comes next.
    if (this.#preloaded?.entryId !== undefined) await this.#command(['playlist-next', 'force']);
    else await this.#command(['stop']);
  }

  async pause(): Promise<void> {
    await this.#command(['set_property', 'pause', true]);
  }

  async resume(): Promise<void> {
    await this.#command(['set_property', 'pause', false]);
  }

  async setVolume(volume: number): Promise<number> {
    const applied = Math.min(percent('volume', volume), this.#maxVolume);
    await this.#command(['set_property', 'volume', applied]);
    this.#volume = applied;
    return applied;
  }

  // --- mpv process and socket ---

  async #launch(signal?: AbortSignal): Promise<void> {
    rmSync(this.#socketPath, { force: true });
    const args = [
      '--idle=yes',
      `--input-ipc-server=${this.#socketPath}`,
      '--no-video',
      '--no-config',
      '--no-terminal',
      '--audio-display=no',
      `--gapless-audio=${this.#isGapless ? 'yes' : 'no'}`,
      `--replaygain=${this.#replayGain}`,
      '--volume-max=100',
      `--volume=${this.#volume}`,
      ...(this.#audioOutput === 'auto' ? [] : [`--ao=${this.#audioOutput}`]),
      ...this.#extraArgs,
    ];
    this.#stderrTail = '';
    // The daemon's malloc tuning (MALLOC_ARENA_MAX, for OpenCV's threads) makes mpv larger: leave mpv its defaults.
    const env = { ...process.env };
    delete env['MALLOC_ARENA_MAX'];
    const [command, argv] = this.#dieWithDaemon ? [SETPRIV, ['--pdeathsig', 'KILL', '--', this.#mpvPath, ...args]] : [this.#mpvPath, args];
    const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'], env });
    this.#process = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.#stderrTail = (this.#stderrTail + text).slice(-2000);
    });
    let spawnError: Error | undefined;
    child.once('error', (err) => {
      spawnError = err;
    });
    child.once('exit', (code, sig) => this.#onExit(child, code, sig));

    const deadline = this.#clock.monotonic() + this.#startTimeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      if (spawnError || child.exitCode !== null || child.signalCode !== null) {
        throw new PlayerError('MB_ERR_PLAYER_START', `cannot start ${this.#mpvPath}: ${spawnError?.message ?? this.#exitText(child)}`, {
          cause: spawnError,
        });
      }
      try {
        this.#socket = await connect(this.#socketPath);
        break;
      } catch {
        if (this.#clock.monotonic() > deadline) {
          child.kill('SIGKILL');
          throw new PlayerError('MB_ERR_PLAYER_START', `${this.#mpvPath} did not open its IPC socket within ${this.#startTimeoutMs} ms`);
        }
        await this.#clock.sleep(20, signal);
      }
    }
    const socket = this.#socket;
    const decoder = new MpvLineDecoder();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      for (const message of decoder.push(chunk)) this.#onMessage(message);
    });
    socket.on('error', (err) => this.#log.debug({ err }, 'mpv socket error'));
    // Observed properties, not events: mpv 0.35 no longer sends pause/unpause events.
    await this.#command(['observe_property', 1, 'pause']);
    await this.#command(['observe_property', 2, 'time-pos']);
    await this.#command(['observe_property', 3, 'volume']);
    this.#log.info({ pid: child.pid, socket: this.#socketPath }, 'mpv started');
  }

  #exitText(child: ChildProcess): string {
    const why = child.signalCode === null ? `exit code ${String(child.exitCode)}` : `signal ${child.signalCode}`;
    const tail = this.#stderrTail.trim().split('\n').slice(-3).join(' | ');
    return tail === '' ? why : `${why}: ${tail}`;
  }

  #onExit(child: ChildProcess, code: number | null, sig: NodeJS.Signals | null): void {
    if (child !== this.#process) return;
    this.#disconnect(new PlayerError('MB_ERR_PLAYER_START', 'mpv exited'));
    if (this.#isStopping || !this.#hasStarted) return;
    this.#process = undefined;
    if (!this.#isFaulted) {
      this.#isFaulted = true;
      this.#entries.clear();
      this.#playing = undefined;
      this.#preloaded = undefined;
      const current = this.#queue.current;
      if (current) this.#resumeAt = { key: current.key, positionMs: this.#positionMs };
    }
    this.#scheduleRestart(sig === null ? `mpv exited with code ${String(code)}` : `mpv was killed by ${sig}`);
  }

  /** Restarts mpv after a backoff timed by the clock; at most one restart is ever pending. */
  #scheduleRestart(error: string): void {
    if (this.#restartTimer || this.#isStopping) return;
    const retryInMs = Math.min(this.#restartDelayMs * 2 ** this.#restartAttempt, this.#restartMaxDelayMs);
    this.#log.error({ error, retryInMs }, 'mpv stopped unexpectedly');
    this.events.emit('playerFaulted', { error, retryInMs });
    this.#restartTimer = this.#clock.setTimeout(() => void this.#restart(), retryInMs);
  }

  async #restart(): Promise<void> {
    this.#restartTimer = undefined;
    if (this.#isStopping) return;
    this.#restartAttempt++;
    try {
      await this.#launch();
    } catch (err) {
      this.#log.warn({ err, attempt: this.#restartAttempt }, 'mpv restart failed');
      const child = this.#process;
      this.#process = undefined;
      child?.kill('SIGKILL');
      this.#scheduleRestart(err instanceof Error ? err.message : String(err));
      return;
    }
    const attempt = this.#restartAttempt;
    this.#restartAttempt = 0;
    this.#isFaulted = false;
    this.events.emit('playerRestarted', { attempt });
    try {
      if (this.#isPaused) await this.#command(['set_property', 'pause', true]);
      const current = this.#queue.current;
      if (current) await this.#load(current, 'replace');
    } catch (err) {
      this.#log.warn({ err }, 'cannot resume after restart');
    }
  }

  #disconnect(reason: Error): void {
    this.#socket?.destroy();
    this.#socket = undefined;
    for (const pending of this.#pending.values()) pending.reject(reason);
    this.#pending.clear();
  }

  #sendRaw(command: readonly MpvArg[]): void {
    this.#socket?.write(encodeCommand(this.#requestId++, command));
  }

  /** Sends a command; resolves with its `data`, rejects when mpv answers with an error or goes away. */
  #command(command: readonly MpvArg[], onData?: (data: unknown) => void): Promise<unknown> {
    const socket = this.#socket;
    if (!socket) return Promise.reject(new PlayerError('MB_ERR_PLAYER_START', 'mpv is not running'));
    const id = this.#requestId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { onData, resolve, reject });
      socket.write(encodeCommand(id, command));
    });
  }

  // --- queue ↔ mpv playlist ---

  /** Hands `item` to mpv: `replace` plays it now; `append-play` queues it (and plays it when idle). */
  async #load(item: QueueItem, mode: 'replace' | 'append-play'): Promise<number | undefined> {
    if (mode === 'replace') this.#preloaded = undefined;
    let entryId: number | undefined;
    // The entry id must be known before mpv's start-file for it is handled, which may come in the same read.
    await this.#command(['loadfile', item.track.uri, mode], (data) => {
      entryId = (data as { playlist_entry_id?: number } | null)?.playlist_entry_id;
      if (entryId !== undefined) this.#entries.set(entryId, item.key);
    });
    return entryId;
  }

  /** Hands the next upcoming file to mpv so that it follows without a gap. */
  async #preload(): Promise<void> {
    const next = this.#queue.upcoming[0];
    if (!next || !this.#isGapless || this.#playing === undefined || this.#preloaded) return;
    const marker: { key: number; entryId: number | undefined } = { key: next.key, entryId: undefined };
    this.#preloaded = marker;
    const loading = this.#load(next, 'append-play').then(
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
    if (this.#preloaded) {
      this.#preloaded = undefined;
      // Removes every entry but the one playing.
      await this.#command(['playlist-clear']);
    }
    await this.#preload();
  }

  #onMessage(message: MpvMessage): void {
    switch (message.type) {
      case 'reply': {
        const pending = this.#pending.get(message.requestId);
        if (!pending) return;
        this.#pending.delete(message.requestId);
        if (message.error === 'success') {
          pending.onData?.(message.data);
          pending.resolve(message.data);
        } else pending.reject(new PlayerError('MB_ERR_PLAYER_COMMAND', `mpv refused a command: ${message.error}`));
        return;
      }
      case 'start-file':
        this.#onStartFile(message.entryId);
        return;
      case 'end-file':
        this.#onEndFile(message.entryId, message.reason, message.fileError);
        return;
      case 'file-loaded': {
        const resume = this.#resumeAt;
        if (resume && this.#playing?.key === resume.key) {
          if (resume.positionMs <= 0) this.#resumeAt = undefined;
          else {
            this.#command(['seek', resume.positionMs / 1000, 'absolute']).catch((err: unknown) => {
              this.#resumeAt = undefined;
              this.#log.warn({ err }, 'cannot seek to where the track was');
            });
          }
        }
        return;
      }
      case 'property-change':
        this.#onProperty(message.name, message.data);
        return;
      case 'idle':
      case 'event':
      case 'invalid':
        return;
      default:
        assertNever(message);
    }
  }

  #onProperty(name: string, data: unknown): void {
    if (name === 'pause' && typeof data === 'boolean' && data !== this.#isPaused) {
      this.#isPaused = data;
      this.events.emit('pausedChanged', { isPaused: data });
    } else if (name === 'volume' && typeof data === 'number') {
      this.#volume = Math.round(data);
      this.events.emit('volumeChanged', { volume: this.#volume });
    } else if (name === 'time-pos' && typeof data === 'number') {
      const positionMs = Math.round(data * 1000);
      const resume = this.#resumeAt;
      if (resume && resume.key === this.#playing?.key) {
        // Until the seek after a restart lands, the position mpv reports is not where the track is.
        if (positionMs < resume.positionMs - 500) return;
        this.#resumeAt = undefined;
      }
      const isNewSecond = Math.floor(positionMs / 1000) !== Math.floor(this.#positionMs / 1000);
      this.#positionMs = positionMs;
      const current = this.#queue.current;
      if (isNewSecond && current && this.#playing?.key === current.key) this.events.emit('positionChanged', { item: current, positionMs });
    }
  }

  #onStartFile(entryId: number | undefined): void {
    const key = entryId === undefined ? undefined : this.#entries.get(entryId);
    if (key === undefined || entryId === undefined) return;
    if (this.#queue.current?.key !== key && this.#queue.upcoming[0]?.key === key) {
      // mpv moved on to the preloaded file by itself (gapless).
      this.#queue = advance(this.#queue);
      this.#emitQueue();
    }
    const item = this.#queue.current;
    if (item?.key !== key) return;
    this.#playing = { entryId, key };
    if (this.#preloaded?.key === key) this.#preloaded = undefined;
    if (!this.#playIds.has(key)) {
      this.#positionMs = 0;
      const playId = this.#record(item);
      this.#log.info({ trackId: item.track.id, reason: item.reason, mood: item.mood }, 'track started');
      this.events.emit('trackStarted', { item, playId });
    }
    void this.#preload();
  }

  #onEndFile(entryId: number | undefined, reason: string, fileError: string | undefined): void {
    const key = entryId === undefined ? undefined : this.#entries.get(entryId);
    if (entryId !== undefined) this.#entries.delete(entryId);
    if (key === undefined) return;
    if (this.#preloaded?.entryId === entryId) this.#preloaded = undefined;
    if (this.#playing?.entryId === entryId) this.#playing = undefined;
    const item = this.#queue.current?.key === key ? this.#queue.current : undefined;
    if (!this.#playIds.has(key)) return;
    const wasSkipped = this.#skipped.delete(key);
    const outcome: PlayOutcome = reason === 'eof' ? 'completed' : reason === 'error' ? 'failed' : wasSkipped ? 'skipped' : 'interrupted';
    const ended = item ?? this.#endedItem(key);
    if (ended) {
      if (outcome === 'failed') {
        const error = fileError ?? 'cannot play the file';
        this.#log.warn({ trackId: ended.track.id, uri: ended.track.uri, error }, 'track skipped: cannot play it');
        this.events.emit('trackFailed', { item: ended, error });
      }
      this.#finish(ended, outcome);
    }
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

  #endedItem(key: number): QueueItem | undefined {
    return this.#started.get(key);
  }

  #record(item: QueueItem): number | undefined {
    this.#started.set(item.key, item);
    try {
      const play = this.#history.start({
        trackId: item.track.id,
        userId: item.userId,
        reason: item.reason,
        mood: item.mood,
        startedAt: this.#clock.now(),
      });
      this.#playIds.set(item.key, play.id);
      if (item.note !== '') this.#history.annotate(play.id, item.note);
      return play.id;
    } catch (err) {
      // A history that cannot be written must not silence the music.
      this.#playIds.set(item.key, -1);
      this.#log.error({ err, trackId: item.track.id }, 'cannot record the play');
      return undefined;
    }
  }

  #finish(item: QueueItem, outcome: PlayOutcome): void {
    const playId = this.#playIds.get(item.key);
    this.#playIds.delete(item.key);
    this.#started.delete(item.key);
    if (playId === undefined) return;
    this.events.emit('trackEnded', { item, outcome });
    if (playId < 0) return;
    try {
      this.#history.finish(playId, outcome, this.#clock.now());
    } catch (err) {
      this.#log.error({ err, playId }, 'cannot record the end of the play');
    }
  }

  #emitQueue(): void {
    this.events.emit('queueChanged', { current: this.#queue.current, upcoming: this.#queue.upcoming });
  }
}

function connect(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function percent(name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 100)) {
    throw new RangeError(`Expected \`${name}\` to be 0–100, got \`${String(value)}\` (${typeof value})`);
  }
  return value;
}

function assertNever(value: never): never {
  throw new TypeError(`Expected a known mpv message, got \`${JSON.stringify(value)}\``);
}

/** Removes IPC sockets left in `dir` by daemons that are gone (killed before they could clean up). */
export function removeStaleSockets(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(SOCKET_NAME.exec(name)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
