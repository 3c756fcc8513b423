/**
 * People's names: one normal form for storing, one key for comparing, and the characters a name
 * may not hold. A name is compared after NFKC and case folding, so "ＡＤＭＩＮ", "Admin" and "admin"
 * are one name; a name may not hide characters a reader cannot see (zero-width, soft hyphen,
 * fillers) or that reorder what is shown (bidirectional controls).
 */

/** Longest name, in characters after normalising. */
export const NAME_MAX_LENGTH = 64;

/**
 * Invisible, control and bidirectional characters, plus blanks that NFKC keeps apart from a space:
 * controls (Cc), format characters (Cf: zero-width, soft hyphen, bidi marks and isolates, tags),
 * default-ignorable code points (fillers, variation selectors, the combining grapheme joiner),
 * private-use, surrogate and unassigned code points, line and paragraph separators and the braille
 * blank.
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\u2800]/u;

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

/** What is wrong with a name already in normal form, worded for the person who typed it; undefined when nothing is. */
export function nameProblem(name: string): string | undefined {
  if (name === '') return 'Expected a name with at least one visible character, got an empty one';
  if ([...name].length > NAME_MAX_LENGTH) return `Expected a name of at most ${NAME_MAX_LENGTH} characters, got ${[...name].length}`;
  const index = [...name].findIndex((ch) => FORBIDDEN.test(ch));
  if (index >= 0) {
    const code = [...name][index]?.codePointAt(0) ?? 0;
    const shown = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    return `Expected a name without invisible, control or direction-changing characters, got ${shown} at character ${index + 1}`;
  }
  return undefined;
}
