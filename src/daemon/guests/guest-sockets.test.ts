import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';
import { GUEST_PUSH_MS } from '../http/guests/guest-socket.js';
import { until } from '../testing/ws-socket.js';
import { actors } from '../store/audit.js';

// A flood of guest sockets must not take the box (issue 42, item 7): a ceiling in all and per
// address, and one room view sent as the same text to every phone. Real sockets on 127.0.0.1 only.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Phone {
  ws: WebSocket;
  /** Every text message the phone received, in order. */
  texts: string[];
}
type Opened = Phone | { refused: number; code: string };

async function listening(config: Record<string, unknown>): Promise<GuestHarness & { url: string; origin: string }> {
  const h = await guestHarness({ config: { guests: { callsPerMinute: 6000, ...config } } });
  cleanups.push(() => h.close());
  await h.server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = h.server.app.server.address() as { port: number };
  return { ...h, url: `ws://127.0.0.1:${port}/ws/guest`, origin: `http://127.0.0.1:${port}` };
}

/** Opens the guest page's socket; resolves once it is open and has the room's view, or with the refusal. */
function open(h: { url: string; origin: string }, cookie?: string): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(h.url, { headers: { origin: h.origin, ...(cookie === undefined ? {} : { cookie: `mb_guest=${cookie}` }) } });
    const texts: string[] = [];
    ws.on('message', (raw) => {
      texts.push((raw as Buffer).toString('utf8'));
      if (texts.length === 2) resolve({ ws, texts });
    });
    ws.once('open', () => cleanups.push(() => ws.terminate()));
    ws.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        ws.terminate();
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error: { code: string } };
        resolve({ refused: response.statusCode ?? 0, code: body.error.code });
      });
    });
    ws.once('error', (err) => {
      if (ws.readyState !== WebSocket.CLOSED) reject(err);
    });
  });
}

const isOpen = (o: Opened): o is Phone => 'ws' in o;

