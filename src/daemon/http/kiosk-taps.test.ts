import { afterEach, describe, expect, it } from 'vitest';
import type { Said } from '../../kernel/said.js';
import { saidInEnglish } from '../../kernel/testing/said-in-english.js';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';
import { KIOSK_SCREEN, LAN_PAGE, socket } from '../testing/ws-socket.js';

// Kiosk taps are no free remote control (issue 42, item 3): a budget per screen and per address, the
// mood rule, a tap from another device is a guest's ask, and a tap by nobody signed in is no one's skip.

const open: GuestHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function harness(config: Record<string, unknown> = {}): Promise<GuestHarness> {
  const h = await guestHarness({ config });
  open.push(h);
  return h;
}

const codeOf = (reply: Record<string, unknown>) => (reply['error'] as { code?: string } | undefined)?.code ?? reply['status'];

describe('kiosk taps', () => {
  it('start at most `player.tapsPerMinute` songs a minute from the kiosk screen, and the songs they replace are no one’s skip', async () => {
    const h = await harness();
    const kiosk = await socket(h.server.app, KIOSK_SCREEN);
    // Ten taps as fast as the socket takes them (10 song changes in 707 ms before).
    const songs = [...h.byMood.calm, ...h.byMood.mellow, ...h.byMood.calm, ...h.byMood.mellow];
    const replies = [];
    for (const trackId of songs.slice(0, 10)) replies.push(await kiosk.ask('player/play', { trackId }));
    expect(replies.map((r) => codeOf(r))).toEqual(['ok', 'ok', ...Array.from({ length: 8 }, () => 'MB_ERR_PLAYER_TOO_FAST')]);
    // Said in the kiosk's language too: the refusal as a message, which the English catalogue words as the daemon does.
    const refused = (replies[2] as { error: { message: string; said: Said } }).error;
    expect(saidInEnglish(refused.said)).toBe(refused.message);
    expect(h.player.state().current).toMatchObject({ reason: 'tap', track: { id: songs[1] } });
    // A new socket from the same address gets nothing more.
    const again = await socket(h.server.app, KIOSK_SCREEN);
    expect(codeOf(await again.ask('player/play', { trackId: songs[2] }))).toBe('MB_ERR_PLAYER_TOO_FAST');
    // A minute on (a new socket: the clock's minute also ends the old ones, which answered no ping).
    h.clock.advance(60_000);
    const later = await socket(h.server.app, KIOSK_SCREEN);
    expect(codeOf(await later.ask('player/play', { trackId: songs[2] }))).toBe('ok');
    // Nobody was signed in: the replaced songs were switched, never skipped (they teach no taste).
    const outcomes = h.store.plays.list({ limit: 10 }).items.map((p) => p.outcome);
    expect(outcomes).not.toContain('skipped');
    expect(outcomes.filter((o) => o === 'switched')).toHaveLength(3);
  });

  it('do not start a song far from the room’s mood', async () => {
    const h = await harness();
    const kiosk = await socket(h.server.app, KIOSK_SCREEN);
    const before = h.player.state().current?.key;
    const reply = await kiosk.ask('player/play', { trackId: h.byMood.energetic[0] });
    expect(reply).toMatchObject({
      status: 'error',
      error: { code: 'MB_ERR_PLAYER_MOOD', message: expect.stringMatching(/far from the room/) },
    });
    const refused = (reply as { error: { message: string; said: Said } }).error;
    expect(saidInEnglish(refused.said)).toBe(refused.message);
    expect(h.player.state().current?.key).toBe(before);
    // A tap that plays is audited as the kiosk's (nobody signed in); the refused one left no line.
    expect(codeOf(await kiosk.ask('player/play', { trackId: h.byMood.calm[1] }))).toBe('ok');
    const audited = h.store.audit
      .list({ limit: 10 })
      .items.filter((e) => e.action === 'player.tap')
      .map((e) => [e.actor, e.action, e.detail]);
    expect(audited).toEqual([['kiosk', 'player.tap', { trackId: h.byMood.calm[1] }]]);
  });

  it('from another device are a guest’s ask: refused while guests are off, else queued within the guests’ hourly budget', async () => {
    const off = await harness({ guests: { requests: 'off' } });
    const phone = await socket(off.server.app, LAN_PAGE);
    const playing = off.player.state().current?.key;
    expect(codeOf(await phone.ask('player/play', { trackId: off.byMood.calm[1] }))).toBe('MB_ERR_GUEST_CLOSED');
    expect(off.player.state().current?.key).toBe(playing);

    const h = await harness({ guests: { requests: 'on', requestsPerHour: 2 } });
    const lan = await socket(h.server.app, LAN_PAGE);
    const now = h.player.state().current;
    const [a, b, c] = [...h.byMood.calm, ...h.byMood.mellow].filter(
      (id) => id !== now?.track.id && id !== h.player.state().upcoming[0]?.track.id,
    );
    const first = await lan.ask('player/play', { trackId: a });
    expect(first).toMatchObject({ status: 'ok', data: { trackId: a, message: expect.stringMatching(/^Asked for as a guest/) } });
    // It did not play now: the song playing plays on, and the request comes after it.
    expect(h.player.state().current?.key).toBe(now?.key);
    expect(h.guests.queue().map((r) => r.trackId)).toEqual([a]);
    // Past the minute's taps, each from a new connection of the same address: the address's hourly requests still hold.
    h.clock.advance(60_000);
    expect(codeOf(await (await socket(h.server.app, LAN_PAGE)).ask('player/play', { trackId: b }))).toBe('ok');
    h.clock.advance(60_000);
    expect(codeOf(await (await socket(h.server.app, LAN_PAGE)).ask('player/play', { trackId: c }))).toBe('MB_ERR_GUEST_LIMIT');
    expect(h.player.state().current?.key).toBe(now?.key);
    expect(h.store.plays.list({ limit: 10 }).items.map((p) => p.outcome)).not.toContain('skipped');
  });
});
