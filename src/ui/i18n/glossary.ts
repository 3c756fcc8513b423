import type { Language } from './languages.js';

/*
 * Each language's glossary (docs/languages.md, "Glossaries"): the one word its catalogue uses for
 * each thing the screens name, and the other words for those things, which it must not use. A
 * catalogue that says "Lieder" where the glossary says "Songs" reads as two different things to a
 * German owner; `test/browser/catalogues.test.ts` fails on any word of `avoid`.
 */

/** The things every screen names, one word each. */
export type Term = 'song' | 'artist' | 'album' | 'mood' | 'guest' | 'request' | 'queue' | 'library' | 'staff' | 'station' | 'settings';

export interface Glossary {
  /** The word for each thing, as a message uses it (singular). */
  readonly words: Readonly<Record<Term, string>>;
  /** Other words for the same things, which no message of the language may use (matched as whole words, in any case). */
  readonly avoid: readonly string[];
}

export const GLOSSARIES: Readonly<Record<Exclude<Language, 'en'>, Glossary>> = {
  de: {
    words: {
      song: 'Song',
      artist: 'Künstler',
      album: 'Album',
      mood: 'Stimmung',
      guest: 'Gast',
      request: 'Wunsch',
      queue: 'Reihe',
      library: 'Bibliothek',
      staff: 'Team',
      station: 'Sender',
      settings: 'Einstellungen',
    },
    avoid: [
      'Lied',
      'Lieder',
      'Liedes',
      'Track',
      'Tracks',
      'Interpret',
      'Interpreten',
      'Musiksammlung',
      'Warteschlange',
      'Kunde',
      'Kunden',
      'Laune',
    ],
  },
  fr: {
    words: {
      song: 'morceau',
      artist: 'artiste',
      album: 'album',
      mood: 'ambiance',
      guest: 'client',
      request: 'demande',
      queue: 'file',
      library: 'bibliothèque',
      staff: 'équipe',
      station: 'radio',
      settings: 'réglages',
    },
    avoid: ['chanson', 'chansons', 'piste', 'pistes', 'interprète', 'interprètes', 'invité', 'invités', 'humeur'],
  },
  es: {
    words: {
      song: 'canción',
      artist: 'artista',
      album: 'álbum',
      mood: 'ambiente',
      guest: 'cliente',
      request: 'petición',
      queue: 'cola',
      library: 'biblioteca',
      staff: 'personal',
      station: 'emisora',
      settings: 'ajustes',
    },
    avoid: ['pista', 'pistas', 'tema', 'temas', 'intérprete', 'intérpretes', 'invitado', 'invitados', 'humor'],
  },
  it: {
    words: {
      song: 'canzone',
      artist: 'artista',
      album: 'album',
      mood: 'atmosfera',
      guest: 'ospite',
      request: 'richiesta',
      queue: 'coda',
      library: 'libreria',
      staff: 'staff',
      station: 'radio',
      settings: 'impostazioni',
    },
    avoid: ['brano', 'brani', 'traccia', 'tracce', 'cliente', 'clienti', 'interprete', 'interpreti', 'umore'],
  },
  pt: {
    words: {
      song: 'música',
      artist: 'artista',
      album: 'álbum',
      mood: 'ambiente',
      guest: 'cliente',
      request: 'pedido',
      queue: 'fila',
      library: 'biblioteca',
      staff: 'equipa',
      station: 'rádio',
      settings: 'definições',
    },
    avoid: ['faixa', 'faixas', 'canção', 'canções', 'intérprete', 'intérpretes', 'convidado', 'convidados', 'humor'],
  },
  nl: {
    words: {
      song: 'nummer',
      artist: 'artiest',
      album: 'album',
      mood: 'sfeer',
      guest: 'gast',
      request: 'verzoek',
      queue: 'rij',
      library: 'bibliotheek',
      staff: 'personeel',
      station: 'zender',
      settings: 'instellingen',
    },
    avoid: ['track', 'tracks', 'liedje', 'liedjes', 'lied', 'vertolker', 'klant', 'klanten', 'stemming'],
  },
};

/**
 * The words of `avoid` that `message` uses, as a reader sees them: the names of its values
 * (`{track}`) and code (`` `tracks` ``) are no words of the language.
 */
export function wordsToAvoid(message: string, avoid: readonly string[]): string[] {
  const prose = message.replace(/`[^`]*`/g, ' ').replace(/\{\s*[\w.]+\s*(?=[,}])/g, '{');
  return avoid.filter((word) => new RegExp(`(?<![\\p{L}\\p{N}_])${word}(?![\\p{L}\\p{N}_])`, 'iu').test(prose));
}
