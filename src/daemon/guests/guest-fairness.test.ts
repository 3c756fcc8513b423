import { afterEach, describe, expect, it } from 'vitest';
import { roomMoodOf } from '../../kernel/room-mood.js';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';
import { actors } from '../store/audit.js';

// Fair by design (issue 31): budgets per phone and per address, the repeat window, the room's mood,
// votes from distinct phones that expire.

const MINUTE = 60_000;
const open: GuestHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function harness(guests: Record<string, unknown> = {}): Promise<GuestHarness> {
  // Songs of an hour, so that votes and waits outlast no song by accident.
  const h = await guestHarness({ config: { guests }, trackMs: 60 * MINUTE });
  open.push(h);
  return h;
}

type As = { address?: string; cookie?: string | null };
const ask = (h: GuestHarness, n: number, trackId: number, as?: As) =>
  h.server.app.inject(h.as(n, { method: 'POST', url: '/api/guest/requests', payload: { trackId } }, as));
const vote = (h: GuestHarness, n: number, on: 'now' | number, choice: string, as?: As) =>
  h.server.app.inject(h.as(n, { method: 'POST', url: '/api/guest/votes', payload: { on, vote: choice } }, as));
const errorOf = (res: { statusCode: number; json: () => unknown }) => ({
  status: res.statusCode,
  code: (res.json() as { error?: { code: string } }).error?.code,
});
/** `n` more songs tagged calm. */
const moreCalm = (h: GuestHarness, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const track = h.store.tracks.upsert({ uri: `/music/more-calm-${i}.flac`, title: `more calm ${i}`, artist: `calm artist ${i + 10}` });
    h.store.tracks.setMoods(track.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
    return track.id;
  });
/** Songs of `mood` that neither play nor come next. */
const idle = (h: GuestHarness, mood: keyof GuestHarness['byMood']) => {
  const busy = [h.player.state().current?.track.id, ...h.player.state().upcoming.map((i) => i.track.id)];
  return h.byMood[mood].filter((id) => !busy.includes(id));
};

