import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../kernel/clock.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { seededRandom } from '../../kernel/random.js';
import { ANALYSIS_VERSION, moodsFromPlane } from '../../player/analysis/analyze-audio.js';
import { ForkedAnalysisWorker } from '../../player/library/analysis-worker.js';
import { LibraryAnalyzer } from '../../player/library/library-analyzer.js';
import { MusicMetadataTagReader } from '../../player/library/music-metadata-tag-reader.js';
import { LibraryScanner } from '../../player/library/scanner.js';
import { makeTone } from '../../player/testing/tones.js';
import { loadConfig } from '../config/load-config.js';
import type { MoodboxBus } from '../events.js';
import { GuestSongs } from '../guests/guest-songs.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { BlockedMusic } from './blocked-music.js';
import { LibraryService } from './library-service.js';
import { MusicCatalogue } from './music-catalogue.js';
import { recommendFor } from './recommend-for.js';
import { actors } from '../store/audit.js';

const log = pino({ level: 'silent' });
let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-recordings-'));
  store = openSqliteStore({ clock: systemClock, log }, { path: join(dir, 'moodbox.db') });
});

afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

/** One recording three times in two folders (a FLAC, its MP3, a re-tagged MP3 copy), and one other song. */
async function library(): Promise<{ albums: string; copies: string }> {
  const albums = join(dir, 'albums');
  const copies = join(dir, 'copies');
  // Long enough to be picked by the music itself.
  const song = { hz: 440, seconds: 31 };
  await Promise.all([
    makeTone(albums, { file: 'Lemon Fizz.flac', ...song, tags: { title: 'Lemon Fizz', artist: 'The Pulse Engine', genre: 'Ambient' } }),
    makeTone(albums, { file: 'Lemon Fizz.mp3', ...song, tags: { title: 'Lemon Fizz', artist: 'The Pulse Engine', genre: 'Ambient' } }),
    makeTone(copies, { file: '07 lemon fizz.mp3', ...song, tags: { title: 'LEMON FIZZ', artist: 'Pulse Engine', album: 'Best of' } }),
    makeTone(albums, { file: 'Other.flac', hz: 660, seconds: 35, tags: { title: 'Other', artist: 'The Pulse Engine', genre: 'Ambient' } }),
  ]);
  return { albums, copies };
}

function setup(folders: string[], options: { analyzer?: LibraryAnalyzer } = {}) {
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const service = new LibraryService(
    {
      ...(options.analyzer === undefined ? {} : { analyzer: options.analyzer }),
      scanner: new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock: systemClock }, { coversDir: join(dir, 'covers') }),
      clock: systemClock,
      log,
      bus,
      count: () => store.tracks.count(),
      folders: () => folders,
      store,
    },
    { scanAtStart: false },
  );
  const blocks = new BlockedMusic({ clock: systemClock, log, bus, store, explicit: () => 'play' });
  void blocks.start(); // its subscriptions are made before it returns
  const catalogue = new MusicCatalogue({ log, store, blocked: (t) => blocks.reasonFor(t) });
  const config = loadConfig({ env: {} }).config;
  const guests = new GuestSongs({ store, settings: () => config, isBlocked: (t) => blocks.reasonFor(t) !== null });
  /** Every track the music picks or suggests over 100 seeded picks. */
  const picked = (): Set<number> => {
    catalogue.reload();
    const random = seededRandom(5);
    const seen = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const r = recommendFor({ store, clock: systemClock, random, recommender: catalogue.recommender }, { scores: {}, moods: { calm: 1 } });
      for (const id of [r.next?.trackId, ...r.suggestions.map((s) => s.trackId)]) if (id !== undefined) seen.add(id);
    }
    return seen;
  };
  return { service, blocks, catalogue, guests, picked };
}

const idOf = (uri: string): number => store.tracks.byUri(uri)?.id ?? -1;

