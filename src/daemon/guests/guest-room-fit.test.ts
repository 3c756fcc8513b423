import { afterEach, describe, expect, it } from 'vitest';
import { roomMoodOf } from '../../kernel/room-mood.js';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';
import { actors } from '../store/audit.js';

// Issue 82: a library without the room's mood. The room reads happy (the music aims at upbeat), the
// library holds only calm and mellow songs: the box plays the nearest it has, and a guest may ask
// for what it plays itself, offered the same songs the kiosk offers.

const MINUTE = 60_000;
const open: GuestHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function withoutUpbeat(): Promise<GuestHarness> {
  const h = await guestHarness({ trackMs: 4 * MINUTE });
  open.push(h);
  h.store.tracks.markMissing([...h.byMood.upbeat, ...h.byMood.energetic]);
  await h.settle(h.director.libraryChanged());
  h.bus.emit('roomMoodChanged', { mood: roomMoodOf('happy', h.clock.now()), previous: 'neutral' });
  await h.settle();
  return h;
}

const guestState = async (h: GuestHarness, n: number) =>
  (await h.server.app.inject(h.as(n, { method: 'GET', url: '/api/guest/state' }))).json<{ suggestions: Array<{ id: number }> }>();

describe('a guest and a library without the room’s mood', () => {
  it('may ask for a song as near the room as those the box plays itself, and is offered what the kiosk offers', async () => {
    const h = await withoutUpbeat();
    const playing = h.player.state().current?.track.id;
    expect([...h.byMood.calm, ...h.byMood.mellow]).toContain(playing);
    const kiosk = h.hub.snapshot().data.suggestions.map((s) => s.id);
    expect(kiosk.length).toBeGreaterThan(0);
    const busy = new Set([playing, ...h.player.state().upcoming.map((i) => i.track.id)]);
    const offered = (await guestState(h, 1)).suggestions.map((s) => s.id);
    expect(offered).toEqual(kiosk.filter((id) => !busy.has(id)));
    expect(offered.length).toBeGreaterThan(0);

    // One of them, asked for: it fits as the box's own picks do, and waits in no queue of the room's.
    const asked = await h.server.app.inject(h.as(1, { method: 'POST', url: '/api/guest/requests', payload: { trackId: offered[0] } }));
    expect(asked.statusCode).toBeLessThan(300);
    expect(asked.json()).toMatchObject({ status: expect.stringMatching(/^(queued|approval)$/) });
    expect(h.director.guestFit(offered[0] ?? 0)).toEqual({ fit: 'fits' });
  });

  it('still offers the kiosk’s songs once a small library has played them all in the last hour', async () => {
    const h = await withoutUpbeat();
    const played = new Set<number>();
    h.player.events.on('trackStarted', ({ item }) => played.add(item.track.id), 'test');
    const offeredByKiosk = (): number[] => {
      const busy = new Set([h.player.state().current?.track.id, ...h.player.state().upcoming.map((i) => i.track.id)]);
      return h.hub
        .snapshot()
        .data.suggestions.map((s) => s.id)
        .filter((id) => !busy.has(id));
    };
    // Staff play each song the kiosk offers until it offers none that has not played this hour.
    for (let round = 0; round < 12; round++) {
      const unplayed = offeredByKiosk().find((id) => !played.has(id));
      if (unplayed === undefined) break;
      await h.settle(h.director.playNow(unplayed, actors.admin(1)));
    }
    const kiosk = offeredByKiosk();
    expect(kiosk.length).toBeGreaterThan(0);
    expect(kiosk.every((id) => played.has(id))).toBe(true);
    expect((await guestState(h, 2)).suggestions.map((s) => s.id)).toEqual(kiosk);
  });
});
