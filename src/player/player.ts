import type { EventBus } from '../kernel/event-bus.js';
import type { PlayQueue, QueueEntry, QueueItem } from './play-queue.js';

/** Why a track was put on (declared beside the queue that carries it). */
export type { PlayReason } from './play-queue.js';

/**
 * How a play ended: played to the end, skipped by a person (kiosk, staff, Home Assistant),
 * switched by the music because the mood it follows changed, or by a tap with nobody signed in
 * (never a listener's skip), could not be played, or cut short by a stop.
 */
export type PlayOutcome = 'completed' | 'skipped' | 'switched' | 'failed' | 'interrupted';

/** Events every player emits. Past tense; payloads are plain data. */
// A type alias, not an interface: the event bus needs an index signature.
export type PlayerEvents = {
  /** A track began to play. Emitted once per play: not again when the player resumes it after a crash. */
  trackStarted: { item: QueueItem };
  /** A track that started stopped playing, with how. Exactly once per `trackStarted`. */
  trackEnded: { item: QueueItem; outcome: PlayOutcome };
  /** A track could not be played (missing or broken file); it was skipped. */
  trackFailed: { item: QueueItem; error: string };
  /** A stream (web radio) said what it plays now (its ICY title); null when it stopped saying. */
  streamTitleChanged: { item: QueueItem; title: string | null };
  /** The play position moved (at most about once per second). */
  positionChanged: { item: QueueItem; positionMs: number };
  pausedChanged: { isPaused: boolean };
  /** 0–100, as applied (never above the maximum); also when a lowered maximum lowers it. */
  volumeChanged: { volume: number };
  queueChanged: { current: QueueItem | undefined; upcoming: readonly QueueItem[] };
  /** Nothing is left to play. */
  queueEnded: { lastKey: number | undefined };
  /**
   * The player process died, or its audio output failed (a song went through it far faster than it
   * plays, or made no progress): nothing plays, the play is not over, and it is tried again after
   * `retryInMs`.
   */
  playerFaulted: { error: string; retryInMs: number };
  /** The player process is back, the queue as it was. */
  playerRestarted: { attempt: number };
  /** After an output failure, music went through the output in real time again: the player is ready again. */
  outputRestored: Record<string, never>;
  /**
   * Audio stopped reaching the listener though the player holds a song to play (its output failed,
   * or the player is restarting), or it flows again (null). `state().stalled` says the same.
   */
  stalledChanged: { stalled: PlayerStall | null };
};

/**
 * Why no audio reaches the listener: `output` (the speakers or the Snapcast server cannot be
 * reached, e.g. a pipe nobody reads) or `player` (the player process stopped and is restarting);
 * `detail` says what was seen, in words.
 */
export interface PlayerStall {
  cause: 'output' | 'player';
  detail: string;
}

export interface PlayOptions {
  /**
   * How the play being replaced ends.
   * @default 'skipped'
   */
  replacedAs?: 'skipped' | 'switched';
  /**
   * Where the first entry starts (ms into it): a play resumed after a restart. It is loaded there,
   * so no audio from before it is heard. Ignored for a station.
   * @default 0
   */
  startAtMs?: number;
}

export interface PlayerState {
  current: QueueItem | undefined;
  upcoming: readonly QueueItem[];
  isPaused: boolean;
  /** ms into the current track. */
  positionMs: number;
  /** 0–100. */
  volume: number;
  /** 0–100: the admin's maximum. */
  maxVolume: number;
  /**
   * Why no audio flows, from the failure until the song (or the next) plays again; absent while
   * audio flows. A player that cannot tell leaves it out.
   */
  stalled?: PlayerStall;
}

/**
 * Plays queued tracks. Every play MUST be announced with `trackStarted` and, once it is over, one
 * `trackEnded` with its outcome (a `PlayRecorder` writes the history from these; the player itself
 * knows nothing of it). A track that cannot be played MUST be skipped with `trackFailed`, never
 * stop the queue.
 */
export interface Player {
  readonly events: EventBus<PlayerEvents>;
  /**
   * Replaces the queue and plays its first entry at once. The play it replaces ends as
   * `options.replacedAs` when given (`switched`: the music changed it for the room, nobody skipped
   * it), else as the player counts a replaced play (`skipped`).
   */
  play(entries: readonly QueueEntry[], options?: PlayOptions): Promise<void>;
  /** Adds entries at the end (or next); starts playing when idle. */
  enqueue(entries: readonly QueueEntry[], options?: { next?: boolean }): Promise<void>;
  /** Replaces what comes after the current track (new suggestions). */
  replaceUpcoming(entries: readonly QueueEntry[]): Promise<void>;
  /** Skips to the next track (the current play ends as `skipped`). */
  next(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /**
   * Sets the volume, 0–100; values above the admin's maximum are lowered to it. Resolves with the
   * volume applied. Throws a `RangeError` outside 0–100.
   */
  setVolume(volume: number): Promise<number>;
  /**
   * Sets the admin's maximum volume, 0–100, at once (no restart). A current volume above it MUST be
   * lowered to it, with `volumeChanged`; a volume below it is left as it is (a raised maximum never
   * raises the volume). Resolves with the volume applied; `state().maxVolume` is `max` from then on.
   * Throws a `RangeError` outside 0–100.
   */
  setMaxVolume(max: number): Promise<number>;
  /**
   * Sets how long the end of a song overlaps the start of the next, faded out under it (ms,
   * 0–12000; 0: gapless), at once, with no restart; it MUST apply from the next change of song on.
   * Optional: a player that cannot overlap songs (a Spotify Connect device) leaves it out. Throws a
   * `RangeError` outside 0–12000.
   */
  setCrossfade?(ms: number): Promise<void>;
  state(): PlayerState;
  /** The queue as it is now. */
  queue(): PlayQueue;
}

/**
 * What a player's state sounds like: `stalled` (with why) while a song is to play, unpaused, and no
 * audio reaches the listener; else `playing`, `paused` or `stopped`.
 */
export function playStatus(state: PlayerState): { status: 'stopped' | 'playing' | 'paused' | 'stalled'; stalled?: PlayerStall } {
  if (state.current === undefined) return { status: 'stopped' };
  if (state.isPaused) return { status: 'paused' };
  return state.stalled === undefined ? { status: 'playing' } : { status: 'stalled', stalled: state.stalled };
}

/** Returns `value` when it is a number in 0–100; throws a `RangeError` naming `name` otherwise. */
export function assertPercent(name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 100)) {
    throw new RangeError(`Expected \`${name}\` to be 0–100, got \`${String(value)}\` (${typeof value})`);
  }
  return value;
}
