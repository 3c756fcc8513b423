import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import { Recommender, type CandidateTrack, type RecommendRequest } from '../recommender.js';
import { TrackIndex } from '../track-index.js';
import { tasteFeatures, trackTaste, type TasteInput } from './features.js';
import { emptyModel, learn, parseModel, predict, type TasteModel } from './logistic.js';

const NOW = Date.UTC(2026, 5, 1, 12);

/** 40 artists of 6 calm tracks each, half in English, half in French. */
const library: CandidateTrack[] = Array.from({ length: 240 }, (_, k) => ({
  id: k + 1,
  artist: `Artist ${Math.floor(k / 6)}`,
  language: Math.floor(k / 6) % 2 === 0 ? 'en' : 'fr',
  moods: [{ mood: 'calm', weight: 1 }],
}));
const index = new TrackIndex(library);
const artistOf = (id: number): string => library[id - 1]?.artist.toLowerCase() ?? '';

function features(track: CandidateTrack): ReturnType<typeof tasteFeatures> {
  const input: TasteInput = { ...trackTaste(track, 'calm'), liked: false, skipped: false, heard: false, daypart: 'afternoon' };
  return tasteFeatures(input);
}

/** The picks of `draws` recommendations (next and suggestions), one seed each. */
function picks(request: Omit<RecommendRequest, 'now'>, draws = 60): number[] {
  const recommender = new Recommender(index);
  const out: number[] = [];
  for (let seed = 1; seed <= draws; seed++) {
    const r = recommender.recommend({ ...request, now: NOW }, seededRandom(seed));
    for (const p of [r.next, ...r.suggestions]) if (p) out.push(p.trackId);
  }
  return out;
}

/** A model taught that `liked` artists' songs are liked (as the learner counts a like: double) and `skipped` artists' songs skipped, `rounds` times over. */
function taught(liked: readonly string[], skipped: readonly string[], rounds: number): TasteModel {
  const model = emptyModel();
  for (let r = 0; r < rounds; r++) {
    for (const track of library) {
      const artist = artistOf(track.id);
      if (liked.includes(artist)) learn(model, features(track), 1, 2);
      if (skipped.includes(artist)) learn(model, features(track), 0);
    }
  }
  return model;
}

describe('the logistic taste model', () => {
  it('learns a hidden preference from synthetic outcomes: French songs finish, English ones are skipped', () => {
    const model = emptyModel();
    const random = seededRandom(3);
    for (let n = 0; n < 2000; n++) {
      const track = library[random.int(library.length)] as CandidateTrack;
      // The hidden listener finishes 85% of French songs and 20% of English ones.
      const finishes = random.next() < (track.language === 'fr' ? 0.85 : 0.2);
      learn(model, features(track), finishes ? 1 : 0);
    }
    const fr = predict(model, features(library[6] as CandidateTrack));
    const en = predict(model, features(library[0] as CandidateTrack));
    expect(fr).toBeGreaterThan(0.7);
    expect(en).toBeLessThan(0.35);
    expect(model.weights['language:fr'] ?? 0).toBeGreaterThan(model.weights['language:en'] ?? 0);
    expect(model.examples).toBe(2000);
  });

  it('refuses a broken stored model, naming the field', () => {
    expect(() => parseModel({ weights: { fit: 'x' }, examples: 1 })).toThrow(/model\.weights\.fit/);
    expect(() => parseModel({ weights: {}, examples: -1 })).toThrow(/model\.examples/);
    expect(() => learn(emptyModel(), { fit: 1 }, 1, 0)).toThrow(/weight/);
  });
});

describe('the recommender with a learned taste', () => {
  it('picks exactly as today when nothing was learned, for the same seed', () => {
    const request = { mood: 'calm', listener: { likedTrackIds: [3], skippedTrackIds: [9] } };
    const today = new Recommender(index).recommend({ ...request, now: NOW }, seededRandom(11));
    const empty = new Recommender(index).recommend(
      { ...request, now: NOW, learned: { person: emptyModel(), room: emptyModel() } },
      seededRandom(11),
    );
    const none = new Recommender(index).recommend({ ...request, now: NOW, learned: {} }, seededRandom(11));
    expect(empty).toEqual(today);
    expect(none).toEqual(today);
  });

  it('leans toward artists played to the end and away from skipped ones after a few plays', () => {
    const liked = ['artist 2', 'artist 5'];
    const skipped = ['artist 3', 'artist 8'];
    const share = (ids: number[], artists: readonly string[]): number =>
      ids.filter((id) => artists.includes(artistOf(id))).length / ids.length;
    const before = picks({ mood: 'calm' });
    // Each of their six songs once: six likes per liked artist, six skips per skipped one.
    const after = picks({ mood: 'calm', learned: { person: taught(liked, skipped, 1) } });
    expect(share(before, liked)).toBeLessThan(0.06);
    expect(share(after, liked)).toBeGreaterThan(2 * share(before, liked));
    expect(share(after, skipped)).toBeLessThan(share(before, skipped) / 2);
  });

  it('says why in plain words, naming the learned factor and whose taste it is', () => {
    const model = taught(['artist 2'], ['artist 4'], 1);
    const whys = (learned: RecommendRequest['learned']): Map<string, Set<string>> => {
      const out = new Map<string, Set<string>>();
      for (let seed = 1; seed <= 20; seed++) {
        const r = new Recommender(index).recommend({ mood: 'calm', now: NOW, ...(learned ? { learned } : {}) }, seededRandom(seed));
        for (const p of [r.next, ...r.suggestions]) {
          if (!p) continue;
          const artist = artistOf(p.trackId);
          out.set(artist, (out.get(artist) ?? new Set()).add(`${p.reason.whose}: ${p.reason.text}`));
        }
      }
      return out;
    };
    expect([...(whys({ person: model }).get('artist 2') ?? [])]).toEqual(['person: you usually play artist 2 to the end; fits calm']);
    expect([...(whys({ room: model }).get('artist 2') ?? [])]).toEqual(['room: artist 2 usually plays to the end here; fits calm']);
    // Other artists, and the same artist with nothing learned, keep the reason they had.
    expect([...(whys({ person: model }).get('artist 6') ?? [])]).toEqual(['room: fits calm']);
    expect([...(whys(undefined).get('artist 2') ?? [])]).toEqual(['room: fits calm']);
  });

  it('stays deterministic for a seed with a learned taste', () => {
    const learned = { person: taught(['artist 2'], ['artist 3'], 1) };
    const a = new Recommender(index).recommend({ mood: 'calm', now: NOW, learned }, seededRandom(9));
    const b = new Recommender(index).recommend({ mood: 'calm', now: NOW, learned }, seededRandom(9));
    expect(b).toEqual(a);
  });
});
