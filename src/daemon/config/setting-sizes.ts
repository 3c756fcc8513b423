/** How large a saved setting may be: what the settings' door (`LiveConfig`) refuses from the panel and sets aside at a start. */

/**
 * The most one setting's value may take (bytes of its JSON): the largest the panel writes, 24 day
 * plans, takes under 8 KiB. A larger one is refused from the panel and set aside at a start.
 */
export const MAX_SETTING_VALUE_BYTES = 16 * 1024;
/** The most the saved settings together may take (bytes of their JSON). */
export const MAX_SAVED_SETTINGS_BYTES = 64 * 1024;
/** A set-aside value larger than this (bytes of its JSON) is kept as its size alone. */
const SET_ASIDE_VALUE_BYTES = 1024;

/** A setting the door refuses: its path, and why in words (`path: why`). */
export interface Refusal {
  path: string;
  problem: string;
}

/** The bytes of `value` as JSON. */
function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}

/**
 * Each saved setting larger than `MAX_SETTING_VALUE_BYTES` (by its dotted path, a whole object
 * when its leaves are not found below it), or the whole set when it is larger than
 * `MAX_SAVED_SETTINGS_BYTES`.
 */
export function oversized(overrides: Record<string, unknown>): Refusal[] {
  const whole = jsonBytes(overrides);
  if (whole <= MAX_SETTING_VALUE_BYTES) return [];
  const found: Refusal[] = [];
  const walk = (value: unknown, path: string): void => {
    const bytes = jsonBytes(value);
    if (bytes <= MAX_SETTING_VALUE_BYTES) return;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && path.split('.').length < 3)
      for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
    else found.push({ path, problem: `${path}: ${bytes} bytes, more than the ${MAX_SETTING_VALUE_BYTES} a setting may take` });
  };
  for (const [key, value] of Object.entries(overrides)) walk(value, key);
  if (found.length === 0 && whole > MAX_SAVED_SETTINGS_BYTES)
    return Object.keys(overrides).map((path) => ({
      path,
      problem: `${path}: the saved settings take ${whole} bytes, more than the ${MAX_SAVED_SETTINGS_BYTES} they may`,
    }));
  return found;
}

/** A set-aside value as kept: itself when small, else only its size (the panel shows it; a large one would crowd the store). */
export function keepable(value: unknown): unknown {
  const bytes = jsonBytes(value);
  return bytes <= SET_ASIDE_VALUE_BYTES ? value : `(${bytes} bytes, not kept)`;
}
