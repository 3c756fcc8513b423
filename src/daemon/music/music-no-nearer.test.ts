import { afterEach, describe, expect, it } from 'vitest';
import { directorHarness, type DirectorHarness } from '../testing/director-harness.js';
import { roomMoodOf } from '../../kernel/room-mood.js';

// A change of the room's mood cuts the song playing only for one that fits the new mood: where the
// library has none that may play now (none of that mood, or all heard within the repeat window), a
// switch would trade one song that does not fit for another, so the song plays on and the pick for
// the room comes next.

const open: Array<DirectorHarness<string>> = [];

afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

describe('a change of mood with no song that fits it', () => {
  it('lets the song playing end when the library has no song of the new mood, and cuts it once one fits', async () => {
    const h = await directorHarness({ moods: ['calm', 'upbeat'] as const });
    open.push(h);
    await h.settle();
    const before = h.player.state().current;
    expect(h.moodOf(before?.track.id)).toBe('calm');
    // Angry wants powerful music: the library has none, so nothing it could switch to fits better.
    await h.settle(h.director.roomMoodChanged(roomMoodOf('angry')));
    expect(h.player.state().current?.key).toBe(before?.key);
    expect(h.store.plays.list({}).items.filter((p) => p.outcome === 'switched')).toEqual([]);
    // Happy wants upbeat music, which the library has: the calm song is switched for an upbeat one.
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    expect(h.moodOf(h.player.state().current?.track.id)).toBe('upbeat');
    expect(
      h.store.plays
        .list({})
        .items.filter((p) => p.outcome === 'switched')
        .map((p) => p.trackId),
    ).toEqual([before?.track.id]);
  });
});
