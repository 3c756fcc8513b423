import { TYPE, parse, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { printAST } from '@formatjs/icu-messageformat-parser/printer.js';
import type { Catalogue } from './i18n.js';

/*
 * What the build and the checks do with the catalogues (never loaded by a screen): one file per
 * language, cut into one per screen (its section and `common`), the pseudo-locale made from
 * English, and the problems a translation may have.
 */

/** The messages of a catalogue by dotted key. */
export function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(catalogue)) {
    const key = `${prefix}${name}`;
    if (typeof value === 'string') out.set(key, value);
    else if (!Array.isArray(value)) for (const [k, v] of flatten(value as Catalogue, `${key}.`)) out.set(k, v);
  }
  return out;
}

/** What one screen loads: the `common` section and its own. */
export function screenCatalogue(catalogue: Catalogue, screen: string): Catalogue {
  const out: Record<string, Catalogue[string]> = {};
  for (const section of ['common', screen]) {
    const value = catalogue[section];
    if (value !== undefined) out[section] = value;
  }
  return out;
}

/** The screens a catalogue has words for (every section but `common`). */
export function screensOf(catalogue: Catalogue): string[] {
  return Object.keys(catalogue).filter((section) => section !== 'common');
}

const ACCENTS: Readonly<Record<string, string>> = Object.fromEntries(
  [...'aàeéiîoöuücçnñsšyýAÅEÉIÎOÖUÜCÇNÑSŠYÝ'].flatMap((c, i, all) => (i % 2 === 0 ? [[c, all[i + 1] ?? c]] : [])),
);

/**
 * The words the pseudo-locale pads a message with: "one two three…", accented. Short words with
 * spaces between them, so that a long message wraps where a real language's would (one unbroken
 * run after a paragraph is wider than a phone, which no language is).
 */
const PADDING = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'].map(accent);

function accent(text: string): string {
  return [...text].map((c) => ACCENTS[c] ?? c).join('');
}

/** `letters` letters of padding words, the last one cut to fit: 6 → "öñé twö". */
function padding(letters: number): string {
  const words: string[] = [];
  for (let left = letters, i = 0; left > 0; i += 1) {
    const word = [...(PADDING[i % PADDING.length] ?? '')].slice(0, left);
    words.push(word.join(''));
    left -= word.length;
  }
  return words.join(' ');
}

/** "Ask for it" → "[Åšk för ît öñé]": accented, 40% longer and bracketed, its placeholders and plural forms kept. */
export function pseudo(message: string): string {
  const ast = parse(message, { ignoreTag: true });
  const letters = (text: string): number => text.replace(/\s/g, '').length;
  const total = count(ast, letters);
  const accented = transform(ast, accent);
  return `[${printAST(accented)} ${padding(Math.max(1, Math.round(total * 0.4)))}]`;
}

function count(ast: readonly MessageFormatElement[], letters: (text: string) => number): number {
  let n = 0;
  for (const el of ast) {
    if (el.type === TYPE.literal) n += letters(el.value);
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      // The longest form is the one a layout must hold.
      n += Math.max(...Object.values(el.options).map((o) => count(o.value, letters)));
    }
  }
  return n;
}

function transform(ast: readonly MessageFormatElement[], change: (text: string) => string): MessageFormatElement[] {
  return ast.map((el) => {
    if (el.type === TYPE.literal) return { ...el, value: change(el.value) };
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      const options = Object.fromEntries(Object.entries(el.options).map(([k, o]) => [k, { ...o, value: transform(o.value, change) }]));
      return { ...el, options };
    }
    return el;
  });
}

/** Every message of `catalogue` made pseudo. */
export function pseudoCatalogue(catalogue: Catalogue): Catalogue {
  return mapMessages(catalogue, pseudo);
}

/** Every message of `catalogue` parsed, as the screens are handed them (they ship no parser). */
export function compileCatalogue(catalogue: Catalogue): Catalogue {
  return mapMessages(catalogue, (message) => parse(message, { ignoreTag: true, shouldParseSkeletons: true }));
}

function mapMessages(catalogue: Catalogue, change: (message: string) => Catalogue[string]): Catalogue {
  return Object.fromEntries(
    Object.entries(catalogue).map(([name, value]) => [
      name,
      typeof value === 'string' ? change(value) : Array.isArray(value) ? value : mapMessages(value as Catalogue, change),
    ]),
  );
}

/** The names a message fills in (`{title}`, `{left, plural, …}`), sorted. */
export function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (ast: readonly MessageFormatElement[]): void => {
    for (const el of ast) {
      if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date || el.type === TYPE.time) names.add(el.value);
      if (el.type === TYPE.plural || el.type === TYPE.select) {
        names.add(el.value);
        for (const option of Object.values(el.options)) walk(option.value);
      }
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return [...names].sort();
}

/**
 * What is wrong with `translated` against English: a message missing, one English does not have
 * (no code uses it), one that does not parse, or one that fills in other names than English's.
 */
export function catalogueProblems(english: Catalogue, translated: Catalogue): string[] {
  const source = flatten(english);
  const target = flatten(translated);
  const problems: string[] = [];
  for (const key of source.keys()) if (!target.has(key)) problems.push(`${key}: missing`);
  for (const [key, message] of target) {
    const original = source.get(key);
    if (original === undefined) {
      problems.push(`${key}: not in English (no screen uses it)`);
      continue;
    }
    let names: string[];
    try {
      names = argumentsOf(message);
    } catch (err) {
      problems.push(`${key}: does not parse (${(err as Error).message})`);
      continue;
    }
    const wanted = argumentsOf(original);
    if (names.join() !== wanted.join()) problems.push(`${key}: fills in {${names.join(', ')}}, English {${wanted.join(', ')}}`);
  }
  return problems;
}
