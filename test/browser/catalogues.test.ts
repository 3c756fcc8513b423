import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import type { Said } from '../../src/daemon/http/contract.js';
import { why, whySaid } from '../../src/daemon/http/state-projector.js';
import { EMOTIONS, NOBODY, type RoomMoodLabel } from '../../src/kernel/room-mood.js';
import { ConfigSchema } from '../../src/daemon/config/schema.js';
import {
  cameraOffInConfigLine,
  guestsLine,
  noReaderLine,
  noSpotifyAccountLine,
  tracksLine,
  updateLine,
} from '../../src/kernel/health-words.js';
import { lookOf, settingsOf, widgetOf, type SchemaNode } from '../../src/ui/admin/settings-model.js';
import { plainHelp } from '../../src/ui/admin/settings-words.js';
import { argumentsOf, catalogueProblems, flatten, pseudo, pseudoCatalogue } from '../../src/ui/i18n/catalogue-tools.js';
import type { Catalogue } from '../../src/ui/i18n/i18n.js';
import { ROOT } from './harness.js';

// The screens' words (issue 57): every catalogue whole and in step with English, every English
// message used by a screen, and no words written into a translated screen's code.

const CATALOGUES = join(ROOT, 'src/ui/i18n/catalogues');
const read = (file: string): Catalogue => JSON.parse(readFileSync(join(CATALOGUES, file), 'utf8')) as Catalogue;
const english = read('en.json');
const languages = readdirSync(CATALOGUES).filter((f) => f.endsWith('.json') && f !== 'en.json');
/** The screens' sources, every TypeScript file under src/ui but the tests: each draws every word from the catalogue. */
const TRANSLATED = readdirSync(join(ROOT, 'src/ui'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => join(ROOT, 'src/ui', f));

/** The static text of every html`` and svg`` template in `source` (nested ones too), each expression as \uE000. */
function templateTexts(source: string): string[] {
  const texts: string[] = [];
  const skipExpression = (from: number): number => {
    let depth = 1;
    let i = from;
    while (i < source.length && depth > 0) {
      const c = source[i];
      if (source.startsWith('html`', i)) i = readTemplate(i + 'html`'.length, true);
      else if (source.startsWith('svg`', i)) i = readTemplate(i + 'svg`'.length, true);
      else if (c === '`') i = readTemplate(i + 1, false);
      else {
        if (c === '{') depth++;
        if (c === '}') depth--;
        i++;
      }
    }
    return i;
  };
  const readTemplate = (from: number, isMarkup: boolean): number => {
    let text = '';
    let i = from;
    while (i < source.length && source[i] !== '`') {
      if (source.startsWith('${', i)) {
        text += '\uE000';
        i = skipExpression(i + 2);
      } else text += source[i++];
    }
    if (isMarkup) texts.push(text);
    return i + 1;
  };
  for (let i = 0; i < source.length; i++) {
    if (source.startsWith('html`', i) || source.startsWith('svg`', i)) {
      const start = source.indexOf('`', i) + 1;
      i = readTemplate(start, true) - 1;
    }
  }
  return texts;
}

/** Words a reader sees that are written into the markup: text between tags, and labels. */
function literalWords(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:aria-label|title|placeholder|alt)="([^"]*)"/g)) {
    if (/\p{L}{2,}/u.test((m[1] ?? '').replace(/\uE000/g, ''))) found.push(m[0]);
  }
  const between = text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/&(?:#\d+|#x[0-9a-f]+|[a-z]+);/gi, ' ')
    .replace(/<[^>]*>/g, '\uE001')
    .split(/[\uE000\uE001]/);
  for (const part of between) if (/\p{L}{2,}/u.test(part)) found.push(part.trim());
  return found;
}