describe('fair guest requests', () => {
  it('lets a phone ask for N songs an hour; phones behind one address share a ceiling that grows with them, with the reason and the time', async () => {
    // 12:00 on the box's clock (the tests run in UTC).
    const h = await harness({ requestsPerHour: 2, requestsPerAddressMax: 3, repeatWindowMin: 0 });
    const [a, b, c, d, e] = moreCalm(h, 5);
    const cafe = { address: '10.0.0.1' };
    const state = (n: number, as: As) => h.server.app.inject(h.as(n, { method: 'GET', url: '/api/guest/state' }, as));
    await state(1, cafe);
    expect((await ask(h, 1, a ?? 0, cafe)).statusCode).toBe(201);
    h.clock.advance(5 * MINUTE);
    expect((await ask(h, 1, b ?? 0, cafe)).statusCode).toBe(201);
    const third = await ask(h, 1, c ?? 0, cafe);
    expect(errorOf(third)).toEqual({ status: 429, code: 'MB_ERR_GUEST_LIMIT' });
    expect(third.json<{ error: { message: string } }>().error.message).toBe('2 requests an hour per phone; next at 13:00');
    expect((await state(1, cafe)).json()).toMatchObject({
      me: {
        requestsLeft: 0,
        nextRequestAt: h.clock.now() + 55 * MINUTE,
        limitReason: '2 requests an hour per phone; next at 13:00',
        limitReasonSaid: { id: 'guest.phoneLimit', values: { perPhone: 2, time: '13:00' } },
      },
    });
    // A second phone behind the same address (the café's Wi-Fi) is a phone of its own: the address's ceiling grows with it, up to 3.
    await state(2, cafe);
    expect((await ask(h, 2, c ?? 0, cafe)).statusCode).toBe(201);
    expect((await state(2, cafe)).json()).toMatchObject({ me: { requestsLeft: 0, nextRequestAt: h.clock.now() + 55 * MINUTE } });
    // A third phone there (or the first with its cookie cleared) finds the address's ceiling reached.
    const full = await ask(h, 3, d ?? 0, cafe);
    expect(errorOf(full)).toEqual({ status: 429, code: 'MB_ERR_GUEST_LIMIT' });
    expect(full.json<{ error: { message: string } }>().error.message).toBe(
      'Phones on this network asked for 3 songs this hour, as many as one network may; next at 13:00',
    );
    // A phone on another address may.
    expect((await ask(h, 4, d ?? 0)).statusCode).toBe(201);
    // An hour after the first request the budgets are back.
    h.clock.advance(56 * MINUTE);
    expect((await ask(h, 1, e ?? 0, cafe)).statusCode).toBe(201);
  });

  it('refuses the same song again within the repeat window, by anyone', async () => {
    const h = await harness({ repeatWindowMin: 30 });
    const [song] = idle(h, 'calm');
    expect((await ask(h, 1, song ?? 0)).statusCode).toBe(201);
    expect(errorOf(await ask(h, 2, song ?? 0))).toEqual({ status: 409, code: 'MB_ERR_GUEST_REPEAT' });
    await h.settle(h.guests.clearAll(actors.admin(1)) > 0 ? h.director.guestsChanged() : undefined);
    h.clock.advance(10 * MINUTE);
    const again = await ask(h, 3, song ?? 0);
    expect(errorOf(again)).toEqual({ status: 409, code: 'MB_ERR_GUEST_REPEAT' });
    expect(again.json<{ error: { message: string } }>().error.message).toMatch(/again in 20 min/);
    // The phone may say it in its guest's language: the same refusal as a message of the screens' catalogues.
    expect(again.json<{ error: { said: unknown } }>().error.said).toEqual({
      id: 'guest.recent',
      values: { title: expect.any(String) as string, minutes: 20 },
    });
    h.clock.advance(21 * MINUTE);
    expect((await ask(h, 3, song ?? 0)).statusCode).toBe(201);
  });

  it('declines at once a song far from the room, lets a near one wait, and declines it after a while', async () => {
    const h = await harness({ waitMin: 15 });
    const far = await ask(h, 1, h.byMood.energetic[0] ?? 0);
    expect(errorOf(far)).toEqual({ status: 409, code: 'MB_ERR_GUEST_MOOD' });
    expect(far.json<{ error: { message: string } }>().error.message).toMatch(/It is energetic, far from the room's calm mood/);
    expect(far.json<{ error: { said: unknown } }>().error.said).toEqual({
      id: 'fit.far',
      values: { own: { said: 'music.energetic' }, aim: { said: 'music.calm' } },
    });

    const near = await ask(h, 2, h.byMood.mellow[0] ?? 0);
    expect(near.statusCode).toBe(201);
    expect(near.json()).toMatchObject({
      status: 'waiting',
      reason: expect.stringMatching(/It is mellow and the room is calm now/) as unknown,
    });
    await h.settle();
    // A waiting request never plays next.
    expect(h.player.state().upcoming[0]?.reason).toBe('mood');
    h.clock.advance(16 * MINUTE);
    h.guests.review();
    expect(h.guests.requestsOf({ id: '', address: '' })).toEqual([]);
    const mine = (await h.server.app.inject(h.as(2, { method: 'GET', url: '/api/guest/state' }))).json<{
      me: { requests: Array<{ status: string; reason: string }> };
    }>();
    expect(mine.me.requests[0]).toMatchObject({ status: 'declined', reason: expect.stringMatching(/^It waited 15 min/) as unknown });
  });

  it('queues a waiting song once the room comes to it', async () => {
    const h = await harness();
    const [song] = idle(h, 'mellow');
    expect((await ask(h, 1, song ?? 0)).json()).toMatchObject({ status: 'waiting' });
    h.bus.emit('roomMoodChanged', { mood: roomMoodOf('sad', h.clock.now()), previous: 'neutral' });
    await h.settle();
    h.guests.review();
    await h.settle();
    expect(h.guests.queue()[0]).toMatchObject({ trackId: song, status: 'queued' });
    expect(h.player.state().upcoming[0]).toMatchObject({ track: { id: song }, reason: 'guest' });
  });

  it('skips the song playing once enough distinct phones vote "not this"; a phone with a new cookie counts once', async () => {
    const h = await harness({ downVotesToSkip: 2 });
    const playing = h.player.state().current;
    expect((await vote(h, 1, 'now', 'down')).json()).toMatchObject({ nowPlaying: { votes: { down: 1, mine: 'down', downNeeded: 2 } } });
    // The same address with a fresh cookie is the same phone.
    await vote(h, 1, 'now', 'down', { cookie: null });
    await h.settle();
    expect(h.player.state().current?.key).toBe(playing?.key);
    await vote(h, 2, 'now', 'down');
    await h.settle();
    expect(h.player.state().current?.key).not.toBe(playing?.key);
    const play = h.store.plays.list({ limit: 2 }).items.find((p) => p.trackId === playing?.track.id);
    expect(play?.outcome).toBe('skipped');
    // The owner's Top tracks count the guests' skip in the song's skip rate.
    const now = h.clock.now();
    const top = h.store.stats.topTracks(now - 60 * MINUTE, now + 1, 10).find((t) => t.trackId === playing?.track.id);
    expect(top).toMatchObject({ skipped: 1, completed: 0 });
  });

  it('counts the votes of phones behind one address (a café behind one router) once they have been around two minutes', async () => {
    const h = await harness({ downVotesToSkip: 2 });
    const cafe = { address: '10.0.0.1' };
    const playing = h.player.state().current;
    for (const n of [1, 2]) await h.server.app.inject(h.as(n, { method: 'GET', url: '/api/guest/state' }, cafe));
    h.clock.advance(1000);
    // Fresh phones (or one phone with its cookie cleared) count once.
    await vote(h, 1, 'now', 'down', cafe);
    expect((await vote(h, 2, 'now', 'down', cafe)).json()).toMatchObject({ nowPlaying: { votes: { down: 1, downNeeded: 2 } } });
    await h.settle();
    expect(h.player.state().current?.key).toBe(playing?.key);
    // Two minutes on, both are phones of the café: their two votes skip the song.
    h.clock.advance(2 * MINUTE);
    await vote(h, 2, 'now', 'down', cafe);
    await h.settle();
    expect(h.player.state().current?.key).not.toBe(playing?.key);
  });

  it('plays the request up next when guests skip the song playing, as their page said it would', async () => {
    const h = await harness({ downVotesToSkip: 2 });
    const [wanted] = moreCalm(h, 1);
    expect((await ask(h, 3, wanted ?? 0)).statusCode).toBe(201);
    await h.settle();
    expect(h.player.state().upcoming[0]).toMatchObject({ track: { id: wanted }, reason: 'guest' });
    await vote(h, 1, 'now', 'down');
    await vote(h, 2, 'now', 'down');
    await h.settle();
    expect(h.player.state().current).toMatchObject({ track: { id: wanted }, reason: 'guest' });
  });

  it('forgets votes after `guests.voteMin` minutes', async () => {
    const h = await harness({ downVotesToSkip: 2, voteMin: 5 });
    const playing = h.player.state().current?.key;
    await vote(h, 1, 'now', 'down');
    h.clock.advance(6 * MINUTE);
    await vote(h, 2, 'now', 'down');
    await h.settle();
    expect(h.player.state().current?.key).toBe(playing);
  });

  it('drops a requested song voted down, and plays the most voted up first', async () => {
    const h = await harness({ downVotesToSkip: 2 });
    const [a, b] = moreCalm(h, 2);
    const first = (await ask(h, 1, a ?? 0)).json<{ id: number }>();
    const second = (await ask(h, 2, b ?? 0)).json<{ id: number }>();
    await vote(h, 3, second.id, 'up');
    expect(h.guests.queue().map((r) => r.id)).toEqual([second.id, first.id]);
    await vote(h, 3, first.id, 'down');
    await vote(h, 4, first.id, 'down');
    expect(h.guests.queue().map((r) => r.id)).toEqual([second.id]);
    const mine = (await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/guest/state' }))).json<{
      me: { requests: Array<{ status: string; reason: string }> };
    }>();
    expect(mine.me.requests[0]).toMatchObject({ status: 'declined', reason: 'Guests voted it off the queue' });
  });

  it('likes only the song playing now', async () => {
    const h = await harness();
    const playing = h.player.state().current?.track.id ?? 0;
    const like = (n: number, trackId: number) =>
      h.server.app.inject(h.as(n, { method: 'POST', url: '/api/guest/like', payload: { trackId } }));
    expect((await like(1, playing)).json()).toMatchObject({ nowPlaying: { likes: 1, isLikedByMe: true } });
    expect((await like(1, playing)).json()).toMatchObject({ nowPlaying: { likes: 1 } });
    expect(errorOf(await like(2, idle(h, 'calm')[0] ?? 0))).toEqual({ status: 409, code: 'MB_ERR_GUEST_NOT_PLAYING' });
    expect((await like(3, playing)).json()).toMatchObject({ nowPlaying: { likes: 2 } });
    // The owner's Top tracks count each phone's like once, and the refused one not at all.
    const now = h.clock.now();
    expect(h.store.stats.topTracks(now - 60_000, now + 1, 10)).toEqual([expect.objectContaining({ trackId: playing, likes: 2 })]);
  });
});
