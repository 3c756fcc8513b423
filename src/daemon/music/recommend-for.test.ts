import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { recommendFor, type RecommendForInput } from './recommend-for.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { DEFAULT_MOODS, DEFAULT_EMOTION_MOODS } from '../../player/moods.js';
import { Recommender } from '../../player/recommender.js';
import { TrackIndex } from '../../player/track-index.js';

const silent = { info() {}, warn() {} };
const open: SqliteStore[] = [];

afterEach(() => {
  for (const store of open.splice(0)) store.close();
});

/** A real in-memory store with three tracks per built-in mood, each by its own artist. */
function library(): { store: SqliteStore; clock: FakeClock; ids: Map<string, number[]>; moodOf: (id: number) => string } {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 12));
  const store = openSqliteStore({ clock, log: silent }, { path: ':memory:' });
  open.push(store);
  const ids = new Map<string, number[]>();
  for (const mood of DEFAULT_MOODS) {
    for (let i = 1; i <= 3; i++) {
      const track = store.tracks.upsert({ uri: `/music/${mood}-${i}.flac`, title: `${mood} ${i}`, artist: `${mood} artist ${i}` });
      store.tracks.setMoods(track.id, [{ mood, weight: 1, origin: 'admin' }]);
      ids.set(mood, [...(ids.get(mood) ?? []), track.id]);
    }
  }
  const moodOf = (id: number): string => store.tracks.moods(id)[0]?.mood ?? '';
  return { store, clock, ids, moodOf };
}

function recommend(lib: ReturnType<typeof library>, input: RecommendForInput, seed = 1) {
  const recommender = new Recommender(new TrackIndex(lib.store.tracks.allWithMoods()));
  return recommendFor({ store: lib.store, clock: lib.clock, random: seededRandom(seed), recommender }, input);
}

describe('recommendFor', () => {
  it("blends the room's emotion scores through the emotion → mood table: moods of both emotions count", () => {
    const lib = library();
    const blended = recommend(lib, { scores: { happy: 0.6, sad: 0.4 } });
    // happy → upbeat 1, energetic 0.4; sad → mellow 1: each emotion's share split by its moods' weights.
    expect(Object.keys(blended.room).sort()).toEqual(['energetic', 'mellow', 'upbeat']);
    expect(blended.room['upbeat']).toBeCloseTo(0.6 / 1.4);
    expect(blended.room['energetic']).toBeCloseTo((0.6 * 0.4) / 1.4);
    expect(blended.room['mellow']).toBeCloseTo(0.4);
    expect(blended.aim).toBe('upbeat');
    // Over many draws the picks come from both emotions' moods.
    const picked = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const result = recommend(lib, { scores: { happy: 0.6, sad: 0.4 }, suggestions: 0 }, seed);
      picked.add(lib.moodOf(result.next?.trackId ?? 0));
    }
    expect(picked).toContain('mellow');
    expect(picked).toContain('upbeat');
    // A one-hot of the strongest emotion alone leaves the other out.
    expect(Object.keys(recommend(lib, { scores: { happy: 1 } }).room).sort()).toEqual(['energetic', 'upbeat']);
  });

  it('picks for a neutral room when nobody has been read', () => {
    const lib = library();
    for (const scores of [{}, { sad: 0 }]) {
      const result = recommend(lib, { scores });
      expect(result.room).toEqual({ calm: 1 });
      expect(lib.moodOf(result.next?.trackId ?? 0)).toBe('calm');
    }
  });

  it('lifts toward the strongest emotion’s target, and matches when it has none', () => {
    const lib = library();
    const sad = recommend(lib, { scores: { sad: 0.7, happy: 0.3 }, policy: 'lift' });
    expect(sad.next?.reason).toMatchObject({ kind: 'lift', text: expect.stringMatching(/toward uplifting/) as string, whose: 'room' });
    const happy = recommend(lib, { scores: { happy: 0.7, sad: 0.3 }, policy: 'lift' });
    expect(happy.aim).toBe('upbeat');
    expect(happy.next?.reason.kind).toBe('mood');
    expect(recommend(lib, { scores: { happy: 1 }, policy: 'lift', liftTo: 'calm' }).next?.reason.text).toMatch(/toward calm/);
  });

  it("uses the table it is given, a mood named directly, the listener's likes and the room's last play", () => {
    const lib = library();
    const recommender = new Recommender(new TrackIndex(lib.store.tracks.allWithMoods()));
    const table = { ...DEFAULT_EMOTION_MOODS, happy: { moods: { power: 1 } } };
    const deps = { store: lib.store, clock: lib.clock, random: seededRandom(1), recommender, emotionMoods: table };
    expect(recommendFor(deps, { scores: { happy: 1 } }).room).toEqual({ power: 1 });
    expect(recommend(lib, { scores: { happy: 1 }, moods: { mellow: 2 } }).room).toEqual({ mellow: 2 });

    const [liked] = lib.ids.get('calm') ?? [];
    const user = lib.store.users.create({ name: 'Ana', role: 'member' });
    lib.store.plays.recordFeedback({ userId: user.id, trackId: liked ?? 0, kind: 'like', at: 1 });
    const picks = recommend(lib, { scores: { neutral: 1 }, userId: user.id, suggestions: 2 });
    expect([picks.next, ...picks.suggestions].find((p) => p?.trackId === liked)?.reason.kind).toBe('liked');

    lib.store.plays.start({ trackId: liked ?? 0, reason: 'mood', startedAt: lib.clock.now() - 60_000 });
    for (let seed = 1; seed <= 20; seed++) expect(recommend(lib, { scores: { neutral: 1 } }, seed).next?.trackId).not.toBe(liked);
  });
});
