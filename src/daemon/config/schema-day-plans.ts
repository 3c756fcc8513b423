import { Type, type Static } from 'typebox';
import { hiddenCharacterProblem } from '../../kernel/visible-text.js';
import { DailySpan } from './schema-time.js';

/**
 * Day plans (`player.dayPlans`): blocks of the day, each with what it does to the room's music
 * ("mornings calm, lunch lively, evenings mellow"), and the rule between them that the schema
 * cannot say: no two blocks overlap.
 */

/** A mood name as the library tags with it; empty for none. */
const MOOD_OR_NONE = '^$|^[a-z][a-z0-9-]{0,31}$';

const SPAN = DailySpan('the plan');

export const DayPlanSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40, description: 'What staff call the block, e.g. `lunch`.' }),
    from: SPAN.properties.from,
    to: SPAN.properties.to,
    mood: Type.String({
      default: '',
      pattern: MOOD_OR_NONE,
      description:
        'The mood of the library the music leans toward in the block, e.g. `upbeat`; the room’s mood still leads. Empty: no lean.',
    }),
    energyCap: Type.Integer({
      default: 100,
      minimum: 0,
      maximum: 100,
      description:
        'Songs with more energy than this (0–100, as the library shows it) are not picked by the music itself in the block; a song a guest asks for or staff play still plays. 100: no cap.',
    }),
    volumeCap: Type.Integer({
      default: 100,
      minimum: 0,
      maximum: 100,
      description: 'Highest volume in the block (0–100), on top of the maximum and the volume schedule.',
    }),
  },
  { additionalProperties: false },
);

export const DayPlansSchema = Type.Array(DayPlanSchema, {
  default: [],
  maxItems: 24,
  description:
    'Blocks of the day (local time; `to` before `from` spans midnight) that bias the music: a mood to lean toward, an energy cap and a volume cap. Blocks may not overlap; a change of block takes effect with the next song.',
});

export type DayPlan = Static<typeof DayPlanSchema>;

const DAY_MINUTES = 24 * 60;

function minutesOf(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The minutes of the day a block covers, as `[start, end)` pieces within one day; `from` equal to `to` is the whole day. */
function piecesOf(plan: Pick<DayPlan, 'from' | 'to'>): Array<[number, number]> {
  const from = minutesOf(plan.from);
  const to = minutesOf(plan.to);
  if (from === to) return [[0, DAY_MINUTES]];
  return from < to
    ? [[from, to]]
    : [
        [from, DAY_MINUTES],
        [0, to],
      ];
}

function covers(plan: Pick<DayPlan, 'from' | 'to'>, minute: number): boolean {
  return piecesOf(plan).some(([start, end]) => minute >= start && minute < end);
}

function overlap(a: Pick<DayPlan, 'from' | 'to'>, b: Pick<DayPlan, 'from' | 'to'>): boolean {
  return piecesOf(a).some(([aStart, aEnd]) => piecesOf(b).some(([bStart, bEnd]) => aStart < bEnd && bStart < aEnd));
}

/**
 * What is wrong between the blocks of `plans` (each valid alone), as `path: message` naming the
 * field at fault: a name with a character a reader cannot see or that reorders what is shown (NUL,
 * U+202E: the rule people's names follow), a block that starts (`from`) or runs (`to`) into an
 * earlier one, and a name used twice. A block ends where the next may start: 07:00–11:30 and
 * 11:30–14:00 do not overlap.
 */
export function dayPlanProblems(plans: readonly DayPlan[], at = 'player.dayPlans'): string[] {
  const problems: string[] = [];
  const span = (p: DayPlan): string => `“${p.name}” (${p.from}–${p.to})`;
  plans.forEach((plan, j) => {
    const hidden = hiddenCharacterProblem(plan.name, 'a day plan’s name');
    if (hidden !== undefined) problems.push(`${at}.${j}.name: ${hidden}`);
    const earlier = plans.slice(0, j);
    const twin = earlier.findIndex((p) => p.name.trim().toLowerCase() === plan.name.trim().toLowerCase());
    if (twin >= 0)
      problems.push(`${at}.${j}.name: another day plan (${twin + 1}) is already called “${plan.name}”: give each its own name`);
    const i = earlier.findIndex((p) => overlap(p, plan));
    const other = plans[i];
    if (other === undefined) return;
    const field = covers(other, minutesOf(plan.from)) ? 'from' : 'to';
    problems.push(
      `${at}.${j}.${field}: ${span(plan)} overlaps ${span(other)}: day plans may not overlap; let one end where the next begins`,
    );
  });
  return problems;
}
