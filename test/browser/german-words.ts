import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Said } from '../../src/daemon/http/contract.js';
import { ROOT } from './harness.js';

/** A catalogue's words by key, nested. */
type Words = { [key: string]: string | Words };

/** The German catalogue's common words: the daemon's sentences (`said`) and the moods' names. */
export const GERMAN = (
  JSON.parse(readFileSync(join(ROOT, 'src/ui/i18n/catalogues/de.json'), 'utf8')) as {
    common: { said: Words; mood: Record<string, string> };
  }
).common;

/** The German message for `id` ("pick.fits") of the daemon's sentences, if the catalogue has one. */
export function germanSaid(id: string): string | undefined {
  let found: string | Words | undefined = GERMAN.said;
  for (const part of id.split('.')) found = typeof found === 'object' ? found[part] : undefined;
  return typeof found === 'string' ? found : undefined;
}

/**
 * One of the daemon's sentences in German, as a German reader is to see it: its message with the
 * values put in (a value that is itself a sentence, such as a mood, in German too). Plurals are not
 * worked out here: a test of one spells its German words itself.
 */
export function inGerman(said: Said | null | undefined, english: string): string {
  if (said === null || said === undefined) return english;
  const message = germanSaid(said.id);
  if (message === undefined) return english;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = said.values?.[name];
    if (value === undefined) return whole;
    return typeof value === 'object' ? (germanSaid(value.said) ?? value.said) : String(value);
  });
}

export const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
