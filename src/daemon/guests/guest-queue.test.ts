import { afterEach, describe, expect, it } from 'vitest';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';
import { TYPICAL_SONG_MS } from './guest-requests.js';
import { actors } from '../store/audit.js';

// A guest's place in the queue, an estimated time, taking a request back, and what became of it
// (next, playing, skipped by votes or by the staff), against the real director, server and SQLite
// (issue 40).

const MINUTE = 60_000;
const SONG_MS = 2 * MINUTE;
const open: GuestHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function harness(guests: Record<string, unknown> = {}): Promise<GuestHarness> {
  const h = await guestHarness({ config: { guests: { repeatWindowMin: 60, ...guests } }, trackMs: 60 * MINUTE });
  open.push(h);
  return h;
}

interface Mine {
  id: number;
  status: string;
  reason: string;
  place: number | null;
  expectedAt: number | null;
  track: { id: number };
}
type View = {
  me: { requests: Mine[]; requestsLeft: number };
  upNext: Array<{ key: number; place: number; expectedAt: number | null; isGuestRequest: boolean }>;
  suggestions: Array<{ id: number }>;
};
const ask = (h: GuestHarness, n: number, trackId: number) =>
  h.server.app.inject(h.as(n, { method: 'POST', url: '/api/guest/requests', payload: { trackId } }));
const cancel = (h: GuestHarness, n: number, id: number) =>
  h.server.app.inject(h.as(n, { method: 'DELETE', url: `/api/guest/requests/${id}` }));
const view = async (h: GuestHarness, n: number) =>
  (await h.server.app.inject(h.as(n, { method: 'GET', url: '/api/guest/state' }))).json<View>();
/** `n` songs tagged calm, two minutes each. */
const calmSongs = (h: GuestHarness, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const track = h.store.tracks.upsert({
      uri: `/music/q-${i}.flac`,
      title: `queued ${i}`,
      artist: `calm artist ${i + 30}`,
      durationMs: SONG_MS,
    });
    h.store.tracks.setMoods(track.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
    return track.id;
  });
const toMinute = (ms: number) => Math.round(ms / MINUTE) * MINUTE;

describe('a guest’s request in the queue', () => {
  it('shows its place and when it should play, the mood’s picks between; a guest takes back their own, which still counts', async () => {
    const h = await harness();
    const [a, b, c] = calmSongs(h, 3);
    const first = (await ask(h, 1, a ?? 0)).json<Mine>();
    const second = (await ask(h, 2, b ?? 0)).json<Mine>();
    const third = (await ask(h, 3, c ?? 0)).json<Mine>();
    await h.settle();
    // The demo's songs have no length: each counts as a typical one.
    const songEnds = h.clock.now() + TYPICAL_SONG_MS - h.player.state().positionMs;
    expect((await view(h, 1)).me.requests[0]).toMatchObject({ id: first.id, status: 'queued', place: 1, expectedAt: toMinute(songEnds) });
    // After the first request comes one of the mood's own picks, then the next request.
    const secondAt = songEnds + SONG_MS + TYPICAL_SONG_MS;
    expect((await view(h, 2)).me.requests[0]).toMatchObject({ id: second.id, place: 3, expectedAt: toMinute(secondAt) });
    expect((await view(h, 3)).me.requests[0]).toMatchObject({
      id: third.id,
      place: 5,
      expectedAt: toMinute(secondAt + SONG_MS + TYPICAL_SONG_MS),
    });
    expect((await view(h, 4)).upNext.map((u) => [u.key, u.place])).toEqual([
      [first.id, 1],
      [second.id, 3],
      [third.id, 5],
    ]);

    // Only the guest who asked may take it back, while it is in the queue.
    expect((await cancel(h, 1, second.id)).statusCode).toBe(404);
    const taken = await cancel(h, 2, second.id);
    expect(taken.statusCode).toBe(200);
    expect(taken.json<View>().me).toMatchObject({
      requests: [{ id: second.id, status: 'cancelled', reason: 'You took it back', place: null, expectedAt: null }],
      requestsLeft: 2,
    });
    expect((await cancel(h, 2, second.id)).statusCode).toBe(404);
    // The next request moves up; the song may be asked for again at once, by anyone.
    expect((await view(h, 3)).me.requests[0]).toMatchObject({ place: 3 });
    expect((await ask(h, 4, b ?? 0)).statusCode).toBe(201);
  });

  it('tells its guest when it is next, plays, and was skipped by guests’ votes or by the staff', async () => {
    const h = await harness({ downVotesToSkip: 1 });
    const [a, b] = calmSongs(h, 2);
    const first = (await ask(h, 1, a ?? 0)).json<Mine>();
    const second = (await ask(h, 1, b ?? 0)).json<Mine>();
    await h.settle();
    expect((await view(h, 1)).me.requests.find((r) => r.id === first.id)).toMatchObject({ status: 'queued', place: 1 });
    h.player.endCurrent();
    await h.settle();
    expect((await view(h, 1)).me.requests.find((r) => r.id === first.id)).toMatchObject({
      status: 'playing',
      reason: 'Playing now',
      place: null,
    });
    await h.server.app.inject(h.as(2, { method: 'POST', url: '/api/guest/votes', payload: { on: 'now', vote: 'down' } }));
    await h.settle();
    expect((await view(h, 1)).me.requests.find((r) => r.id === first.id)).toMatchObject({
      status: 'skipped',
      reason: 'Guests voted it off',
    });

    // The mood's pick plays, then the second request; the staff skip it.
    h.player.endCurrent();
    await h.settle();
    expect(h.player.state().current).toMatchObject({ track: { id: b }, reason: 'guest' });
    await h.settle(h.director.skip({ by: 'staff', actor: actors.admin(1) }));
    expect((await view(h, 1)).me.requests.find((r) => r.id === second.id)).toMatchObject({
      status: 'skipped',
      reason: 'The staff skipped it',
    });
  });

  it('leaves out of the suggestions what plays, comes next, is asked for or just played', async () => {
    const h = await harness();
    const [a] = calmSongs(h, 1);
    // The room's suggestions, as the kiosk shows them: the songs playing and next among them.
    const { current, upcoming } = h.player.state();
    const busy = [current?.track.id ?? 0, upcoming[0]?.track.id ?? 0, a ?? 0];
    h.bus.emit('suggestionsChanged', { trackIds: [...busy, ...h.byMood.mellow] });
    await h.settle();
    expect((await view(h, 1)).suggestions.map((s) => s.id)).toEqual([a, ...h.byMood.mellow]);
    expect((await ask(h, 2, a ?? 0)).statusCode).toBe(201);
    await h.settle();
    // The request comes next now, in place of the mood's pick (which is free to suggest again).
    expect(h.player.state().upcoming[0]?.track.id).toBe(a);
    expect((await view(h, 1)).suggestions.map((s) => s.id)).toEqual([upcoming[0]?.track.id, ...h.byMood.mellow]);
    // The song that played stays out once it ended.
    const played = h.player.state().current?.track.id;
    h.player.endCurrent();
    await h.settle();
    h.bus.emit('suggestionsChanged', { trackIds: [played ?? 0, ...h.byMood.mellow] });
    await h.settle();
    expect((await view(h, 1)).suggestions.map((s) => s.id)).toEqual(h.byMood.mellow);
  });
});
