import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { chartStats } from '../http/chart-stats.js';
import { GUEST_PUSH_MS } from '../http/guests/guest-socket.js';
import { until } from '../testing/ws-socket.js';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';
import { actors } from '../store/audit.js';

// Guests from their phones (issue 31): the guest page's calls against the real director, guest
// service, server and SQLite.

/** The fields of a phone's connection the upgrade reads. */
const PHONE_SOCKET = { remoteAddress: '192.168.1.1', localPort: 80 } as Socket;
const open: GuestHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function harness(...args: Parameters<typeof guestHarness>): Promise<GuestHarness> {
  const h = await guestHarness(...args);
  open.push(h);
  return h;
}

const ask = (h: GuestHarness, n: number, trackId: number, as?: { address?: string; cookie?: string | null }) =>
  h.server.app.inject(h.as(n, { method: 'POST', url: '/api/guest/requests', payload: { trackId } }, as));
const state = async (h: GuestHarness, n: number) =>
  (await h.server.app.inject(h.as(n, { method: 'GET', url: '/api/guest/state' }))).json<{
    nowPlaying: { track: { id: number }; why: string; isGuestRequest: boolean; votes: { down: number } } | null;
    upNext: Array<{ key: number; track: { id: number }; isGuestRequest: boolean }>;
    me: { requests: Array<{ status: string; reason: string }>; requestsLeft: number };
    isOpen: boolean;
    closedReason: string | null;
  }>();

