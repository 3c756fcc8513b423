import { parse, type CsvError } from 'csv-parse/sync';

/** One record of a CSV file: the line it starts on (1 is the first), and its fields as written. */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** A record of a CSV file that could not be read, by the line it starts on. */
export interface CsvProblem {
  line: number;
  message: string;
}

/**
 * Reads RFC 4180 CSV with `csv-parse`, as the files people bring are written: quoted fields may hold
 * commas, quotes ("") and line breaks; lines end in LF, CRLF or CR; a byte-order mark and blank
 * lines are skipped; a quote inside a field that does not start with one, or text after a closing
 * quote, is kept as it is. Rows may have any number of fields (the caller checks its columns). A
 * record that cannot be read (a quote never closed) is left out and named in `problems` by the line
 * it starts on; the records before it are kept. The files are untrusted: nothing in them throws.
 */
export function parseCsv(text: string): { rows: CsvRow[]; problems: CsvProblem[] } {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  // The last line of the last record read: a record that fails starts after it.
  let lastLine = 0;
  parse(text, {
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_empty_lines: true,
    skip_records_with_error: true,
    // Records and faults come in the file's order, so a fault's line follows the record before it.
    on_record: (record: string[], { lines }) => {
      // `lines` is where the record ends: a quoted field's line breaks come before it.
      const breaks = record.reduce((n, cell) => n + (cell.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
      rows.push({ line: lines - breaks, cells: record });
      lastLine = lines;
      return null;
    },
    on_skip: (err) => {
      if (err === undefined) return undefined;
      // A quote never closed is found at the end of the file; other faults on their own line.
      const line = err.code === 'CSV_QUOTE_NOT_CLOSED' ? lastLine + 1 : Math.max(lastLine + 1, Number(err['lines']) || 0);
      if (!problems.some((p) => p.line === line)) problems.push({ line, message: problemOf(err) });
      return undefined;
    },
  });
  problems.sort((a, b) => a.line - b.line);
  return { rows, problems };
}

function problemOf(err: CsvError): string {
  return err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is not closed: the lines after it cannot be read' : err.message;
}
