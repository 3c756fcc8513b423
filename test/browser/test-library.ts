import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { ROOT } from './harness.js';

/** The tone clips whose MPEG audio the made-up tracks reuse (4 s each, CC0; see their LICENSE.txt). */
const TONES = 'src/player/testing/fixtures/demo-tones';
const SOURCES = ['still-water.mp3', 'low-light.mp3', 'morning-walk.mp3', 'first-light.mp3', 'fast-lane.mp3', 'iron-gate.mp3'];
const COLOURS: Array<[number, number, number]> = [
  [29, 78, 216],
  [180, 83, 9],
  [4, 120, 87],
  [157, 23, 77],
  [109, 40, 217],
  [14, 116, 144],
  [77, 124, 15],
  [185, 28, 28],
];

export interface TestLibrary {
  /** Audio files written, the unreadable ones included. */
  files: number;
  readable: number;
  /** Paths of the files no tag reader can read. */
  unreadable: string[];
}

/**
 * Writes a library big enough for a scan to take a moment: `tracks` MP3s in `albums` album
 * folders, each album with its own solid-colour cover embedded in its tracks, plus two files that
 * cannot be read. Tags and covers are written here (no ffmpeg), so hundreds of files take
 * milliseconds.
 */
export function makeScanLibrary(dir: string, options: { tracks: number; albums: number }): TestLibrary {
  const audio = SOURCES.map((name) => mpegFrames(readFileSync(join(ROOT, TONES, name))));
  const covers = Array.from({ length: options.albums }, (_, i) => solidPng(48, COLOURS[i % COLOURS.length] ?? [0, 0, 0]));
  for (let i = 0; i < options.tracks; i++) {
    const album = i % options.albums;
    const folder = join(dir, `album-${String(album + 1).padStart(2, '0')}`);
    mkdirSync(folder, { recursive: true });
    const tag = id3v23({
      TIT2: `Test Track ${String(i + 1).padStart(3, '0')}`,
      TPE1: `Test Artist ${String.fromCharCode(65 + (album % 26))}`,
      TALB: `Test Album ${album + 1}`,
      TCON: 'Test',
      cover: covers[album] ?? Buffer.alloc(0),
    });
    writeFileSync(
      join(folder, `track-${String(i + 1).padStart(3, '0')}.mp3`),
      Buffer.concat([tag, audio[i % audio.length] ?? Buffer.alloc(0)]),
    );
  }
  const unreadable = [join(dir, 'broken', 'not-audio.flac'), join(dir, 'broken', 'truncated.mp3')];
  mkdirSync(join(dir, 'broken'), { recursive: true });
  writeFileSync(unreadable[0] ?? '', 'this is text, not a FLAC file\n');
  writeFileSync(unreadable[1] ?? '', Buffer.from('ID3\x03\x00\x00\x7f\x7f\x7f\x7f', 'latin1'));
  return { files: options.tracks + unreadable.length, readable: options.tracks, unreadable };
}

/**
 * Writes `count` songs of the demo library with every tag taken out (`track01.ogg` …), as a ripped
 * CD or a phone's recording leaves them: the box names each by its file. Returns their paths.
 */
export function makeUntaggedLibrary(dir: string, count: number): string[] {
  mkdirSync(dir, { recursive: true });
  const demo = readdirSync(join(ROOT, 'demo/library')).filter((name) => name.endsWith('.ogg'));
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `track${String(i + 1).padStart(2, '0')}.ogg`);
    const source = join(ROOT, 'demo/library', demo[i % demo.length] ?? '');
    execFileSync('ffmpeg', ['-v', 'error', '-i', source, '-map_metadata', '-1', '-map', '0:a', '-c', 'copy', path]);
    return path;
  });
}

/** The MPEG frames of an MP3: without its ID3v2 tag at the start and its ID3v1 tag at the end. */
function mpegFrames(file: Buffer): Buffer {
  let start = 0;
  if (file.subarray(0, 3).toString('latin1') === 'ID3') {
    const size = ((file[6] ?? 0) << 21) | ((file[7] ?? 0) << 14) | ((file[8] ?? 0) << 7) | (file[9] ?? 0);
    start = 10 + size + (((file[5] ?? 0) & 0x10) !== 0 ? 10 : 0);
  }
  const end =
    file.length >= 128 && file.subarray(file.length - 128, file.length - 125).toString('latin1') === 'TAG'
      ? file.length - 128
      : file.length;
  return file.subarray(start, end);
}

/** An ID3v2.3 tag with text frames (Latin-1) and a front cover (PNG). */
function id3v23(tags: Record<'TIT2' | 'TPE1' | 'TALB' | 'TCON', string> & { cover: Buffer }): Buffer {
  const frame = (id: string, body: Buffer): Buffer => {
    const header = Buffer.alloc(10);
    header.write(id, 0, 'latin1');
    header.writeUInt32BE(body.length, 4);
    return Buffer.concat([header, body]);
  };
  const text = (value: string): Buffer => Buffer.concat([Buffer.from([0]), Buffer.from(value, 'latin1')]);
  const frames = [
    frame('TIT2', text(tags.TIT2)),
    frame('TPE1', text(tags.TPE1)),
    frame('TALB', text(tags.TALB)),
    frame('TCON', text(tags.TCON)),
    // Encoding 0, MIME type, picture type 3 (front cover), empty description, the image.
    frame('APIC', Buffer.concat([Buffer.from([0]), Buffer.from('image/png\0', 'latin1'), Buffer.from([3, 0]), tags.cover])),
  ];
  const body = Buffer.concat(frames);
  const size = body.length;
  const header = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
  return Buffer.concat([header, body]);
}

/** A `size`×`size` PNG of one colour. */
function solidPng(size: number, [r, g, b]: [number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size, colorType: 2 });
  for (let i = 0; i < size * size; i++) png.data.set([r, g, b, 255], i * 4);
  return PNG.sync.write(png, { colorType: 2 });
}
