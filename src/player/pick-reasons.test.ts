import { describe, expect, it } from 'vitest';
import { seededRandom } from '../kernel/random.js';
import { saidIdsOf, saidInEnglish } from '../kernel/testing/said-in-english.js';
import { MUSIC_WORDS, PICK_REASONS, PLAY_REASONS, type Reason } from './pick-reasons.js';
import { Recommender, type RecommendRequest } from './recommender.js';
import { syntheticLibrary } from './testing/synthetic-library.js';
import { DAYPARTS, describeFeature, featureSaid } from './taste/features.js';
import { emptyModel, type TasteModel } from './taste/logistic.js';
import { TrackIndex } from './track-index.js';

// Why a song plays travels twice (issue 57): in English (`text`, the history and the API) and as a
// message of the screens' catalogues (`said`). The English catalogue must say exactly `text`, for
// every reason the recommender, the taste model and the music can give, or the two drift apart.

const NOW = Date.UTC(2026, 5, 1, 12);
const library = syntheticLibrary({ tracks: 600, seed: 5 });
const index = new TrackIndex(library);

/** A taste model that knows one thing for sure: `feature` raises the odds. */
function knows(feature: string, weight = 3): TasteModel {
  return { ...emptyModel(), weights: { [feature]: weight }, examples: 1000 };
}

/** Every reason the recommender gives over a spread of requests: the room's moods, lifts, a listener's taste, learned tastes, a library with gaps. */
function recommenderReasons(): Reason[] {
  const out: Reason[] = [];
  const ask = (recommender: Recommender, request: Omit<RecommendRequest, 'now'>, seeds = 8): void => {
    for (let seed = 1; seed <= seeds; seed++) {
      const r = recommender.recommend({ ...request, now: NOW }, seededRandom(seed));
      for (const pick of [r.next, ...r.suggestions]) if (pick !== undefined) out.push(pick.reason);
    }
  };
  const recommender = new Recommender(index);
  for (const mood of ['calm', 'upbeat', 'mellow', 'power']) ask(recommender, { mood });
  ask(recommender, { mood: 'mellow', policy: { kind: 'lift', target: 'upbeat' } });
  ask(recommender, { mood: 'upbeat', policy: { kind: 'lift', target: 'upbeat' } });
  const calm = library.filter((t) => t.moods[0]?.mood === 'calm');
  ask(recommender, { mood: 'calm', listener: { likedTrackIds: calm.slice(0, 40).map((t) => t.id) } });
  ask(recommender, { mood: 'calm', listener: { artists: [...new Set(calm.map((t) => t.artist))].slice(0, 20) } });
  ask(recommender, { mood: 'calm', listener: { languages: ['fr', 'en', 'de'] } });
  const learned = ['artist:artist 1', 'language:fr', 'language:-', 'mood:calm', 'energy:afternoon', 'liked', 'skipped', 'heard'];
  for (const feature of learned) {
    for (const whose of ['person', 'room'] as const) {
      const weight = feature === 'energy:afternoon' ? -3 : 3;
      ask(recommender, {
        mood: 'calm',
        learned: { [whose]: knows(feature, weight) },
        listener: { likedTrackIds: calm.slice(0, 60).map((t) => t.id), skippedTrackIds: calm.slice(60, 120).map((t) => t.id) },
        history: calm.slice(120, 180).map((t, k) => ({ trackId: t.id, startedAt: NOW - (k + 200) * 60 * 60_000 })),
      });
    }
  }
  // Few songs fit: a small library the rules soon run out of, and one with no song of the room's mood at all.
  const smallLibrary = library.filter((t) => t.moods.length === 1).slice(0, 12);
  const small = new Recommender(new TrackIndex(smallLibrary));
  ask(small, { mood: 'calm', suggestions: 10 });
  // Every song of the small library played lately: the songs heard longest ago, then the last few plays kept back.
  const smallHistory = smallLibrary.map((t, k) => ({ trackId: t.id, startedAt: NOW - (k + 1) * 60_000 }));
  ask(small, { mood: 'calm', suggestions: 10, history: smallHistory });
  const noEnergetic = new Recommender(new TrackIndex(library.filter((t) => t.moods.every((m) => m.mood !== 'energetic'))));
  ask(noEnergetic, { mood: 'energetic' });
  ask(new Recommender(new TrackIndex([{ id: 1, artist: 'A', language: '', moods: [] }, ...library.slice(0, 3)])), { mood: 'calm' });
  return out;
}

describe('why a song plays, as a message of the screens', () => {
  const fromRecommender = recommenderReasons();

  it('says in English exactly what the recommender says, for every reason it gives', () => {
    const mismatches = fromRecommender.filter((r) => saidInEnglish(r.said) !== r.text).map((r) => [r.text, saidInEnglish(r.said)]);
    expect(mismatches).toEqual([]);
    // The requests above reach every kind of reason.
    const ids = new Set(fromRecommender.map((r) => r.said.id));
    for (const id of [
      'pick.fits',
      'pick.fitsAsOwn',
      'pick.liked',
      'pick.artist',
      'pick.language',
      'pick.liftStep',
      'pick.liftReached',
      'pick.noSongsFit',
      'pick.fewNear',
    ])
      expect(ids).toContain(id);
    expect([...ids].some((id) => id === 'pick.ownMood' || id === 'pick.nearMood')).toBe(true);
    expect([...ids].filter((id) => id.startsWith('learned.')).length).toBeGreaterThanOrEqual(8);
  });

  it("says every reason of the taste model, the music's own and each mood word in English as the English text", () => {
    const reasons: Reason[] = [
      ...Object.values(PLAY_REASONS).filter((r): r is Reason => typeof r === 'object'),
      PLAY_REASONS.spotify('calm', 'calm'),
      PLAY_REASONS.spotify('calm', 'upbeat'),
      PLAY_REASONS.spotify('Sunday brunch', 'calm'),
      PICK_REASONS.fallback(undefined, 'calm'),
      PICK_REASONS.fallback('calm', 'calm'),
      PICK_REASONS.fallback('mellow', 'calm'),
      PICK_REASONS.fallback('rainy day', 'calm'),
      PICK_REASONS.noSongsFit('rainy day', 'calm'),
      ...MUSIC_WORDS.map((mood) => PICK_REASONS.fits(mood)),
    ];
    const features = [
      'artist:nina simone',
      'language:-',
      'language:fr',
      'mood:mellow',
      'mood:rainy day',
      'fit',
      'liked',
      'skipped',
      'heard',
      'fresh',
      'odd',
    ];
    for (const whose of ['person', 'room'] as const) {
      for (const name of [...features, ...DAYPARTS.map((d) => `energy:${d}`)]) {
        for (const value of [0.5, -0.5]) {
          reasons.push(PICK_REASONS.learned(describeFeature(name, value, whose), featureSaid(name, value, whose), 'calm'));
        }
      }
    }
    expect(reasons.filter((r) => saidInEnglish(r.said) !== r.text).map((r) => [r.text, saidInEnglish(r.said)])).toEqual([]);
    // Every message of these sections is one the code says.
    const said = new Set([...reasons, ...fromRecommender].map((r) => r.said.id));
    for (const section of ['pick', 'learned', 'play']) for (const id of saidIdsOf(section)) expect(said).toContain(id);
  });
});
