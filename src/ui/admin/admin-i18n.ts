import type { TemplateResult } from 'lit';
import { I18n, PSEUDO, fetchCatalogue, moodNameIn, pickLanguage, withSlots, type Keys, type Values } from '../i18n/i18n.js';
import english from '../i18n/catalogues/en.json' with { type: 'json' };

/** The admin panel's English words: the common section and its own. */
const ADMIN_ENGLISH = { common: english.common, admin: english.admin };

export type AdminKey = Keys<typeof ADMIN_ENGLISH>;

/** The admin panel's words in its reader's language: the one kept with their account, else their browser's. */
export const i18n = new I18n<AdminKey>(ADMIN_ENGLISH, fetchCatalogue('admin'));

export const t = (key: AdminKey, values?: Values): string => i18n.t(key, values);

/** A mood's name in the panel's language; a mood the owner added keeps the name they gave it (`fallback`). */
export const moodName = (mood: string, fallback: string = mood): string => moodNameIn(i18n, ADMIN_ENGLISH, mood, fallback);

/** A date and time in the reader's language (`options` as `Intl.DateTimeFormat` takes them). */
export const formatDate = (at: number | Date, options: Intl.DateTimeFormatOptions): string => i18n.dateTime(at, options);

/** A number in the reader's language ("1.234,5" in German). */
export const formatNumber = (value: number, options?: Intl.NumberFormatOptions): string =>
  new Intl.NumberFormat(i18n.locale, options).format(value);

/**
 * The language the panel speaks to a reader who chose `chosen` for their account (null: none):
 * `?lang=` first (the pseudo-locale's way in), then their choice, then their browser's.
 */
export function adminLanguage(chosen: string | null): string {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked !== null && asked !== '') return asked === PSEUDO ? PSEUDO : asked;
  return chosen ?? pickLanguage(navigator.languages);
}

/** A message with values drawn as markup of their own, where the language puts them (`withSlots`). */
export function tWith(key: AdminKey, slots: Readonly<Record<string, TemplateResult>>, values: Values = {}): TemplateResult {
  return withSlots((v) => t(key, v), slots, values);
}
