import { afterEach, describe, expect, it } from 'vitest';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';

// Issue 41: staff's commands on guests' requests are the guest service's, which writes the audit
// with the admin who acted; the route only translates.

const open: GuestHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

/** The guest harness with an admin signed in to the panel: the headers of their calls, and their account's id. */
async function withAdmin(): Promise<{ h: GuestHarness; headers: Record<string, string>; adminId: number }> {
  const h = await guestHarness();
  open.push(h);
  const admin = await h.server.auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, 'test');
  const res = await h.server.app.inject({
    method: 'POST',
    url: '/api/admin/session',
    headers: { host: 'moodbox.local' },
    payload: { name: 'Boss', passphrase: 'correct horse battery' },
  });
  expect(res.statusCode).toBe(200);
  const headers = {
    host: 'moodbox.local',
    cookie: String(res.headers['set-cookie']).split(';')[0] ?? '',
    'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken,
  };
  return { h, headers, adminId: admin.id };
}

const ask = (h: GuestHarness, n: number, trackId: number) =>
  h.server.app.inject(h.as(n, { method: 'POST', url: '/api/guest/requests', payload: { trackId } }));

describe("staff's commands on guests' requests", () => {
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
