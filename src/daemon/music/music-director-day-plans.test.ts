import { afterEach, describe, expect, it } from 'vitest';
import { roomMoodOf } from '../../kernel/room-mood.js';
import { directorHarness, type DirectorHarness } from '../testing/director-harness.js';
import type { DayPlan } from './day-plan-policy.js';
import type { PlayerSettings } from './music-director.js';
import { actors } from '../store/audit.js';

// Day plans as the music plays them (issue 40): a block's mood shifts the music's own picks toward
// it, its energy cap keeps loud songs out of them (not out of what a guest or staff choose), its
// volume cap lowers the music, and a block beginning changes the next song, never the one playing.

const MOODS = ['calm', 'upbeat', 'energetic'] as const;
type Mood = (typeof MOODS)[number];
type Harness = DirectorHarness<Mood>;

/** Songs per mood beyond the harness's three: enough that the repeat window never runs a mood dry. */
const MORE_PER_MOOD = 25;

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

const block = (name: string, from: string, to: string, more: Partial<DayPlan> = {}): DayPlan => ({
  name,
  from,
  to,
  mood: '',
  energyCap: 100,
  volumeCap: 100,
  ...more,
});

/** A started director over `MORE_PER_MOOD` + 3 songs of each mood (tagged, so placed where their mood sits), at `start` (UTC). */
async function harness(settings: Partial<PlayerSettings> = {}, start = Date.UTC(2026, 5, 1, 12, 0)): Promise<Harness> {
  const h = await directorHarness({ moods: MOODS, settings, start });
  open.push(h);
  for (const mood of MOODS) {
    for (let i = 0; i < MORE_PER_MOOD; i++) {
      const track = h.store.tracks.upsert({
        uri: `/music/more-${mood}-${i}.flac`,
        title: `${mood} more ${i}`,
        artist: `${mood} band ${i}`,
      });
      h.store.tracks.setMoods(track.id, [{ mood, weight: 1, origin: 'admin' }]);
      h.byMood[mood].push(track.id);
    }
  }
  await h.settle(h.director.libraryChanged());
  return h;
}

/** The moods of the next `songs` songs the music picks by itself, each played to its end. */
async function picks(h: Harness, songs: number): Promise<Array<Mood | undefined>> {
  const heard: Array<Mood | undefined> = [];
  for (let k = 0; k < songs; k++) {
    h.player.endCurrent();
    await h.settle();
    heard.push(h.moodOf(h.player.state().current?.track.id));
  }
  return heard;
}

const share = (moods: ReadonlyArray<Mood | undefined>, mood: Mood): number => moods.filter((m) => m === mood).length / moods.length;

describe('day plans in the music', () => {
  it('shifts the picks toward the block’s mood while the room’s own mood still leads', async () => {
    // Fewer picks than the calm songs: no other mood stands in for a calm one heard within the repeat window.
    const plain = await picks(await harness(), 25);
    const lunch = await picks(await harness({ dayPlans: [block('lunch', '11:30', '14:00', { mood: 'upbeat' })] }), 40);
    // A calm room (nobody read yet) hears calm songs; at lunch, upbeat ones come in, and calm still leads.
    expect(share(plain, 'upbeat')).toBeLessThan(0.05);
    expect(share(lunch, 'upbeat')).toBeGreaterThan(0.2);
    expect(share(lunch, 'calm')).toBeGreaterThan(share(lunch, 'upbeat'));
    expect(share(lunch, 'energetic')).toBeLessThan(0.1);
  });

  it('keeps songs above the energy cap out of the music’s own picks and suggestions, but plays one staff or a guest chooses', async () => {
    const h = await harness({ dayPlans: [block('quiet lunch', '11:30', '14:00', { energyCap: 40 })] });
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    const seen: Array<Mood | undefined> = [];
    for (let k = 0; k < 30; k++) {
      seen.push(h.moodOf(h.player.state().current?.track.id), h.moodOf(h.player.state().upcoming[0]?.track.id));
      for (const s of h.hub.snapshot().data.suggestions) seen.push(h.moodOf(s.id));
      h.player.endCurrent();
      await h.settle();
    }
    // The happy room asks for upbeat and energetic songs (energy 73 and 93): under a cap of 40 only calm ones (20) play.
    expect(seen.length).toBeGreaterThan(200);
    expect(seen.filter((m) => m !== 'calm')).toEqual([]);

    const loud = h.byMood.energetic[0] ?? 0;
    await h.settle(h.director.playNow(loud, actors.admin(1)));
    expect(h.player.state().current?.track.id).toBe(loud);
    const louder = h.byMood.energetic[1] ?? 0;
    await h.settle(h.director.tap(louder, actors.kiosk));
    expect(h.player.state().current?.track.id).toBe(louder);
  });

  it('plays the happy room’s loud songs again once the block ends', async () => {
    const h = await harness({ dayPlans: [block('quiet lunch', '11:30', '12:10', { energyCap: 40 })] });
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    expect(h.moodOf(h.player.state().current?.track.id)).toBe('calm');
    h.clock.advance(10 * 60_000);
    await h.settle();
    expect(h.hub.snapshot().data.dayPlan).toBeNull();
    const after = await picks(h, 6);
    expect(after.every((m) => m === 'upbeat' || m === 'energetic')).toBe(true);
  });

  it('lets the song playing end when a block begins: the next song and the screens follow the block, the volume cap applies at once', async () => {
    const lunch = block('lunch', '12:00', '14:00', { mood: 'calm', energyCap: 40, volumeCap: 50 });
    const h = await harness({ dayPlans: [lunch] }, Date.UTC(2026, 5, 1, 11, 58));
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    const playing = h.player.state().current;
    expect(h.moodOf(playing?.track.id)).not.toBe('calm');
    expect(h.moodOf(h.player.state().upcoming[0]?.track.id)).not.toBe('calm');
    expect(h.hub.snapshot().data.dayPlan).toBeNull();
    expect(h.player.state().volume).toBe(70);

    // 12:00 comes a minute into the song: it plays on, at the block's volume, and the song after it is the block's.
    h.clock.advance(Date.UTC(2026, 5, 1, 12, 0) - h.clock.now());
    await h.settle();
    expect(h.player.state().current?.key).toBe(playing?.key);
    expect(h.store.plays.list({}).items.filter((p) => p.outcome === 'switched')).toHaveLength(1); // the room's change at 11:58, no other
    expect(h.hub.snapshot().data.dayPlan).toEqual(lunch);
    expect(h.player.state().volume).toBe(50);
    expect(h.moodOf(h.player.state().upcoming[0]?.track.id)).toBe('calm');
    h.player.endCurrent();
    await h.settle();
    expect(h.moodOf(h.player.state().current?.track.id)).toBe('calm');
  });

  it('follows blocks edited in the settings: the screens show the block in force, and none once it is removed', async () => {
    const h = await harness();
    expect(h.hub.snapshot().data.dayPlan).toBeNull();
    const lunch = block('lunch', '11:30', '14:00', { mood: 'upbeat' });
    h.settings = { ...h.settings, dayPlans: [lunch] };
    await h.settle(h.director.settingsChanged());
    expect(h.hub.snapshot().data.dayPlan).toEqual(lunch);
    h.settings = { ...h.settings, dayPlans: [] };
    await h.settle(h.director.settingsChanged());
    expect(h.hub.snapshot().data.dayPlan).toBeNull();
  });
});
