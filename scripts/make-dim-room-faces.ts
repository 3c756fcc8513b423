/**
 * Writes the dim-room test's faces (`src/vision/testing/fixtures/dim-room-faces.csv`): four smiling
 * FER-2013 PublicTest faces that the shipped int8 model reads happy in daylight (p > 0.8) and sad
 * or neutral through the dim webcam at 3% of daylight with auto-exposure (`dim-camera.ts`, seed 2).
 * Picked once from the first 200 happy PublicTest rows; the rows are named so the file can be made again.
 *
 *   node --import tsx scripts/make-dim-room-faces.ts [--csv ../shared/datasets/fer2013/fer2013.csv.gz]
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readFerCsv } from '../src/vision/fer-csv.js';

const ROOT = join(import.meta.dirname, '..');
/** Data rows of fer2013.csv: two read sad and two neutral at 3%. */
const ROWS = [28742, 28755, 28740, 28799];

const { values } = parseArgs({
  options: { csv: { type: 'string', default: join(ROOT, '..', 'shared', 'datasets', 'fer2013', 'fer2013.csv.gz') } },
});
const lines = ['emotion,pixels,Usage'];
for await (const row of readFerCsv(resolve(values.csv))) {
  if (ROWS.includes(row.row)) lines[1 + ROWS.indexOf(row.row)] = `${row.emotion},${[...row.pixels].join(' ')},${row.usage}`;
}
if (lines.filter(Boolean).length !== ROWS.length + 1)
  throw new Error(`Expected rows ${ROWS.join(', ')} in ${values.csv}, got ${lines.length - 1}`);
writeFileSync(join(ROOT, 'src', 'vision', 'testing', 'fixtures', 'dim-room-faces.csv'), `${lines.join('\n')}\n`);
