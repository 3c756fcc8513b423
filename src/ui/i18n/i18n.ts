import { IntlMessageFormat } from 'intl-messageformat';
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Said } from '../../daemon/http/contract.js';
import { LANGUAGES, type Language } from './languages.js';
import { formatClock, formatDateTime, formatTimeOfDay } from './times.js';

export { LANGUAGES, type Language };

/**
 * The pseudo-locale: every word of the English catalogue accented and made 40% longer, in
 * brackets. Chosen with `?lang=qps` (never listed): a word that stays plain is not in the
 * catalogue, and a layout that breaks with it breaks in German too.
 */
export const PSEUDO = 'qps';

/**
 * What a catalogue holds: messages (ICU MessageFormat) by name, in sections. The build hands the
 * screens each message already parsed (an array), so that no parser ships with them.
 */
export interface Catalogue {
  readonly [name: string]: string | readonly unknown[] | Catalogue;
}

type Message = string | readonly unknown[];

/** Every message's dotted key in a catalogue: `guest.status.queued`. */
export type Keys<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Keys<T[K], `${P}${K}.`>;
}[keyof T & string];

export type Values = Record<string, string | number>;

/** Where a screen's catalogue in `language` is fetched from: the build writes one per language and screen. */
export type CatalogueLoader = (language: string) => Promise<Catalogue>;

const isLanguage = (code: string): code is Language => Object.hasOwn(LANGUAGES, code);

/** The values of the daemon's sentences that are a time of the box's day ("next at {time}"). */
const TIME_VALUES = new Set(['time', 'until']);

