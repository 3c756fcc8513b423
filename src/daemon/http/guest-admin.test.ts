import { afterEach, describe, expect, it } from 'vitest';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';
import { signInNewAdmin } from '../testing/server.js';

// Issue 41: staff's commands on guests' requests are the guest service's, which writes the audit
// with the admin who acted; the route only translates.

const open: GuestHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

/** The guest harness with an admin signed in to the panel: the headers of their calls, and their account's id. */
async function withAdmin(config?: Record<string, unknown>): Promise<{ h: GuestHarness; headers: Record<string, string>; adminId: number }> {
  const h = await guestHarness(config === undefined ? {} : { config });
  open.push(h);
  const { headers, userId } = await signInNewAdmin(h.server, { headers: { host: 'moodbox.local' } });
  return { h, headers, adminId: userId };
}

const ask = (h: GuestHarness, n: number, trackId: number) =>
  h.server.app.inject(h.as(n, { method: 'POST', url: '/api/guest/requests', payload: { trackId } }));

describe("staff's commands on guests' requests", () => {
  it('with approval on, holds each request until the staff say yes, then plays it; one nobody approves is declined after the wait (issue 40)', async () => {
    const { h, headers, adminId } = await withAdmin({ guests: { approval: 'staff', waitMin: 5 } });
    const busy = [h.player.state().current?.track.id, ...h.player.state().upcoming.map((i) => i.track.id)];
    const [wanted, other] = h.byMood.calm.concat(h.byMood.mellow).filter((id) => !busy.includes(id));
    const asked = await ask(h, 1, wanted ?? 0);
    expect(asked.statusCode).toBe(201);
    expect(asked.json()).toMatchObject({ status: 'waiting', reason: 'Waiting for the staff to say yes', place: null });
    const id = asked.json<{ id: number }>().id;
    await h.settle();
    // It fits the room, but nothing of it is queued before the staff say yes.
    expect(h.player.state().upcoming.map((i) => i.reason)).not.toContain('guest');
    const listed = await h.server.app.inject({ method: 'GET', url: '/api/admin/guests', headers });
    expect(listed.json()).toMatchObject({ needsApproval: true, requests: [{ id, awaitingApproval: true, status: 'waiting' }] });

    const approved = await h.server.app.inject({ method: 'POST', url: `/api/admin/guests/requests/${id}/approve`, headers });
    expect(approved.statusCode).toBe(200);
    expect(approved.json<{ requests: Array<{ id: number }> }>().requests.find((r) => r.id === id)).toMatchObject({
      status: 'queued',
      awaitingApproval: false,
    });
    await h.settle();
    const mine = await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/guest/state' }));
    expect(mine.json<{ me: { requests: Array<{ id: number; place: number | null }> } }>().me.requests[0]).toMatchObject({ id, place: 1 });
    expect(h.player.state().upcoming[0]).toMatchObject({ track: { id: wanted }, reason: 'guest' });
    const twice = await h.server.app.inject({ method: 'POST', url: `/api/admin/guests/requests/${id}/approve`, headers });
    expect(twice.statusCode).toBe(404);
    expect(h.store.audit.list({ action: 'guests.approve' }).items).toMatchObject([{ actor: `admin:${adminId}`, detail: { request: id } }]);

    // Nobody says yes to the next one: after the wait it is declined, and the phone is told why.
    const late = (await ask(h, 2, other ?? 0)).json<{ id: number }>().id;
    h.clock.advance(5 * 60_000 + 30_000);
    await h.settle();
    const state = await h.server.app.inject(h.as(2, { method: 'GET', url: '/api/guest/state' }));
    expect(state.json<{ me: { requests: Array<{ id: number; status: string; reason: string }> } }>().me.requests[0]).toMatchObject({
      id: late,
      status: 'declined',
      reason: 'The staff did not get to it within 5 min',
    });
  });

  it('takes one request out and clears the queue, each audited with the admin who did it; a request no longer queued changes nothing', async () => {
    const { h, headers, adminId } = await withAdmin();
    // Songs that neither play nor come next: asking for those is refused.
    const busy = [h.player.state().current?.track.id, ...h.player.state().upcoming.map((i) => i.track.id)];
    const [first, second, third] = h.byMood.calm.concat(h.byMood.mellow).filter((id) => !busy.includes(id));
    const made = await Promise.all([ask(h, 1, first ?? 0), ask(h, 2, second ?? 0), ask(h, 3, third ?? 0)]);
    expect(made.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    const [one] = made.map((r) => r.json<{ id: number }>().id);

    const cleared = await h.server.app.inject({ method: 'DELETE', url: `/api/admin/guests/requests/${one}`, headers });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json<{ requests: Array<{ id: number; status: string }> }>().requests.find((r) => r.id === one)?.status).toBe('cleared');
    const again = await h.server.app.inject({ method: 'DELETE', url: `/api/admin/guests/requests/${one}`, headers });
    expect(again.statusCode).toBe(404);

    const all = await h.server.app.inject({ method: 'DELETE', url: '/api/admin/guests', headers });
    expect(all.statusCode).toBe(200);
    expect(h.guests.queue()).toEqual([]);

    const audit = h.store.audit.list({}).items.filter((e) => e.action.startsWith('guests.'));
    expect(audit.reverse().map(({ actor, action, detail }) => ({ actor, action, detail }))).toEqual([
      { actor: `admin:${adminId}`, action: 'guests.clear', detail: { request: one } },
      { actor: `admin:${adminId}`, action: 'guests.clear-all', detail: { requests: 2 } },
    ]);
  });
});
