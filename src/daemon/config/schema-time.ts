import { Type } from 'typebox';

/** Times of day shared by the configuration's sections. */

/** Local time of day, `HH:MM`. */
export const HHMM = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

/** A daily span of local time; `to` before `from` spans midnight. */
export const DailySpan = (what: string) =>
  Type.Object(
    {
      from: Type.String({ pattern: HHMM, description: `Local time HH:MM ${what} starts.` }),
      to: Type.String({ pattern: HHMM, description: `Local time HH:MM ${what} ends.` }),
    },
    { additionalProperties: false },
  );