/** Every file calm, so that each could be picked for a calm room. */
function tagAllCalm(): void {
  for (const t of store.tracks.list({ includeCopies: true }).items)
    store.tracks.setMoods(t.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
}

describe('copies of one recording', () => {
  it('are one song in the library, its search and the picks, played from the lossless file, with its files listed', async () => {
    const { albums, copies } = await library();
    const { service, guests, picked } = setup([albums, copies]);
    await service.scan();
    tagAllCalm();
    const flac = idOf(join(albums, 'Lemon Fizz.flac'));

    const page = store.tracks.list({ search: 'lemon' });
    expect(page.total).toBe(1);
    expect(page.items.map((t) => t.id)).toEqual([flac]);
    expect(store.tracks.count()).toBe(2);
    expect(store.tracks.fileCounts([flac]).get(flac)).toBe(3);
    expect(store.tracks.filesOf(idOf(join(copies, '07 lemon fizz.mp3'))).map((t) => t.uri)).toEqual([
      join(albums, 'Lemon Fizz.flac'),
      join(albums, 'Lemon Fizz.mp3'),
      join(copies, '07 lemon fizz.mp3'),
    ]);
    expect(guests.search('lemon').map((t) => t.id)).toEqual([flac]);
    expect([...picked()].sort()).toEqual([flac, idOf(join(albums, 'Other.flac'))].sort());
  });

  it('are blocked together, whichever file the block was made on, and stay blocked when the owner picks another file', async () => {
    const { albums, copies } = await library();
    const { service, blocks, catalogue, guests, picked } = setup([albums, copies]);
    await service.scan();
    tagAllCalm();
    expect(picked()).toContain(idOf(join(albums, 'Lemon Fizz.flac')));
    const files = ['Lemon Fizz.flac', 'Lemon Fizz.mp3']
      .map((f) => join(albums, f))
      .concat(join(copies, '07 lemon fizz.mp3'))
      .map(idOf);

    blocks.blockSong(files[2] as number, actors.admin(1));
    for (const id of files) {
      expect(blocks.reasonFor({ id, artist: 'The Pulse Engine' })).toBe('song');
      expect(guests.mayAskFor(id)).toBe(false);
      const track = store.tracks.get(id);
      expect(() => track && catalogue.mayPlay(track)).toThrow(/does not play here: it is blocked on this box/);
    }
    expect(guests.search('lemon')).toEqual([]);
    for (const id of files) expect(picked()).not.toContain(id);

    // The owner plays the MP3 instead: it is the song now, blocked still.
    store.tracks.prefer(files[1] as number);
    await service.scan();
    expect(store.tracks.list({ search: 'lemon' }).items.map((t) => t.id)).toEqual([files[1]]);
    expect(blocks.reasonFor({ id: files[1] as number, artist: 'The Pulse Engine' })).toBe('song');
  });

  it('stay one song when the file that played is gone: another copy plays', async () => {
    const { albums, copies } = await library();
    const { service } = setup([albums, copies]);
    await service.scan();
    await rm(join(albums, 'Lemon Fizz.flac'));
    await service.scan();
    const page = store.tracks.list({ search: 'lemon' });
    expect(page.total).toBe(1);
    const [song] = page.items;
    expect(song?.uri).toMatch(/\.mp3$/);
    expect(store.tracks.fileCounts([song?.id ?? -1]).get(song?.id ?? -1)).toBe(2);
  });

  it('are one song once heard, though a copy is tagged beyond recognition; blocking it keeps every copy out', async () => {
    // A real piece (the demo's), as an owner's folders hold it: a FLAC and its MP3 tagged alike, and a copy whose tags say nothing.
    const albums = join(dir, 'albums');
    const copies = join(dir, 'copies');
    await Promise.all([mkdir(albums), mkdir(copies)]);
    const demo = (name: string): string => join(import.meta.dirname, '../../../demo/library', `${name}.ogg`);
    const encode = (from: string, to: string, title: string, artist: string, ...codec: string[]) =>
      promisify(execFile)('ffmpeg', [
        '-v',
        'error',
        '-i',
        from,
        ...codec,
        '-metadata',
        `title=${title}`,
        '-metadata',
        `artist=${artist}`,
        to,
      ]);
    await Promise.all([
      encode(demo('lemon-fizz'), join(albums, 'Lemon Fizz.flac'), 'Lemon Fizz', 'The Pulse Engine'),
      encode(demo('lemon-fizz'), join(albums, 'Lemon Fizz.mp3'), 'Lemon Fizz', 'The Pulse Engine', '-b:a', '128k'),
      encode(demo('lemon-fizz'), join(copies, 'Track 07.mp3'), 'Track 07', 'Unknown Artist', '-b:a', '192k'),
      encode(demo('paper-planes'), join(albums, 'Paper Planes.flac'), 'Paper Planes', 'The Pulse Engine'),
    ]);
    const worker = new ForkedAnalysisWorker();
    try {
      const analyzer = new LibraryAnalyzer({ store, worker, clock: systemClock, moodsFromPlane }, { version: ANALYSIS_VERSION });
      const { service, blocks, guests, picked } = setup([albums, copies], { analyzer });
      await service.scan();
      await service.analyze();
      tagAllCalm();
      const flac = idOf(join(albums, 'Lemon Fizz.flac'));
      const retagged = idOf(join(copies, 'Track 07.mp3'));
      expect(store.tracks.count()).toBe(2);
      expect(store.tracks.list({ search: 'track 07' }).items).toEqual([]);
      expect(store.tracks.filesOf(retagged).map((t) => t.id)).toEqual([flac, idOf(join(albums, 'Lemon Fizz.mp3')), retagged]);

      blocks.blockSong(retagged, actors.admin(1));
      for (const id of store.tracks.filesOf(flac).map((t) => t.id)) expect(guests.mayAskFor(id)).toBe(false);
      expect([...picked()]).toEqual([idOf(join(albums, 'Paper Planes.flac'))]);
    } finally {
      await worker.close();
    }
  });
});
