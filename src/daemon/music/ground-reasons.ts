import { said } from '../../kernel/said.js';
import { musicWord, type Reason } from '../../player/pick-reasons.js';
import type { DayPlan } from './day-plan-policy.js';

/**
 * Why the music's own pick plays while nothing reads the room (the camera off, unavailable, or not
 * read yet) and no mood is held: what the music follows instead, the day plan's mood or the default
 * mood (`aim`, the mood the picks aim at), in both forms (`common.said.ground.*`). Never "for the
 * room": the screens show this reason where they would say so.
 */
export function unreadRoomReason(plan: Pick<DayPlan, 'name' | 'mood'> | null, aim: string): Reason {
  if (plan !== null && plan.mood !== '') {
    return {
      text: `follows the day plan “${plan.name}”, ${plan.mood}`,
      said: said('ground.plan', { name: plan.name, mood: musicWord(plan.mood) }),
    };
  }
  return { text: `follows the default mood, ${aim}, with no reading of the room`, said: said('ground.default', { mood: musicWord(aim) }) };
}
