import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { seededRandom } from '../../kernel/random.js';
import type { MoodboxBus, MoodboxEvents } from '../events.js';
import { GuestSongs } from '../guests/guest-songs.js';
import { loadConfig } from '../config/load-config.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { artistsOf, BlockedMusic, type ExplicitRule } from './blocked-music.js';
import { MusicCatalogue } from './music-catalogue.js';
import { recommendFor } from './recommend-for.js';
import { actors } from '../store/audit.js';

const log = pino({ level: 'silent' });

/** A real SQLite library of calm songs by four artists, one of them with a guest; two songs tagged explicit. */
function setup() {
  const clock = new FakeClock();
  const store = openSqliteStore({ clock, log }, { path: ':memory:' });
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const changes: Array<MoodboxEvents['blocksChanged']> = [];
  bus.on('blocksChanged', (e) => changes.push(e), 'test');
  let rule: ExplicitRule = 'play';
  const add = (title: string, artist: string, explicit?: boolean) => {
    const track = store.tracks.upsert({ uri: `/music/${title}.flac`, title, artist, ...(explicit === undefined ? {} : { explicit }) });
    store.tracks.setMoods(track.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
    return track.id;
  };
  const ids = {
    ann1: add('Morning', 'Ann'),
    ann2: add('Evening', 'Ann'),
    duet: add('Together', 'Bo feat. ANN'),
    bo: add('Alone', 'Bo'),
    cy: add('Loud', 'Cy', true),
    cyClean: add('Loud (clean)', 'Cy', false),
    dee: add('Plain', 'Dee'),
  };
  const blocks = new BlockedMusic({ clock, log, bus, store, explicit: () => rule });
  void blocks.start(); // its subscriptions are made before it returns
  const catalogue = new MusicCatalogue({ log, store, blocked: (t) => blocks.reasonFor(t) });
  catalogue.reload();
  const config = loadConfig({ env: {} }).config;
  const songs = new GuestSongs({ store, settings: () => config, isBlocked: (t) => blocks.reasonFor(t) !== null });
  const setRule = (next: ExplicitRule) => {
    rule = next;
    bus.emit('settingsChanged', { changed: ['music.explicit'] });
  };
  /** Every track the music picks or suggests over 200 seeded picks. */
  const picked = () => {
    catalogue.reload();
    const random = seededRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const r = recommendFor({ store, clock, random, recommender: catalogue.recommender }, { scores: {}, moods: { calm: 1 } });
      for (const id of [r.next?.trackId, ...r.suggestions.map((s) => s.trackId)]) if (id !== undefined) seen.add(id);
    }
    return seen;
  };
  return { store, blocks, catalogue, songs, ids, changes, setRule, picked };
}

