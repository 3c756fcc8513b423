import { afterEach, describe, expect, it } from 'vitest';
import { directorHarness, type DirectorHarness } from '../testing/director-harness.js';
import { roomMoodOf } from '../../kernel/room-mood.js';
import { actors } from '../store/audit.js';

const MOODS = ['calm', 'upbeat', 'mellow'] as const;

type Harness = DirectorHarness<(typeof MOODS)[number]>;

const open: Harness[] = [];

afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function harness(settings: Parameters<typeof directorHarness>[0]['settings'] = {}): Promise<Harness> {
  const h = await directorHarness({ moods: MOODS, settings });
  open.push(h);
  return h;
}

describe('MusicDirector without the camera (issue 38)', () => {
  it('stops following the reading from before the camera went off: the song plays on, what comes next is picked as with no camera', async () => {
    const h = await harness();
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    const happy = h.player.state().current;
    expect(h.moodOf(h.player.state().upcoming[0]?.track.id)).toBe('upbeat');

    // The camera stopped seeing: nothing is known of the room.
    await h.settle(h.director.roomMoodChanged(null));
    expect(h.player.state().current?.key).toBe(happy?.key);
    expect(h.moodOf(h.player.state().upcoming[0]?.track.id)).toBe('calm');
    expect(h.player.state().upcoming[0]?.mood ?? null).toBeNull();
  });

  it('is not idle when the camera goes off while nobody was there: the box plays as one without a camera, at the volume asked for', async () => {
    const h = await harness({ idle: { behaviour: 'silence', volume: 30 } });
    await h.settle(h.director.roomMoodChanged(roomMoodOf('nobody')));
    expect(h.player.state().isPaused).toBe(true);
    await h.settle(h.director.roomMoodChanged(null));
    expect(h.player.state().isPaused).toBe(false);
    expect(h.player.state().volume).toBe(70);
    expect(h.director.health().detail).not.toMatch(/silent/);
  });
});

describe('MusicDirector volume as the screens and Home Assistant read it (issue 38)', () => {
  it('says where the volume is heading through a change of song, never a step of its fades', async () => {
    const h = await harness();
    await h.settle();
    const said: number[] = [];
    h.bus.on('playbackChanged', ({ volume }) => void said.push(volume), 'test');
    const heard: number[] = [];
    h.player.events.on('volumeChanged', ({ volume }) => void heard.push(volume), 'test');
    await h.settle(h.director.playNow(h.byMood.mellow[0] ?? 0, actors.admin(1)));
    await h.settle();
    // The player went down and up again; what was said stayed at 70.
    expect(Math.min(...heard)).toBeLessThan(70);
    expect(said.length).toBeGreaterThan(0);
    expect([...new Set(said)]).toEqual([70]);
  });
});
