import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import type { Player } from '../../player/player.js';
import { silenceOf, targetVolumeOf, volumeCapOf, type MusicMoment, type PlayerSettings, type Silence } from './limits-policy.js';
import type { MusicAim } from './music-aim.js';
import type { DayPlan } from './day-plan-policy.js';

/**
 * A song that no longer fits is faded down over this long before the next one starts, and the next
 * one up over as long again (ms): long enough not to sound like a cut, short enough that the music
 * follows the room within a second.
 */
const FADE_MS = 300;
/** Volume steps each way: one every 75 ms. */
const FADE_STEPS = 4;
/** A longer fade (a song cut for the room) takes a step every this long (ms): smooth to the ear, light on the player. */
const LONG_FADE_STEP_MS = 100;
/** The fade ends at this share of the volume (mpv's volume is cubic: 0.25 is under 2% of the loudness). */
const FADE_FLOOR = 0.25;

/** Fades the player's volume down before a change of song and up after it, in steps timed by the clock. */
export class Fader {
  readonly #deps: { clock: Clock; player: Player; target: () => number };
  #isFading = false;

  /** `target`: the volume the rules allow now (read at every step of a fade-in). */
  constructor(deps: { clock: Clock; player: Player; target: () => number }) {
    this.#deps = deps;
  }

  /** True while a fade runs: nothing else should set the volume then. */
  get isFading(): boolean {
    return this.#isFading;
  }

  /**
   * Fades the song playing down over `ms` (a short fade by default); resolves with whether it did
   * (not when paused, silent or stopped). mpv's volume is cubic, so even steps of it sound like a
   * fade that slows toward its end.
   */
  async fadeOut(ms = FADE_MS): Promise<boolean> {
    const player = this.#deps.player;
    const from = player.state().volume;
    if (from === 0 || player.state().isPaused || player.state().current === undefined) return false;
    const steps = Math.max(FADE_STEPS, Math.round(ms / LONG_FADE_STEP_MS));
    this.#isFading = true;
    try {
      for (let step = 1; step <= steps; step += 1) {
        await this.#deps.clock.sleep(ms / steps);
        await player.setVolume(Math.round(from * (1 - ((1 - FADE_FLOOR) * step) / steps)));
      }
    } finally {
      this.#isFading = false;
    }
    return true;
  }

