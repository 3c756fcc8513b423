import { afterEach, describe, expect, it } from 'vitest';
import { FakeMusicSource } from '../../player/testing/fake-music-source.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import { LocalMusicSource, type MusicSourceMode } from '../../player/sources/music-source.js';
import { MusicSources } from '../../player/sources/music-sources.js';
import { loadConfig } from '../config/load-config.js';
import type { MoodboxBus } from '../events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { seededRandom } from '../../kernel/random.js';
import { buildMusicPart } from '../music-part.js';
import type { MusicDirector } from './music-director.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { settler, SWITCH_AT_ONCE } from '../testing/director-harness.js';
import { FakeClock } from '../testing/fake-clock.js';
import { roomMoodOf } from '../../kernel/room-mood.js';
import { actors } from '../store/audit.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
// Songs change at once for the room: these tests are about where the next one comes from.
const SETTINGS = { ...loadConfig({ env: {} }).config.player, transitions: SWITCH_AT_ONCE };

interface Harness {
  clock: FakeClock;
  store: SqliteStore;
  player: FakePlayer;
  spotify: FakeMusicSource;
  director: MusicDirector;
  mode: MusicSourceMode;
  listener: { id: number; name: string } | null;
  settle: <T>(promise?: Promise<T>) => Promise<T | undefined>;
}

const open: Harness[] = [];

afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.settle(h.director.stop());
    h.store.close();
  }
});

/** A library of calm and upbeat tracks, and a Spotify stand-in with a playlist for calm. */
async function harness(mode: MusicSourceMode): Promise<Harness> {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0));
  const store = openSqliteStore({ clock, log: silent }, { path: ':memory:' });
  for (const mood of ['calm', 'upbeat']) {
    for (let i = 1; i <= 3; i++) {
      const track = store.tracks.upsert({ uri: `/music/${mood}-${i}.flac`, title: `${mood} ${i}` });
      store.tracks.setMoods(track.id, [{ mood, weight: 1, origin: 'admin' }]);
    }
  }
  const spotify = new FakeMusicSource();
  spotify.map('calm');
  const player = new FakePlayer({ clock }, { trackMs: 180_000, volume: 70 });
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const h = { clock, store, player, spotify, mode, listener: null } as unknown as Harness;
  h.director = buildMusicPart({
    clock,
    random: seededRandom(1),
    log: silent,
    store,
    player,
    bus,
    listener: () => h.listener,
    settings: () => SETTINGS,
    sources: new MusicSources({ sources: [spotify, new LocalMusicSource()], mode: () => h.mode }),
  }).music;
  h.settle = settler(clock);
  open.push(h);
  await h.settle(h.director.start());
  return h;
}

const uri = (h: Harness) => h.player.state().current?.track.uri;

describe('MusicDirector with music sources', () => {
  it('mixed: a mood with a mapped playlist plays Spotify, a mood without one plays the library', async () => {
    const h = await harness('mixed');
    expect(uri(h)).toBe('spotify:playlist:calm');
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    expect(uri(h)).toMatch(/^\/music\/upbeat-/);
  });

  it('local: the library plays even though Spotify has a playlist for the mood', async () => {
    const h = await harness('local');
    expect(uri(h)).toMatch(/^\/music\/calm-/);
  });

  it('falls back to the library when Spotify fails, says so in its health, and goes back when it recovers', async () => {
    const h = await harness('spotify');
    expect(uri(h)).toBe('spotify:playlist:calm');
    h.spotify.fail('the server cannot be reached');
    await h.settle();
    expect(uri(h)).toMatch(/^\/music\/calm-/);
    expect(h.director.health()).toEqual({
      status: 'degraded',
      detail: 'Spotify unavailable (the server cannot be reached): playing the library',
    });
    h.spotify.recover();
    await h.settle();
    expect(uri(h)).toBe('spotify:playlist:calm');
    expect(h.director.health().status).toBe('ready');
  });

  it('a like of a track Spotify played is saved to the account too', async () => {
    const h = await harness('spotify');
    const user = h.store.users.create({ name: 'Ann', role: 'member' });
    h.listener = { id: user.id, name: user.name };
    const seen = h.store.tracks.upsert({ source: 'spotify', uri: 'spotify:track:t1', title: 'Slow River' });
    await h.settle(h.director.like(seen.id, actors.kiosk));
    expect(h.spotify.liked).toEqual([{ source: 'spotify', uri: 'spotify:track:t1' }]);
  });

  // Issue 59: on a business box a Spotify track left in the library was handed to mpv by a kiosk
  // tap (answered ok), and staff playing it now got a 500.
  it('local: a Spotify track left in the library is refused to a tap and to staff, and never reaches the player', async () => {
    const h = await harness('local');
    const leftover = h.store.tracks.upsert({ source: 'spotify', uri: 'spotify:track:t1', title: 'Slow River' });
    const before = uri(h);
    const refusal = {
      code: 'MB_ERR_PLAYER_NOT_ALLOWED',
      message: expect.stringMatching(/^“Slow River” is a Spotify track, and Spotify is not a source of the music on this box/) as unknown,
    };
    await expect(h.settle(h.director.tap(leftover.id, actors.kiosk))).rejects.toMatchObject(refusal);
    await expect(h.settle(h.director.playNow(leftover.id, actors.admin(1)))).rejects.toMatchObject(refusal);
    await expect(h.settle(h.director.playNext(leftover.id, actors.admin(1)))).rejects.toMatchObject(refusal);
    const state = h.player.state();
    expect([state.current, ...state.upcoming].map((i) => i?.track.uri).filter((u) => u?.startsWith('spotify:'))).toEqual([]);
    expect(uri(h)).toBe(before);
  });

  it('spotify: a Spotify track of the library still plays at a tap while Spotify is a source', async () => {
    const h = await harness('spotify');
    const seen = h.store.tracks.upsert({ source: 'spotify', uri: 'spotify:track:t1', title: 'Slow River' });
    h.listener = { id: h.store.users.create({ name: 'Ann', role: 'member' }).id, name: 'Ann' };
    await h.settle(h.director.tap(seen.id, actors.kiosk));
    expect(uri(h)).toBe('spotify:track:t1');
  });
});
