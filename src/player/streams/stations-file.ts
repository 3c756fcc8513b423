import { parseCsv } from '../../kernel/csv.js';
import { moodList, parseMoods } from '../library/mood-tags.js';
import type { MoodTag } from '../library/library.js';
import { parseStreamUrl } from './stream-url.js';

/** The stations file looked for at the top of each music folder. */
export const STATIONS_FILE = 'stations.csv';

/** One station of a stations file. */
export interface StationLine {
  /** 1-based line number in the file. */
  line: number;
  name: string;
  url: string;
  moods: MoodTag[];
  genre: string;
}

/**
 * Parses a stations file: CSV with a header naming `name`, `url` and `moods` (and optionally
 * `genre`), one station a line; moods as in a moods sidecar (`calm;mellow` or `calm:0.8;mellow:0.4`).
 * Lines starting with `#` are comments. A bad line is reported with its number and the field at
 * fault, never fatal; a file without the header is one problem on line 1.
 */
export function parseStationsFile(text: string): { stations: StationLine[]; invalid: Array<{ line: number; message: string }> } {
  const read = parseCsv(text);
  const rows = read.rows.filter(({ cells }) => !(cells[0] ?? '').trimStart().startsWith('#'));
  const header = rows[0]?.cells.map((h) => h.trim().toLowerCase()) ?? [];
  const missing = ['name', 'url', 'moods'].filter((column) => !header.includes(column));
  if (missing.length > 0) {
    return {
      stations: [],
      invalid: [
        {
          line: rows[0]?.line ?? 1,
          message: `Expected a header with the columns name,url,moods (missing ${missing.join(', ')}), got \`${header.join(',')}\``,
        },
      ],
    };
  }
  const stations: StationLine[] = [];
  const invalid: Array<{ line: number; message: string }> = [...read.problems];
  const seen = new Map<string, number>();
  for (const { line, cells } of rows.slice(1)) {
    const row = Object.fromEntries(header.map((h, k) => [h, (cells[k] ?? '').trim()]));
    try {
      const name = row['name'] ?? '';
      if (name === '') throw new TypeError('`name`: expected the station’s name, got nothing');
      const url = parseStreamUrl(row['url'], 'url');
      const earlier = seen.get(url);
      if (earlier !== undefined) throw new TypeError(`\`url\`: already listed on line ${earlier}`);
      let moods: MoodTag[];
      try {
        moods = parseMoods(moodList(row['moods'] ?? ''), 'sidecar');
      } catch (err) {
        throw new TypeError(`\`moods\`: ${(err as Error).message}`);
      }
      seen.set(url, line);
      stations.push({ line, name, url, moods, genre: row['genre'] ?? '' });
    } catch (err) {
      invalid.push({ line, message: (err as Error).message });
    }
  }
  return { stations, invalid: invalid.sort((a, b) => a.line - b.line) };
}
