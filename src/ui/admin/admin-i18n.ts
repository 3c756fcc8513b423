import type { TemplateResult } from 'lit';
import { I18n, PSEUDO, fetchCatalogue, pickLanguage, withSlots, type Keys, type Values } from '../i18n/i18n.js';
import english from '../i18n/catalogues/en.json' with { type: 'json' };

/** The admin panel's English words: the common section and its own. */
const ADMIN_ENGLISH = { common: english.common, admin: english.admin };

export type AdminKey = Keys<typeof ADMIN_ENGLISH>;

/** The admin panel's words in its reader's language: the one kept with their account, else their browser's. */
export const i18n = new I18n<AdminKey>(ADMIN_ENGLISH, fetchCatalogue('admin'));

export const t = (key: AdminKey, values?: Values): string => i18n.t(key, values);

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
