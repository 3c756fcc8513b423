import type { Clock } from '../../kernel/clock.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { Log } from '../../kernel/log.js';
import type { EndFileReason } from '../mpv-ipc.js';
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
import type { PlayerEvents, PlayOptions, PlayOutcome } from '../player.js';
import { isStreamUri, isYouTubeUrl } from '../streams/stream-url.js';
import { FirstAudioWatchdog } from './first-audio-watchdog.js';
import type { MpvIpcClient } from './mpv-ipc-client.js';
import type { MpvPlaylist } from './mpv-playlist.js';
import type { OutputWatch } from './output-watch.js';

export interface QueueSyncDeps {
  clock: Clock;
  log: Log;
  client: MpvIpcClient;
  /** The player's events: the plays, the queue and the position are told here. */
  events: EventBus<PlayerEvents>;
  /** mpv's side of the queue, kept in step with it here. */
  playlist: MpvPlaylist;
  /** Judges whether what mpv plays goes through its output. */
  output: OutputWatch;
  /** mpv is down and comes back by itself, handed the current item then: nothing is sent meanwhile. */
  isDown: () => boolean;
}

/**
 * Our queue, played through mpv. The queue is the truth; mpv's playlist (`MpvPlaylist`) follows
 * it, and what mpv does (a file started, ended, moved on to the next) becomes the plays of
 * `PlayerEvents`: each starts once and ends once, with how. mpv going down is a fault, not an end:
 * the current play resumes where it was, as the same play, once mpv is back.
 */
export class QueueSync {
  readonly #client: MpvIpcClient;
  readonly #log: Log;
  readonly #events: EventBus<PlayerEvents>;
  readonly #playlist: MpvPlaylist;
  readonly #output: OutputWatch;
  readonly #isDown: () => boolean;
  /** Gives up on a station that connects but sends no audio. */
  readonly #firstAudio: FirstAudioWatchdog;
  #queue: PlayQueue = EMPTY_QUEUE;
  #positionMs = 0;
  /** What the stream playing now says it plays (ICY title), or null. */
  #streamTitle: string | null = null;
  /** Items whose play started and has not ended, by key: a replaced item leaves the queue before its end-file arrives. */
  readonly #started = new Map<number, QueueItem>();
  /** Plays that were left by `next()` or replaced by `play()`, with how they end. */
  readonly #skipped = new Map<number, 'skipped' | 'switched'>();
  /** Where to seek once the given key's file is loaded again (after a restart), in ms. */
  #resumeAt: { key: number; positionMs: number; isLoadedThere?: boolean } | undefined;
  /** From mpv's crash until it runs again: what mpv held is gone. */
  #isRecovering = false;
  /**
   * From an output failure until mpv runs again: the positions mpv still reports while it is
   * stopped (the next file's 0, raced into) are not where the song was heard.
   */
  #isStoppingForOutput = false;

