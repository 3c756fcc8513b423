import { readFileSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import type { Said } from '../said.js';

type Tree = { [key: string]: string | Tree };
const english = JSON.parse(readFileSync(new URL('../../ui/i18n/catalogues/en.json', import.meta.url), 'utf8')) as Tree;

function message(id: string): string | undefined {
  let at: string | Tree | undefined = english['common'];
  for (const part of `said.${id}`.split('.')) at = typeof at === 'object' ? at[part] : undefined;
  return typeof at === 'string' ? at : undefined;
}

/**
 * `said` as the screens say it in English (`I18n.said`: words of the catalogue filled in as words),
 * for tests that check a sentence sent as data and its English text do not drift apart. Throws
 * when the English catalogue lacks the message or a word it names.
 */
export function saidInEnglish(said: Said): string {
  const source = message(said.id);
  if (source === undefined) throw new Error(`Expected \`common.said.${said.id}\` in en.json, got none`);
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(said.values ?? {})) {
    const word = typeof value === 'object' ? message(value.said) : value;
    if (word === undefined) throw new Error(`Expected the word \`common.said.${(value as { said: string }).said}\` in en.json, got none`);
    values[name] = word;
  }
  return String(new IntlMessageFormat(source, 'en').format(values));
}

/** The message ids of the English catalogue's section `common.said.<section>` (`pick`: `pick.fits`, `pick.liked`…). */
export function saidIdsOf(section: string): string[] {
  const said = (english['common'] as Tree)['said'] as Tree;
  const tree = said[section];
  return typeof tree === 'object' ? Object.keys(tree).map((key) => `${section}.${key}`) : [];
}
