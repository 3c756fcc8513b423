/**
 * People's names: one normal form for storing, one key for comparing, and the characters a name
 * may not hold. A name is compared after NFKC and case folding, so "ＡＤＭＩＮ", "Admin" and "admin"
 * are one name; a name may not hide characters a reader cannot see (zero-width, soft hyphen,
 * fillers) or that reorder what is shown (bidirectional controls).
 */

import { hiddenCharacter } from '../../kernel/visible-text.js';
import { NAME_PROBLEMS, type Refusal } from './people-refusals.js';

/** Longest name, in characters after normalising. */
export const NAME_MAX_LENGTH = 64;

/** The form a name is stored in: NFKC, trimmed, each run of spaces made one space. */
export function normalizeName(raw: string): string {
  return raw.normalize('NFKC').trim().replace(/ {2,}/g, ' ');
}

/**
 * The key two names are compared by: the normal form, case-folded (upper then lower case, so that
 * "ß" and "SS" or "ς" and "Σ" meet) and normalised again.
 */
export function nameKey(raw: string): string {
  return normalizeName(raw).toUpperCase().toLowerCase().normalize('NFKC');
}

/** What is wrong with a name already in normal form, worded for the person who typed it (in both forms); undefined when nothing is. */
export function nameProblem(name: string): Refusal | undefined {
  if (name === '') return NAME_PROBLEMS.empty();
  if ([...name].length > NAME_MAX_LENGTH) return NAME_PROBLEMS.tooLong(NAME_MAX_LENGTH, [...name].length);
  const hidden = hiddenCharacter(name);
  return hidden === undefined ? undefined : NAME_PROBLEMS.hidden(hidden.codePoint, hidden.position);
}