describe('blocked songs and artists', () => {
  it('keeps a blocked song out of the picks, the guests’ list and a staff choice, audited, until the block is lifted', () => {
    const { store, blocks, catalogue, songs, ids, changes, picked } = setup();
    expect(picked()).toContain(ids.dee);

    const entry = blocks.blockSong(ids.dee, actors.admin(1));
    expect(entry).toMatchObject({ kind: 'song', trackId: ids.dee, title: 'Plain', artist: 'Dee', createdBy: 'admin:1' });
    expect(changes).toHaveLength(1);
    expect(store.audit.list({}).items[0]).toMatchObject({ actor: 'admin:1', action: 'music.block', target: 'Dee – Plain' });
    expect(picked()).not.toContain(ids.dee);
    expect(songs.mayAskFor(ids.dee)).toBe(false);
    expect(songs.search('Plain')).toEqual([]);
    const track = store.tracks.get(ids.dee);
    expect(() => track && catalogue.mayPlay(track)).toThrow(/“Plain” does not play here: it is blocked on this box/);

    // Blocking it again changes nothing and writes nothing.
    blocks.blockSong(ids.dee, actors.admin(2));
    expect(store.audit.list({}).total).toBe(1);

    blocks.unblock(entry.id, actors.admin(1));
    expect(store.audit.list({}).items[0]).toMatchObject({ action: 'music.unblock', target: 'Dee – Plain' });
    expect(picked()).toContain(ids.dee);
    expect(songs.mayAskFor(ids.dee)).toBe(true);
    expect(() => blocks.unblock(entry.id, actors.admin(1))).toThrow(/lifted already/);
  });

  it('blocks an artist in any case, on songs naming them with others too, but not an artist whose name only contains theirs', () => {
    const { store, blocks, ids, picked } = setup();
    blocks.blockArtist('  ann ', actors.admin(1));
    const seen = picked();
    for (const id of [ids.ann1, ids.ann2, ids.duet]) expect(seen).not.toContain(id);
    expect(seen).toContain(ids.bo);
    expect(blocks.list()).toEqual([expect.objectContaining({ kind: 'artist', artist: 'ann' })]);
    // Artists scanned later are blocked too: the block is by name.
    const later = store.tracks.upsert({ uri: '/music/new.flac', title: 'New', artist: 'Ann & Eve' });
    expect(blocks.reasonFor(later)).toBe('artist');
    expect(blocks.reasonFor({ id: 999, artist: 'Annabel' })).toBeNull();
    expect(() => blocks.blockArtist('   ', actors.admin(1))).toThrow(RangeError);
  });

  it('says how many songs an artist’s block reaches, and when none, the artists spelled nearly so (issue 58: “Pulse Engin”)', () => {
    const { store, blocks } = setup();
    store.tracks.upsert({ uri: '/music/drive.flac', title: 'Drive', artist: 'Pulse Engine' });
    store.tracks.upsert({ uri: '/music/duet.flac', title: 'Duo', artist: 'Pulse Engines & Ann' });
    expect(blocks.artistReach('ANN')).toEqual({ songs: 4, nearest: [] });
    expect(blocks.artistReach('Pulse Engine')).toEqual({ songs: 1, nearest: [] });
    expect(blocks.artistReach('Pulse Engin')).toEqual({ songs: 0, nearest: ['Pulse Engine', 'Pulse Engines'] });
    expect(blocks.artistReach('Metallica')).toEqual({ songs: 0, nearest: [] });
  });

  it('skips songs tagged explicit only while the owner says so, and keeps their clean versions', () => {
    const { blocks, ids, picked, setRule, changes } = setup();
    expect(picked()).toContain(ids.cy);
    expect(blocks.explicitSkipped).toBe(0);
    setRule('skip');
    expect(changes).toHaveLength(1);
    const seen = picked();
    expect(seen).not.toContain(ids.cy);
    expect(seen).toContain(ids.cyClean);
    expect(blocks.reasonFor({ id: ids.cy, artist: 'Cy' })).toBe('explicit');
    expect(blocks.explicitSkipped).toBe(1);
    setRule('play');
    expect(picked()).toContain(ids.cy);
  });

  it('imports a block list as moods.csv is written, reporting lines that match nothing and bad lines', () => {
    const { store, blocks, ids, picked } = setup();
    const csv = '\uFEFFartist,title\r\nBo,Alone\r\n"Cy",\r\nNobody,Nothing\r\n,Orphan\r\n';
    expect(blocks.importList(csv, actors.admin(4))).toEqual({
      songs: 1,
      artists: 1,
      unmatched: [{ line: 4, key: 'Nobody – Nothing' }],
      invalid: [{ line: 5, reason: 'no artist for “Orphan”' }],
    });
    const seen = picked();
    for (const id of [ids.bo, ids.cy, ids.cyClean]) expect(seen).not.toContain(id);
    expect(seen).toContain(ids.duet);
    expect(store.audit.list({}).items[0]).toMatchObject({
      actor: 'admin:4',
      action: 'music.block-import',
      detail: { songs: 1, artists: 1 },
    });
    // The same list again blocks nothing new and writes no audit line.
    expect(blocks.importList(csv, actors.admin(4))).toMatchObject({ songs: 0, artists: 0 });
    expect(store.audit.list({}).total).toBe(1);
    expect(() => blocks.importList('title\nAlone\n', actors.admin(4))).toThrow(/`artist` column/);
  });

  it('refuses an artist or a listed title with a bidirectional override or a control, as a person’s name is (issue 59)', () => {
    const { store, blocks, changes } = setup();
    for (const [artist, shown] of [
      ['Ann\u202E', 'U+202E at character 4'],
      ['\u2066Ann', 'U+2066 at character 1'],
      ['An\u0000n', 'U+0000 at character 3'],
      ['Ann\u001B', 'U+001B at character 4'],
    ] as const) {
      const refusal = `Expected \`artist\` without invisible, control or direction-changing characters, got ${shown}`;
      expect(() => blocks.blockArtist(artist, actors.admin(4))).toThrow(expect.objectContaining({ name: 'RangeError', message: refusal }));
    }
    const csv = 'artist,title\nAnn\u202E,\nBo,Alo\u202Ene\nCy\u0000,\nDee,\n';
    expect(blocks.importList(csv, actors.admin(4))).toMatchObject({
      artists: 1,
      songs: 0,
      invalid: [
        { line: 2, reason: expect.stringMatching(/^Expected `artist` .* got U\+202E at character 4$/) as unknown },
        { line: 3, reason: expect.stringMatching(/^Expected `title` .* got U\+202E at character 4$/) as unknown },
        { line: 4, reason: expect.stringMatching(/^Expected `artist` .* got U\+0000 at character 3$/) as unknown },
      ],
    });
    expect(store.blocks.list().map((b) => (b.kind === 'artist' ? b.artist : b.trackId))).toEqual(['Dee']);
    expect(changes).toHaveLength(1);
  });

  it('keeps its blocks in the database across a restart', () => {
    const { store, blocks, ids } = setup();
    blocks.blockSong(ids.bo, actors.admin(1));
    const again = new BlockedMusic({ clock: new FakeClock(), log, bus: new EventBus(throwingReporter), store, explicit: () => 'play' });
    expect(again.reasonFor({ id: ids.bo, artist: 'Bo' })).toBe('song');
  });
});

describe('artistsOf', () => {
  it('names each artist of a song credited to several', () => {
    expect(artistsOf('Ann feat. Bo & Cy')).toEqual(['ann feat. bo & cy', 'ann', 'bo', 'cy']);
    expect(artistsOf('Simon, Paul; Art / Gar')).toEqual(['simon, paul; art / gar', 'simon', 'paul', 'art', 'gar']);
    expect(artistsOf('Florence and the Machine')).toEqual(['florence and the machine']);
    expect(artistsOf('  ')).toEqual([]);
  });
});
