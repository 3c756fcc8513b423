import { Backoff } from '../../kernel/backoff.js';
import type { Clock, Timer } from '../../kernel/clock.js';

/**
 * How the audio output takes what mpv plays: `real-time` (a sound card, a sound server, a Snapcast
 * pipe that snapserver reads, mpv's `null` output), or `untimed` (a PCM file, written as fast as
 * mpv decodes).
 */
export type OutputPace = 'real-time' | 'untimed';

/** Why the output counts as failed, and where the play it cut is to be resumed from (ms). */
export interface OutputFailure {
  /** What was seen, in words (for health and the log). */
  error: string;
  /** How long to wait before trying the output again (ms): doubles per failure in a row. */
  retryInMs: number;
  /** The last position known to have gone through the output in real time (ms into the song). */
  resumeAtMs: number;
}

export interface OutputWatchOptions {
  /** @default 'real-time' */
  pace?: OutputPace;
  /** How long a song may make no progress while it plays, unpaused, before the output counts as failed (ms). @default 10000 */
  stallMs?: number;
  /** First wait before trying a failed output again (ms); doubles per failure in a row up to `retryMaxMs`. @default 2000 */
  retryMs?: number;
  /** The longest wait between tries (ms). @default 60000 */
  retryMaxMs?: number;
}

export interface OutputWatchDeps {
  clock: Clock;
  /** The output failed: called once per failure. */
  failed: (failure: OutputFailure) => void;
  /** 8 s of a song went through in step with the clock after failures: the output works again. */
  restored: () => void;
  /**
   * A song that started (or jumped) went out through the output (`outputOpened`), or moved on from
   * where it started in step with the clock, while the output takes the audio: the listener hears
   * it. Called once per start or jump. @default none
   */
  flowing?: () => void;
  /**
   * Whether anything takes the audio now (a Snapcast pipe with its reader), asked when a song ends
   * and when it first moves on: an end reached while nothing takes the audio went through unheard,
   * however the clock read it (a busy machine reads mpv's last positions late), and a song that
   * moves on while nothing takes it races rather than flows. @default always
   */
  isTaken?: () => boolean;
}

/** How much music one judgement spans (ms of the song): long enough that a late event cannot pass for speed. */
const WINDOW_MS = 8000;
/** An end this far past the last position heard was not heard (ms): more than a crossfade (12 s at most) stops a song early. */
const UNHEARD_END_MS = 15_000;
/** At a song's end, the least music since the last judgement that is still judged (ms). */
const TAIL_MS = 4000;
/** Music that goes through the output more than this many times faster than the clock did not play. */
const SPEED_LIMIT = 4;
/** How far a song may run ahead of the clock and still be in step with it (ms): what an output buffers. */
const IN_STEP_MS = 1000;
/**
 * How far an end may come ahead of the clock before it counts as unheard (ms): the last seconds
 * of a song raced through (the output failed near its end) are too short to judge by speed.
 */
const END_AHEAD_MS = 3000;

/** What is known of one song (one mpv playlist entry) while it plays: enough to judge its end. */
interface Song {
  readonly entry: number | undefined;
  /** Where and when it began to play (or was last jumped to): a song whose end comes before any position is judged from here. */
  startPositionMs: number;
  startedAt: number;
  /** The last position heard. */
  positionMs: number;
  /** Where the song was, and when, at the start of the stretch being judged; undefined until its first position. */
  anchor: { positionMs: number; at: number } | undefined;
  /**
   * Where the song was, and when, when it was last in step with the clock (not ahead of it): how
   * far it runs ahead is measured from there.
   */
  stepAnchor: { positionMs: number; at: number } | undefined;
  /** The last position known to have gone through the output in step with the clock: where a failed song resumes. */
  inStepMs: number;
  /** Its length as the file says (ms), once known. */
  durationMs: number | undefined;
  /** Whether `flowing` was called for this start (or jump). */
  hasFlowed: boolean;
}

