import type { FitVerdict } from './fit-policy.js';

/**
 * What the music asks of the guests' queue: the guests' service answers it, and the music never
 * imports the guests (they import the music's fit rule, one way only).
 */
export interface GuestQueue {
  /** The request to play next, judging each waiting one by `judge` (the room now); undefined when none may play now. */
  next(judge: (trackId: number) => FitVerdict): { trackId: number } | undefined;
}
