import { describe, expect, it } from 'vitest';
import { groupRecordings, type RecordingFile } from './recordings.js';

let nextId = 1;
function file(uri: string, over: Partial<RecordingFile> = {}): RecordingFile {
  return {
    id: nextId++,
    uri,
    title: 'Paper Planes',
    artist: 'M.I.A.',
    durationMs: 204_000,
    fileSize: 5_000_000,
    mbid: null,
    preferred: false,
    ...over,
  };
}

/** The groups as the uris of their files, the one that plays first. */
function songs(files: RecordingFile[]): string[][] {
  const playing = groupRecordings(files);
  return files
    .filter((f) => playing.get(f.id) === null)
    .map((f) => [f.uri, ...files.filter((c) => playing.get(c.id) === f.id).map((c) => c.uri)]);
}

describe('groupRecordings', () => {
  it('makes one song of a FLAC, its MP3 and a re-tagged copy in another folder, and plays the FLAC', () => {
    const files = [
      file('/music/mp3/paper-planes.mp3', { fileSize: 8_000_000 }),
      file('/music/flac/paper-planes.flac', { fileSize: 30_000_000, durationMs: 204_400 }),
      file('/music/copy/02 Paper planes.mp3', { title: 'Paper planes', artist: 'MIA', durationMs: 205_900, fileSize: 4_000_000 }),
      file('/music/mp3/other.mp3', { title: 'Other Song' }),
    ];
    expect(songs(files)).toEqual([
      ['/music/flac/paper-planes.flac', '/music/mp3/paper-planes.mp3', '/music/copy/02 Paper planes.mp3'],
      ['/music/mp3/other.mp3'],
    ]);
  });

  it('compares artists and titles as a reader would: case, accents, "The", punctuation and a featured artist', () => {
    const files = [
      file('/a.mp3', { artist: 'The Pulse Engine', title: 'Café del Mar' }),
      file('/b.mp3', { artist: 'pulse engine', title: 'Cafe Del Mar (feat. Bo)' }),
      file('/c.mp3', { artist: 'Pulse Engine feat. Bo', title: 'Café del Mar!' }),
    ];
    expect(songs(files)).toEqual([['/a.mp3', '/b.mp3', '/c.mp3']]);
  });

  it('keeps apart songs of one title whose lengths differ by more than 2 s, and files without tags', () => {
    const files = [
      file('/studio.flac', { durationMs: 200_000 }),
      file('/live.flac', { durationMs: 262_000 }),
      file('/edit.flac', { durationMs: 202_500 }),
      file('/untitled-1.mp3', { title: '', artist: '' }),
      file('/untitled-2.mp3', { title: '', artist: '' }),
    ];
    expect(songs(files)).toHaveLength(5);
  });

  it('trusts MusicBrainz recording ids over tags: one id is one song, two ids are two', () => {
    const mbid = 'b1a9c0e9-d987-4042-ae91-78d6a3267d69';
    const files = [
      file('/a.flac', { mbid }),
      file('/b.mp3', { mbid: mbid.toUpperCase(), title: 'Paper Planes (album version)', durationMs: 210_000 }),
      file('/live.mp3', { mbid: '0f0e5c35-6b22-4e4b-9a73-2c1b1f7e0b11' }),
    ];
    expect(songs(files)).toEqual([['/a.flac', '/b.mp3'], ['/live.mp3']]);
  });

  it("plays the owner's pick, else lossless over lossy, else the higher bit rate", () => {
    expect(songs([file('/low.mp3', { fileSize: 3_000_000 }), file('/high.mp3', { fileSize: 8_000_000 })])[0]?.[0]).toBe('/high.mp3');
    expect(songs([file('/big.mp3', { fileSize: 90_000_000 }), file('/small.flac', { fileSize: 20_000_000 })])[0]?.[0]).toBe('/small.flac');
    expect(songs([file('/a.flac'), file('/b.mp3', { preferred: true })])[0]?.[0]).toBe('/b.mp3');
  });
});
