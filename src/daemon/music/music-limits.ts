import { isWithinHours } from '../../kernel/daily-hours.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import type { Player } from '../../player/player.js';
import { NOBODY, type RoomMood } from '../../kernel/room-mood.js';

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

export type PlayerSettings = Config['player'];

/** Why music is not playing by Moodbox's own decision (or staff's), or null. */
export type Silence = 'quiet hours' | 'nobody there' | 'volume schedule' | 'paused by staff' | null;

export const NOBODY_SILENCE = 'nobody there' as const;

/** What the limits on the music depend on besides the settings and the time. */
export interface MusicMoment {
  /** Epoch ms. */
  now: number;
  /** The mood the music follows now (held or the room's), or null before the first reading. */
  label: RoomMood['label'] | null;
  isPausedByStaff: boolean;
}

/** The highest volume allowed at `now` (0–100): the admin's maximum and the volume schedule. */
export function volumeCapOf(settings: PlayerSettings, now: number): number {
  let cap = settings.maxVolume;
  for (const span of settings.volumeSchedule) if (isWithinHours(span, now)) cap = Math.min(cap, span.maxVolume);
  return cap;
}

/** Why the music is silent at this moment, by the rules (a staff pause first), or null while it may play. */
export function silenceOf(settings: PlayerSettings, moment: MusicMoment): Silence {
  if (moment.isPausedByStaff) return 'paused by staff';
  if (settings.quietHours !== null && isWithinHours(settings.quietHours, moment.now)) return 'quiet hours';
  if (moment.label === NOBODY && settings.idle.behaviour === 'silence') return NOBODY_SILENCE;
  if (volumeCapOf(settings, moment.now) === 0) return 'volume schedule';
  return null;
}

/** The volume the music should play at (0–100): the one asked for, lowered while nobody is there and capped. */
export function targetVolumeOf(settings: PlayerSettings, moment: MusicMoment, wanted: number): number {
  let volume = wanted;
  if (moment.label === NOBODY && settings.idle.behaviour !== 'silence') volume = Math.min(volume, settings.idle.volume);
  return Math.min(volume, volumeCapOf(settings, moment.now));
}

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
  /** The mood the music follows now and whether staff paused it. */
  moment: () => Omit<MusicMoment, 'now'>;
  /** Tells the screens the player changed. */
  publish: () => void;
  /** Starts the music when it may play again and nothing is queued (autoplay). */
  playOn: () => Promise<void>;
}

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

  #moment(): MusicMoment {
    return { now: this.#deps.clock.now(), ...this.#deps.moment() };
  }

  silence(): Silence {
    return silenceOf(this.#deps.settings(), this.#moment());
  }

  volumeCap(): number {
    return volumeCapOf(this.#deps.settings(), this.#deps.clock.now());
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

  /** Pauses for quiet hours and silence, resumes after them, and sets the volume the rules allow. */
  async apply(): Promise<void> {
    const silence = this.silence();
    const { player, log } = this.#deps;
    if (silence !== null && !this.#isSilenced) {
      this.#isSilenced = true;
      log.info({ why: silence }, 'music paused');
      if (player.state().current !== undefined && !player.state().isPaused) {
        await this.fader.fadeOut();
        await player.pause();
      }
      this.#deps.publish();
      return;
    }
    if (silence === null && this.#isSilenced) {
      this.#isSilenced = false;
      log.info({}, 'music back on');
      await this.applyVolume();
      if (player.state().current === undefined) {
        if (this.#deps.settings().autoplay) await this.#deps.playOn();
      } else {
        await player.resume();
      }
      return;
    }
    if (silence === null) await this.applyVolume();
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
