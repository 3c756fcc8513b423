import type { TemplateResult } from 'lit';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import { I18n, PSEUDO, fetchCatalogue, moodNameIn, pickLanguage, withSlots, type Keys, type Values } from '../i18n/i18n.js';
import english from '../i18n/catalogues/en.json' with { type: 'json' };

/** The kiosk's English words: the common section and its own. */
const KIOSK_ENGLISH = { common: english.common, kiosk: english.kiosk };

export type KioskKey = Keys<typeof KIOSK_ENGLISH>;

/** The kiosk's words in the venue's language (`site.language`), else the kiosk browser's. */
export const i18n = new I18n<KioskKey>(KIOSK_ENGLISH, fetchCatalogue('kiosk'));

export const t = (key: KioskKey, values?: Values): string => i18n.t(key, values);

/** A mood's name in the kiosk's language; a mood the owner added keeps the name they gave it (`fallback`). */
export const moodName = (mood: string, fallback: string): string => moodNameIn(i18n, KIOSK_ENGLISH, mood, fallback);

/** A message with one value drawn as markup of its own (`slot`), where the language puts it: "Signing out in <span>7</span> s". */
export function tWith(key: KioskKey, name: string, slot: TemplateResult, values: Values = {}): TemplateResult {
  return withSlots((v) => t(key, v), { [name]: slot }, values);
}

/** The kiosk's language: `?lang=qps` (the pseudo-locale), else the venue's (`site.language`), else `?lang=`, else the browser's. */
export function kioskLanguage(state: StateSnapshot | null): string {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === PSEUDO) return PSEUDO;
  return state?.language ?? asked ?? pickLanguage(navigator.languages);
}
