import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetError, FERPLUS_COLUMNS, readFerCsv, splitCsvLine, type FerRow } from './fer-csv.js';

const TINY = join(import.meta.dirname, 'testing', 'fixtures', 'fer-tiny.csv');
const TINY_TEXT = readFileSync(TINY, 'utf8');
const [HEADER = '', ...DATA] = TINY_TEXT.trimEnd().split('\n');

function tmpFile(name: string, content: string | Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'moodbox-fer-')), name);
  writeFileSync(file, content);
  return file;
}

async function readAll(file: string): Promise<FerRow[]> {
  const rows: FerRow[] = [];
  for await (const row of readFerCsv(file)) rows.push(row);
  return rows;
}

async function failure(file: string): Promise<DatasetError> {
  try {
    await readAll(file);
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetError);
    return err as DatasetError;
  }
  throw new Error(`expected ${file} to be rejected`);
}

/** The fixture with data row `row` (1-based) replaced by `text`. */
function withRow(row: number, text: string): string {
  const lines = [HEADER, ...DATA];
  lines[row] = text;
  return `${lines.join('\n')}\n`;
}

describe('readFerCsv', () => {
  it('reads every row with its label, pixels, usage and FER+ votes', async () => {
    const rows = await readAll(TINY);
    expect(rows).toHaveLength(9);
    expect(rows.map((r) => r.label)).toEqual(['angry', 'disgust', 'sad', 'neutral', 'happy', 'fear', 'surprise', 'angry', 'angry']);
    expect(rows.map((r) => r.usage)).toEqual([...Array<string>(8).fill('PublicTest'), 'Training']);
    expect(rows[0]).toMatchObject({ line: 2, row: 1, emotion: 0 });
    expect(rows[0]?.pixels).toBeInstanceOf(Uint8Array);
    expect(rows[0]?.pixels).toHaveLength(2304);
    expect(Array.from(rows[8]?.pixels.subarray(0, 4) ?? [])).toEqual([70, 80, 82, 72]);
    expect(rows[8]?.votes).toEqual([4, 0, 0, 1, 3, 2, 0, 0, 0, 0]);
    expect(rows[7]?.votes).toBeUndefined(); // FER+ dropped this image: its vote cells are empty
  });

  it('reads a gzip-compressed file the same way, whatever its name', async () => {
    const plain = await readAll(TINY);
    expect(await readAll(tmpFile('tiny.csv.gz', gzipSync(TINY_TEXT)))).toEqual(plain);
    expect(await readAll(tmpFile('tiny-compressed.csv', gzipSync(TINY_TEXT)))).toEqual(plain);
  });

  it('reads a file without the FER+ vote columns', async () => {
    const text = TINY_TEXT.trimEnd()
      .split('\n')
      .map((line) => line.split(',').slice(0, 3).join(','))
      .join('\n');
    const rows = await readAll(tmpFile('plain.csv', `${text}\n`));
    expect(rows).toHaveLength(9);
    expect(rows.every((r) => r.votes === undefined)).toBe(true);
    expect(rows.map((r) => r.pixels)).toEqual((await readAll(TINY)).map((r) => r.pixels));
  });

  it('accepts CRLF line ends, a byte-order mark, quoted fields and blank lines', async () => {
    const lines = [HEADER, ...DATA.slice(0, 2)].map((l, i) => (i === 1 ? l.replace(/^(\d),([^,]*),/, '"$1","$2",') : l));
    const rows = await readAll(tmpFile('crlf.csv', `\uFEFF${lines.join('\r\n')}\r\n\r\n`));
    expect(rows.map((r) => r.label)).toEqual(['angry', 'disgust']);
  });

  it.each([
    [
      'a pixel too many',
      (l: string) => l.replace(',PublicTest', ' 7,PublicTest'),
      /line 4 \(data row 3\): expected 2304 pixels \(48x48\), got more/,
    ],
    [
      'a pixel too few',
      (l: string) => l.replace(/ \d+,PublicTest/, ',PublicTest'),
      /line 4 \(data row 3\): expected 2304 pixels \(48x48\), got 2303/,
    ],
    ['a pixel above 255', (l: string) => l.replace(/^(\d),(\d+) /, '$1,256 '), /line 4 \(data row 3\): pixel 1 is above 255/],
    [
      'a pixel that is not a number',
      (l: string) => l.replace(/^(\d),(\d+) (\d+) /, '$1,$2 x1 '),
      /line 4 \(data row 3\): pixel 2 is not an integer 0–255 \(found "x"\)/,
    ],
    ['emotion 7', (l: string) => l.replace(/^\d,/, '7,'), /line 4 \(data row 3\): expected emotion to be an integer 0–6, got "7"/],
    ['a missing column', (l: string) => l.replace(/,0$/, ''), /line 4 \(data row 3\): expected 13 columns, got 12/],
    [
      'partly empty votes',
      (l: string) => l.replace(/,\d+,(\d+)$/, ',,$1'),
      /line 4 \(data row 3\): the FER\+ vote columns are partly empty/,
    ],
    [
      'a negative vote',
      (l: string) => l.replace(/,\d+$/, ',-1'),
      /line 4 \(data row 3\): expected FER\+ vote NF to be a number >= 0, got "-1"/,
    ],
    ['an empty Usage', (l: string) => l.replace(',PublicTest,', ',,'), /line 4 \(data row 3\): the Usage column is empty/],
    ['an unclosed quote', (l: string) => l.replace(/^(\d),/, '$1,"'), /line 4 \(data row 3\): a quoted field is not closed/],
  ])('rejects a row with %s, naming its line and data row', async (_what, edit, message) => {
    const row3 = DATA[2] ?? '';
    const err = await failure(tmpFile('bad.csv', withRow(3, edit(row3))));
    expect(err.code).toBe('MB_ERR_DATASET_INVALID');
    expect(err.line).toBe(4);
    expect(err.message).toMatch(message);
    expect(err.message).toContain('bad.csv');
  });

  it('rejects a malformed row inside a gzip file too', async () => {
    const err = await failure(tmpFile('bad.csv.gz', gzipSync(withRow(9, (DATA[8] ?? '').replace(/^\d,/, 'x,')))));
    expect(err.message).toMatch(/line 10 \(data row 9\): expected emotion to be an integer 0–6, got "x"/);
  });

  it('yields the good rows before the malformed one', async () => {
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const row of readFerCsv(tmpFile('bad.csv', withRow(3, 'oops')))) seen.push(row.label);
      })(),
    ).rejects.toThrow(/data row 3/);
    expect(seen).toEqual(['angry', 'disgust']);
  });

  it('rejects a wrong header, naming what it expected', async () => {
    const err = await failure(tmpFile('header.csv', `label,pixels,Usage\n${DATA[0] ?? ''}\n`));
    expect(err.code).toBe('MB_ERR_DATASET_INVALID');
    expect(err.line).toBe(1);
    expect(err.message).toMatch(
      /line 1: expected the header emotion,pixels,Usage \(optionally followed by neutral,happiness,.*,NF\), got "label,pixels,Usage"/,
    );
    const partial = await failure(tmpFile('header.csv', `emotion,pixels,Usage,neutral,happiness\n`));
    expect(partial.line).toBe(1);
  });

  it('rejects an empty file, a missing file and bad gzip data', async () => {
    expect((await failure(tmpFile('empty.csv', ''))).message).toMatch(/the file is empty/);
    const missing = await failure(join(tmpdir(), 'no-such-dir-moodbox', 'fer.csv'));
    expect(missing.code).toBe('MB_ERR_DATASET_READ');
    expect(missing.message).toMatch(/cannot read .*fer\.csv: ENOENT/);
    const truncated = gzipSync(TINY_TEXT).subarray(0, 200);
    expect((await failure(tmpFile('cut.csv.gz', truncated))).code).toBe('MB_ERR_DATASET_READ');
  });

  it('has the FER+ columns in the order of the published files', () => {
    expect(HEADER.split(',').slice(3)).toEqual([...FERPLUS_COLUMNS]);
  });
});

describe('splitCsvLine', () => {
  it('splits on commas and honours quotes', () => {
    expect(splitCsvLine('a,b,,c')).toEqual(['a', 'b', '', 'c']);
    expect(splitCsvLine('"a,b","say ""hi""",c')).toEqual(['a,b', 'say "hi"', 'c']);
    expect(splitCsvLine('"open')).toBeUndefined();
    expect(splitCsvLine('')).toEqual(['']);
  });
});
