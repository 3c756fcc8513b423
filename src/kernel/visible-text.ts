/**
 * Text a person reads back on a screen: a name, a day plan's name, a blocked artist or title. Such
 * text may not hide characters a reader cannot see (zero-width, soft hyphen, fillers, NUL and the
 * other controls) or that reorder what is shown (bidirectional overrides and isolates, U+202A–U+202E
 * and U+2066–U+2069). People's names, day plans and the blocks all pass this one check.
 */

/**
 * Invisible, control and bidirectional characters, plus blanks that NFKC keeps apart from a space:
 * controls (Cc), format characters (Cf: zero-width, soft hyphen, bidi marks and isolates, tags),
 * default-ignorable code points (fillers, variation selectors, the combining grapheme joiner),
 * private-use, surrogate and unassigned code points, line and paragraph separators and the braille
 * blank.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\u2800]/u;

/** The first character of `text` a reader cannot see or that reorders what is shown: its position (from 1) and `U+XXXX`; undefined when none. */
export function hiddenCharacter(text: string): { position: number; codePoint: string } | undefined {
  const chars = [...text];
  const index = chars.findIndex((ch) => HIDDEN.test(ch));
  if (index < 0) return undefined;
  const code = chars[index]?.codePointAt(0) ?? 0;
  return { position: index + 1, codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}` };
}

/**
 * What is wrong with `text` as something a person reads back, worded for whoever typed it, with
 * `what` naming it ("a name", "an artist"); undefined when nothing is.
 */
export function hiddenCharacterProblem(text: string, what: string): string | undefined {
  const found = hiddenCharacter(text);
  if (found === undefined) return undefined;
  return `Expected ${what} without invisible, control or direction-changing characters, got ${found.codePoint} at character ${found.position}`;
}

/** Line and paragraph breaks and tabs, with the blanks around them: one space in a line of text. */
const BREAKS = /\s*[\t\n\v\f\r\u0085\u2028\u2029]\s*/gu;
/**
 * What text from outside may not bring to a screen or a terminal: the C0 and C1 controls and DEL
 * (ESC and CSI start a terminal's escape sequences), direction overrides, embeddings and isolates
 * (U+202A–U+202E, U+2066–U+2069), lone surrogates and the byte-order mark. Joiners stay: emoji and
 * several scripts need them.
 */
const UNSHOWABLE = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069\uFEFF]/gu;
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` from outside (a music file's tags, a row an older version stored) made fit to show on one
 * line: breaks and tabs become a space, the characters `UNSHOWABLE` lists are removed, the rest is
 * composed (NFC) and trimmed, and at most `maxLength` characters (code points) are kept, cut
 * between two characters a reader sees as one (a letter and its accent, an emoji sequence).
 */
export function readableText(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  const clean = text.replace(BREAKS, ' ').replace(UNSHOWABLE, '').normalize('NFC').trim();
  let end = 0;
  let count = 0;
  for (const ch of clean) {
    if (count === maxLength) break;
    end += ch.length;
    count++;
  }
  if (end === clean.length) return clean;
  // A boundary at `end` depends on the characters before it and the one after: this window tells it.
  const cut = GRAPHEMES.segment(clean.slice(0, end + 2)).containing(end)?.index ?? end;
  return clean.slice(0, cut).trimEnd();
}
