import { afterEach, describe, expect, it } from 'vitest';
import { TasteLearner } from './taste-learner.js';
import type { PlayerSettings } from './music-director.js';
import { directorHarness, type DirectorHarness } from '../testing/director-harness.js';
import { roomMoodOf } from '../../kernel/room-mood.js';
import { stopService } from '../../kernel/lifecycle.js';
import { actors } from '../store/audit.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const MOODS = ['calm', 'upbeat', 'mellow'] as const;

type Harness = DirectorHarness<(typeof MOODS)[number]>;

const open: Harness[] = [];

afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

/** Three tracks per mood, each by its own artist. A UTC noon start keeps the schedules' windows predictable. */
async function harness(settings: Partial<PlayerSettings> = {}, options: { tracks?: boolean; start?: number } = {}): Promise<Harness> {
  const h = await directorHarness({ moods: MOODS, settings, ...options });
  open.push(h);
  return h;
}

const playing = (h: Harness) => h.player.state().current;

describe('MusicDirector', () => {
  it('follows the room no more once stopped as the daemon stops it, and a listener of its that fails is reported under its name', async () => {
    const h = await harness();
    await h.settle();
    h.bus.emit('settingsChanged', { changed: undefined as unknown as string[] });
    expect(h.failures).toEqual([{ event: 'settingsChanged', owner: 'MusicDirector' }]);
    const before = playing(h);
    await h.settle(stopService(h.director, [h.bus, h.player.events]));
    h.bus.emit('roomMoodChanged', { mood: roomMoodOf('happy', h.clock.now()), previous: 'neutral' });
    h.bus.emit('settingsChanged', { changed: undefined as unknown as string[] });
    await h.settle();
    expect(before).toBeDefined();
    expect(playing(h)?.key).toBe(before?.key);
    expect(h.failures).toHaveLength(1);
    expect(h.bus.listenerCount('roomMoodChanged')).toBe(1); // the projector's
  });

  it('starts playing music for a calm room before anyone is seen, with the next track queued and six suggestions shown', async () => {
    const h = await harness();
    await h.settle();
    expect(h.moodOf(playing(h)?.track.id)).toBe('calm');
    expect(playing(h)?.reason).toBe('mood');
    expect(h.player.state().upcoming).toHaveLength(1);
    const state = h.hub.snapshot().data;
    expect(state.player.status).toBe('playing');
    expect(state.player.nowPlaying?.id).toBe(playing(h)?.track.id);
    expect(state.player.next?.id).toBe(h.player.state().upcoming[0]?.track.id);
    expect(state.suggestions).toHaveLength(6);
    expect(h.director.health().status).toBe('ready');
  });

  it('fades out a song that no longer fits when the room turns happy, and plays an upbeat one, recorded with the mood', async () => {
    const h = await harness();
    const before = playing(h);
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    expect(playing(h)?.key).not.toBe(before?.key);
    expect(h.moodOf(playing(h)?.track.id)).toBe('upbeat');
    expect(h.player.state().volume).toBe(70);
    const plays = h.store.plays.list({}).items;
    expect(plays[0]).toMatchObject({ trackId: playing(h)?.track.id, reason: 'mood', mood: 'happy' });
    expect(plays[1]).toMatchObject({ trackId: before?.track.id, outcome: 'switched' });
    expect(h.moodOf(h.player.state().upcoming[0]?.track.id)).toBe('upbeat');
  });

  it('keeps the song cut off by an output failure when the room changes meanwhile: it resumes, and the pick for the room comes next (issue 62)', async () => {
    const h = await harness();
    const before = playing(h);
    h.player.stall({ cause: 'output', detail: 'the Snapcast server does not read the pipe' });
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    expect(playing(h)?.key).toBe(before?.key);
    expect(h.moodOf(h.player.state().upcoming[0]?.track.id)).toBe('upbeat');
    expect(h.store.plays.list({}).items.filter((p) => p.outcome === 'switched')).toEqual([]);
    // Once sound flows again, a change of the room switches as before.
    h.player.stall(undefined);
    await h.settle(h.director.roomMoodChanged(roomMoodOf('sad')));
    expect(playing(h)?.key).not.toBe(before?.key);
  });

  it('records a song changed for the room as switched and learns nothing from it; a skip by staff still counts against its song', async () => {
    const h = await harness();
    const learner = new TasteLearner({ store: h.store, player: h.player, clock: h.clock, log: silent });
    await learner.start();
    const switched: number[] = [];
    for (const mood of ['happy', 'sad', 'neutral'] as const) {
      switched.push(playing(h)?.track.id ?? -1);
      await h.settle(h.director.roomMoodChanged(roomMoodOf(mood)));
    }
    const ended = h.store.plays.list({}).items.filter((p) => p.outcome !== null);
    expect(ended.map((p) => [p.trackId, p.outcome])).toEqual(switched.map((id) => [id, 'switched']).reverse());
    // Three changes of the room taught the room's taste nothing: no song and no mood counts as skipped.
    expect(h.store.taste.get('room')?.examples ?? 0).toBe(0);

    const skipped = playing(h)?.track.id;
    await h.settle(h.director.skip({ by: 'staff', actor: actors.admin(1) }));
    expect(h.store.plays.list({}).items[1]).toMatchObject({ trackId: skipped, outcome: 'skipped' });
    const room = h.store.taste.get('room');
    expect(room?.examples).toBe(1);
    expect(Object.entries(room?.weights ?? {}).some(([name, w]) => name.startsWith('mood') && w < 0)).toBe(true);
    await learner.stop();
  });

  it('on a sad room picks neither a 10-second silence nor an untagged track while tagged tracks fit; the silence can still be tapped', async () => {
    const h = await harness({ policy: 'match' });
    const silence = h.store.tracks.upsert({ uri: '/music/silence.ogg', title: 'silence', artist: 'Test tones', durationMs: 10_000 });
    h.store.tracks.setMoods(silence.id, [{ mood: 'mellow', weight: 1, origin: 'admin' }]);
    const untagged = h.store.tracks.upsert({
      uri: '/music/frantic-old.ogg',
      title: 'frantic-old',
      artist: 'Old band',
      durationMs: 200_000,
    });
    await h.settle(h.director.libraryChanged());
    await h.settle(h.director.roomMoodChanged(roomMoodOf('sad')));
    const picked = new Set<number>();
    for (let song = 0; song < 12; song++) {
      picked.add(playing(h)?.track.id ?? -1);
      for (const s of h.hub.snapshot().data.suggestions) picked.add(s.id);
      h.player.endCurrent();
      await h.settle();
    }
    expect(picked.has(silence.id)).toBe(false);
    expect(picked.has(untagged.id)).toBe(false);
    // Tagged tracks fit the room all along: mellow ones were played.
    expect([...picked].some((id) => h.moodOf(id) === 'mellow')).toBe(true);

    await h.settle(h.director.tap(silence.id, actors.kiosk));
    expect(playing(h)?.track.id).toBe(silence.id);
  });

  it('switches songs on a mood change with a fade down and a fade up, never a jump in loudness', async () => {
    const h = await harness();
    const before = playing(h);
    const heard: string[] = [];
    h.player.events.on('volumeChanged', ({ volume }) => heard.push(`volume ${volume}`), 'test');
    h.player.events.on('trackStarted', ({ item }) => heard.push(`started ${item.track.id}`), 'test');
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    const started = heard.indexOf(`started ${playing(h)?.track.id}`);
    const volumes = (lines: string[]) => lines.filter((l) => l.startsWith('volume')).map((l) => Number(l.split(' ')[1]));
    const down = volumes(heard.slice(0, started));
    const up = volumes(heard.slice(started));
    expect(playing(h)?.key).not.toBe(before?.key);
    // The old song goes down to a quarter of its volume (under 2 % of its loudness), step by step, before the new one starts.
    expect(down.at(-1)).toBeLessThanOrEqual(Math.round(70 / 4));
    expect(down).toEqual([...down].sort((a, b) => b - a));
    // The new song starts there and comes up step by step to the volume it had.
    expect(up.length).toBeGreaterThanOrEqual(3);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(up.at(-1)).toBe(70);
    for (const [i, volume] of up.entries()) expect(volume - (up[i - 1] ?? down.at(-1) ?? 0)).toBeLessThanOrEqual(20);
  });

  it('gives the player the crossfade setting at start and again as soon as it changes', async () => {
    const h = await harness({ crossfadeMs: 4000 });
    expect(h.player.crossfadeMs).toBe(4000);
    h.settings = { ...h.settings, crossfadeMs: 0 };
    await h.settle(h.director.settingsChanged());
    expect(h.player.crossfadeMs).toBe(0);
  });

  it('keeps a song that still fits, and one a person chose, while the next track follows the new mood', async () => {
    const h = await harness({ switchOnMoodChange: false });
    const before = playing(h);
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    expect(before).toBeDefined();
    expect(playing(h)?.key).toBe(before?.key);
    expect(h.moodOf(h.player.state().upcoming[0]?.track.id)).toBe('upbeat');

    h.settings = { ...h.settings, switchOnMoodChange: true };
    // A tap by nobody signed in starts only a song near the room's mood (issue 42): an upbeat one other than the one playing.
    const chosen = h.byMood.upbeat.find((id) => id !== playing(h)?.track.id && id !== h.player.state().upcoming[0]?.track.id) ?? 0;
    await h.settle(h.director.tap(chosen, actors.kiosk));
    await h.settle(h.director.roomMoodChanged(roomMoodOf('neutral')));
    expect(playing(h)?.track.id).toBe(chosen);
    expect(playing(h)?.reason).toBe('tap');
  });

  it('plays a tapped suggestion at once, for the signed-in person, and refuses guests when the admin says so', async () => {
    const h = await harness();
    const user = h.store.users.create({ name: 'Ana', role: 'member', pinHash: null, mustChangePin: false });
    h.listener = { id: user.id, name: user.name };
    const id = h.byMood.upbeat[1] ?? 0;
    await expect(h.settle(h.director.tap(id, actors.kiosk))).resolves.toEqual({ trackId: id });
    expect(playing(h)).toMatchObject({ track: { id }, reason: 'tap', userId: user.id });
    expect(h.store.plays.list({ userId: user.id }).items[0]).toMatchObject({ trackId: id, reason: 'tap' });

    await expect(h.settle(h.director.tap(9999, actors.kiosk))).rejects.toMatchObject({ code: 'MB_ERR_NOT_FOUND' });
    h.listener = null;
    h.settings = { ...h.settings, guestTaps: false };
    await expect(h.settle(h.director.tap(id, actors.kiosk))).rejects.toMatchObject({ code: 'MB_ERR_PLAYER_NOT_ALLOWED' });
  });

  it('keeps likes and skips for the signed-in person only, and a skip puts on the song shown next', async () => {
    const h = await harness();
    const current = playing(h);
    await expect(h.settle(h.director.like(current?.track.id ?? 0, actors.kiosk))).rejects.toMatchObject({ code: 'MB_ERR_AUTH_REQUIRED' });
    await expect(h.settle(h.director.skip({ by: 'listener', actor: actors.kiosk }))).rejects.toMatchObject({
      code: 'MB_ERR_AUTH_REQUIRED',
    });

    const user = h.store.users.create({ name: 'Ben', role: 'member', pinHash: null, mustChangePin: false });
    h.listener = { id: user.id, name: user.name };
    await h.settle(h.director.like(current?.track.id ?? 0, actors.kiosk));
    await expect(h.settle(h.director.skip({ by: 'listener', actor: actors.kiosk, trackId: 12345 }))).rejects.toMatchObject({
      code: 'MB_ERR_CONFLICT',
    });
    const shown = h.hub.snapshot().data.player.next?.id;
    await h.settle(h.director.skip({ by: 'listener', actor: actors.kiosk, trackId: current?.track.id }));
    expect(playing(h)?.track.id).not.toBe(current?.track.id);
    expect(playing(h)?.track.id).toBe(shown);
    expect(h.store.plays.feedbackFor(user.id).map((f) => f.kind)).toEqual(['skip', 'like']);
  });

  it('takes a like back for the signed-in person only, keeping their skips and the likes of others', async () => {
    const h = await harness();
    const id = playing(h)?.track.id ?? 0;
    await expect(h.settle(h.director.unlike(id, actors.kiosk))).rejects.toMatchObject({ code: 'MB_ERR_AUTH_REQUIRED' });
    const ben = h.store.users.create({ name: 'Ben', role: 'member', pinHash: null, mustChangePin: false });
    const cy = h.store.users.create({ name: 'Cy', role: 'member', pinHash: null, mustChangePin: false });
    h.store.plays.recordFeedback({ userId: cy.id, trackId: id, kind: 'like', at: 1 });
    h.listener = { id: ben.id, name: ben.name };
    // Liked twice (two taps on two screens), then a skip of the same song: one unlike forgets both likes.
    await h.settle(h.director.like(id, actors.kiosk));
    await h.settle(h.director.like(id, actors.kiosk));
    h.store.plays.recordFeedback({ userId: ben.id, trackId: id, kind: 'skip', at: h.clock.now() });
    expect(await h.settle(h.director.unlike(id, actors.kiosk))).toEqual({ trackId: id });
    expect(h.store.plays.feedbackFor(ben.id).map((f) => f.kind)).toEqual(['skip']);
    expect(h.store.plays.feedbackFor(cy.id).map((f) => f.kind)).toEqual(['like']);
    // A second tap changes nothing; a track that does not exist is named.
    expect(await h.settle(h.director.unlike(id, actors.kiosk))).toEqual({ trackId: id });
    await expect(h.settle(h.director.unlike(99_999, actors.kiosk))).rejects.toMatchObject({
      code: 'MB_ERR_NOT_FOUND',
      message: expect.stringContaining('99999'),
    });
  });

  it('turns the music down when nobody is there, the song playing on and a calm one next, and back up when someone comes (#39)', async () => {
    const h = await harness();
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    const upbeat = playing(h);
    await h.settle(h.director.roomMoodChanged(roomMoodOf('nobody')));
    expect(h.player.state().volume).toBe(30);
    expect(h.player.state().isPaused).toBe(false);
    // Nobody hears a cut in an empty room, and nobody needs one: the song plays on, quietly, and a calm one follows.
    expect(playing(h)?.key).toBe(upbeat?.key);
    expect(h.moodOf(h.player.state().upcoming[0]?.track.id)).toBe('calm');
    h.player.endCurrent();
    await h.settle();
    expect(h.moodOf(playing(h)?.track.id)).toBe('calm');
    await h.settle(h.director.roomMoodChanged(roomMoodOf('happy')));
    expect(h.player.state().volume).toBe(70);
    expect(h.moodOf(playing(h)?.track.id)).toBe('upbeat');
  });

  it('falls silent when nobody is there if the admin chose silence, and plays again when someone comes', async () => {
    const h = await harness({ idle: { behaviour: 'silence', volume: 30 } });
    await h.settle(h.director.roomMoodChanged(roomMoodOf('nobody')));
    expect(h.player.state().isPaused).toBe(true);
    expect(h.hub.snapshot().data.player.status).toBe('paused');
    await h.settle(h.director.roomMoodChanged(roomMoodOf('sad')));
    expect(h.player.state().isPaused).toBe(false);
    expect(h.player.state().volume).toBe(70);
  });

  it('is silent during quiet hours, refuses taps then, and plays again when they end', async () => {
    // 12:00 UTC now; quiet from 12:00 to 12:10.
    const h = await harness({ quietHours: { from: '12:00', to: '12:10' } });
    expect(playing(h)).toBeUndefined();
    expect(h.director.health().detail).toContain('quiet hours');
    await expect(h.settle(h.director.tap(h.byMood.calm[0] ?? 0, actors.kiosk))).rejects.toMatchObject({
      code: 'MB_ERR_PLAYER_NOT_ALLOWED',
    });
    for (let i = 0; i < 25; i++) await h.settle(Promise.resolve().then(() => h.clock.advance(30_000)));
    expect(h.player.state().isPaused).toBe(false);
    expect(playing(h)).toBeDefined();
  });

  it('keeps the volume under the admin maximum and the schedule, whatever is asked', async () => {
    const h = await harness({ maxVolume: 80, volumeSchedule: [{ from: '11:00', to: '13:00', maxVolume: 40 }] });
    expect(h.player.state().volume).toBe(40);
    await expect(h.settle(h.director.setVolume(100, actors.admin(1)))).resolves.toBe(40);
    await expect(h.settle(h.director.setVolume(101, actors.admin(1)))).rejects.toThrow(RangeError);
    h.settings = { ...h.settings, volumeSchedule: [] };
    await expect(h.settle(h.director.setVolume(100, actors.admin(1)))).resolves.toBe(80);
  });

  it('applies a maximum volume the admin lowers at once, in the player itself, without a restart (#13)', async () => {
    const h = await harness({ maxVolume: 90 });
    expect(h.player.state()).toMatchObject({ volume: 70, maxVolume: 90 });
    h.settings = { ...h.settings, maxVolume: 50 };
    h.bus.emit('settingsChanged', { changed: ['player.maxVolume'] });
    await h.settle();
    expect(h.player.state()).toMatchObject({ volume: 50, maxVolume: 50 });
    expect(h.hub.snapshot().data.player.volume).toBe(50);
    await expect(h.settle(h.director.setVolume(100, actors.admin(1)))).resolves.toBe(50);
  });

  it('waits for music when the library is empty, says so, and starts once a scan brings tracks', async () => {
    const h = await harness({}, { tracks: false });
    expect(playing(h)).toBeUndefined();
    expect(h.director.health()).toEqual({ status: 'degraded', detail: 'the music library is empty: add music in the admin panel' });
    const track = h.store.tracks.upsert({ uri: '/music/new.flac', title: 'New', artist: 'Someone' });
    h.store.tracks.setMoods(track.id, [{ mood: 'calm', weight: 1, origin: 'rule' }]);
    await h.settle(h.director.libraryChanged());
    expect(playing(h)?.track.id).toBe(track.id);
    expect(h.director.health().status).toBe('ready');
  });

  it('plays on by itself when a song ends, never the same song twice in a row', async () => {
    const h = await harness();
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      seen.push(playing(h)?.track.id ?? 0);
      h.player.endCurrent();
      await h.settle();
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
    expect(h.store.plays.list({}).items.filter((p) => p.outcome === 'completed')).toHaveLength(5);
  });
});
