import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The screens' styles are written in logical properties (start and end, not left and right), so that
// a right-to-left language can come later without a redesign (issue 57); `guest-languages.test.ts`
// shows the guest page mirrored.

const ROOT = join(import.meta.dirname, '..', '..');
const UI = join(ROOT, 'src', 'ui');

/** A left or a right in CSS: margins, paddings, borders, alignment, floats and positions. */
const PHYSICAL =
  /\b(?:(?:margin|padding|border)-(?:left|right)|text-align:\s*(?:left|right)|float:\s*(?:left|right)|(?<![-\w])(?:left|right):\s*[-\d.]+(?:px|em|rem|%)?)/g;

/**
 * A margin, padding or inset in four values whose right (the second) and left (the fourth) differ:
 * a left and a right in one shorthand ("padding: 0.2em 0.9em 0.2em 0.3em").
 */
const SHORTHAND = /(?<![-\w])(?:margin|padding|inset):\s*([^;{}]+);/g;

function lopsided(css: string): string[] {
  return [...css.matchAll(SHORTHAND)].flatMap((m) => {
    // Values split at spaces outside brackets (calc(…) is one value).
    const values = (m[1] ?? '').trim().split(/\s+(?![^(]*\))/);
    return values.length === 4 && values[1] !== values[3] ? [m[0]] : [];
  });
}

/** Where a left is meant: centring (`left: 50%` with a translation), the same in either direction. */
const MEANT: Readonly<Record<string, RegExp>> = {
  'src/ui/kiosk/kiosk-messages.styles.ts': /^left: 50%$/,
  'src/ui/guest/mb-guest.styles.ts': /^left: 50%$/,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the screens’ styles', () => {
  it('say start and end rather than left and right, but where a direction is meant', () => {
    const found = sources(UI).flatMap((file) => {
      const name = relative(ROOT, file);
      const css = readFileSync(file, 'utf8');
      return [...[...css.matchAll(PHYSICAL)].map((m) => m[0]), ...lopsided(css)]
        .filter((css) => !(MEANT[name]?.test(css) ?? false))
        .map((css) => `${name}: ${css}`);
    });
    expect(found).toEqual([]);
  });

  it('finds a left or a right where one is written, a shorthand of four values too', () => {
    const css = 'a { margin-left: 1em; text-align: right; left: 4px; inset-inline-start: 0; } b { padding-inline-end: 2px }';
    expect(css.match(PHYSICAL)).toEqual(['margin-left', 'text-align: right', 'left: 4px']);
    const shorthands =
      'a { padding: 0.2em 0.9em 0.2em 0.3em; margin: 0 auto 0 0; } b { padding: 1px 2px 3px 2px; margin: calc(1em + 2px) 0 0 0; inset: 0 1em; }';
    expect(lopsided(shorthands)).toEqual(['padding: 0.2em 0.9em 0.2em 0.3em;', 'margin: 0 auto 0 0;']);
  });
});
