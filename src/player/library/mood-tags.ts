import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parseCsv, type CsvProblem } from '../../kernel/csv.js';
import { describeValue } from '../../kernel/errors.js';
import { moodName } from '../moods.js';
import type { LibraryTracks, MoodTag } from './library.js';
import type { AudioTags } from './tag-reader.js';
import { parseJson } from '../../kernel/json.js';

/** Genre words → moods, checked in order against the lowercased genre tag. */
const GENRE_RULES: ReadonlyArray<{ words: readonly string[]; moods: Record<string, number> }> = [
  { words: ['ambient', 'classical', 'new age', 'chill', 'lounge', 'easy listening', 'meditat'], moods: { calm: 0.8 } },
  { words: ['metal', 'punk', 'hard rock', 'grunge', 'industrial'], moods: { power: 0.8 } },
  { words: ['techno', 'house', 'trance', 'edm', 'drum', 'dubstep', 'electro', 'dance'], moods: { energetic: 0.8 } },
  { words: ['disco', 'funk', 'pop', 'reggae', 'ska', 'latin', 'salsa'], moods: { upbeat: 0.7 } },
  { words: ['gospel', 'indie', 'world', 'country'], moods: { uplifting: 0.6 } },
  { words: ['blues', 'jazz', 'soul', 'folk', 'acoustic', 'ballad', 'singer'], moods: { mellow: 0.7 } },
  { words: ['rock'], moods: { power: 0.5, energetic: 0.4 } },
];

/**
 * Suggests moods from a file's genre, tempo and mood tag. Suggestions carry origin `rule`: they fill
 * in for untagged tracks and never override the admin's or a sidecar's moods.
 */
export function suggestMoods(tags: Pick<AudioTags, 'genre' | 'bpm' | 'mood'>): MoodTag[] {
  const moods = new Map<string, number>();
  const add = (mood: string, weight: number): void => {
    moods.set(mood, Math.min(1, Math.max(moods.get(mood) ?? 0, weight)));
  };
  const tagged = tags.mood?.trim().toLowerCase();
  if (tagged) {
    try {
      add(moodName(tagged), 0.6);
    } catch {
      // A free-text mood tag that is not a mood name ("Sad & slow") is ignored.
    }
  }
  const genre = tags.genre?.toLowerCase() ?? '';
  const rule = GENRE_RULES.find((r) => r.words.some((w) => genre.includes(w)));
  if (rule) for (const [mood, weight] of Object.entries(rule.moods)) add(mood, weight);
  if (tags.bpm !== undefined) {
    if (tags.bpm < 80) add('calm', 0.4);
    else if (tags.bpm < 105) add('mellow', 0.3);
    else if (tags.bpm < 125) add('upbeat', 0.4);
    else add('energetic', 0.5);
  }
  return [...moods].map(([mood, weight]) => ({ mood, weight, origin: 'rule' as const })).sort(byWeight);
}

/**
 * Sets rule suggestions on a track (new or whose file changed) that has no moods, or only earlier
 * suggestions or moods heard in an earlier version of the file (the analysis places it again);
 * returns whether it did. With `isSameFile` (the file the store knew, read again as it came back
 * or its folder's cover changed), moods heard in it stay: no analysis would place it again.
 */
export function applySuggestedMoods(
  tracks: LibraryTracks,
  trackId: number,
  tags: Pick<AudioTags, 'genre' | 'bpm' | 'mood'>,
  options: { isSameFile?: boolean } = {},
): boolean {
  const current = tracks.moods(trackId);
  if (current.some((m) => m.origin !== 'rule' && m.origin !== 'audio')) return false;
  if (options.isSameFile === true && current.some((m) => m.origin === 'audio')) return false;
  const suggested = suggestMoods(tags);
  if (suggested.length === 0 && current.length === 0) return false;
  tracks.setMoods(trackId, suggested);
  return true;
}

/**
 * Checks mood weights given by a person (`{calm: 0.8}` or `["calm"]`, weight 1) and returns them as
 * tags of `origin`, strongest first. Throws a `TypeError` naming the first bad entry.
 */
export function parseMoods(value: unknown, origin: MoodTag['origin']): MoodTag[] {
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((m) => [String(m), 1])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : [];
  if (entries.length === 0) throw new TypeError(`Expected moods as {mood: weight} or [mood, …], got ${describeValue(value)}`);
  const tags = new Map<string, MoodTag>();
  for (const [name, weight] of entries) {
    if (typeof weight !== 'number' || !(weight > 0 && weight <= 1)) {
      throw new TypeError(`Expected the weight of \`${name}\` to be in (0, 1], got ${describeValue(weight)}`);
    }
    const mood = moodName(name);
    tags.set(mood, { mood, weight, origin });
  }
  return [...tags.values()].sort(byWeight);
}

/** The admin sets a track's moods; they replace every other tag of the track. */
export function setAdminMoods(tracks: LibraryTracks, trackId: number, moods: unknown): MoodTag[] {
  const tags = parseMoods(moods, 'admin');
  if (!tracks.get(trackId)) throw new RangeError(`Expected the id of a track in the library, got \`${trackId}\` (number)`);
  tracks.setMoods(trackId, tags);
  return tags;
}