describe('the guest page', () => {
  it('gives a phone an anonymous HttpOnly cookie and its view, with no names and no face counts', async () => {
    const h = await harness();
    const res = await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/guest/state' }, { cookie: null }));
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^mb_guest=[A-Za-z0-9_-]{22};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const body = res.json<{ isOpen: boolean; nowPlaying: { track: { id: number } }; mood: { label: string; why: string } }>();
    expect(body.isOpen).toBe(true);
    expect(h.byMood.calm).toContain(body.nowPlaying.track.id);
    expect(body.mood).toEqual({
      label: 'neutral',
      why: 'The room looked relaxed',
      whySaid: { id: 'mood.looked', values: { look: { said: 'look.neutral' } } },
      isHeld: false,
    });
    expect(res.body).not.toMatch(/face/i);
  });

  it('finds songs by title or artist, at most 20', async () => {
    const h = await harness();
    for (let i = 0; i < 30; i++) h.store.tracks.upsert({ uri: `/music/x-${i}.flac`, title: `Song ${i}`, artist: 'Many' });
    const res = await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/guest/search?q=mellow%20artist%202' }));
    expect(res.json<{ tracks: Array<{ id: number }> }>().tracks.map((t) => t.id)).toEqual([h.byMood.mellow[1]]);
    const many = await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/guest/search?q=many' }));
    expect(many.json<{ tracks: unknown[] }>().tracks).toHaveLength(20);
  });

  it('plays a request that fits after the song playing, says "asked for by a guest", and records it', async () => {
    const h = await harness();
    const playing = h.player.state().current?.track.id;
    const wanted = h.byMood.calm.find((id) => id !== playing && id !== h.player.state().upcoming[0]?.track.id) ?? 0;
    const res = await ask(h, 1, wanted);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ track: { id: wanted }, status: 'queued' });
    await h.settle();
    expect(h.player.state().upcoming[0]).toMatchObject({ track: { id: wanted }, reason: 'guest', note: 'asked for by a guest' });
    expect(h.director.playback).toMatchObject({ nextTrackId: wanted, isNextGuestRequest: true });
    expect((await state(h, 2)).upNext[0]).toMatchObject({ track: { id: wanted }, isGuestRequest: true });
    // The kiosk says so.
    expect(h.hub.snapshot().data.player.next).toMatchObject({ id: wanted, why: 'asked for by a guest', whyKind: 'guest' });

    h.player.endCurrent();
    await h.settle();
    expect(h.player.state().current).toMatchObject({ track: { id: wanted }, reason: 'guest' });
    expect(h.director.playback.isGuestRequest).toBe(true);
    expect(h.hub.snapshot().data.player.nowPlaying).toMatchObject({ id: wanted, why: 'asked for by a guest', whyKind: 'guest' });
    // One guest song after each of the mood's picks, never two in a row.
    expect(h.player.state().upcoming[0]?.reason).toBe('mood');
    expect((await state(h, 1)).me.requests[0]).toMatchObject({ status: 'playing', reason: 'Playing now' });
    const play = h.store.plays.list({ limit: 1 }).items[0];
    expect(play).toMatchObject({ trackId: wanted, reason: 'guest' });
    // The admin's charts count it.
    const charts = chartStats(h.store.stats, { from: h.clock.now() - 3_600_000, to: h.clock.now() + 1, bucketMs: 600_000 });
    expect(charts.guestPlays).toBe(1);
  });

  it('declines a waiting request once the owner blocks its song, tells the phone why, and refuses the song after that', async () => {
    const h = await harness();
    const playing = h.player.state().current?.track.id;
    const wanted = h.byMood.calm.find((id) => id !== playing && id !== h.player.state().upcoming[0]?.track.id) ?? 0;
    expect((await ask(h, 1, wanted)).statusCode).toBe(201);
    await h.settle();
    expect(h.player.state().upcoming[0]?.track.id).toBe(wanted);

    h.blocks.blockSong(wanted, actors.admin(1));
    await h.settle();
    expect((await state(h, 1)).me.requests[0]).toMatchObject({ status: 'declined', reason: 'The staff took this song off the list' });
    expect(h.player.state().upcoming.map((i) => i.track.id)).not.toContain(wanted);
    const again = await ask(h, 2, wanted);
    expect(again.statusCode).toBe(403);
    expect(again.json()).toMatchObject({ error: { code: 'MB_ERR_GUEST_NOT_ALLOWED' } });
    const found = await h.server.app.inject(h.as(2, { method: 'GET', url: '/api/guest/search?q=calm' }));
    const ids = found.json<{ tracks: Array<{ id: number }> }>().tracks.map((t) => t.id);
    expect(ids).not.toContain(wanted);
    expect(ids.length).toBeGreaterThan(0);
  });

  it('pushes this phone’s view on /ws/guest on connect and after a change, and takes nothing from it', async () => {
    const h = await harness();
    await h.server.app.ready();
    const cookie = 'mb_guest=a1234567890123456789_x';
    const messages: Array<{ type: string; data: { isOpen?: boolean; me?: { requests: unknown[] } } }> = [];
    let closed: number | undefined;
    const ws = await h.server.app.injectWS(
      '/ws/guest',
      { headers: { host: 'moodbox.local', origin: 'http://moodbox.local', cookie }, socket: PHONE_SOCKET },
      {
        onInit: (socket) => {
          socket.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8')) as (typeof messages)[number]));
          socket.on('close', (code) => (closed = code));
        },
      },
    );
    await until(() => messages.length === 2);
    // The room's view (the same for every phone), then this phone's own part.
    expect(messages[0]).toMatchObject({ type: 'guest/room', data: { isOpen: true } });
    expect(messages[1]).toMatchObject({ type: 'guest/mine', data: { me: { requests: [] } } });
    const [song] = h.byMood.calm.filter((id) => id !== h.player.state().current?.track.id && id !== h.player.state().upcoming[0]?.track.id);
    const asked = await h.server.app.inject(
      h.as(1, { method: 'POST', url: '/api/guest/requests', payload: { trackId: song }, headers: { cookie } }),
    );
    expect(asked.statusCode).toBe(201);
    h.clock.advance(GUEST_PUSH_MS);
    await until(() => messages.some((m, i) => i >= 2 && m.type === 'guest/mine'));
    expect(messages.findLast((m) => m.type === 'guest/mine')?.data.me?.requests).toHaveLength(1);
    expect(JSON.stringify(messages)).not.toMatch(/faces/);
    ws.send(JSON.stringify({ type: 'player/pause' }));
    await until(() => closed !== undefined);
    expect(closed).toBe(1008);
    await expect(
      h.server.app.injectWS('/ws/guest', { headers: { host: 'moodbox.local', origin: 'http://evil.example' }, socket: PHONE_SOCKET }),
    ).rejects.toThrow(/403/);
  });

  it('pushes a phone that read its view over HTTP all of it again, also where the daemon is back at what it last pushed', async () => {
    const h = await harness();
    await h.server.app.ready();
    const id = 'a1234567890123456789_x';
    type Message = { type: string; data: { isNowLikedByMe?: boolean; votes?: unknown[]; upNext?: Array<{ track: { id: number } }> } };
    const messages: Message[] = [];
    await h.server.app.injectWS(
      '/ws/guest',
      { headers: { host: 'moodbox.local', origin: 'http://moodbox.local', cookie: `mb_guest=${id}` }, socket: PHONE_SOCKET },
      { onInit: (socket) => socket.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8')) as Message)) },
    );
    await until(() => messages.length === 2);
    const call = (request: Parameters<GuestHarness['as']>[1]) => h.server.app.inject(h.as(1, request, { cookie: id }));
    const trackId = h.player.state().current?.track.id;
    const mine = (from = 0) => messages.slice(from).findLast((m) => m.type === 'guest/mine')?.data;

    // A like, pushed.
    expect((await call({ method: 'POST', url: '/api/guest/like', payload: { trackId } })).statusCode).toBe(200);
    h.clock.advance(GUEST_PUSH_MS);
    await until(() => mine()?.isNowLikedByMe === true);
    // "Not this" takes the like back, and the page reads its view at once, before the push.
    expect((await call({ method: 'POST', url: '/api/guest/votes', payload: { on: 'now', vote: 'down' } })).statusCode).toBe(200);
    const read = (await call({ method: 'GET', url: '/api/guest/state' })).json<{ nowPlaying: unknown }>();
    expect(read.nowPlaying).toMatchObject({ isLikedByMe: false, likes: 0, votes: { mine: 'down', down: 1 } });
    const seen = messages.length;
    // A like again within the same gathering: the daemon is back at what it last pushed, the page not.
    expect((await call({ method: 'POST', url: '/api/guest/like', payload: { trackId } })).statusCode).toBe(200);
    h.clock.advance(GUEST_PUSH_MS);
    // Another phone asks for a song: every page hears the room after whatever the gathering sent.
    const [song] = h.byMood.calm.filter((s) => s !== trackId && s !== h.player.state().upcoming[0]?.track.id);
    expect((await ask(h, 2, song ?? 0)).statusCode).toBe(201);
    h.clock.advance(GUEST_PUSH_MS);
    await until(() =>
      messages.slice(seen).some((m) => m.type === 'guest/room' && m.data.upNext?.some((u) => u.track.id === song) === true),
    );
    expect(mine(seen)).toMatchObject({ isNowLikedByMe: true, votes: [] });
    const rooms = messages.slice(seen).filter((m) => m.type === 'guest/room');
    expect(rooms[0]?.data).toMatchObject({ nowPlaying: { likes: 1, votes: { down: 0 } } });
  });

  it('plays one guest song after each of the mood’s picks, never two in a row', async () => {
    const h = await harness();
    const [a, b] = [1, 2].map((i) => {
      const track = h.store.tracks.upsert({ uri: `/music/asked-${i}.flac`, title: `asked ${i}`, artist: `calm artist ${i + 20}` });
      h.store.tracks.setMoods(track.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
      return track.id;
    });
    expect((await ask(h, 1, a ?? 0)).statusCode).toBe(201);
    expect((await ask(h, 2, b ?? 0)).statusCode).toBe(201);
    await h.settle();
    const reasons: string[] = [];
    for (let i = 0; i < 4; i++) {
      h.player.endCurrent();
      await h.settle();
      reasons.push(`${h.player.state().current?.reason ?? ''}:${h.player.state().current?.track.id ?? ''}`);
    }
    expect(reasons.map((r) => r.split(':')[0])).toEqual(['guest', 'mood', 'guest', 'mood']);
    expect(reasons.filter((r) => r.startsWith('guest')).map((r) => Number(r.split(':')[1]))).toEqual([a, b]);
  });

  it('tags every guest route `guest` in the OpenAPI document', async () => {
    const h = await harness();
    const doc = (await h.server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { tags?: string[] }>>;
    }>();
    const guestPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/guest'));
    expect(guestPaths.sort()).toEqual([
      '/api/guest/like',
      '/api/guest/requests',
      '/api/guest/requests/{id}',
      '/api/guest/search',
      '/api/guest/state',
      '/api/guest/votes',
    ]);
    for (const path of guestPaths) for (const op of Object.values(doc.paths[path] ?? {})) expect(op.tags).toEqual(['guest']);
  });
});
