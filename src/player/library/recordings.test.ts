import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { encodePrint } from '../analysis/audio-print.js';
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

  describe('by their audio prints, whatever the tags say', () => {
    const seeded = seededRandom(7);
    const random = (): number => seeded.next();
    /** A print of 300 random frames and a random band profile, as two recordings differ. */
    const recording = () => ({
      bands: Float32Array.from({ length: 33 }, () => random() - 0.5),
      frames: Uint32Array.from({ length: 300 }, () => Math.floor(random() * 2 ** 32)),
    });
    /** The same recording through another codec: 1 bit in 10 flipped, the band profile nudged. */
    const copyOf = (print: ReturnType<typeof recording>) => ({
      bands: print.bands.map((v) => v + 0.02),
      frames: print.frames.map((v) => (v ^ (random() < 0.5 ? 0x11 : 0x1000100)) >>> 0),
    });

    it('make one song of a re-tagged copy and an untagged rip, where tags alone made three', () => {
      const song = recording();
      const files = [
        file('/music/flac/paper-planes.flac', { print: encodePrint(song) }),
        file('/music/copy/Track 07.mp3', {
          title: 'Track 07',
          artist: 'Unknown Artist',
          durationMs: 205_100,
          print: encodePrint(copyOf(song)),
        }),
        file('/music/rips/01.mp3', { title: '', artist: '', durationMs: 203_600, print: encodePrint(copyOf(song)) }),
        file('/music/flac/other.flac', { title: 'Other Song', print: encodePrint(recording()) }),
      ];
      expect(songs(files)).toEqual([
        ['/music/flac/paper-planes.flac', '/music/copy/Track 07.mp3', '/music/rips/01.mp3'],
        ['/music/flac/other.flac'],
      ]);
      expect(songs(files.map((f) => ({ ...f, print: null })))).toHaveLength(4);
    });

    it('keep apart files whose lengths differ by more than 2 s, or whose MusicBrainz ids differ, though the prints match', () => {
      const song = recording();
      const files = [
        file('/a.flac', { title: 'A', mbid: 'b1a9c0e9-d987-4042-ae91-78d6a3267d69', print: encodePrint(song) }),
        file('/b.flac', { title: 'B', mbid: '0f0e5c35-6b22-4e4b-9a73-2c1b1f7e0b11', print: encodePrint(copyOf(song)) }),
        file('/c.flac', { title: 'C', durationMs: 207_000, print: encodePrint(copyOf(song)) }),
        file('/d.flac', { title: 'D', durationMs: 204_500, print: Buffer.from([1, 33, 0, 0]) }),
      ];
      expect(songs(files)).toHaveLength(4);
    });
  });
});
