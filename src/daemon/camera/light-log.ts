/** How long the light log reaches back (ms): an hour, a minute at a time. */
const HOUR_MS = 60 * 60_000;
const MINUTE_MS = 60_000;

/** The light of the room over the last hour, as the camera saw the faces in it. */
export interface LightSummary {
  /** Minutes with faces in view. */
  readonly minutes: number;
  /** Of those, the minutes in which most analysed frames were too dark to read expressions. */
  readonly darkMinutes: number;
  /** The median clarity of the faces seen (contrast over the camera's noise; `face-light.ts`). */
  readonly medianClarity: number | undefined;
}

interface Minute {
  readonly start: number;
  frames: number;
  darkFrames: number;
  clarities: number[];
}

/**
 * The last hour of the room's light, a minute at a time: for each minute with faces in view, how
 * many analysed frames were too dark to read and how clear the faces were. Kept in memory (at most
 * 60 minutes of a few numbers); times are monotonic ms.
 */
export class LightLog {
  readonly #minutes: Minute[] = [];

  /** One analysed frame with faces in view: whether most were too dark to read, and their clarities. */
  record(at: number, frame: { tooDark: boolean; clarities: readonly number[] }): void {
    const start = Math.floor(at / MINUTE_MS) * MINUTE_MS;
    let minute = this.#minutes.at(-1);
    if (minute?.start !== start) {
      minute = { start, frames: 0, darkFrames: 0, clarities: [] };
      this.#minutes.push(minute);
    }
    minute.frames += 1;
    if (frame.tooDark) minute.darkFrames += 1;
    // A face's clarity once a second is plenty for a median: frames come ten a second.
    if (minute.clarities.length < 60 * 20) minute.clarities.push(...frame.clarities);
    while ((this.#minutes[0]?.start ?? at) <= at - HOUR_MS) this.#minutes.shift();
  }

  summary(now: number): LightSummary {
    const recent = this.#minutes.filter((m) => m.start > now - HOUR_MS);
    const clarities = recent.flatMap((m) => m.clarities).sort((a, b) => a - b);
    return {
      minutes: recent.length,
      darkMinutes: recent.filter((m) => 2 * m.darkFrames > m.frames).length,
      medianClarity: clarities.length === 0 ? undefined : clarities[Math.floor(clarities.length / 2)],
    };
  }
}

/**
 * The health line's words for the last hour's light, with what to do, or undefined when the faces
 * were readable (or none was seen).
 */
export function describeLight(summary: LightSummary, tooDarkNow: boolean): string | undefined {
  if (!tooDarkNow && summary.darkMinutes === 0) return undefined;
  const now = tooDarkNow ? 'too dark to read expressions now (the room mood holds meanwhile)' : 'readable now';
  const hour =
    summary.darkMinutes === 0 ? '' : `; too dark for ${summary.darkMinutes} of the last ${summary.minutes} minutes with faces in view`;
  return `faces ${now}${hour}: a lamp lighting the faces from the front, near the camera, or the camera's own backlight compensation helps`;
}