describe('/ws/guest under a flood', () => {
  it('opens at most `guests.socketsMax` guest pages at once, answering the rest 429, and one more once one closes', async () => {
    const h = await listening({ socketsMax: 40, socketsPerAddress: 64 });
    // 60 upgrades at once: a seat is taken before the upgrade, so a burst cannot slip past the count.
    const flood = await Promise.all(Array.from({ length: 60 }, () => open(h)));
    const phones = flood.filter(isOpen);
    const refused = flood.filter((o) => !isOpen(o));
    expect(phones).toHaveLength(40);
    expect(refused).toHaveLength(20);
    expect(new Set(refused.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify({ refused: 429, code: 'MB_ERR_GUEST_FULL' })]));

    // Still full: one more is refused until a page closes; then one opens again.
    expect(await open(h)).toEqual({ refused: 429, code: 'MB_ERR_GUEST_FULL' });
    const [first] = phones;
    first?.ws.close();
    let again: Opened = { refused: 0, code: '' };
    for (let tries = 0; tries < 100 && !isOpen(again); tries++) again = await open(h);
    expect(isOpen(again)).toBe(true);
    expect(await open(h)).toEqual({ refused: 429, code: 'MB_ERR_GUEST_FULL' });
  });

  it('opens at most `guests.socketsPerAddress` guest pages from one address', async () => {
    const h = await listening({ socketsMax: 400, socketsPerAddress: 5 });
    const flood = await Promise.all(Array.from({ length: 12 }, () => open(h)));
    expect(flood.filter(isOpen)).toHaveLength(5);
    expect(flood.filter((o) => !isOpen(o))).toEqual(Array.from({ length: 7 }, () => ({ refused: 429, code: 'MB_ERR_GUEST_FULL' })));
  });

  it('opens a page more for each phone that has been around behind the address (a café behind one router, issue 40)', async () => {
    const h = await listening({ socketsMax: 400, socketsPerAddress: 2 });
    const cookies = ['c1', 'c2', 'c3', 'c4'].map((c) => c.padEnd(22, '0'));
    const call = (cookie: string) =>
      h.server.app.inject(h.as(1, { method: 'GET', url: '/api/guest/state' }, { address: '127.0.0.1', cookie }));
    // Four phones seen now, and again two minutes on: four phones behind 127.0.0.1.
    for (const cookie of cookies) await call(cookie);
    h.clock.advance(121_000);
    for (const cookie of cookies) await call(cookie);
    const flood = await Promise.all(Array.from({ length: 8 }, () => open(h)));
    expect(flood.filter(isOpen)).toHaveLength(5);
    expect(flood.filter((o) => !isOpen(o))).toHaveLength(3);
  });

  it('sends every phone the same room view, and each phone only its own requests', async () => {
    const h = await listening({ socketsMax: 400, socketsPerAddress: 64 });
    const asker = 'a1234567890123456789_x';
    const phones = (await Promise.all([open(h, asker), ...Array.from({ length: 30 }, () => open(h))])).filter(isOpen);
    expect(phones).toHaveLength(31);
    // On connect: the room's view, then the phone's own part.
    for (const p of phones) expect(p.texts.map((t) => (JSON.parse(t) as { type: string }).type)).toEqual(['guest/room', 'guest/mine']);

    const [song] = h.byMood.calm.filter((id) => id !== h.player.state().current?.track.id && id !== h.player.state().upcoming[0]?.track.id);
    const asked = await h.server.app.inject(
      h.as(1, { method: 'POST', url: '/api/guest/requests', payload: { trackId: song }, headers: { cookie: `mb_guest=${asker}` } }),
    );
    expect(asked.statusCode).toBe(201);
    h.clock.advance(GUEST_PUSH_MS);
    await until(() => phones.every((p) => p.texts.some((t, i) => i >= 2 && t.startsWith('{"type":"guest/room"'))));
    await until(() => phones[0]?.texts.some((t, i) => i >= 2 && t.startsWith('{"type":"guest/mine"')) === true);

    const rooms = phones.map((p) => p.texts.slice(2).filter((t) => t.startsWith('{"type":"guest/room"')));
    // One new room view, the very same text for every phone: the requested song up next.
    expect(new Set(rooms.map((r) => r.at(-1))).size).toBe(1);
    const room = JSON.parse(rooms[0]?.at(-1) ?? '{}') as { data: { upNext: Array<{ track: { id: number } }>; me?: unknown } };
    expect(room.data.upNext.map((u) => u.track.id)).toContain(song);
    expect(room.data.me).toBeUndefined();
    // Only the phone that asked hears of its own part again; the others' own parts did not change.
    const mine = (p: Phone) =>
      p.texts
        .slice(2)
        .filter((t) => t.startsWith('{"type":"guest/mine"'))
        .map((t) => JSON.parse(t) as { data: { me: { requests: Array<{ track: { id: number } }>; requestsLeft: number } } });
    expect(
      mine(phones[0] as Phone)
        .at(-1)
        ?.data.me.requests.map((r) => r.track.id),
    ).toEqual([song]);
    for (const p of phones.slice(1)) expect(mine(p)).toEqual([]);
  });

  it('tells every open phone at once that guests may no longer ask, when staff turn requests off', async () => {
    const h = await listening({ socketsMax: 10, socketsPerAddress: 10 });
    const phone = await open(h);
    if (!isOpen(phone)) throw new Error('Expected the guest page to open');
    const room = (text: string | undefined) => JSON.parse(text ?? '{}') as { type: string; data: { isOpen: boolean } };
    expect(room(phone.texts[0]).data.isOpen).toBe(true);
    h.server.settings.saveAs(actors.admin(1), { guests: { requests: 'off' } });
    // As the live configuration announces a save on the app's bus.
    h.bus.emit('settingsChanged', { changed: ['guests.requests'] });
    h.clock.advance(GUEST_PUSH_MS);
    await until(() => phone.texts.length > 2);
    const rooms = phone.texts
      .slice(2)
      .map(room)
      .filter((m) => m.type === 'guest/room');
    expect(rooms.map((m) => m.data.isOpen)).toEqual([false]);
  });
});
