// Packs one split of a FER-2013-format CSV (gzip-compressed or not) into a compact binary file for
// scripts/arm64/eval-fer.mjs: one record per face, in CSV order, each 1 byte of FER-2013 class
// (0-6: angry, disgust, fear, happy, sad, surprise, neutral) followed by the 48x48 grey face,
// row-major (2304 bytes). Plain JavaScript, so it runs wherever Node 18 or newer does.
//
//   node scripts/arm64/make-fer-bin.mjs FER.csv[.gz] OUT.bin [USAGE]    (USAGE default: PublicTest)
//
// Writes OUT.bin.tmp, then renames it, so OUT.bin is either whole or absent. Prints the face count.
import { createReadStream, renameSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

const FACE_PIXELS = 48 * 48;
const [csvPath, outPath, usage = 'PublicTest'] = process.argv.slice(2);
if (csvPath === undefined || outPath === undefined) {
  console.error('usage: node scripts/arm64/make-fer-bin.mjs FER.csv[.gz] OUT.bin [USAGE]');
  process.exit(2);
}

// gzip or not: the first two bytes decide.
const handle = await open(csvPath);
const magic = Buffer.alloc(2);
await handle.read(magic, 0, 2, 0);
await handle.close();
const raw = createReadStream(csvPath);
const input = magic[0] === 0x1f && magic[1] === 0x8b ? raw.pipe(createGunzip()) : raw;

const records = [];
let line = 0;
for await (const text of createInterface({ input, crlfDelay: Infinity })) {
  line++;
  if (line === 1) {
    if (!/^\uFEFF?emotion,pixels,Usage(,|$)/.test(text)) {
      throw new Error(`${csvPath}: expected a header "emotion,pixels,Usage", got "${text.slice(0, 60)}"`);
    }
    continue;
  }
  if (text.trim() === '') continue;
  const [emotion, pixels, rowUsage] = text.split(',');
  if (rowUsage !== usage) continue;
  const values = (pixels ?? '').trim().split(/\s+/).map(Number);
  if (!/^[0-6]$/.test(emotion)) throw new Error(`${csvPath}:${line}: emotion must be 0-6, got "${emotion}"`);
  if (values.length !== FACE_PIXELS || values.some((v) => !Number.isInteger(v) || v < 0 || v > 255)) {
    throw new Error(`${csvPath}:${line}: expected ${FACE_PIXELS} pixels 0-255`);
  }
  const record = Buffer.alloc(1 + FACE_PIXELS);
  record[0] = Number(emotion);
  record.set(values, 1);
  records.push(record);
}
if (records.length === 0) throw new Error(`${csvPath}: no row with Usage=${usage}`);

writeFileSync(`${outPath}.tmp`, Buffer.concat(records));
renameSync(`${outPath}.tmp`, outPath);
console.log(records.length);
