import { hiddenCharacterProblem } from '../../kernel/visible-text.js';
import { parseCsv } from '../../kernel/csv.js';
import { BLOCK_REFUSALS } from './library-refusals.js';

/** The most lines one list may hold. */
export const BLOCK_LIST_MAX_LINES = 5000;

/** One line of a block list: an artist, or one of their songs. */
export type BlockListEntry =
  { line: number; kind: 'artist'; artist: string } | { line: number; kind: 'song'; artist: string; title: string };

/** What an imported list did: songs and artists newly blocked, lines naming no song of the library, bad lines. */
export interface BlockListReport {
  songs: number;
  artists: number;
  unmatched: Array<{ line: number; key: string }>;
  invalid: Array<{ line: number; reason: string }>;
}

/**
 * Reads a block list: CSV as `moods.csv` is written (RFC 4180, a header row), with an `artist`
 * column and optionally `title`. A line with an artist alone blocks the artist; with a title, that
 * song. A line without an artist is reported, not guessed at, as is one whose artist or title holds
 * a character a reader cannot see or that reorders what is shown (NUL, U+202E).
 */
export function parseBlockList(text: string): { entries: BlockListEntry[]; invalid: BlockListReport['invalid'] } {
  const { rows, problems } = parseCsv(text);
  const header = rows[0]?.cells.map((h) => h.trim().toLowerCase()) ?? [];
  const artistAt = header.indexOf('artist');
  if (artistAt < 0) throw BLOCK_REFUSALS.noArtistColumn(header);
  if (rows.length - 1 > BLOCK_LIST_MAX_LINES) throw BLOCK_REFUSALS.tooManyLines(BLOCK_LIST_MAX_LINES, rows.length - 1);
  const titleAt = header.indexOf('title');
  const entries: BlockListEntry[] = [];
  const invalid: BlockListReport['invalid'] = problems.map(({ line, message }) => ({ line, reason: message }));
  for (const { line, cells } of rows.slice(1)) {
    const artist = (cells[artistAt] ?? '').trim();
    const title = titleAt < 0 ? '' : (cells[titleAt] ?? '').trim();
    const hidden = hiddenCharacterProblem(artist, '`artist`') ?? hiddenCharacterProblem(title, '`title`');
    if (artist === '') invalid.push({ line, reason: title === '' ? 'no artist' : `no artist for “${title}”` });
    else if (hidden !== undefined) invalid.push({ line, reason: hidden });
    else entries.push(title === '' ? { line, kind: 'artist', artist } : { line, kind: 'song', artist, title });
  }
  return { entries, invalid: invalid.sort((a, b) => a.line - b.line) };
}
