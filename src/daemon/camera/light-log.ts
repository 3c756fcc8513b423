/** How long the light log reaches back (ms): an hour, a minute at a time. */
const HOUR_MS = 60 * 60_000;
const MINUTE_MS = 60_000;

/** The light of the room over the last hour, as the camera saw the faces in it. */
export interface LightSummary {
  /** Minutes with faces in view. */
  readonly minutes: number;
  /** Of those, the minutes in which most analysed frames were too dark to read expressions. */
  readonly darkMinutes: number;
  /** The median clarity of the faces seen (contrast over the camera's noise; `light-measure.ts`). */
  readonly medianClarity: number | undefined;
  /** Each minute with faces in view, oldest first, as the camera page draws the hour. */
  readonly byMinute: readonly LightMinute[];
}

/** One minute of the last hour with faces in view. */
export interface LightMinute {
  /** How long ago the minute began, in whole minutes (0: this minute). */
  readonly minutesAgo: number;
  /** Whether most analysed frames of the minute were too dark to read expressions. */
  readonly dark: boolean;
}

/** What helps a camera see faces in a dim room (docs/light.md). */
export const LIGHT_ADVICE =
  "a lamp lighting the faces from the front, near the camera, helps most; where people sit with a window or a bright wall behind them, the camera's own backlight compensation, where it has one, helps too";

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
    const isDark = (m: Minute): boolean => 2 * m.darkFrames > m.frames;
    return {
      minutes: recent.length,
      darkMinutes: recent.filter(isDark).length,
      medianClarity: clarities.length === 0 ? undefined : clarities[Math.floor(clarities.length / 2)],
      byMinute: recent.map((m) => ({ minutesAgo: Math.floor((now - m.start) / MINUTE_MS), dark: isDark(m) })),
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
  return `faces ${now}${hour}: ${LIGHT_ADVICE}`;
}

/** What `describeLight` wrote in a health line, read back (for `moodbox doctor`); undefined when the line says nothing of light. */
export function readLight(detail: string): { tooDarkNow: boolean; darkMinutes: number; minutes: number } | undefined {
  const match =
    /faces (too dark to read expressions now|readable now)[^;:]*(?:; too dark for (\d+) of the last (\d+) minutes with faces in view)?: /.exec(
      detail,
    );
  if (match === null) return undefined;
  return { tooDarkNow: match[1] !== 'readable now', darkMinutes: Number(match[2] ?? 0), minutes: Number(match[3] ?? 0) };
}

/** The last hour's light as the camera page shows it (the API's `light`). */
export interface LightView {
  readonly tooDarkNow: boolean;
  readonly minutes: number;
  readonly darkMinutes: number;
  readonly medianClarity: number | null;
  readonly byMinute: LightMinute[];
  /** What to do, while faces are or were too dark to read in the last hour; null otherwise. */
  readonly advice: string | null;
}

export function lightView(summary: LightSummary, tooDarkNow: boolean): LightView {
  const { minutes, darkMinutes, byMinute } = summary;
  const medianClarity = summary.medianClarity === undefined ? null : Math.round(summary.medianClarity * 100) / 100;
  const advice = tooDarkNow || darkMinutes > 0 ? LIGHT_ADVICE : null;
  return { tooDarkNow, minutes, darkMinutes, medianClarity, byMinute: [...byMinute], advice };
}
