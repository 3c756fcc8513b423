import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { seededRandom } from '../../kernel/random.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import type { MoodboxBus } from '../events.js';
import { directorHarness, type DirectorHarness } from '../testing/director-harness.js';
import { buildMusicPart } from '../music-part.js';
import type { MusicDirector } from './music-director.js';
import { MUSIC_STATE_KEY, POSITION_EVERY_MS, RESUME_WITHIN_MS } from './music-memory.js';
import { actors } from '../store/audit.js';

const MINUTE = 60_000;
const MOODS = ['calm', 'upbeat', 'melancholic'] as const;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const open: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function harness(): Promise<DirectorHarness<(typeof MOODS)[number]>> {
  const h = await directorHarness({ moods: MOODS });
  open.push(() => h.close());
  return h;
}

/**
 * The box after a restart: the director stopped as the daemon stops it, `downMs` passed, and a new
 * director on the same database with a new player, as the next start builds them.
 */
async function restart(
  h: DirectorHarness<(typeof MOODS)[number]>,
  downMs = 3_000,
): Promise<{ director: MusicDirector; player: FakePlayer }> {
  await h.settle(h.director.stop());
  h.clock.advance(downMs);
  const player = new FakePlayer({ clock: h.clock }, { trackMs: 180_000, volume: 70 });
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const director = buildMusicPart({
    clock: h.clock,
    random: seededRandom(7),
    log: silent,
    store: h.store,
    player,
    bus,
    listener: () => null,
    settings: () => h.settings,
  }).music;
  h.director = director;
  h.player = player;
  await h.settle(director.start());
  return { director, player };
}

describe('what staff set survives a restart', () => {
  it('a 120-minute hold and the songs staff queued are the same after a restart, and the song resumes where it was', async () => {
    const h = await harness();
    const until = h.clock.now() + 120 * MINUTE;
    await h.settle(h.director.holdMood('sad', 120, actors.admin(1)));
    const [first, second] = h.byMood.upbeat;
    await h.settle(h.director.playNext(first ?? 0, actors.admin(1)));
    await h.settle(h.director.playNext(second ?? 0, actors.admin(1)));
    await h.settle(h.director.setVolume(42, actors.admin(1)));
    h.clock.advance(47_000);
    const before = { ...h.player.state(), staff: h.director.staffView };
    expect(before.upcoming.filter((i) => i.reason === 'staff').map((i) => i.track.id)).toEqual([second, first]);

    const { director, player } = await restart(h);
    const after = player.state();
    expect(director.staffView.hold).toEqual({ label: 'sad', until });
    expect(director.staffView.wantedVolume).toBe(42);
    expect(after.current?.track.id).toBe(before.current?.track.id);
    // Resumed at its place: within the time the test let pass plus the one it was down, never from its start.
    expect(after.positionMs).toBeGreaterThanOrEqual(before.positionMs);
    expect(after.positionMs).toBeLessThan(before.positionMs + POSITION_EVERY_MS);
    expect(after.upcoming.filter((i) => i.reason === 'staff').map((i) => i.track.id)).toEqual([second, first]);

    // The hold still ends when it was to end.
    h.clock.advance(until - h.clock.now() + 1);
    await h.settle();
    expect(director.staffView.hold).toBeNull();
  });

  it('a staff pause holds after a restart, and the song it paused plays on where it was once staff resume', async () => {
    const h = await harness();
    h.clock.advance(30_000);
    const song = h.player.state().current?.track.id;
    await h.settle(h.director.pause(actors.admin(1)));
    const { director, player } = await restart(h);
    expect(director.staffView.isPausedByStaff).toBe(true);
    expect(player.state().current).toBeUndefined();
    await h.settle(director.resume(actors.admin(1)));
    expect(player.state().current?.track.id).toBe(song);
    expect(player.state().positionMs).toBeGreaterThanOrEqual(30_000 - POSITION_EVERY_MS);
  });

  it('a hold that ended while the box was down is not put back, and a song stopped long ago is not resumed', async () => {
    const h = await harness();
    await h.settle(h.director.holdMood('sad', 10, actors.admin(1)));
    h.clock.advance(90_000);
    const { director, player } = await restart(h, RESUME_WITHIN_MS + MINUTE);
    expect(director.staffView.hold).toBeNull();
    // A pick for the room as it is now, from its start (the settling moves the clock a little).
    expect(player.state().current?.reason).toBe('mood');
    expect(player.state().positionMs).toBeLessThan(5_000);
  });

  it('starts afresh, saying so, when the kept state does not fit its shape (a restored backup, an older version)', async () => {
    const h = await harness();
    await h.settle(h.director.stop());
    h.store.settings.set(MUSIC_STATE_KEY, { hold: { label: 'sad', until: 'never' }, staffQueue: ['x'] }, 1);
    const { director, player } = await restart(h);
    expect(director.staffView.hold).toBeNull();
    expect(player.state().current).toBeDefined();
    expect(director.health().status).toBe('ready');
  });

  it('writes the song’s place every few seconds, not every second, and nothing when nothing changed', async () => {
    const h = await harness();
    const writes: unknown[] = [];
    const set = h.store.settings.set.bind(h.store.settings);
    h.store.settings.set = (key, value, at) => {
      if (key === MUSIC_STATE_KEY) writes.push(value);
      set(key, value, at);
    };
    for (let s = 0; s < 60; s++) {
      h.clock.advance(1000);
      h.player.events.emit('positionChanged', { item: h.player.state().current!, positionMs: h.player.state().positionMs });
    }
    expect(writes.length).toBeGreaterThanOrEqual(60_000 / POSITION_EVERY_MS - 1);
    expect(writes.length).toBeLessThanOrEqual(60_000 / POSITION_EVERY_MS + 1);
  });
});
