/** What the first-run screens choose from, and how their saves join. */
import { LANGUAGES } from '../i18n/languages.js';

/** The kiosk's languages, by their own names; `auto` follows the kiosk browser. */
export const KIOSK_LANGUAGES: ReadonlyArray<[string, string]> = [['auto', 'The kiosk browser’s language'], ...Object.entries(LANGUAGES)];

export type CameraChoice = 'device' | 'off' | 'demo';

/** `base` with each section of `change` merged into its own (one level deep: the steps set keys of a section). */
export function mergeSections(base: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [section, values] of Object.entries(change)) {
    const before = merged[section];
    merged[section] = typeof before === 'object' && before !== null ? { ...before, ...(values as object) } : values;
  }
  return merged;
}