/**
 * Watches that a song goes through the audio output as it plays. With a real-time output a song
 * takes as long as it lasts; when its position runs far ahead of the clock (more than 4× over 8 s
 * of the song, or over its last 4 s or more), mpv is decoding into an output that takes nothing
 * (a Snapcast pipe whose reader went away): the song did not play. A song that makes no progress
 * for `stallMs` while it plays (a pipe nobody opened, where mpv blocks) did not play either. Either
 * is an output failure: `failed` is called once, with a retry delay that doubles per failure in a
 * row (2 s to 60 s by default) until 8 s of a song have gone through in real time again, which
 * calls `restored`. Each song is one mpv playlist entry, judged by its own start, positions and
 * length (the file's, from `duration`, or the caller's): the end of one is never judged by the
 * next one's start. Times come from the injected clock. Knows nothing of mpv but its entry ids.
 */
export class OutputWatch {
  readonly #clock: Clock;
  readonly #onFailed: (failure: OutputFailure) => void;
  readonly #onRestored: () => void;
  readonly #onFlowing: () => void;
  readonly #isTaken: () => boolean;
  readonly #pace: OutputPace;
  readonly #stallMs: number;
  /** The waits before trying the output again: doubled per failure in a row, since the output last played in real time. */
  readonly #retries: Backoff;
  /** The song playing now (the entry mpv plays), from its start until it ends or is left. */
  #song: Song | undefined;
  /** While a song plays unpaused and may stall: when it last moved on. */
  #lastProgressAt: number | undefined;
  #stallTimer: Timer | undefined;
  #canStall = false;
  #isPaused = false;
  #isPlaying = false;
  #problem: string | undefined;

  constructor(deps: OutputWatchDeps, options: OutputWatchOptions = {}) {
    this.#clock = deps.clock;
    this.#onFailed = deps.failed;
    this.#onRestored = deps.restored;
    this.#onFlowing = deps.flowing ?? (() => undefined);
    this.#isTaken = deps.isTaken ?? (() => true);
    this.#pace = options.pace ?? 'real-time';
    this.#stallMs = options.stallMs ?? 10_000;
    this.#retries = new Backoff({ firstMs: options.retryMs ?? 2000, maxMs: options.retryMaxMs ?? 60_000 });
  }

