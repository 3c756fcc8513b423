import { html } from 'lit';
import { LANGUAGES, PSEUDO, pickLanguage, type I18n } from './i18n.js';

/** Where a browser keeps the language picked on a page. */
const LANGUAGE_KEY = 'moodbox.language';

/**
 * The language a page opens in on this browser: the one picked there before, else `?lang=` (the
 * pseudo-locale's way in, and a link in a given language), else the browser's own.
 */
export function chosenLanguage(): string {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === PSEUDO) return PSEUDO;
  return localStorage.getItem(LANGUAGE_KEY) ?? asked ?? pickLanguage(navigator.languages);
}

/** A switch of language, each named in its own words; a pick is kept on this browser. */
export function renderLanguageSelect(i18n: I18n<string>, label: string) {
  return html`<select
    class="language"
    aria-label=${label}
    @change=${(e: Event) => {
      const language = (e.target as HTMLSelectElement).value;
      localStorage.setItem(LANGUAGE_KEY, language);
      void i18n.use(language);
    }}
  >
    ${Object.entries(LANGUAGES).map(
      ([code, name]) => html`<option value=${code} lang=${code} ?selected=${i18n.language === code}>${name}</option>`,
    )}
  </select>`;
}