describe('the catalogues', () => {
  it.each(languages)('%s has every English message, no other, each filling in the same names', (file) => {
    expect(catalogueProblems(english, read(file))).toEqual([]);
  });

  it('the pseudo-locale keeps every message’s names, and is 40% longer', () => {
    expect(catalogueProblems(english, pseudoCatalogue(english))).toEqual([]);
    expect(pseudo('Ask for it')).toBe('[Åšk för ît ···]');
    expect(argumentsOf(pseudo('{left} of {perHour, plural, one {# request} other {# requests}} left'))).toEqual(['left', 'perHour']);
  });

  it('holds only messages a screen uses, and a screen uses only messages it holds', () => {
    const code = TRANSLATED.map((f) => readFileSync(f, 'utf8')).join('\n');
    const used = new Set(
      [...code.matchAll(/['`]((?:common|guest|kiosk|admin)\.[\w.]+?)(\$\{|['`])/g)].map((m) => `${m[1]}${m[2] === '${' ? '*' : ''}`),
    );
    const keys = [...flatten(english).keys()];
    const isUsed = (key: string): boolean => used.has(key) || [...used].some((u) => u.endsWith('*') && key.startsWith(u.slice(0, -1)));
    expect(keys.filter((key) => /^(guest|kiosk|admin)\./.test(key) && !isUsed(key))).toEqual([]);
    expect([...used].filter((u) => !u.endsWith('*') && !keys.includes(u))).toEqual([]);
  });

  it.each(TRANSLATED.map((f) => [relative(ROOT, f), f]))('%s writes no words into its markup', (_name, file) => {
    expect(templateTexts(readFileSync(file, 'utf8')).flatMap(literalWords)).toEqual([]);
  });

  it('says every sentence the daemon sends as data as the daemon says it in English', () => {
    const messages = flatten(english);
    const say = (said: Said): string => {
      const values = Object.fromEntries(
        Object.entries(said.values ?? {}).map(([k, v]) => [
          k,
          typeof v === 'object' ? (messages.get(`common.said.${v.said}`) ?? `?${v.said}`) : v,
        ]),
      );
      const message = messages.get(`common.said.${said.id}`);
      if (message === undefined) return `no message common.said.${said.id}`;
      return String(new IntlMessageFormat(message, 'en').format(values));
    };
    const moods: Array<RoomMoodLabel | null> = [null, NOBODY, ...EMOTIONS];
    let checked = 0;
    for (const mood of moods) {
      for (const faces of [0, 1, 2, 5]) {
        for (const tooDark of [false, true]) {
          const said = whySaid(mood, faces, tooDark);
          expect(said === null ? null : say(said), `${mood} ${faces} ${tooDark}`).toBe(why(mood, faces, tooDark));
          checked += said === null ? 0 : 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
    // The health lines an owner reads, in every form they take.
    const record = { at: '2026-11-28T01:02:03.000Z', from: '1.3.0 (abc1234)', to: '1.4.0 (def5678)', reason: 'no answer within 60 s' };
    const lines = [
      ...[0, 1, 24].flatMap((n) => [tracksLine(n), tracksLine(n, 'scanning'), tracksLine(n, 'analysing'), guestsLine(true, n)]),
      guestsLine(false, 0),
      noReaderLine(),
      noSpotifyAccountLine(),
      cameraOffInConfigLine(),
      updateLine(undefined),
      ...(['ok', 'rolled-back', 'failed'] as const).map((result) => updateLine({ ...record, result })),
    ];
    for (const line of lines) expect(say(line.said)).toBe(line.detail);
  });

  it('holds the help of every setting as the configuration describes it, in staff’s words, so that a changed description is translated again', () => {
    const messages = flatten(english);
    const settings = settingsOf(JSON.parse(JSON.stringify(ConfigSchema)) as SchemaNode).filter(([, node]) => node.description);
    expect(settings.length).toBeGreaterThan(100);
    const wrong = settings.flatMap(([id, node]) => {
      const look = lookOf(id, node);
      const said = plainHelp(node.description ?? '', look, widgetOf(node, look), id);
      const held = messages.get(`admin.settings.field.${id}.help`);
      return held === said ? [] : [{ id, held, said }];
    });
    expect(wrong).toEqual([]);
    const ids = new Set(settings.map(([id]) => id));
    const helps = [...messages.keys()].filter((key) => /^admin\.settings\.field\..+\.help$/.test(key));
    expect(helps.filter((key) => !ids.has(key.slice('admin.settings.field.'.length, -'.help'.length)))).toEqual([]);
  });

  it('finds words written into markup, so that the check above can fail', () => {
    const source = 'html`<p>Hello ${name}</p><button aria-label="Close ${x}">${t(\'guest.x\')}</button>${y ? html`<b>Soon</b>` : nothing}`';
    expect(templateTexts(source).flatMap(literalWords)).toEqual(['Soon', 'aria-label="Close \uE000"', 'Hello']);
  });
});
