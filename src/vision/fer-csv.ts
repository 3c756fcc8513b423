import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DomainError } from '../kernel/errors.js';
import type { DatasetErrorCode } from './errors.js';
import { FACE_PIXELS } from './preprocess.js';

/** FER-2013 classes in the order of the CSV's `emotion` column (0–6). */
export const FER_LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
export type FerLabel = (typeof FER_LABELS)[number];

/** FER+ vote columns, in CSV order: how many annotators (of about 10) chose each label. */
export const FERPLUS_COLUMNS = [
  'neutral',
  'happiness',
  'surprise',
  'sadness',
  'anger',
  'disgust',
  'fear',
  'contempt',
  'unknown',
  'NF',
] as const;
/** The 8 FER+ emotions (the vote columns without `unknown` and `NF`): the FER+ majority label is one of these. */
export const FERPLUS_EMOTIONS = FERPLUS_COLUMNS.slice(0, 8) as readonly FerPlusEmotion[];
export type FerPlusEmotion = Exclude<(typeof FERPLUS_COLUMNS)[number], 'unknown' | 'NF'>;

const BASE_HEADER = ['emotion', 'pixels', 'Usage'] as const;

/** One validated row of a FER-2013-format CSV. */
export interface FerRow {
  /** Line of the file (the header is line 1). */
  readonly line: number;
  /** Data row number (the first row after the header is 1). */
  readonly row: number;
  /** FER-2013 class index 0–6. */
  readonly emotion: number;
  readonly label: FerLabel;
  /** The 48x48 grey face, row-major. */
  readonly pixels: Uint8Array;
  /** The `Usage` column: `Training`, `PublicTest`, `PrivateTest`, or any other split name. */
  readonly usage: string;
  /** FER+ votes in `FERPLUS_COLUMNS` order; undefined when the file has no vote columns or FER+ dropped this image. */
  readonly votes: readonly number[] | undefined;
}

/** A FER-2013-format CSV that cannot be read or has a malformed row. */
export class DatasetError extends DomainError<DatasetErrorCode> {
  /** The offending line of the file (1 is the header); undefined when the file itself cannot be read. */
  readonly line: number | undefined;

  constructor(code: DatasetErrorCode, message: string, options?: { line?: number; cause?: unknown }) {
    super(code, message, options);
    this.line = options?.line;
  }
}

/**
 * Streams the rows of a FER-2013-format CSV (gzip-compressed or not: the content decides), validating
 * each: header `emotion,pixels,Usage` optionally followed by the 10 FER+ vote columns, emotion 0–6,
 * exactly 2304 pixels 0–255, a non-empty Usage, and the vote columns either all empty or all
 * non-negative numbers. Blank lines are skipped. Throws `DatasetError` naming the line and data row
 * of the first malformed row (`MB_ERR_DATASET_INVALID`) or when the file cannot be read
 * (`MB_ERR_DATASET_READ`).
 */
