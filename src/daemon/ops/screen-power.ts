import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Timer } from '../../kernel/clock.js';
import type { Logger } from '../logging.js';

/** The box's own display: lit, or its backlight off. */
export interface ScreenSwitch {
  /** Rejects when the display could not be told; the next change tries again. */
  set(isOn: boolean): Promise<void>;
}

/** How often a dark display looks at the clock, to light up when the quiet hours end (ms). */
export const QUIET_HOURS_CHECK_MS = 60_000;

/**
 * The least time between two writes of the wish (ms). Each write starts the backlight's helper, and
 * systemd starts a unit at most 5 times in 10 s (its default start limit) before it fails it: a
 * kiosk toggled faster than this has only its last wish written, once the gap has passed.
 */
export const SCREEN_WRITE_GAP_MS = 3_000;

/** The name of the file, in the daemon's runtime folder, that `moodbox-backlight.path` watches. */
export const SCREEN_FILE = 'screen';

/**
 * The display's wish as a file in the daemon's runtime folder (`RuntimeDirectory=moodbox`:
 * `/run/moodbox/screen`, "on" or "off"), which `moodbox-backlight.path` watches: the root helper it
 * starts sets every backlight of the machine to it. The daemon itself never writes `/sys`.
 * Undefined where systemd gave no runtime folder (a run by hand, the demo): the screen is left alone.
 */
export function runtimeFileScreen(env: NodeJS.ProcessEnv): ScreenSwitch | undefined {
  const dir = env['RUNTIME_DIRECTORY']?.split(':')[0];
  if (dir === undefined || dir === '') return undefined;
  const path = join(dir, SCREEN_FILE);
  return {
    set: async (isOn) => {
      await writeFile(path, isOn ? 'on\n' : 'off\n');
      // Readable by the helper, which runs as root without capabilities, past the unit's UMask=0027.
      await chmod(path, 0o644);
    },
  };
}

/**
 * Whether the box's own display is lit. The kiosk screens on the box say when they sleep (the dark
 * page of the quiet hours) and when a touch wakes them; the display goes dark only while at least
 * one of them is connected, every one of them sleeps, and it is the quiet hours. A screen that
 * disconnects counts as awake (a crashed browser never leaves the display dark), and so does the
 * daemon's stop; the quiet hours' end lights it within a minute whatever the screens say. The wish
 * is written when it differs from what was written last, at most once every `SCREEN_WRITE_GAP_MS`:
 * a change within the gap waits for its end, and only the last wish by then is written (none when
 * it is back to what the file says). The stop's is written at once.
 */
export class ScreenPower {
  readonly #screen: ScreenSwitch;
  readonly #log: Logger;
  readonly #isQuietHours: () => boolean;
  readonly #clock: Clock;
  /** While dark: looks at the clock, to light up when the quiet hours end. */
  #watch: Timer | undefined;
  /** Each kiosk screen connected (by its connection's id): asleep or not. */
  readonly #asleep = new Map<number, boolean>();
  /** What was last asked of the display. */
  #isOn = true;
  /** What was last written (or tried): lit before the first change, as the display starts. */
  #written = true;
  /** When the last write started (the clock's monotonic ms). */
  #lastWriteAt = Number.NEGATIVE_INFINITY;
  /** The write under way, if any: the next one waits for it. */
  #writing: Promise<void> | undefined;
  /** The write put off to the end of the gap, if any. */
  #putOff: Timer | undefined;
  #isStopping = false;
  #hasFailed = false;

  constructor(deps: { screen: ScreenSwitch; log: Logger; clock: Clock; isQuietHours: () => boolean }) {
    this.#screen = deps.screen;
    this.#log = deps.log;
    this.#clock = deps.clock;
    this.#isQuietHours = deps.isQuietHours;
  }

  /** True while the display is lit (or asked to be). */
  get isOn(): boolean {
    return this.#isOn;
  }

  /** A kiosk screen on the box went to sleep or woke; returns whether the display is lit now. */
  report(screenId: number, isAsleep: boolean): boolean {
    // Outside the quiet hours nothing sleeps, whatever a page says.
    this.#asleep.set(screenId, isAsleep && this.#isQuietHours());
    return this.#apply();
  }

  /** A kiosk screen disconnected: it no longer keeps the display dark. */
  forget(screenId: number): void {
    if (this.#asleep.delete(screenId)) this.#apply();
  }

  /** Lights the display for the daemon's stop, once what was asked before is written. */
  async stop(): Promise<void> {
    this.#isStopping = true;
    this.#putOff?.cancel();
    this.#putOff = undefined;
    this.#asleep.clear();
    this.#apply();
    this.#flush();
    while (this.#writing !== undefined) await this.#writing;
  }

  #apply(): boolean {
    const isOn = this.#asleep.size === 0 || [...this.#asleep.values()].some((isAsleep) => !isAsleep);
    if (isOn === this.#isOn) return isOn;
    this.#isOn = isOn;
    this.#watch?.cancel();
    this.#watch = isOn ? undefined : this.#clock.setInterval(this.#checkQuietHours, QUIET_HOURS_CHECK_MS);
    this.#flush();
    return isOn;
  }

  /** Writes the wish now if it differs from the file's and the gap since the last write has passed; otherwise at the gap's end. */
  #flush(): void {
    // The write under way, or the one put off, takes the wish as it is then.
    if (this.#writing !== undefined || this.#putOff !== undefined || this.#isOn === this.#written) return;
    const wait = this.#isStopping ? 0 : this.#lastWriteAt + SCREEN_WRITE_GAP_MS - this.#clock.monotonic();
    if (wait > 0) {
      this.#putOff = this.#clock.setTimeout(() => {
        this.#putOff = undefined;
        this.#flush();
      }, wait);
      return;
    }
    const isOn = this.#isOn;
    this.#written = isOn;
    this.#lastWriteAt = this.#clock.monotonic();
    this.#writing = this.#write(isOn).finally(() => {
      this.#writing = undefined;
      this.#flush();
    });
  }

  /** The quiet hours are over: every screen counts as awake until it says otherwise. */
  readonly #checkQuietHours = (): void => {
    if (this.#isQuietHours()) return;
    for (const id of this.#asleep.keys()) this.#asleep.set(id, false);
    this.#apply();
  };

  async #write(isOn: boolean): Promise<void> {
    try {
      await this.#screen.set(isOn);
      if (this.#hasFailed) this.#log.info({ isOn }, 'the screen can be switched again');
      this.#hasFailed = false;
      this.#log.info({ isOn }, isOn ? 'screen on' : 'screen off for the quiet hours');
    } catch (err) {
      // Said once until it works again: the kiosk's dark page still shows, only the backlight stays lit.
      if (!this.#hasFailed) this.#log.warn({ err, isOn }, 'could not switch the screen; its backlight stays as it was');
      this.#hasFailed = true;
    }
  }
}
