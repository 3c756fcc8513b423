import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes and line breaks, with each record on the line it starts', () => {
    const text = '\uFEFFartist,title,moods\r\n"Simon, Paul","The ""Boxer""",calm\r\n\r\nNina,"Feeling\nGood",happy\nSolo\n';
    expect(parseCsv(text)).toEqual({
      rows: [
        { line: 1, cells: ['artist', 'title', 'moods'] },
        { line: 2, cells: ['Simon, Paul', 'The "Boxer"', 'calm'] },
        { line: 4, cells: ['Nina', 'Feeling\nGood', 'happy'] },
        { line: 6, cells: ['Solo'] },
      ],
      problems: [],
    });
  });

  it('takes LF, CRLF and old Mac CR line ends in one file, and keeps a quote inside an unquoted field', () => {
    expect(parseCsv('a,b\rc,d\r\ne,5 "inch"\n').rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['c', 'd'] },
      { line: 3, cells: ['e', '5 "inch"'] },
    ]);
  });

  it('names the line of a record it cannot read and keeps the records before it, never throwing', () => {
    const text = 'artist,title\nA,"One"x\nB,Two\nC,"never closed\nD,Four\n';
    const { rows, problems } = parseCsv(text);
    expect(rows.map((r) => r.cells)).toEqual([
      ['artist', 'title'],
      ['A', '"One"x'],
      ['B', 'Two'],
    ]);
    expect(problems).toEqual([{ line: 4, message: 'a quoted field is not closed: the lines after it cannot be read' }]);
  });

  it('reads nothing from an empty or blank file', () => {
    expect(parseCsv('')).toEqual({ rows: [], problems: [] });
    expect(parseCsv('\n\r\n\n')).toEqual({ rows: [], problems: [] });
  });
});