export async function* readFerCsv(path: string): AsyncGenerator<FerRow> {
  const input = await openMaybeGzip(path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  let row = 0;
  let hasVotes: boolean | undefined;
  try {
    for await (const text of lines) {
      line++;
      if (hasVotes === undefined) {
        hasVotes = parseHeader(path, text.replace(/^\uFEFF/, ''));
        continue;
      }
      if (text.trim() === '') continue;
      row++;
      yield parseRow(path, text, line, row, hasVotes);
    }
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    throw new DatasetError('MB_ERR_DATASET_READ', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  } finally {
    lines.close();
    input.destroy();
  }
  if (hasVotes === undefined) throw new DatasetError('MB_ERR_DATASET_INVALID', `${path}: the file is empty (no header)`, { line: 1 });
}

async function openMaybeGzip(path: string): Promise<Readable> {
  const magic = Buffer.alloc(2);
  try {
    const handle = await open(path, 'r');
    try {
      await handle.read(magic, 0, 2, 0);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new DatasetError('MB_ERR_DATASET_READ', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  const file = createReadStream(path);
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return file;
  const gunzip = createGunzip();
  file.on('error', (err) => gunzip.destroy(err));
  return file.pipe(gunzip);
}

function parseHeader(path: string, text: string): boolean {
  const cells = splitCsvLine(text)?.map((c) => c.trim());
  const base = cells?.slice(0, 3).join(',') === BASE_HEADER.join(',');
  if (cells !== undefined && base && cells.length === 3) return false;
  if (cells !== undefined && base && cells.slice(3).join(',') === FERPLUS_COLUMNS.join(',')) return true;
  throw new DatasetError(
    'MB_ERR_DATASET_INVALID',
    `${path}: line 1: expected the header ${BASE_HEADER.join(',')} (optionally followed by ${FERPLUS_COLUMNS.join(',')}), got ${JSON.stringify(
      text.slice(0, 200),
    )}`,
    { line: 1 },
  );
}

function parseRow(path: string, text: string, line: number, row: number, hasVotes: boolean): FerRow {
  const fail: (what: string) => never = (what) => {
    throw new DatasetError('MB_ERR_DATASET_INVALID', `${path}: line ${line} (data row ${row}): ${what}`, { line });
  };
  const cells = splitCsvLine(text) ?? fail('a quoted field is not closed');
  const columns = hasVotes ? BASE_HEADER.length + FERPLUS_COLUMNS.length : BASE_HEADER.length;
  if (cells.length !== columns) fail(`expected ${columns} columns, got ${cells.length}`);
  const [emotionCell = '', pixelCell = '', usageCell = ''] = cells;
  const emotionText = emotionCell.trim();
  const emotion = /^\d+$/.test(emotionText) ? Number(emotionText) : NaN;
  const label = FER_LABELS[emotion];
  if (label === undefined) fail(`expected emotion to be an integer 0–6, got ${JSON.stringify(emotionText)}`);
  const pixels = parsePixels(pixelCell, fail);
  const usage = usageCell.trim();
  if (usage === '') fail('the Usage column is empty');
  let votes: number[] | undefined;
  if (hasVotes) {
    const voteCells = cells.slice(BASE_HEADER.length).map((c) => c.trim());
    const empty = voteCells.filter((c) => c === '').length;
    if (empty > 0 && empty < voteCells.length) fail(`the FER+ vote columns are partly empty: ${voteCells.join(',')}`);
    if (empty === 0) {
      votes = voteCells.map((c, i) => {
        const v = /^\d+(\.\d+)?$/.test(c) ? Number(c) : NaN;
        return Number.isFinite(v)
          ? v
          : fail(`expected FER+ vote ${FERPLUS_COLUMNS[i] ?? ''} to be a number >= 0, got ${JSON.stringify(c)}`);
      });
    }
  }
  return { line, row, emotion, label, pixels, usage, votes };
}

/** Space-separated grey levels → exactly FACE_PIXELS bytes; anything else calls `fail`. */
function parsePixels(text: string, fail: (what: string) => never): Uint8Array {
  const pixels = new Uint8Array(FACE_PIXELS);
  let count = 0;
  let value = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    if (code >= 48 && code <= 57) {
      value = value < 0 ? code - 48 : value * 10 + code - 48;
      if (value > 255) fail(`pixel ${count + 1} is above 255`);
    } else if (code === 32 || code === 9) {
      if (value >= 0) {
        if (count >= FACE_PIXELS) fail(`expected ${FACE_PIXELS} pixels (48x48), got more`);
        pixels[count++] = value;
        value = -1;
      }
    } else {
      fail(`pixel ${count + 1} is not an integer 0–255 (found ${JSON.stringify(text[i])})`);
    }
  }
  if (count !== FACE_PIXELS) fail(`expected ${FACE_PIXELS} pixels (48x48), got ${count}`);
  return pixels;
}

/**
 * Splits one CSV line (RFC 4180 quoting, no line breaks inside fields); undefined when a quote is not
 * closed. The people's CSV files go through `csv-parse` (`kernel/csv.ts`); the FER files do not: their
 * lines are 8-9 KB of pixels, which `csv-parse` read at 0.55 ms a line (4.7 ms a line in calls of
 * one), where this reader and the pixel parse read the 32,298 rows of FER-2013 in 2.8 s (0.085 ms a
 * row; Intel Xeon, one core).
 */
export function splitCsvLine(text: string): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let cell = '';
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) return undefined;
        cell += text.slice(i, close);
        if (text[close + 1] === '"') {
          cell += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      const comma = text.indexOf(',', i);
      cells.push(cell + text.slice(i, comma < 0 ? text.length : comma));
      if (comma < 0) return cells;
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      cells.push(text.slice(i, comma < 0 ? text.length : comma));
      if (comma < 0) return cells;
      i = comma + 1;
    }
  }
}
