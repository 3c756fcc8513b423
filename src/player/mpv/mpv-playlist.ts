import type { Log } from '../../kernel/log.js';
import type { EndFileReason } from '../mpv-ipc.js';
import type { PlayQueue, QueueItem } from '../play-queue.js';
import { mpvFileOptions, mpvUrl } from '../streams/stream-url.js';
import { assertCrossfadeMs, fileOption, joinFileOptions, planCrossfade } from './crossfade.js';
import type { MpvIpcClient } from './mpv-ipc-client.js';

/** The playlist entry mpv plays now, and the queue item (by key) it is. */
export interface PlayingEntry {
  entryId: number;
  key: number;
}

/**
 * The next file, already handed to mpv (its entry id arrives with the reply); `isCrossfade` when
 * its entry carries the crossfade and the file playing now stops early for it.
 */
export interface PreloadedEntry {
  key: number;
  entryId: number | undefined;
  isCrossfade: boolean;
}

export interface MpvPlaylistDeps {
  client: MpvIpcClient;
  log: Log;
  /** Our queue, the truth: read here, never changed. */
  queue: () => PlayQueue;
  /** Where the song playing is (ms): where a crossfade can still be arranged. */
  positionMs: () => number;
  /** mpv is down and comes back by itself, handed the current item then: nothing is loaded meanwhile. */
  isDown: () => boolean;
  /** The URL mpv is given for a track's URI (a station's, once its address passed the check). */
  vetted: (uri: string) => Promise<string>;
}

export interface MpvPlaylistOptions {
  /** Whether the next file is handed to mpv ahead of time, to follow without a gap. */
  isGapless: boolean;
  replayGain: 'track' | 'album' | 'no';
  /** The crossfade between songs, 0–12000 ms; 0: gapless. */
  crossfadeMs: number;
  /** How long a stream may take to connect or send data before it counts as dead (s). */
  streamTimeoutS: number | undefined;
}

/**
 * mpv's side of our queue: which of mpv's playlist entries is which queue item. mpv holds the
 * current file and, for gapless playback, the next one, handed to it ahead of time (carrying the
 * crossfade, when there is one); a playlist mpv opens (a station's .m3u or .pls, a YouTube playlist)
 * becomes entries of one play. The queue is read here, never changed.
 */
export class MpvPlaylist {
  readonly #client: MpvIpcClient;
  readonly #log: Log;
  readonly #queue: () => PlayQueue;
  readonly #positionMs: () => number;
  readonly #isDown: () => boolean;
  readonly #vetted: (uri: string) => Promise<string>;
  readonly #isGapless: boolean;
  readonly #replayGain: MpvPlaylistOptions['replayGain'];
  readonly #streamTimeoutS: number | undefined;
  #crossfadeMs: number;
  /** mpv playlist entry id → queue key, for every file we loaded. */
  readonly #entries = new Map<number, number>();
  /** The entry mpv plays now. */
  #playing: PlayingEntry | undefined;
  #preloaded: PreloadedEntry | undefined;
  /** The preload in flight, if any. */
  #preloading: Promise<void> | undefined;
  /**
   * How many entries of an opened playlist (a station's .m3u or .pls, a YouTube playlist) are left
   * in mpv, by queue key: they are one play, and mpv goes from one to the next by itself.
   */
  readonly #expanded = new Map<number, number>();

  constructor(deps: MpvPlaylistDeps, options: MpvPlaylistOptions) {
    this.#client = deps.client;
    this.#log = deps.log;
    this.#queue = deps.queue;
    this.#positionMs = deps.positionMs;
    this.#isDown = deps.isDown;
    this.#vetted = deps.vetted;
    this.#isGapless = options.isGapless;
    this.#replayGain = options.replayGain;
    this.#crossfadeMs = options.crossfadeMs;
    this.#streamTimeoutS = options.streamTimeoutS;
  }

  /** The entry mpv plays now. */
  get playing(): Readonly<PlayingEntry> | undefined {
    return this.#playing;
  }

  /** The next file, already handed to mpv. */
  get preloaded(): Readonly<PreloadedEntry> | undefined {
    return this.#preloaded;
  }

  /** The preload in flight, if any. */
  get preloading(): Promise<void> | undefined {
    return this.#preloading;
  }

  /** The queue key of mpv's entry `entryId`, when it is one we loaded. */
  keyOf(entryId: number | undefined): number | undefined {
    return entryId === undefined ? undefined : this.#entries.get(entryId);
  }

