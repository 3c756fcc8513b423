/**
 * What grouping copies of one recording costs after each scan and each analysis run
 * (`groupRecordings`, on the daemon's event loop): a library of N files (default 5,000) with
 * durations spread over 2.5–5.5 minutes, every file printed, one in ten a copy of another
 * (re-tagged, so that only its print tells), one in twenty an untagged rip of another.
 * Run: node --import tsx scripts/bench-recordings.ts [files]
 */
import { seededRandom } from '../src/kernel/random.js';
import { encodePrint } from '../src/player/analysis/audio-print.js';
import { groupRecordings, type RecordingFile } from '../src/player/library/recordings.js';

const count = Number(process.argv[2] ?? 5000);
const random = seededRandom(11);
const printOf = () => ({
  bands: Float32Array.from({ length: 33 }, () => random.next() - 0.5),
  frames: Uint32Array.from({ length: 320 }, () => random.int(2 ** 32)),
});
const files: RecordingFile[] = [];
const prints: Array<ReturnType<typeof printOf>> = [];
for (let id = 1; id <= count; id++) {
  const copyOf = id > 10 && random.next() < 0.15 ? random.int(id - 1) : -1;
  const print = copyOf >= 0 ? (prints[copyOf] as ReturnType<typeof printOf>) : printOf();
  prints.push(print);
  const original = files[copyOf];
  const untagged = copyOf >= 0 && random.next() < 1 / 3;
  files.push({
    id,
    uri: `/music/${id}.${copyOf >= 0 ? 'mp3' : 'flac'}`,
    title: untagged ? '' : copyOf >= 0 ? `Track ${id}` : `Song ${id}`,
    artist: untagged ? '' : `Artist ${random.int(400)}`,
    durationMs: (original?.durationMs ?? 150_000 + random.int(180_000)) + (copyOf >= 0 ? random.int(1500) : 0),
    fileSize: 5_000_000 + random.int(30_000_000),
    mbid: null,
    preferred: false,
    print: encodePrint(print),
  });
}
groupRecordings(files.slice(0, 200));
const runs = 5;
const started = performance.now();
let songs = 0;
for (let i = 0; i < runs; i++) songs = [...groupRecordings(files).values()].filter((v) => v === null).length;
const ms = (performance.now() - started) / runs;
console.log(`groupRecordings: ${count} files (${count - songs} copies) into ${songs} songs in ${ms.toFixed(0)} ms (mean of ${runs})`);
