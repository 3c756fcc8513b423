/**
 * A sentence of Moodbox's as data, for the screens to say in the reader's language: the id of a
 * message of their catalogues (`common.said.<id>`, docs/languages.md) and the values it fills in,
 * where `{ said: id }` is a word of the catalogue itself (`look.happy`, `music.calm`). The English
 * sentence travels beside it, for what reads the API; the daemon's screens' state (`Said` of the
 * contract) and the player's reasons (why a song plays) both speak it.
 */
export interface Said {
  id: string;
  values?: Record<string, string | number | { said: string }>;
}

/** A message id of the screens' catalogues and its values (none: no `values`). */
export function said(id: string, values?: Said['values']): Said {
  return values === undefined || Object.keys(values).length === 0 ? { id } : { id, values };
}