  /**
   * Hands `item` to mpv: `replace` plays it now; `append-play` queues it (and plays it when idle).
   * `af` is the entry's own audio filter (a crossfade); `startAtMs`, where it starts (a play resumed).
   */
  async load(item: QueueItem, mode: 'replace' | 'append-play', af?: string, startAtMs = 0): Promise<number | undefined> {
    if (mode === 'replace') this.#preloaded = undefined;
    // The restarted mpv is handed the current item.
    if (this.#isDown()) return undefined;
    let entryId: number | undefined;
    const uri = await this.#vetted(item.track.uri);
    // The entry id must be known before mpv's start-file for it is handled, which may come in the same read.
    const options = joinFileOptions(
      mpvFileOptions(uri, { timeoutS: this.#streamTimeoutS }),
      af === undefined ? undefined : fileOption('af', af),
      // Opened where it is to start: a seek after the load would let its first moments out (a Snapcast group hears them).
      startAtMs > 0 ? fileOption('start', (startAtMs / 1000).toFixed(3)) : undefined,
    );
    const command = options === undefined ? ['loadfile', uri, mode] : { name: 'loadfile', url: mpvUrl(uri), flags: mode, options };
    await this.#client.command(command, (data) => {
      entryId = (data as { playlist_entry_id?: number } | null)?.playlist_entry_id;
      if (entryId !== undefined) this.#entries.set(entryId, item.key);
    });
    return entryId;
  }

  /** Hands the next upcoming file to mpv so that it follows without a gap, or crossfaded. */
  async preload(): Promise<void> {
    const next = this.#queue().upcoming[0];
    const current = this.#queue().current;
    if (!next || !current || !this.#isGapless || this.#playing === undefined || this.#preloaded) return;
    const plan =
      this.#playing.key === current.key
        ? planCrossfade(current.track, next.track, {
            crossfadeMs: this.#crossfadeMs,
            replayGain: this.#replayGain,
            positionMs: this.#positionMs(),
          })
        : undefined;
    const marker = { key: next.key, entryId: undefined as number | undefined, isCrossfade: plan !== undefined };
    this.#preloaded = marker;
    // The song playing stops early only for this next entry: `file-local-options` end with the file.
    const stopping =
      plan === undefined ? Promise.resolve() : this.#client.command(['set_property', 'file-local-options/end', plan.endS.toFixed(3)]);
    const loading = stopping
      .then(() => this.load(next, 'append-play', plan?.af))
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
  async refreshPreload(): Promise<void> {
    if (this.#preloaded && this.#preloaded.key === this.#queue().upcoming[0]?.key) return;
    if (this.#preloaded) await this.dropPreload();
    await this.preload();
  }

  /** Takes the next file back from mpv; the song playing plays to its end again. */
  async dropPreload(): Promise<void> {
    const dropped = this.#preloaded;
    if (!dropped) return;
    this.#preloaded = undefined;
    // The song's own end first: were the entry gone while the early end held, the song would stop short.
    if (dropped.isCrossfade) await this.#client.command(['set_property', 'file-local-options/end', 'none']);
    // Removes every entry but the one playing (the rest of a station's own playlist too).
    const current = this.#queue().current;
    if (current) this.#expanded.delete(current.key);
    await this.#client.command(['playlist-clear']);
  }

  /** The queue was replaced: the file handed to mpv ahead of time is no longer next. */
  forgetPreload(): void {
    this.#preloaded = undefined;
  }

  /** Sets the crossfade (ms, 0–12000; else a `RangeError`): a next song already handed to mpv is handed again with it. */
  async setCrossfade(ms: number): Promise<void> {
    if (assertCrossfadeMs(ms) === this.#crossfadeMs) return;
    this.#crossfadeMs = ms;
    await this.#preloading;
    if (!this.#preloaded || !this.#client.isConnected) return;
    await this.dropPreload();
    await this.preload();
  }

  /** Leaves the play `key`, mpv's current one, for the next file; with none handed to mpv, stops it. */
  async leave(key: number): Promise<void> {
    // `playlist-next` would go to the next entry of the station's own playlist: take those out first.
    if ((this.#expanded.get(key) ?? 1) > 1) {
      this.#expanded.delete(key);
      await this.dropPreload();
    }
    // A skip cuts: the next entry's crossfade would play the end of this song, not where it is now.
    if (this.#preloaded?.isCrossfade === true) await this.dropPreload();
    // With the next file in mpv, `playlist-next` moves to it without a gap; else `stop` ends the
    // current file and the end-file handler loads what comes next.
    if (this.#preloaded?.entryId !== undefined) await this.#client.command(['playlist-next', 'force']);
    else await this.#client.command(['stop']);
  }

  /** mpv started the entry `entryId` of the play `key`: it plays now, and is no longer the one ahead. */
  started(entryId: number, key: number): void {
    this.#playing = { entryId, key };
    if (this.#preloaded?.key === key) this.#preloaded = undefined;
  }

  /**
   * mpv opened a playlist and put its `count` entries (from `firstId` on) in the place of our
   * entry `entryId`: they are all of its play. `count` is more than 0.
   */
  expanded(entryId: number, firstId: number, count: number): void {
    const key = this.#entries.get(entryId);
    if (key === undefined) return;
    this.#entries.delete(entryId);
    for (let id = firstId; id < firstId + count; id++) this.#entries.set(id, key);
    this.#expanded.set(key, (this.#expanded.get(key) ?? 1) - 1 + count);
    if (this.#playing?.entryId === entryId) this.#playing = undefined;
  }

  /**
   * mpv stopped the entry `entryId`, of the play `key` when it is ours: forgets it. Returns whether
   * that play goes on, with the next entry of its opened playlist (mpv goes on to it by itself).
   */
  ended(entryId: number | undefined, key: number | undefined, reason: EndFileReason, fileError: string | undefined): boolean {
    if (entryId !== undefined) this.#entries.delete(entryId);
    if (key === undefined) return false;
    if (this.#preloaded?.entryId === entryId) this.#preloaded = undefined;
    if (this.#playing?.entryId === entryId) this.#playing = undefined;
    const left = (this.#expanded.get(key) ?? 1) - 1;
    if (left > 0 && (reason === 'eof' || reason === 'error')) {
      // mpv goes on to the playlist's next entry by itself: the play goes on.
      this.#expanded.set(key, left);
      if (reason === 'error')
        this.#log.warn({ key, error: fileError }, 'an entry of the station’s playlist cannot be played: trying the next');
      return true;
    }
    this.#expanded.delete(key);
    return false;
  }

  /** mpv is gone (crashed, or stopped for its output): what it held went with it. */
  forget(): void {
    this.#entries.clear();
    this.#expanded.clear();
    this.#playing = undefined;
    this.#preloaded = undefined;
  }
}
