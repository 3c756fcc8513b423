/** What the first-run screens choose from, and how their saves join. */
import { LANGUAGES } from '../i18n/languages.js';
import { t } from './admin-i18n.js';

/** The kiosk's languages, by their own names; `auto` follows the kiosk browser (named in the reader's language). */
export function kioskLanguages(): ReadonlyArray<[string, string]> {
  return [['auto', t('admin.firstRun.kioskBrowserLanguage')], ...Object.entries(LANGUAGES)];
}

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

/**
 * Whether `folder` is the bundled demo music (`demo`, as the schema names it, relative to the install
 * folder): named so, or by its full path.
 */
export function isDemoFolder(folder: string, demo: string): boolean {
  if (demo === '') return false;
  const path = folder.replace(/\/+$/, '');
  return path === demo || path.endsWith(`/${demo}`);
}
