/**
 * The screens' languages, each by its own name (as a reader looks for it in a list). A language
 * is a catalogue in `catalogues/` (see docs/languages.md); English is the source, built into each
 * screen, the others are fetched when chosen.
 */
export const LANGUAGES = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  it: 'Italiano',
  pt: 'Português',
  nl: 'Nederlands',
} as const;

export type Language = keyof typeof LANGUAGES;
