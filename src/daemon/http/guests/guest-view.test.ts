import { afterEach, describe, expect, it } from 'vitest';
import type { GuestRequest, GuestState } from '../contract.js';
import { guestHarness, type GuestHarness } from '../../testing/guest-harness.js';
import { actors } from '../../store/audit.js';

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
    // A mood pick says why it fits, as the history keeps it.
    expect(first.nowPlaying?.why).toBe(screens().nowPlaying?.why);
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
});
