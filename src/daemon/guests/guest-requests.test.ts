import { afterEach, describe, expect, it } from 'vitest';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';

// Guests from their phones (issue 31): the guest page's calls against the real director, guest
// service, server and SQLite.

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
    expect(body.mood).toEqual({ label: 'neutral', why: 'The room looked relaxed' });
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
    expect((await state(h, 1)).me.requests[0]).toMatchObject({ status: 'played' });
    const play = h.store.plays.list({ limit: 1 }).items[0];
    expect(play).toMatchObject({ trackId: wanted, reason: 'guest' });
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
      '/api/guest/search',
      '/api/guest/state',
      '/api/guest/votes',
    ]);
    for (const path of guestPaths) for (const op of Object.values(doc.paths[path] ?? {})) expect(op.tags).toEqual(['guest']);
  });
});
