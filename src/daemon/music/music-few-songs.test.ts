import { afterEach, describe, expect, it } from 'vitest';
import { actors } from '../store/audit.js';
import { directorHarness, type DirectorHarness } from '../testing/director-harness.js';

// A small library that lacks the mood aimed at: twelve pieces of one artist, eleven calm and one
// of another mood, while staff hold a happy room (upbeat music) for an hour.

type Mood = 'calm' | 'uplifting' | 'power';
/** Why the music's own pick plays on a box without a camera, before the hold. */
const DEFAULT_MOOD = 'follows the default mood, calm, with no reading of the room';
let h: DirectorHarness<Mood> | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Twelve plays of the held mood, then twelve more: each song's id and why it played. */
async function holdHappyOver(other: Exclude<Mood, 'calm'>): Promise<{ plays: Array<{ id: number; note: string }>; other: number }> {
  const box = (h = await directorHarness<Mood>({ moods: ['calm', 'uplifting', 'power'], tracks: false }));
  const add = (title: string, mood: Mood): number => {
    const track = box.store.tracks.upsert({ uri: `/music/${title}.ogg`, title, artist: 'Moodbox Synth', durationMs: 30_000 });
    box.store.tracks.setMoods(track.id, [{ mood, weight: 1, origin: 'admin' }]);
    return track.id;
  };
  for (let n = 1; n <= 11; n++) add(`Calm piece ${n}`, 'calm');
  const bells = add('Happy Bells', other);
  await box.settle(box.director.libraryChanged());
  await box.settle(box.director.holdMood('happy', 60, actors.admin(1)));
  const plays: Array<{ id: number; note: string }> = [];
  for (let song = 0; song < 24; song++) {
    const current = box.player.state().current;
    if (current !== undefined) plays.push({ id: current.track.id, note: current.note });
    box.player.endCurrent();
    await box.settle();
  }
  return { plays, other: bells };
}

/** Whether no song comes back within twelve plays (the library's size). */
function repeatsWithinTwelve(plays: ReadonlyArray<{ id: number }>): boolean {
  for (let k = 0; k + 12 <= plays.length; k++) if (new Set(plays.slice(k, k + 12).map((p) => p.id)).size < 12) return true;
  return false;
}

describe('a held mood few songs fit', () => {
  it('plays every song of the library before any again, the calm ones saying they are far from it', async () => {
    const { plays, other } = await holdHappyOver('uplifting');
    expect(plays).toHaveLength(24);
    expect(repeatsWithinTwelve(plays)).toBe(false);
    // The calm song playing when the hold began plays on (no song it could switch to fits better), as
    // picked before it: with no camera, for the default mood.
    expect(plays[0]?.note).toBe(DEFAULT_MOOD);
    for (const { id, note } of plays.slice(1)) {
      // Happy Bells is the one song near the aim, and says so; a calm song never claims to be near it.
      expect(note).toBe(id === other ? 'uplifting, near upbeat' : 'calm: few songs near upbeat can play now');
    }
  });

  it("with no song of the mood, plays the nearest mood's song no more often than the rest, and only that one says it is the nearest", async () => {
    const { plays, other } = await holdHappyOver('power');
    expect(plays).toHaveLength(24);
    expect(repeatsWithinTwelve(plays)).toBe(false);
    expect(plays[0]?.note).toBe(DEFAULT_MOOD);
    for (const { id, note } of plays.slice(1)) {
      expect(note).toBe(id === other ? 'no songs fit upbeat: power, the nearest mood' : 'calm: few songs near upbeat can play now');
    }
  });
});
