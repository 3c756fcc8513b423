import { afterEach, describe, expect, it } from 'vitest';
import { actors } from '../store/audit.js';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';
import { signInNewAdmin } from '../testing/server.js';

// Staff hold a happy room (upbeat music): a guest may always ask for a song at least as close to it
// as what the box plays itself, approved by staff or not, and what a guest reads of a song that
// does not fit names the mood staff chose, not the room's. Against the real director, guest
// service and server.

const open: GuestHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

interface Mine {
  id: number;
  status: string;
  reason: string;
}

const ask = (h: GuestHarness, n: number, trackId: number) =>
  h.server.app.inject(h.as(n, { method: 'POST', url: '/api/guest/requests', payload: { trackId } }));
const mine = async (h: GuestHarness, n: number) =>
  (await h.server.app.inject(h.as(n, { method: 'GET', url: '/api/guest/state' }))).json<{ me: { requests: Mine[] } }>().me.requests;
const moodOf = (h: GuestHarness, id: number | undefined) =>
  (Object.keys(h.byMood) as Array<keyof GuestHarness['byMood']>).find((m) => id !== undefined && h.byMood[m].includes(id));

describe('guests’ requests while staff hold a mood', () => {
  it('queues an approved request as close to the held mood as the songs the box plays itself', async () => {
    const h = await guestHarness({ config: { guests: { approval: 'staff' } } });
    open.push(h);
    const { headers } = await signInNewAdmin(h.server, { headers: { host: 'moodbox.local' } });
    // The owner blocked every upbeat and energetic song: nothing fits the happy room staff hold.
    for (const id of [...h.byMood.upbeat, ...h.byMood.energetic]) h.blocks.blockSong(id, actors.admin(1));
    await h.settle(h.director.holdMood('happy', 60, actors.admin(1)));
    // The three calm songs (the nearest) play, then the box plays mellow ones rather than a calm one again.
    for (let song = 0; song < 6 && moodOf(h, h.player.state().current?.track.id) !== 'mellow'; song++) {
      h.player.endCurrent();
      await h.settle();
    }
    expect(moodOf(h, h.player.state().current?.track.id)).toBe('mellow');

    const busy = [h.player.state().current?.track.id, ...h.player.state().upcoming.map((i) => i.track.id)];
    const calm = h.byMood.calm.find((id) => !busy.includes(id)) ?? 0;
    const asked = await ask(h, 1, calm);
    expect(asked.statusCode).toBe(201);
    const approved = await h.server.app.inject({
      method: 'POST',
      url: `/api/admin/guests/requests/${asked.json<Mine>().id}/approve`,
      headers,
    });
    expect(approved.statusCode).toBe(200);
    await h.settle();
    // Calm is nearer the held mood than the mellow song playing: it is in the queue, not waiting.
    expect(await mine(h, 1)).toMatchObject([
      { id: asked.json<Mine>().id, status: 'queued', reason: 'It fits the mood staff chose, so it is in the queue' },
    ]);
    expect(h.hub.snapshot().data.player.next?.id).toBe(calm);
  });

  it('tells a guest a song is far from the mood staff chose, not from the room’s', async () => {
    const h = await guestHarness();
    open.push(h);
    await h.settle(h.director.holdMood('happy', 60, actors.admin(1)));
    expect(moodOf(h, h.player.state().current?.track.id)).toMatch(/upbeat|energetic/);
    const refused = await ask(h, 1, h.byMood.calm[0] ?? 0);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: {
        code: 'MB_ERR_GUEST_MOOD',
        message: 'It is calm, far from the upbeat mood staff chose: ask again later, or pick a suggestion',
      },
    });
  });
});
