import { afterEach, describe, expect, it } from 'vitest';
import type { GuestRequest, GuestState } from '../contract.js';
import { guestHarness, type GuestHarness } from '../../testing/guest-harness.js';
import { actors } from '../../store/audit.js';
import { guestWhy } from '../../guests/guest-why.js';

// Issue 41: the guest page read what plays from the live player and the rest from the screens' state,
// so two sources answered "what is playing". It now reads the screens' projection, as the kiosk,
// the admin panel and Home Assistant do.

const open: GuestHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

const guestState = async (h: GuestHarness) =>
  (await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/guest/state' }))).json<{
    status: string;
    nowPlaying: { track: { id: number }; why: string; isGuestRequest: boolean } | null;
    upNext: Array<{ track: { id: number }; isGuestRequest: boolean }>;
  }>();

describe('the guest page and the screens read one state', () => {
  it('shows the song the screens show, and the one next, with why it plays', async () => {
    const h = await guestHarness();
    open.push(h);
    const screens = () => h.hub.snapshot().data.player;
    const first = await guestState(h);
    expect(first.status).toBe(screens().status);
    expect(first.nowPlaying?.track.id).toBe(screens().nowPlaying?.id);
    expect(first.upNext[0]?.track.id).toBe(screens().next?.id);
    // A mood pick says why it plays, in a guest's words (the screens' are notes for the staff).
    const picked = screens().nowPlaying;
    expect(first.nowPlaying?.why).toBe(guestWhy(picked?.why, picked?.whySaid, null).text);
    expect(first.nowPlaying?.why).not.toBe('');

    // Staff play a song now: every screen says so.
    const playing = screens().nowPlaying?.id;
    const chosen = h.byMood.mellow.find((id) => id !== playing && id !== screens().next?.id) ?? 0;
    await h.settle(h.director.playNow(chosen, actors.admin(1)));
    expect(screens().nowPlaying).toMatchObject({ id: chosen, why: 'chosen by staff' });
    expect((await guestState(h)).nowPlaying).toMatchObject({ track: { id: chosen }, why: 'chosen by staff', isGuestRequest: false });
  });

  it('says the staff’s hold on the music and a request’s reason as data beside the English, for the guest’s language', async () => {
    const h = await guestHarness();
    open.push(h);
    const mood = async () => (await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/guest/state' }))).json<GuestState>().mood;
    h.bus.emit('moodHeld', { label: 'happy', until: h.clock.now() + 3_600_000, music: 'calm' });
    expect(await mood()).toMatchObject({
      why: 'The staff chose calm music for now',
      whySaid: { id: 'guest.staffHold', values: { music: { said: 'music.calm' } } },
    });
    // A mood the owner added keeps its name; with none named, its own sentence.
    h.bus.emit('moodHeld', { label: 'happy', until: h.clock.now() + 3_600_000, music: 'dinner jazz' });
    expect((await mood()).whySaid).toEqual({ id: 'guest.staffHold', values: { music: 'dinner jazz' } });
    h.bus.emit('moodHeld', { label: 'happy', until: h.clock.now() + 3_600_000, music: '' });
    expect(await mood()).toMatchObject({ why: 'The staff chose this music for now', whySaid: { id: 'guest.staffHoldUnnamed' } });

    const busy = [h.player.state().current?.track.id, h.player.state().upcoming[0]?.track.id];
    const trackId = h.byMood.calm.find((id) => !busy.includes(id)) ?? 0;
    const asked = await h.server.app.inject(h.as(1, { method: 'POST', url: '/api/guest/requests', payload: { trackId } }));
    expect(asked.json<GuestRequest>()).toMatchObject({
      status: 'queued',
      reason: 'It fits the room, so it is in the queue',
      reasonSaid: { id: 'guest.reason.queued' },
    });
    const cancelled = await h.server.app.inject(h.as(1, { method: 'DELETE', url: `/api/guest/requests/${asked.json<GuestRequest>().id}` }));
    expect(cancelled.json<GuestState>().me.requests[0]).toMatchObject({
      status: 'cancelled',
      reason: 'You took it back',
      reasonSaid: { id: 'guest.reason.cancelled' },
    });
  });

  it('keeps a phone’s like and its “not this” on the song playing exclusive, the counts true; says what the music follows while staff hold it', async () => {
    const h = await guestHarness();
    open.push(h);
    const view = async (n: number) => (await h.server.app.inject(h.as(n, { method: 'GET', url: '/api/guest/state' }))).json<GuestState>();
    const act = (n: number, url: string, payload: object) => h.server.app.inject(h.as(n, { method: 'POST', url, payload }));
    const trackId = (await view(1)).nowPlaying?.track.id ?? 0;
    // Two phones like the song; the first then votes "not this" on it: its like is taken back.
    for (const n of [1, 2]) expect((await act(n, '/api/guest/like', { trackId })).statusCode).toBe(200);
    expect((await act(1, '/api/guest/votes', { on: 'now', vote: 'down' })).statusCode).toBe(200);
    expect((await view(1)).nowPlaying).toMatchObject({ likes: 1, isLikedByMe: false, votes: { down: 1, mine: 'down' } });
    expect((await view(2)).nowPlaying).toMatchObject({ likes: 1, isLikedByMe: true, votes: { down: 1, mine: null } });
    // It likes the song again: its "not this" is taken back.
    expect((await act(1, '/api/guest/like', { trackId })).statusCode).toBe(200);
    expect((await view(1)).nowPlaying).toMatchObject({ likes: 2, isLikedByMe: true, votes: { down: 0, mine: null } });

    // Staff hold the music to upbeat: the phones are told the mood the music follows, and whose choice it is.
    expect((await view(1)).mood).toMatchObject({ isHeld: false });
    expect((await view(1)).mood.music).toBeUndefined();
    h.bus.emit('moodHeld', { label: 'happy', until: h.clock.now() + 3_600_000, music: 'upbeat' });
    expect((await view(1)).mood).toMatchObject({ isHeld: true, music: 'upbeat' });
  });

  it('tells a phone off the local network why it is refused, as data for its language', async () => {
    const h = await guestHarness();
    open.push(h);
    const res = await h.server.app.inject(h.as(1, { method: 'GET', url: '/api/guest/state' }, { address: '203.0.113.9' }));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      error: { message: 'The guest page is served on the local network only.', said: { id: 'guest.lanOnly' } },
    });
  });
});