/** One line of a sidecar file: a path (relative to the sidecar) or artist + title, and its moods. */
export interface SidecarEntry {
  /** 1-based line (CSV) or item (JSON) number, for reports. */
  line: number;
  path?: string;
  artist?: string;
  title?: string;
  moods: MoodTag[];
}

export interface SidecarReport {
  /** Tracks that got moods. */
  tagged: number;
  /** Tracks left as they were because the admin tagged them. */
  keptAdmin: number;
  /** Entries no track matched. */
  unmatched: Array<{ line: number; key: string }>;
  /** Entries that could not be read. */
  invalid: Array<{ line: number; message: string }>;
}

/**
 * Parses a moods sidecar. CSV: a header naming `path` and/or `artist` + `title`, and `moods`
 * (`calm:0.8;mellow:0.3`, or `calm` for weight 1). JSON: an array (or `{tracks: [...]}`) of
 * `{path | artist + title, moods: {calm: 0.8} | ["calm"]}`. Bad lines are reported, not fatal.
 */
export function parseSidecar(text: string, format: 'csv' | 'json'): { entries: SidecarEntry[]; invalid: SidecarReport['invalid'] } {
  const { rows: raws, problems } = format === 'json' ? { rows: jsonRows(text), problems: [] } : csvRows(text);
  const entries: SidecarEntry[] = [];
  const invalid: SidecarReport['invalid'] = [...problems];
  for (const { line, row } of raws) {
    try {
      const path = text0(row['path']);
      const artist = text0(row['artist']);
      const title = text0(row['title']);
      if (path === undefined && (artist === undefined || title === undefined)) {
        throw new TypeError('Expected `path`, or `artist` and `title`, got neither');
      }
      const moods = parseMoods(typeof row['moods'] === 'string' ? moodList(row['moods']) : row['moods'], 'sidecar');
      entries.push({
        line,
        moods,
        ...(path === undefined ? {} : { path }),
        ...(artist === undefined ? {} : { artist }),
        ...(title === undefined ? {} : { title }),
      });
    } catch (err) {
      invalid.push({ line, message: (err as Error).message });
    }
  }
  return { entries, invalid: invalid.sort((a, b) => a.line - b.line) };
}

/**
 * Imports a sidecar file (`.csv` or `.json`) into the library. Paths are relative to the sidecar's
 * folder. Sidecar moods replace earlier sidecar and rule moods; a track the admin tagged is kept.
 */
export async function importSidecar(deps: { tracks: LibraryTracks; transaction<T>(fn: () => T): T }, file: string): Promise<SidecarReport> {
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.json') throw new TypeError(`Expected a sidecar ending in .csv or .json, got \`${file}\``);
  const text = await readFile(file, 'utf8');
  const { entries, invalid } = parseSidecar(text, ext === '.csv' ? 'csv' : 'json');
  const base = dirname(resolve(file));
  const report: SidecarReport = { tagged: 0, keptAdmin: 0, unmatched: [], invalid };
  deps.transaction(() => {
    for (const entry of entries) {
      const matches =
        entry.path !== undefined
          ? [deps.tracks.byUri(isAbsolute(entry.path) ? entry.path : resolve(base, entry.path))].filter((t) => t !== undefined)
          : deps.tracks.byArtistTitle(entry.artist ?? '', entry.title ?? '');
      if (matches.length === 0) {
        report.unmatched.push({ line: entry.line, key: entry.path ?? `${entry.artist ?? ''} – ${entry.title ?? ''}` });
        continue;
      }
      for (const track of matches) {
        if (deps.tracks.moods(track.id).some((m) => m.origin === 'admin')) {
          report.keptAdmin++;
          continue;
        }
        deps.tracks.setMoods(track.id, entry.moods);
        report.tagged++;
      }
    }
  });
  return report;
}

function byWeight(a: MoodTag, b: MoodTag): number {
  return b.weight - a.weight || a.mood.localeCompare(b.mood);
}

function text0(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).trim();
  return text === '' ? undefined : text;
}

/** `calm:0.8;mellow` → {calm: 0.8, mellow: 1}. */
export function moodList(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(/[;|]/)) {
    const [name = '', weight] = part.split(':').map((s) => s.trim());
    if (name === '') continue;
    out[name] = weight === undefined ? 1 : Number(weight);
  }
  return out;
}

function jsonRows(text: string): Array<{ line: number; row: Record<string, unknown> }> {
  const data = parseJson(text);
  const list = Array.isArray(data) ? data : (data as { tracks?: unknown } | null)?.tracks;
  if (!Array.isArray(list)) throw new TypeError(`Expected a JSON array of entries or {tracks: [...]}, got ${describeValue(data)}`);
  return list.map((row, k) => ({ line: k + 1, row: typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {} }));
}

function csvRows(text: string): { rows: Array<{ line: number; row: Record<string, unknown> }>; problems: CsvProblem[] } {
  const { rows, problems } = parseCsv(text);
  const header = rows[0]?.cells.map((h) => h.trim().toLowerCase()) ?? [];
  if (!header.includes('moods')) throw new TypeError(`Expected a CSV header with a \`moods\` column, got \`${header.join(',')}\``);
  return {
    rows: rows.slice(1).map(({ line, cells }) => ({ line, row: Object.fromEntries(header.map((h, k) => [h, cells[k] ?? ''])) })),
    problems,
  };
}