/** "fra" → "French" (or "französisch" in German): a language code by its name in `locale`; the code itself when it names none. */
export function languageName(locale: string, code: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The best of our languages for a reader who wants `wanted` (a browser's `navigator.languages`,
 * best first): the first whose language matches (`de-AT` → `de`, `pt-BR` → `pt`), else English.
 */
export function pickLanguage(wanted: readonly string[]): Language {
  for (const tag of wanted) {
    const code = tag.toLowerCase().split(/[-_]/)[0] ?? '';
    if (isLanguage(code)) return code;
  }
  return 'en';
}

const isMessage = (value: unknown): value is Message => typeof value === 'string' || Array.isArray(value);

function lookup(catalogue: Catalogue, key: string): Message | undefined {
  let at: Message | Catalogue | undefined = catalogue;
  for (const part of key.split('.')) {
    if (at === undefined || isMessage(at)) return undefined;
    at = at[part];
  }
  return at !== undefined && isMessage(at) ? at : undefined;
}

/**
 * One screen's words in the reader's language: `t(key, values)` formats the message (plurals,
 * ordinals and numbers by the language's own rules, through `Intl`), falling back to English for
 * a message the catalogue lacks. `use(language)` fetches the catalogue, sets `<html lang>` and
 * fires `change`, on which the screen's elements render again (`I18nController`).
 */
export class I18n<K extends string> extends EventTarget {
  readonly #english: Catalogue;
  readonly #load: CatalogueLoader;
  #catalogue: Catalogue;
  #language: string = 'en';
  #formats = new Map<string, IntlMessageFormat>();
  /** The box's time zone, where it differs from the reader's (then every time names it); undefined: the reader's. */
  #boxZone: string | undefined;
  /** The zone and reader's zone `useTimeZone` was last given: the state repeats them on every change. */
  #zoneAsked = '';

  constructor(english: Catalogue, load: CatalogueLoader) {
    super();
    this.#english = english;
    this.#catalogue = english;
    this.#load = load;
  }

  /** The language in use: one of `LANGUAGES`, or `PSEUDO`. */
  get language(): string {
    return this.#language;
  }

  /** The BCP 47 tag `Intl` formats with (the pseudo-locale formats as English). */
  get locale(): string {
    return this.#language === PSEUDO ? 'en' : this.#language;
  }

  t(key: K, values?: Values): string {
    const message = lookup(this.#catalogue, key) ?? lookup(this.#english, key);
    if (message === undefined) return key;
    const id = `${this.#language}\u0000${key}`;
    let format = this.#formats.get(id);
    if (format === undefined) {
      format = new IntlMessageFormat(message as ConstructorParameters<typeof IntlMessageFormat>[0], this.locale);
      this.#formats.set(id, format);
    }
    return String(format.format(values));
  }

  /**
   * A sentence of the daemon's (`Said`) in the reader's language: its message in the catalogue’s
   * said section, words of the catalogue filled in as words; `english` (the daemon's own) when the
   * catalogue has no such message, or there is none.
   */
  said(said: Said | null | undefined, english: string): string {
    if (said === null || said === undefined) return english;
    const key = `common.said.${said.id}`;
    if (lookup(this.#catalogue, key) === undefined && lookup(this.#english, key) === undefined) return english;
    const values: Values = {};
    for (const [name, value] of Object.entries(said.values ?? {})) {
      values[name] = typeof value === 'object' ? this.t(`common.said.${value.said}` as K) : value;
      // A time of the box's day the daemon wrote as "14:32", as the reader's language writes a time.
      if (TIME_VALUES.has(name) && typeof value === 'string' && /^\d{1,2}:\d{2}$/.test(value)) values[name] = this.clock(value);
      // A language as the files tag it ("fra", "de"), by its name in the reader's language.
      if (name === 'language' && typeof value === 'string') values[name] = languageName(this.locale, value);
    }
    return this.t(key as K, values);
  }

  /** "14:41", "2:41 PM": a time of day as the reader's language writes it, in the box's time zone ("14:41 WET" where the reader's differs). */
  time(at: number): string {
    return formatTimeOfDay(this.locale, at, this.#boxZone);
  }

  /**
   * A date or time (`options` as `Intl.DateTimeFormat` takes them) in the reader's language and
   * the box's time zone: its hours are the box's, so a phone or a laptop in another zone reads
   * the time the box keeps, with the zone named ("22:00 GMT+1"). See `times.ts`.
   */
  dateTime(at: number | Date, options: Intl.DateTimeFormatOptions): string {
    return formatDateTime(this.locale, at, options, this.#boxZone);
  }

  /** "11:30 AM", "11:30": an hour of the box's day that is no moment (a day plan's start), as the reader's language writes a time. */
  clock(hhmm: string | number): string {
    return formatClock(this.locale, hhmm);
  }

  /** The box's time zone (IANA, from the state), for the times above; where it is the reader's own, times say no zone. */
  useTimeZone(zone: string | null | undefined, readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone): void {
    const asked = `${zone ?? ''}\u0000${readerZone}`;
    if (asked === this.#zoneAsked) return;
    this.#zoneAsked = asked;
    const next = zone === null || zone === undefined || sameZone(zone, readerZone) ? undefined : zone;
    if (next === this.#boxZone) return;
    this.#boxZone = next;
    this.dispatchEvent(new Event('change'));
  }

  /** Switches to `language` once its catalogue is here; an unknown one, or one that cannot be fetched, leaves the language as it is. */
  async use(language: string): Promise<void> {
    if (language === this.#language) return;
    if (!isLanguage(language) && language !== PSEUDO) return;
    const catalogue = language === 'en' ? this.#english : await this.#load(language).catch(() => undefined);
    if (catalogue === undefined) return;
    this.#catalogue = catalogue;
    this.#language = language;
    if (typeof document !== 'undefined') document.documentElement.lang = language === PSEUDO ? 'en-XA' : language;
    this.dispatchEvent(new Event('change'));
  }
}

/** Whether two IANA zones keep the same time now and through the year (`Europe/Lisbon` and `WET` do; an unknown name is another zone). */
function sameZone(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    // The offsets in January and July: the two zones agree on standard and on summer time.
    return [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)].every((at) => offsetName(a, at) === offsetName(b, at));
  } catch {
    return false;
  }
}

const offsetName = (zone: string, at: number): string | undefined =>
  new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')
    ?.value;

/**
 * A mood's name in `i18n`'s language (`common.mood.<mood>`); a mood the owner added, which the
 * catalogue cannot know, keeps the name they gave it (`fallback`).
 */
export function moodNameIn(i18n: I18n<string>, english: Catalogue, mood: string, fallback: string): string {
  const moods = english['common'];
  const known = typeof moods === 'object' && !Array.isArray(moods) && lookup(moods as Catalogue, `mood.${mood}`) !== undefined;
  return known ? i18n.t(`common.mood.${mood}`) : fallback;
}

/** Fetches a screen's catalogue as the build writes it: `locales/<language>.<screen>.json` beside the page. */
export function fetchCatalogue(screen: string): CatalogueLoader {
  return async (language) => {
    const response = await fetch(new URL(`locales/${language}.${screen}.json`, document.baseURI));
    if (!response.ok) throw new Error(`Expected the ${language} catalogue, got HTTP ${response.status}`);
    return (await response.json()) as Catalogue;
  };
}

/**
 * A message with values drawn as markup of their own, where the language puts them ("Signed in as
 * <strong>Sam</strong>", a command in `<code>` inside a sentence): `say` formats the message with
 * the values it is given, each slot's value a marker that is then replaced by the slot.
 */
export function withSlots(
  say: (values: Values) => string,
  slots: Readonly<Record<string, TemplateResult>>,
  values: Values = {},
): TemplateResult {
  const names = Object.keys(slots);
  const marked: Values = { ...values };
  names.forEach((name, i) => (marked[name] = `\uE000${i}\uE001`));
  const parts = say(marked)
    .split(/\uE000(\d+)\uE001/)
    .map((part, i) => (i % 2 === 0 ? part : (slots[names[Number(part)] ?? ''] ?? '')));
  return html`${parts}`;
}

/** Renders `host` again whenever the language of `i18n` changes. */
export function followLanguage(host: ReactiveControllerHost, i18n: EventTarget): void {
  host.addController(new LanguageController(host, i18n));
}

class LanguageController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #i18n: EventTarget;
  readonly #onChange = (): void => this.#host.requestUpdate();

  constructor(host: ReactiveControllerHost, i18n: EventTarget) {
    this.#host = host;
    this.#i18n = i18n;
  }

  hostConnected(): void {
    this.#i18n.addEventListener('change', this.#onChange);
  }

  hostDisconnected(): void {
    this.#i18n.removeEventListener('change', this.#onChange);
  }
}