  /** Brings the volume up from where a fade-out left it to the volume the rules allow, in steps. */
  async fadeIn(): Promise<void> {
    const player = this.#deps.player;
    const from = player.state().volume;
    this.#isFading = true;
    try {
      for (let step = 1; step <= FADE_STEPS; step += 1) {
        await this.#deps.clock.sleep(FADE_MS / FADE_STEPS);
        // The target is read at each step: a limit (the schedule, the maximum) may change during the fade.
        await player.setVolume(Math.round(from + ((this.#deps.target() - from) * step) / FADE_STEPS));
      }
    } finally {
      this.#isFading = false;
    }
  }
}

export interface MusicLimitsDeps {
  clock: Clock;
  log: Log;
  player: Player;
  /** The player settings now (they may change while running). */
  settings: () => PlayerSettings;
  /** The mood the music follows now: the idle rules apply while nobody is there. */
  aim: Pick<MusicAim, 'label'>;
  /** The day plan block in force now (`DayPlanWatch.current`), or null. */
  plan: () => DayPlan | null;
}

/** What applying the limits did: silenced the music, let it play again with nothing to play (it should start), or neither. */
export type LimitsOutcome = 'silenced' | 'start the music' | 'unchanged';

/**
 * Applies the limits on the music: pauses for quiet hours, the volume schedule, the empty room's
 * silence and a staff pause, and resumes after them; sets the volume asked for within the maximum,
 * the schedule and the idle volume; fades around a change of song.
 */
export class MusicLimits {
  readonly fader: Fader;
  readonly #deps: MusicLimitsDeps;
  /** The volume people or staff asked for; limits apply on top. */
  #wanted: number;
  /** True while Moodbox itself paused playback (quiet hours, silence when nobody is there). */
  #isSilenced = false;
  /** True from a staff pause until a staff resume: no rule of Moodbox's own ends it. */
  #isPausedByStaff = false;

  constructor(deps: MusicLimitsDeps) {
    this.#deps = deps;
    this.#wanted = deps.settings().volume;
    this.fader = new Fader({ clock: deps.clock, player: deps.player, target: () => this.targetVolume() });
  }

  /** 0–100: the volume people or staff asked for. */
  get wantedVolume(): number {
    return this.#wanted;
  }

  /** True while the rules keep the music paused. */
  get isSilenced(): boolean {
    return this.#isSilenced;
  }

  /** True from a staff pause until a staff resume. */
  get isPausedByStaff(): boolean {
    return this.#isPausedByStaff;
  }

  /** Staff paused (true) or resumed (false) the music; `apply()` makes it so. */
  setPausedByStaff(isPaused: boolean): void {
    this.#isPausedByStaff = isPaused;
  }

  #moment(): MusicMoment {
    return { now: this.#deps.clock.now(), label: this.#deps.aim.label, isPausedByStaff: this.#isPausedByStaff, plan: this.#deps.plan() };
  }

  silence(): Silence {
    return silenceOf(this.#deps.settings(), this.#moment());
  }

  volumeCap(): number {
    return volumeCapOf(this.#deps.settings(), this.#moment());
  }

  targetVolume(): number {
    return targetVolumeOf(this.#deps.settings(), this.#moment(), this.#wanted);
  }

  /** Sets the wanted volume (an integer 0–100) and applies it within the limits; resolves with the volume applied. */
  async setWanted(volume: number): Promise<number> {
    if (!(Number.isInteger(volume) && volume >= 0 && volume <= 100)) {
      throw new RangeError(`Expected \`volume\` to be an integer from 0 to 100, got \`${volume}\``);
    }
    this.#wanted = volume;
    return this.applyVolume();
  }

  /** A person chose a song while the empty room kept the music silent: it plays. */
  unsilence(): void {
    this.#isSilenced = false;
  }

  async applyVolume(): Promise<number> {
    const player = this.#deps.player;
    if (this.fader.isFading) return player.state().volume;
    const target = this.targetVolume();
    if (player.state().volume === target) return target;
    return player.setVolume(target);
  }

  /** The player's own ceiling follows the admin's maximum, so that nothing (a fade, a restart) can play louder. */
  async applyMaxVolume(): Promise<void> {
    const { maxVolume } = this.#deps.settings();
    if (this.#deps.player.state().maxVolume !== maxVolume) await this.#deps.player.setMaxVolume(maxVolume);
  }

  /** The crossfade between songs, in a player that can overlap them (mpv); the others play gaplessly. */
  async applyCrossfade(): Promise<void> {
    await this.#deps.player.setCrossfade?.(this.#deps.settings().crossfadeMs);
  }

  /**
   * Pauses for quiet hours and silence, resumes after them, and sets the volume the rules allow.
   * Resolves with what changed: the caller tells the screens of a silence, and starts the music
   * (autoplay) when it may play again and nothing is queued.
   */
  async apply(): Promise<LimitsOutcome> {
    const silence = this.silence();
    const { player, log } = this.#deps;
    if (silence !== null && !this.#isSilenced) {
      this.#isSilenced = true;
      log.info({ why: silence }, 'music paused');
      if (player.state().current !== undefined && !player.state().isPaused) {
        await this.fader.fadeOut();
        await player.pause();
      }
      return 'silenced';
    }
    if (silence === null && this.#isSilenced) {
      this.#isSilenced = false;
      log.info({}, 'music back on');
      await this.applyVolume();
      if (player.state().current === undefined) return this.#deps.settings().autoplay ? 'start the music' : 'unchanged';
      await player.resume();
      return 'unchanged';
    }
    if (silence === null) await this.applyVolume();
    return 'unchanged';
  }

  /** After a change of song: resumes unless the rules keep the music silent, and brings the volume up (`fadeIn`) or sets it. */
  async afterChange(fadeIn: boolean): Promise<void> {
    const player = this.#deps.player;
    if (fadeIn) {
      if (!this.#isSilenced && player.state().isPaused) await player.resume();
      await this.fader.fadeIn();
      await this.applyVolume();
      return;
    }
    await this.applyVolume();
    if (!this.#isSilenced && player.state().isPaused) await player.resume();
  }
}
