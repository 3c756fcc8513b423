import { I18n, fetchCatalogue, moodNameIn, type Keys, type Values } from '../i18n/i18n.js';
import english from '../i18n/catalogues/en.json' with { type: 'json' };

/** The guest page's English words: the common section and its own. */
const GUEST_ENGLISH = { common: english.common, guest: english.guest };

export type GuestKey = Keys<typeof GUEST_ENGLISH>;

/** The guest page's words in the guest's language (the phone's, or the one picked on the page). */
export const i18n = new I18n<GuestKey>(GUEST_ENGLISH, fetchCatalogue('guest'));

export const t = (key: GuestKey, values?: Values): string => i18n.t(key, values);

/** A mood's name in the guest's language; a mood the owner added keeps the name they gave it (`fallback`). */
export const moodName = (mood: string, fallback: string): string => moodNameIn(i18n, GUEST_ENGLISH, mood, fallback);
