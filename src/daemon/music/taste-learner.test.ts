import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { recommendFor } from './recommend-for.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { TasteLearner } from './taste-learner.js';
import { FakeClock } from '../testing/fake-clock.js';
import { PlayRecorder } from '../../player/play-recorder.js';
import { Recommender } from '../../player/recommender.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import { TrackIndex } from '../../player/track-index.js';

const START = Date.UTC(2026, 5, 1, 12);
const silent = { info() {}, warn() {}, error() {} };
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

/** A real SQLite file with one person and 20 calm songs: four by each of five bands. */
function database(): { path: string; clock: FakeClock; open: () => SqliteStore } {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-taste-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'moodbox.db');
  const clock = new FakeClock(START);
  const open = (): SqliteStore => {
    const store = openSqliteStore({ clock, log: silent }, { path });
    cleanup.push(() => store.close());
    return store;
  };
  const store = open();
  store.users.create({ name: 'Ann', role: 'member' });
  for (const band of ['Lakes', 'Pines', 'Reeds', 'Sands', 'Moss']) {
    for (let k = 1; k <= 4; k++) {
      const track = store.tracks.upsert({ uri: `/music/${band}-${k}.flac`, title: `${band} ${k}`, artist: band, language: 'en' });
      store.tracks.setMoods(track.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
    }
  }
  return { path, clock, open };
}

/** The player, the history recorder and the learner, started over `store`, as the daemon wires them. */
async function running(store: SqliteStore, clock: FakeClock) {
  const player = new FakePlayer({ clock }, { trackMs: 3_600_000 });
  const recorder = new PlayRecorder({ player, history: store.plays, clock, log: silent });
  const learner = new TasteLearner({ store, player, clock, log: silent });
  await recorder.start();
  await learner.start();
  cleanup.push(async () => {
    await learner.stop();
    await recorder.stop();
    await player.stop();
  });
  const listen = async (band: string, k: number, how: 'finish' | 'skip' | 'like', userId: number | null): Promise<void> => {
    const track = store.tracks.byUri(`/music/${band}-${k}.flac`);
    if (!track) throw new Error(`no track ${band} ${k}`);
    await player.play([{ track, reason: 'mood', mood: 'calm', userId }]);
    clock.advance(60_000);
    if (how === 'like' && userId !== null) store.plays.recordFeedback({ userId, trackId: track.id, kind: 'like', at: clock.now() });
    if (how === 'skip') await player.next();
    else player.endCurrent();
    clock.advance(1000);
  };
  return { learner, listen };
}

const ann = (store: SqliteStore): number => store.users.byName('Ann')?.id ?? -1;

describe('TasteLearner', () => {
  it("learns a person's and the room's taste from each play, and keeps it across a restart", async () => {
    const { clock, open } = database();
    const store = open();
    const { listen } = await running(store, clock);
    const id = ann(store);
    for (let k = 1; k <= 4; k++) {
      await listen('Lakes', k, k === 2 ? 'like' : 'finish', id);
      await listen('Reeds', k, 'skip', id);
    }
    await listen('Moss', 1, 'finish', null);
    const person = store.taste.get({ userId: id });
    const room = store.taste.get('room');
    expect(person?.weights['artist:lakes']).toBeGreaterThan(0.5);
    expect(person?.weights['artist:reeds']).toBeLessThan(-0.5);
    // Plays with nobody signed in teach the room only.
    expect(person?.weights['artist:moss']).toBeUndefined();
    expect(room?.weights['artist:moss']).toBeGreaterThan(0);
    // Eight plays, one liked (counting double).
    expect(person?.examples).toBe(9);
    expect(room?.examples).toBe(10);

    store.close();
    const reopened = open();
    expect(reopened.taste.get({ userId: id })).toEqual(person);
    expect(reopened.taste.get('room')).toEqual(room);
  });

  it('leans the next picks toward what the person plays through, and says so in the reasons', async () => {
    const { clock, open } = database();
    const store = open();
    const { listen } = await running(store, clock);
    const id = ann(store);
    const recommender = new Recommender(new TrackIndex(store.tracks.allWithMoods()));
    // The fixed weights alone: the same store without its learned tastes.
    const fixed = { settings: store.settings, users: store.users, plays: store.plays };
    const pick = (seed: number, learned = true) =>
      recommendFor(
        { store: learned ? store : fixed, clock, random: seededRandom(seed), recommender },
        { scores: {}, moods: { calm: 1 }, userId: id, suggestions: 4 },
      );
    // Three rounds over two songs of each band; songs 3 and 4 stay out of the repeat window.
    for (let round = 0; round < 3; round++) {
      for (let k = 1; k <= 2; k++) {
        await listen('Pines', k, 'finish', id);
        await listen('Sands', k, 'skip', id);
      }
    }
    // The last artist never comes next: a third band ends the evening.
    await listen('Moss', 1, 'finish', id);
    const artists = new Map<number, string>(store.tracks.allWithMoods().map((t) => [t.id, t.artist]));
    const firsts = (learned: boolean): string[] =>
      Array.from({ length: 60 }, (_, k) => artists.get(pick(k + 1, learned).next?.trackId ?? -1) ?? '');
    const before = firsts(false).filter((a) => a === 'Pines').length;
    const after = firsts(true).filter((a) => a === 'Pines').length;
    expect(after).toBeGreaterThan(1.5 * before);
    const whys = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const r = pick(seed);
      for (const p of [r.next, ...r.suggestions]) if (p && artists.get(p.trackId) === 'Pines') whys.add(p.reason.text);
    }
    expect(whys).toContain('you usually play pines to the end; fits calm');
  });

  it('rebuilds a missing model from the play history on start', async () => {
    const { clock, open } = database();
    const store = open();
    const id = ann(store);
    for (const [band, outcome] of [
      ['Lakes', 'completed'],
      ['Lakes', 'completed'],
      ['Reeds', 'skipped'],
      ['Reeds', 'skipped'],
    ] as const) {
      const track = store.tracks.byUri(`/music/${band}-1.flac`);
      const play = store.plays.start({ trackId: track?.id ?? -1, userId: id, reason: 'mood', mood: 'calm', startedAt: clock.now() });
      clock.advance(120_000);
      store.plays.finish(play.id, outcome, clock.now());
    }
    expect(store.taste.get({ userId: id })).toBeUndefined();
    await running(store, clock);
    expect(store.taste.get({ userId: id })?.weights['artist:lakes']).toBeGreaterThan(0);
    expect(store.taste.get({ userId: id })?.weights['artist:reeds']).toBeLessThan(0);
    expect(store.taste.get('room')?.examples).toBe(4);
  });

  it("forgets a person's taste with the person, and with their history, and keeps the room's", async () => {
    const { clock, open } = database();
    const store = open();
    const { listen } = await running(store, clock);
    const id = ann(store);
    await listen('Lakes', 1, 'finish', id);
    expect(store.taste.get({ userId: id })).toBeDefined();
    store.plays.removeForUser(id);
    expect(store.taste.get({ userId: id })).toBeUndefined();

    await listen('Lakes', 2, 'finish', id);
    expect(store.taste.get({ userId: id })).toBeDefined();
    store.users.delete(id, 'anonymize');
    expect(store.taste.get({ userId: id })).toBeUndefined();
    expect(store.taste.get('room')?.examples).toBe(2);
  });
});
