import { afterEach, describe, expect, it } from 'vitest';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';
import { signInNewAdmin } from '../testing/server.js';

// Issue 58, "Approval, whole": with request approval on, a request still waiting for the staff is in
// nobody's up next and takes no votes, and its guest sees it waiting for the staff; one the staff
// decline says so, and uses up none of the guest's requests this hour. Against the real director,
// guest service and server.

const open: GuestHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

interface Mine {
  id: number;
  status: string;
  reason: string;
  place: number | null;
  expectedAt: number | null;
}
interface View {
  me: { requests: Mine[]; requestsLeft: number };
  upNext: Array<{ key: number; track: { id: number }; place: number; votes: { up: number } }>;
}

/** The guest harness with request approval on, and an admin signed in: the headers of their calls. */
async function withApproval(guests: Record<string, unknown> = {}): Promise<{ h: GuestHarness; headers: Record<string, string> }> {
  const h = await guestHarness({ config: { guests: { approval: 'staff', ...guests } } });
  open.push(h);
  const { headers } = await signInNewAdmin(h.server, { headers: { host: 'moodbox.local' } });
  return { h, headers };
}

const ask = (h: GuestHarness, n: number, trackId: number) =>
  h.server.app.inject(h.as(n, { method: 'POST', url: '/api/guest/requests', payload: { trackId } }));
const view = async (h: GuestHarness, n: number) =>
  (await h.server.app.inject(h.as(n, { method: 'GET', url: '/api/guest/state' }))).json<View>();
const vote = (h: GuestHarness, n: number, on: number, how: 'up' | 'down') =>
  h.server.app.inject(h.as(n, { method: 'POST', url: '/api/guest/votes', payload: { on, vote: how } }));
/** Songs that fit the calm room and neither play nor come next. */
const freeSongs = (h: GuestHarness) => {
  const busy = [h.player.state().current?.track.id, ...h.player.state().upcoming.map((i) => i.track.id)];
  return h.byMood.calm.concat(h.byMood.mellow).filter((id) => !busy.includes(id));
};

describe('guests’ requests waiting for the staff', () => {
  it('is in nobody’s up next, takes no votes, and shows its guest it waits for the staff, until the staff say yes (issue 58)', async () => {
    const { h, headers } = await withApproval();
    const [wanted] = freeSongs(h);
    const asked = await ask(h, 1, wanted ?? 0);
    expect(asked.statusCode).toBe(201);
    const id = asked.json<Mine>().id;
    await h.settle();

    for (const n of [1, 2]) {
      const { upNext } = await view(h, n);
      expect(upNext.map((u) => u.key)).not.toContain(id);
      expect(upNext.map((u) => u.track.id)).not.toContain(wanted);
      // Only the song the player plays next, first in line.
      expect(upNext.map((u) => u.place)).toEqual([1]);
    }
    expect(h.hub.snapshot().data.player.next?.id).not.toBe(wanted);
    expect((await view(h, 1)).me.requests).toMatchObject([
      { id, status: 'waiting', reason: 'Waiting for the staff to say yes', place: null, expectedAt: null },
    ]);

    const up = await vote(h, 2, id, 'up');
    expect(up.statusCode).toBe(409);
    expect(up.json()).toMatchObject({ error: { code: 'MB_ERR_GUEST_NOT_APPROVED', message: expect.stringContaining('staff') as unknown } });
    expect((await vote(h, 3, id, 'down')).statusCode).toBe(409);
    expect(h.guests.votesOn(id)).toMatchObject({ up: 0, down: 0 });

    // Once the staff say yes it is in the queue: next, on every phone, and votes count.
    const approved = await h.server.app.inject({ method: 'POST', url: `/api/admin/guests/requests/${id}/approve`, headers });
    expect(approved.statusCode).toBe(200);
    await h.settle();
    expect((await view(h, 2)).upNext[0]).toMatchObject({ key: id, track: { id: wanted }, place: 1 });
    expect(h.hub.snapshot().data.player.next?.id).toBe(wanted);
    const counted = await vote(h, 2, id, 'up');
    expect(counted.statusCode).toBe(200);
    expect(counted.json<View>().upNext[0]).toMatchObject({ key: id, votes: { up: 1 } });
  });

  it('declined by the staff, or not reached in time, says so and uses up none of the guest’s requests this hour (issue 58)', async () => {
    const { h, headers } = await withApproval({ requestsPerHour: 2, waitMin: 5 });
    const [first, second, third, fourth] = freeSongs(h);
    const asked = (await ask(h, 1, first ?? 0)).json<Mine>();
    expect((await view(h, 1)).me.requestsLeft).toBe(1);

    const declined = await h.server.app.inject({ method: 'DELETE', url: `/api/admin/guests/requests/${asked.id}`, headers });
    expect(declined.statusCode).toBe(200);
    expect(declined.json<{ requests: Mine[] }>().requests.find((r) => r.id === asked.id)).toMatchObject({
      status: 'declined',
      reason: 'The staff said no to it',
    });
    const after = await view(h, 1);
    expect(after.me.requests[0]).toMatchObject({ id: asked.id, status: 'declined', reason: 'The staff said no to it' });
    expect(after.me.requestsLeft).toBe(2);
    expect(h.store.audit.list({ action: 'guests.decline' }).items).toMatchObject([{ detail: { request: asked.id } }]);

    // Nobody says yes to the next one in time: declined, and it does not count either.
    const late = (await ask(h, 1, second ?? 0)).json<Mine>();
    h.clock.advance(5 * 60_000 + 30_000);
    await h.settle();
    const expired = await view(h, 1);
    expect(expired.me.requests[0]).toMatchObject({ id: late.id, status: 'declined' });
    expect(expired.me.requestsLeft).toBe(2);

    // Both of the hour's requests are still the guest's to ask.
    expect((await ask(h, 1, third ?? 0)).statusCode).toBe(201);
    expect((await ask(h, 1, fourth ?? 0)).statusCode).toBe(201);
    expect((await view(h, 1)).me.requestsLeft).toBe(0);
  });
});