  /** Why the output counts as failed, from a failure until it plays in real time again. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /**
   * A song began to play (or to play again, after mpv was restarted) from `positionMs`.
   * `canStall`: a file, whose audio is there to be read (a station may wait on the network).
   * `entry`: mpv's playlist entry, by which its end is told apart from the next song's start.
   */
  songStarted(options: { canStall: boolean; positionMs?: number; entry?: number }): void {
    const positionMs = options.positionMs ?? 0;
    this.#isPlaying = true;
    this.#canStall = options.canStall;
    this.#song = {
      entry: options.entry,
      startPositionMs: positionMs,
      startedAt: this.#clock.monotonic(),
      positionMs,
      anchor: undefined,
      stepAnchor: undefined,
      inStepMs: positionMs,
      durationMs: undefined,
      hasFlowed: false,
    };
    this.#watchStall();
  }

  /** How long the song playing lasts (ms), as the file says: its end is judged against it. */
  duration(durationMs: number): void {
    if (this.#song !== undefined && durationMs > 0) this.#song.durationMs = durationMs;
  }

  /** Whether mpv's entry `entry` is the song playing, whose end is still to be judged. */
  isWatching(entry: number): boolean {
    return this.#song !== undefined && this.#song.entry === entry;
  }

  /** The song jumped (a seek to where it was): the stretch being judged starts again here. */
  jumped(positionMs: number): void {
    const song = this.#song;
    if (song === undefined) return;
    song.positionMs = positionMs;
    song.startPositionMs = positionMs;
    song.startedAt = this.#clock.monotonic();
    song.inStepMs = positionMs;
    song.anchor = undefined;
    song.stepAnchor = undefined;
    song.hasFlowed = false;
    this.#watchStall();
  }

  /**
   * The output took up the song playing (mpv's `playback-restart`, after its start, a restart or a
   * jump): unless it is paused, the listener hears it from now. mpv opens a Snapcast pipe only once
   * snapserver reads it (the open waits until then), so an output nobody reads never gets here.
   */
  outputOpened(): void {
    const song = this.#song;
    if (!this.#isPlaying || song === undefined || song.hasFlowed || this.#isPaused) return;
    song.hasFlowed = true;
    this.#onFlowing();
  }

  /**
   * mpv (re)configured its audio output (`audio-reconfig`). Once the song (re)started has said
   * where it is, that is its output opening (a Snapcast pipe opens only once snapserver reads it):
   * it flows as at `outputOpened`, which may come a second later (mpv writing into the pipe first).
   * Before that it is mpv loading the file, and says nothing.
   */
  outputConfigured(): void {
    if (this.#song?.anchor === undefined) return;
    this.outputOpened();
  }

  /** Pausing stops the song, and its stall watch, until it resumes. */
  paused(isPaused: boolean): void {
    if (isPaused === this.#isPaused) return;
    this.#isPaused = isPaused;
    // A pause only lengthens the stretch being judged; it starts again after it all the same.
    if (this.#song !== undefined) {
      this.#song.anchor = undefined;
      this.#song.stepAnchor = undefined;
    }
    this.#watchStall();
  }

  /**
   * The song playing is at `positionMs`. Returns false when this position shows the output failed
   * (`failed` has been called): the caller MUST NOT take the position as played.
   */
  position(positionMs: number): boolean {
    const song = this.#song;
    if (!this.#isPlaying || song === undefined) return true;
    const now = this.#clock.monotonic();
    if (positionMs > song.positionMs && this.#lastProgressAt !== undefined) this.#lastProgressAt = now;
    song.positionMs = positionMs;
    const anchor = song.anchor;
    const step = song.stepAnchor;
    if (anchor === undefined || step === undefined || positionMs < anchor.positionMs || positionMs < step.positionMs) {
      // The first position of a song is judged from where and when the song started: an output
      // that takes everything at once can let the first position heard be near the song's end.
      if (anchor === undefined && positionMs - song.startPositionMs >= WINDOW_MS) {
        const musicMs = positionMs - song.startPositionMs;
        const wallMs = now - song.startedAt;
        if (this.#isTooFast(musicMs, wallMs)) return this.#fail(this.#tooFast(musicMs, wallMs), song.startPositionMs);
      }
      song.anchor = { positionMs, at: now };
      song.stepAnchor = { positionMs, at: now };
      song.inStepMs = positionMs;
      return true;
    }
    const aheadMs = positionMs - step.positionMs - (now - step.at);
    const isInStep = aheadMs <= IN_STEP_MS;
    if (isInStep) song.inStepMs = positionMs;
    // Behind the clock (the output waited a moment): in step from here.
    if (aheadMs < 0) song.stepAnchor = { positionMs, at: now };
    // The first step on from where it (re)started is the music flowing again: a song that races
    // does so into an output that takes nothing (a Snapcast pipe nobody reads), which is asked.
    if (!song.hasFlowed && positionMs > song.startPositionMs && (this.#pace === 'untimed' || (isInStep && this.#isTaken()))) {
      song.hasFlowed = true;
      this.#onFlowing();
    }
    const musicMs = positionMs - anchor.positionMs;
    const wallMs = now - anchor.at;
    if (musicMs < WINDOW_MS) return true;
    if (this.#isTooFast(musicMs, wallMs)) return this.#fail(this.#tooFast(musicMs, wallMs), song.inStepMs);
    song.anchor = { positionMs, at: now };
    // Only a stretch wholly in step shows the output works again (a short one between failures does not).
    if (isInStep || this.#pace === 'untimed') this.#played();
    return true;
  }

  /**
   * The song playing reached its end (`entry`: when given, only if it is mpv's entry `entry`; else
   * there is nothing to judge), `durationMs` long when the caller knows and the file did not say;
   * `stopsEarly` when it was set to stop before the end of its file (a crossfade).
   * Returns false when it got there far too soon (its last stretch went through faster than it
   * plays): `failed` has been called, and the end MUST NOT count as played. mpv may start the next
   * entry before the end of this one is read: the player then judges this end at that start, by
   * this song's own start and positions, before the next song replaces it here.
   */
  songEnded(options: { entry?: number; durationMs?: number; stopsEarly?: boolean } = {}): boolean {
    const song = this.#song;
    if (song === undefined || (options.entry !== undefined && song.entry !== options.entry)) return true;
    this.#stopSong();
    // No position heard (an output that takes everything at once can let mpv reach the end before
    // its first one): the whole song is judged from where it started, by its length.
    const anchor = song.anchor ?? { positionMs: song.startPositionMs, at: song.startedAt };
    // The end of the file is the end of the song: when the last position heard is far before it
    // (more than a crossfade's early stop), the song went there unheard.
    const durationMs = song.durationMs ?? options.durationMs;
    const isFarBehind = durationMs !== undefined && durationMs - song.positionMs > UNHEARD_END_MS;
    const endMs = isFarBehind ? durationMs : song.positionMs;
    const musicMs = endMs - anchor.positionMs;
    const wallMs = this.#clock.monotonic() - anchor.at;
    if (musicMs >= TAIL_MS && this.#isTooFast(musicMs, wallMs)) return this.#fail(this.#tooFast(musicMs, wallMs), song.inStepMs);
    // Too short a stretch to judge by speed, but far ahead of the clock: the last seconds went through unheard.
    // The end of the file, unless the song was set to stop early (a crossfade): positions may not
    // have been read while mpv raced through the last seconds.
    const fileEndMs = options.stopsEarly === true ? song.positionMs : (durationMs ?? song.positionMs);
    const step = song.stepAnchor;
    if (step !== undefined && this.#pace === 'real-time') {
      const aheadMusicMs = Math.max(endMs, fileEndMs) - step.positionMs;
      const aheadWallMs = this.#clock.monotonic() - step.at;
      const aheadMs = aheadMusicMs - aheadWallMs;
      if (aheadMs > END_AHEAD_MS) {
        return this.#fail(
          `the audio output is not playing: the song reached its end ${seconds(aheadMs)} before it could be heard`,
          song.inStepMs,
        );
      }
    }
    if (!this.#isTaken())
      return this.#fail('the audio output is not playing: the song reached its end while nothing took the audio', song.inStepMs);
    return true;
  }

  /** mpv left its entry `entry` without reaching its end (a skip, an error): it is not judged. */
  songLeft(entry: number): void {
    if (this.#song?.entry === entry) this.#stopSong();
  }

  /** Nothing plays any more (mpv stopped or went down): nothing is judged until the next song starts. */
  stop(): void {
    this.#stopSong();
  }

  #stopSong(): void {
    this.#isPlaying = false;
    this.#song = undefined;
    this.#watchStall();
  }

  #isTooFast(musicMs: number, wallMs: number): boolean {
    return this.#pace === 'real-time' && wallMs * SPEED_LIMIT < musicMs;
  }

  #tooFast(musicMs: number, wallMs: number): string {
    return `the audio output is not playing: ${seconds(musicMs)} of music went through it in ${seconds(wallMs)}`;
  }

  #fail(error: string, resumeAtMs: number): false {
    this.stop();
    const retryInMs = this.#retries.fail();
    this.#problem = error;
    this.#onFailed({ error, retryInMs, resumeAtMs });
    return false;
  }

  /** A stretch went through in step with the clock: the output works. */
  #played(): void {
    if (this.#retries.failures === 0) return;
    this.#retries.reset();
    this.#problem = undefined;
    this.#onRestored();
  }

  /** Arms the stall timer while a song that can stall plays unpaused, and disarms it otherwise. */
  #watchStall(): void {
    this.#stallTimer?.cancel();
    this.#stallTimer = undefined;
    this.#lastProgressAt = undefined;
    if (!this.#isPlaying || this.#isPaused || !this.#canStall) return;
    this.#lastProgressAt = this.#clock.monotonic();
    this.#scheduleStallCheck(this.#stallMs);
  }

  #scheduleStallCheck(ms: number): void {
    const timer = this.#clock.setTimeout(() => {
      if (this.#stallTimer !== timer || this.#lastProgressAt === undefined) return;
      const still = this.#clock.monotonic() - this.#lastProgressAt;
      if (still < this.#stallMs) {
        this.#scheduleStallCheck(this.#stallMs - still);
        return;
      }
      this.#fail(`the audio output is not playing: nothing went through it for ${seconds(still)}`, this.#song?.positionMs ?? 0);
    }, ms);
    this.#stallTimer = timer;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
