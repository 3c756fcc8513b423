import type { DayPlan, StaffPlayer, TrackView } from '../daemon/http/contract.js';

/**
 * The typed DOM events of the Moodbox screens. Every event is `mb-*`, bubbles and is composed, so
 * a screen can listen on itself for what its children report.
 */
export interface MbEventMap {
  /** The PIN entered, when `OK` is pressed. */
  'mb-pin-submit': { pin: string };
  /** The name typed on the on-screen keyboard. */
  'mb-name-submit': { name: string };
  /** The name on the on-screen keyboard changed (a key was pressed): what it reads now. */
  'mb-name-input': { name: string };
  /** The sign-in panel was closed without signing in. */
  'mb-cancel': Record<string, never>;
  /** The guided calibration was closed: `isStored` when it finished and stored a new calibration. */
  'mb-calibration-close': { isStored: boolean };
  /** Staff changed what plays or is queued (admin dashboard): the staff view the daemon answered with. */
  'mb-player-changed': StaffPlayer;
  /** A mood picker's list after a mood was added or removed (`weight` 0–1). */
  'mb-moods-change': { moods: Array<{ mood: string; weight: number; origin?: string }> };
  /** A suggestion was tapped: play it. */
  'mb-track-play': { track: TrackView };
  /** The day plans editor's list after a block was added, changed or removed (not saved yet). */
  'mb-day-plans-change': { plans: DayPlan[] };
}

export type MbEventName = keyof MbEventMap;
export type MbEvent<K extends MbEventName> = CustomEvent<MbEventMap[K]>;

/** Dispatches a typed `mb-*` event from `target`. */
export function emit<K extends MbEventName>(target: EventTarget, type: K, detail: MbEventMap[K]): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'mb-pin-submit': MbEvent<'mb-pin-submit'>;
    'mb-name-submit': MbEvent<'mb-name-submit'>;
    'mb-name-input': MbEvent<'mb-name-input'>;
    'mb-cancel': MbEvent<'mb-cancel'>;
    'mb-calibration-close': MbEvent<'mb-calibration-close'>;
    'mb-player-changed': MbEvent<'mb-player-changed'>;
    'mb-moods-change': MbEvent<'mb-moods-change'>;
    'mb-track-play': MbEvent<'mb-track-play'>;
    'mb-day-plans-change': MbEvent<'mb-day-plans-change'>;
  }
}
