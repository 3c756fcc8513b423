import type { MoodHoldRequest } from '../../daemon/http/contract.js';

/**
 * The camera's emotions (the model's labels), in the order staff think of them: the moods staff may
 * hold the music to, the moods a play is recorded with (beside "nobody here"), and the emotions the
 * panel names in its own words.
 */
export const STAFF_EMOTIONS = [
  'neutral',
  'happy',
  'sad',
  'surprise',
  'angry',
  'fear',
  'disgust',
  'contempt',
] as const satisfies ReadonlyArray<MoodHoldRequest['label']>;

export type StaffEmotion = (typeof STAFF_EMOTIONS)[number];
