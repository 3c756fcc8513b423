/**
 * Library scan speed into a real SQLite file (budget: ≥ 200 files/s).
 * Run: npx tsx scripts/bench-scanner.ts [files]
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { systemClock } from '../src/kernel/clock.js';
import { DATABASE_FILE } from '../src/daemon/config/paths.js';
import { openSqliteStore } from '../src/daemon/store/sqlite-store.js';
import { MusicMetadataTagReader } from '../src/player/library/music-metadata-tag-reader.js';
import { LibraryScanner } from '../src/player/library/scanner.js';
import { makeTone } from '../src/player/testing/tones.js';

const files = Number(process.argv[2] ?? 2000);
const dir = await mkdtemp(join(tmpdir(), 'moodbox-bench-scan-'));
try {
  const music = join(dir, 'music');
  const templates = await Promise.all([
    makeTone(music, {
      file: 't.flac',
      seconds: 5,
      tags: { title: 'Tone', artist: 'Bench', album: 'A', genre: 'Ambient', date: '2020' },
      cover: 'blue',
    }),
    makeTone(music, { file: 't.mp3', seconds: 5, tags: { title: 'Tone', artist: 'Bench', genre: 'Rock', TBPM: '130' }, cover: 'green' }),
  ]);
  for (let k = 0; k < files; k++) {
    const template = templates[k % templates.length] ?? '';
    await copyFile(template, join(music, `${k}${extname(template)}`));
  }
  const store = openSqliteStore({ clock: systemClock, log: { info() {}, warn() {} } }, { path: join(dir, DATABASE_FILE) });
  const scanner = new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock: systemClock }, { coversDir: join(dir, 'covers') });
  const first = await scanner.scan(music);
  const second = await scanner.scan(music);
  const rate = (n: number, ms: number): string => ((n * 1000) / Math.max(ms, 1)).toFixed(0);
  console.log(
    `scanner: first scan ${first.files} files (FLAC and MP3, tags and covers) in ${first.ms} ms = ${rate(first.files, first.ms)} files/s (budget ≥ 200)`,
  );
  console.log(`scanner: rescan, nothing changed: ${second.files} files in ${second.ms} ms = ${rate(second.files, second.ms)} files/s`);
  store.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