  constructor(deps: QueueSyncDeps, options: { streamTimeoutS?: number | undefined } = {}) {
    this.#client = deps.client;
    this.#log = deps.log;
    this.#events = deps.events;
    this.#playlist = deps.playlist;
    this.#output = deps.output;
    this.#isDown = deps.isDown;
    this.#firstAudio = new FirstAudioWatchdog(
      {
        clock: deps.clock,
        log: deps.log,
        isPlaying: (key) => this.#playlist.playing?.key === key,
        giveUp: (key) => void this.#abandon(key).catch((err: unknown) => this.#log.warn({ err }, 'cannot stop the station')),
      },
      { timeoutS: options.streamTimeoutS },
    );
  }

  /** Follows what mpv does, from the player's start until `detach` (its stop). Attaching again replaces the listeners. */
  attach(): void {
    const mpv = this.#client.events;
    mpv.removeListeners(this);
    mpv.on('startFile', ({ entryId }) => this.#onStartFile(entryId), this);
    mpv.on(
      'endFile',
      ({ entryId, reason, fileError, insertId, insertCount }) =>
        reason === 'redirect' && entryId !== undefined && insertId !== undefined
          ? this.#onExpanded(entryId, insertId, insertCount ?? 0)
          : this.#onEndFile(entryId, reason, fileError),
      this,
    );
    mpv.on('fileLoaded', () => this.#onFileLoaded(), this);
  }

  /** Stops following mpv (the player stopped). */
  detach(): void {
    this.#client.events.removeListeners(this);
  }

  get queue(): PlayQueue {
    return this.#queue;
  }

  /** Where the current play is (ms). */
  get positionMs(): number {
    return this.#positionMs;
  }

  async play(entries: readonly QueueEntry[], options: PlayOptions = {}): Promise<void> {
    const before = this.#queue.current;
    this.#queue = startWith(this.#queue, entries);
    if (before) this.#skipped.set(before.key, options.replacedAs ?? 'skipped');
    this.#playlist.forgetPreload();
    if (before !== undefined && before.key !== this.#queue.current?.key) this.#positionMs = 0;
    // mpv is down: no end of the play replaced will come from it, so it ends now.
    if (before !== undefined && this.#isDown()) this.#endLeft(before);
    this.#emitQueue();
    const first = this.#queue.current;
    const startAtMs = first !== undefined && !isStreamUri(first.track.uri) ? Math.max(0, options.startAtMs ?? 0) : 0;
    // A play resumed (after a restart of the daemon): it starts where it was, and until mpv is there its position is that.
    if (first !== undefined && startAtMs > 0) {
      this.#resumeAt = { key: first.key, positionMs: startAtMs, isLoadedThere: true };
      this.#positionMs = startAtMs;
    }
    if (first) await this.#playlist.load(first, 'replace', undefined, startAtMs);
    else if (!this.#isDown()) await this.#client.command(['stop']);
  }

  async enqueue(entries: readonly QueueEntry[], options: { next?: boolean } = {}): Promise<void> {
    const wasIdle = this.#queue.current === undefined;
    this.#queue = enqueue(this.#queue, entries, options.next === true ? 'next' : 'end');
    this.#emitQueue();
    if (wasIdle && this.#queue.current) await this.#playlist.load(this.#queue.current, 'replace');
    else if (options.next === true) await this.#playlist.refreshPreload();
    else if (!this.#playlist.preloaded) await this.#playlist.preload();
  }

  async replaceUpcoming(entries: readonly QueueEntry[]): Promise<void> {
    if (this.#queue.current === undefined) {
      await this.enqueue(entries);
      return;
    }
    this.#queue = replaceUpcoming(this.#queue, entries);
    this.#emitQueue();
    await this.#playlist.refreshPreload();
  }

  async next(): Promise<void> {
    const current = this.#queue.current;
    if (!current) return;
    this.#skipped.set(current.key, 'skipped');
    if (this.#isDown()) {
      // mpv is down: the skip ends the play now, and the restarted mpv is handed the next one.
      this.#endLeft(current);
      this.#queue = advance(this.#queue);
      this.#positionMs = 0;
      this.#emitQueue();
      if (this.#queue.current === undefined) this.#events.emit('queueEnded', { lastKey: current.key });
      return;
    }
    await this.#playlist.preloading;
    await this.#playlist.leave(current.key);
  }

  /** Ends a play left (skipped, switched) while mpv is down, with how it was left. */
  #endLeft(item: QueueItem): void {
    const outcome = this.#skipped.get(item.key) ?? 'skipped';
    this.#skipped.delete(item.key);
    if (this.#resumeAt?.key === item.key) this.#resumeAt = undefined;
    this.#finish(item, outcome);
  }

  /** The player stops: the current play ends as `interrupted`. */
  interrupt(): void {
    this.#firstAudio.disarm();
    const current = this.#queue.current;
    if (current) this.#finish(current, 'interrupted');
  }

  /** mpv's `time-pos`: where the file mpv plays is (ms). */
  position(positionMs: number): void {
    if (this.#isStoppingForOutput) return;
    if (positionMs > 0) this.#firstAudio.heard(this.#playlist.playing?.key);
    const resume = this.#resumeAt;
    if (resume && resume.key === this.#playlist.playing?.key) {
      // Until the seek after a restart lands, the position mpv reports is not where the track is.
      if (positionMs < resume.positionMs - 500) return;
      this.#resumeAt = undefined;
      this.#output.jumped(positionMs);
    }
    // A position the output did not play (it went through far too fast) is not where the track is.
    if (this.#playlist.playing !== undefined && !this.#output.position(positionMs)) return;
    const isNewSecond = Math.floor(positionMs / 1000) !== Math.floor(this.#positionMs / 1000);
    this.#positionMs = positionMs;
    const current = this.#queue.current;
    if (isNewSecond && current && this.#playlist.playing?.key === current.key)
      this.#events.emit('positionChanged', { item: current, positionMs });
  }

  /** mpv's `duration`: the file's own length (ms). */
  duration(durationMs: number): void {
    // A song whose end comes far past the last position heard went there unheard.
    if (this.#playlist.playing !== undefined) this.#output.duration(durationMs);
  }

  /** A stream's ICY title (`icy-title`, as mpv names it in its `metadata`) is what the station plays now. */
  metadata(data: unknown): void {
    const tags = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    const icy = Object.entries(tags).find(([key]) => key.toLowerCase() === 'icy-title')?.[1];
    const title = typeof icy === 'string' && icy.trim() !== '' ? icy.trim() : null;
    if (title === this.#streamTitle) return;
    this.#streamTitle = title;
    const current = this.#queue.current;
    if (current && this.#playlist.playing?.key === current.key) this.#events.emit('streamTitleChanged', { item: current, title });
  }

  /** mpv went down (crashed, refused, or stopped for its output). */
  mpvDown(): void {
    if (this.#isRecovering) return;
    // What mpv held is gone with it; the queue is not. Remember where the current track was.
    this.#isRecovering = true;
    this.#playlist.forget();
    const current = this.#queue.current;
    if (current) this.#resumeAt = { key: current.key, positionMs: this.#positionMs };
  }

  /** mpv runs again; `reload` hands it the current item. */
  mpvUp(): void {
    this.#isRecovering = false;
    this.#isStoppingForOutput = false;
  }

  /** Hands the current item to the restarted mpv: the same play, sought to where it was once loaded. */
  async reload(): Promise<void> {
    const current = this.#queue.current;
    if (current === undefined) return;
    const resume = this.#resumeAt?.key === current.key && !isStreamUri(current.track.uri) ? this.#resumeAt : undefined;
    if (resume !== undefined) resume.isLoadedThere = true;
    await this.#playlist.load(current, 'replace', undefined, resume?.positionMs ?? 0);
  }

  /**
   * The output failed: the play stays open, set back to `resumeAtMs` (the last position heard),
   * and goes on from there once mpv, stopped by `stopMpv`, is started again.
   */
  outputFailed(resumeAtMs: number, stopMpv: () => void): void {
    const current = this.#queue.current;
    const resume = this.#resumeAt;
    // Failed again before the seek to where it was heard landed: it is still to resume from there (issue 62).
    if (current !== undefined && resume?.key === current.key) this.#positionMs = resume.positionMs;
    else if (current !== undefined && this.#playlist.playing?.key === current.key) this.#positionMs = resumeAtMs;
    this.#isStoppingForOutput = true;
    stopMpv();
    if (current !== undefined && this.#started.has(current.key))
      this.#events.emit('positionChanged', { item: current, positionMs: this.#positionMs });
  }

  #onFileLoaded(): void {
    const resume = this.#resumeAt;
    if (!resume || this.#playlist.playing?.key !== resume.key) return;
    // Opened where it was: nothing to seek to (its first position heard clears it).
    if (resume.isLoadedThere === true) return;
    if (resume.positionMs <= 0) {
      this.#resumeAt = undefined;
      return;
    }
    this.#client.command(['seek', resume.positionMs / 1000, 'absolute']).catch((err: unknown) => {
      // mpv was stopped before the seek landed (the output failed again): the next start seeks there.
      if (this.#isStoppingForOutput || this.#isRecovering) return;
      this.#resumeAt = undefined;
      this.#log.warn({ err }, 'cannot seek to where the track was');
    });
  }

  #onStartFile(entryId: number | undefined): void {
    const key = this.#playlist.keyOf(entryId);
    if (key === undefined || entryId === undefined) return;
    const before = this.#playlist.playing;
    if (before !== undefined && before.entryId !== entryId && this.#output.isWatching(before.entryId)) {
      // mpv started this entry before the end of the one before was read (gapless, on a busy
      // machine): that end is judged now, by its own song's start, before this one replaces it.
      // A song that went through far too fast is not left behind: it plays again once mpv is back.
      if (this.#skipped.has(before.key)) this.#output.songLeft(before.entryId);
      else if (!this.#output.songEnded({ entry: before.entryId, durationMs: this.#durationOf(before.key), stopsEarly: this.#stopsEarly }))
        return;
    }
    if (this.#queue.current?.key !== key && this.#queue.upcoming[0]?.key === key) {
      // mpv moved on to the preloaded file by itself (gapless).
      this.#queue = advance(this.#queue);
      this.#emitQueue();
    }
    const item = this.#queue.current;
    if (item?.key !== key) return;
    this.#playlist.started(entryId, key);
    this.#firstAudio.arm(item);
    // A file's audio is there to be read: one that makes no progress is the output's fault; a station may wait on the network.
    // After a restart it starts where it is to resume from: a failure before the seek lands keeps that place.
    const resumeAtMs = this.#resumeAt?.key === key ? this.#resumeAt.positionMs : 0;
    this.#output.songStarted({ canStall: !isStreamUri(item.track.uri), entry: entryId, positionMs: resumeAtMs });
    // After a restart the same item starts again in mpv: that is the same play, not a new one.
    if (!this.#started.has(key)) {
      this.#positionMs = 0;
      this.#started.set(key, item);
      this.#log.info({ trackId: item.track.id, reason: item.reason, mood: item.mood }, 'track started');
      this.#events.emit('trackStarted', { item });
    }
    void this.#playlist.preload();
  }

  /** Ends the current play without counting it as a skip: the rest of its playlist goes too. */
  async #abandon(key: number): Promise<void> {
    await this.#playlist.preloading;
    if (this.#queue.current?.key !== key) return;
    await this.#playlist.leave(key);
  }

  /** mpv opened a playlist (a station's .m3u or .pls, a YouTube playlist) and put its entries in its place: one play. */
  #onExpanded(entryId: number, firstId: number, count: number): void {
    if (this.#playlist.keyOf(entryId) === undefined) return;
    if (count === 0) {
      this.#onEndFile(entryId, 'error', 'the playlist is empty');
      return;
    }
    this.#playlist.expanded(entryId, firstId, count);
  }

  #onEndFile(entryId: number | undefined, reason: EndFileReason, fileError: string | undefined): void {
    const key = this.#playlist.keyOf(entryId);
    if (entryId !== undefined && this.#output.isWatching(entryId)) {
      // An end far sooner than the song plays is the output failing, not the song finishing: mpv is
      // taken down (what it sends after this is not read), and the play goes on once it is back.
      // Each entry's end is judged by its own start, also when mpv started the next one first.
      const ending = key === undefined ? undefined : this.#queue.current?.key === key ? this.#queue.current : this.#started.get(key);
      const durationMs = ending?.track.durationMs ?? undefined;
      if (reason === 'eof' && !this.#output.songEnded({ entry: entryId, durationMs, stopsEarly: this.#stopsEarly })) return;
      this.#output.songLeft(entryId);
    }
    const goesOn = this.#playlist.ended(entryId, key, reason, fileError);
    if (key === undefined || goesOn) return;
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
      this.#events.emit('trackFailed', { item: ended, error });
    }
    this.#finish(ended, outcome);
    // Only the end of the current item moves the queue; a replaced one has already been left behind.
    if (!item) return;
    if (this.#playlist.preloaded) return; // mpv starts it by itself; start-file advances the queue.
    this.#queue = advance(this.#queue);
    this.#emitQueue();
    const next = this.#queue.current;
    if (next) {
      this.#playlist.load(next, 'append-play').catch((err: unknown) => this.#log.warn({ err }, 'cannot load the next file'));
    } else {
      this.#events.emit('queueEnded', { lastKey: key });
    }
  }

  /** The length of the play `key` as the library knows it (ms). */
  #durationOf(key: number): number | undefined {
    return this.#started.get(key)?.track.durationMs ?? undefined;
  }

  /** Whether the song playing was set to stop before the end of its file, for the next one's crossfade. */
  get #stopsEarly(): boolean {
    return this.#playlist.preloaded?.isCrossfade === true;
  }

  /** Ends a play that started: `trackEnded`, once. */
  #finish(item: QueueItem, outcome: PlayOutcome): void {
    if (!this.#started.delete(item.key)) return;
    this.#events.emit('trackEnded', { item, outcome });
  }

  #emitQueue(): void {
    this.#events.emit('queueChanged', { current: this.#queue.current, upcoming: this.#queue.upcoming });
  }
}
