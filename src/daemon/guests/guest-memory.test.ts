import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import { loadConfig } from '../config/load-config.js';
import type { MoodboxBus } from '../events.js';
import { actors } from '../store/audit.js';
import { TODAYS_LIVE_SETTINGS } from '../store/restore-people.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import type { Track } from '../store/store.js';
import { FakeClock } from '../testing/fake-clock.js';
import type { GuestMusic } from './guest-fit.js';
import { HOUR_MS } from './guest-limits.js';
import {
  boundKeptGuests,
  GUEST_STATE_KEY,
  GUEST_STATE_MAX_BYTES,
  GUESTS_KEPT,
  NOTHING_KEPT,
  readKeptGuests,
  type KeptGuests,
  type KeptRequest,
} from './guest-memory.js';
import { GuestService, type GuestPhone } from './guest-service.js';

// Issue 81, "Left alone for a week": what guests set (their requests and where each stands, each
// phone's list and budget, likes and votes) is kept in the database as it changes and read back at
// start. What is read back is untrusted: what does not fit is dropped, and the start goes on.

const MINUTE_MS = 60_000;
const ADA: GuestPhone = { id: 'ada-phone-0000000000000', address: '192.168.1.10' };
const BEN: GuestPhone = { id: 'ben-phone-0000000000000', address: '192.168.1.11' };
const CY: GuestPhone = { id: 'cy-phone-00000000000000', address: '192.168.1.12' };
const staff = actors.admin(1);

/** What the log said, as `[level, msg, fields]`. */
type Said = Array<[string, string, Record<string, unknown>]>;

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The library: six songs. */
function library(store: SqliteStore): Track[] {
  return [1, 2, 3, 4, 5, 6].map((n) => store.tracks.upsert({ uri: `/music/song-${n}.flac`, title: `Song ${n}`, artist: `Artist ${n}` }));
}

/**
 * One run of the guests' part, as the daemon wires it, on `store` (kept between runs) and `clock`:
 * a fake player playing `playing` (the song after the start), the room taking every song, request
 * approval by the staff on. `stop` stops it as the daemon does: the player first, then the guests.
 */
async function run(
  store: SqliteStore,
  clock: FakeClock,
  playing: Track,
  options: { blocked?: ReadonlySet<number> } = {},
): Promise<{ guests: GuestService; player: FakePlayer; log: Said; stop: () => Promise<void> }> {
  const log: Said = [];
  const record = (level: string) => (fields: object, msg: string) => log.push([level, msg, fields as Record<string, unknown>]);
  const player = new FakePlayer({ clock }, { trackMs: 10 * 60 * MINUTE_MS });
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const defaults = loadConfig({ env: {} }).config;
  const config = { ...defaults, guests: { ...defaults.guests, requests: 'on' as const, approval: 'staff' as const } };
  const music: GuestMusic = { guestFit: () => ({ fit: 'fits' }), guestsChanged: async () => {}, skip: async () => ({ trackId: null }) };
  const guests = new GuestService({
    clock,
    log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    bus,
    store,
    player,
    music,
    settings: () => config,
    isDemo: false,
    isBlocked: (track) => options.blocked?.has(track.id) ?? false,
  });
  await guests.start();
  await player.play([{ track: playing, reason: 'mood' }]);
  const stop = async () => {
    await player.stop();
    await guests.stop();
    player.events.removeListeners(guests);
    bus.removeListeners(guests);
  };
  cleanups.push(stop);
  return { guests, player, log, stop };
}

function memoryStore(): SqliteStore {
  const clock = new FakeClock();
  const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: ':memory:' });
  cleanups.push(() => store.close());
  return store;
}

/** What a phone's page shows of its own part: its list, its budget, its like of the song playing, its votes. */
function mine(guests: GuestService, phone: GuestPhone) {
  return {
    requests: guests.requestsOf(phone).map((r) => ({ id: r.id, trackId: r.trackId, status: r.status, reason: r.reason, at: r.at })),
    allowance: guests.allowance(phone),
    likes: guests.likes(phone),
    votes: guests.votesOf(phone),
    now: guests.votesOn('now', phone),
  };
}

describe('the guests’ state over a restart (issue 81)', () => {
  it('keeps each phone’s requests, list, budget, like and votes, the queue and the staff’s approval', async () => {
    const store = memoryStore();
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 20));
    const songs = library(store);
    const [first, second, third] = songs;
    if (first === undefined || second === undefined || third === undefined) throw new Error('Expected a library');
    const before = await run(store, clock, first);
    const waiting = before.guests.request(ADA, second.id);
    before.guests.like(ADA, first.id);
    await before.guests.vote(BEN, 'now', 'up');
    const approved = before.guests.request(CY, third.id);
    expect(before.guests.approve(approved.id, staff)).toBe(true);
    await before.guests.vote(BEN, approved.id, 'up');
    const views = { ada: mine(before.guests, ADA), ben: mine(before.guests, BEN), cy: mine(before.guests, CY) };
    expect(views.ada).toMatchObject({
      requests: [{ id: waiting.id, status: 'waiting', reason: 'Waiting for the staff to say yes' }],
      allowance: { left: 2, perHour: 3 },
      likes: { likes: 1, isLikedByMe: true },
    });
    expect(views.ben.votes).toEqual(
      expect.arrayContaining([
        { on: 'now', vote: 'up' },
        { on: approved.id, vote: 'up' },
      ]),
    );
    const queue = before.guests.queue().map((r) => r.id);
    await before.stop();

    // Down for five minutes (votes count for ten, \`guests.voteMin\`); the same song resumes first.
    clock.advance(5 * MINUTE_MS);
    const after = await run(store, clock, first);

    expect({ ada: mine(after.guests, ADA), ben: mine(after.guests, BEN), cy: mine(after.guests, CY) }).toEqual(views);
    expect(after.guests.queue().map((r) => r.id)).toEqual(queue);
    expect(after.guests.votesOn('now')).toMatchObject({ up: 1 });
    // The staff's yes still holds, and the next request takes the next id.
    expect(after.guests.approve(approved.id, staff)).toBe(false);
    expect(after.guests.request(BEN, songs[3]?.id ?? 0).id).toBeGreaterThan(approved.id);
    expect(after.log.map(([, msg]) => msg)).toContain('guests’ state read back');
  });

  it('gives a request playing at the stop its song back when that song resumes, and ends it as interrupted when another comes first', async () => {
    const store = memoryStore();
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 20));
    const [first, second] = library(store);
    if (first === undefined || second === undefined) throw new Error('Expected a library');
    const before = await run(store, clock, first);
    const asked = before.guests.request(ADA, second.id);
    before.guests.approve(asked.id, staff);
    await before.player.play([{ track: second, reason: 'guest' }]);
    before.guests.like(BEN, second.id);
    expect(before.guests.requestsOf(ADA)[0]).toMatchObject({ status: 'playing' });
    await before.stop();

    clock.advance(MINUTE_MS);
    const resumed = await run(store, clock, second);
    expect(resumed.guests.requestsOf(ADA)[0]).toMatchObject({ id: asked.id, status: 'playing', reason: 'Playing now' });
    expect(resumed.guests.likes(BEN)).toEqual({ likes: 1, isLikedByMe: true });
    await resumed.stop();

    clock.advance(MINUTE_MS);
    const moved = await run(store, clock, first);
    expect(moved.guests.requestsOf(ADA)[0]).toMatchObject({ id: asked.id, status: 'skipped', reason: 'The music stopped' });
    // A like ends with its song.
    expect(moved.guests.likes(BEN)).toEqual({ likes: 0, isLikedByMe: false });
  });

  it('counts budgets on the kept times: what the downtime refilled has refilled', async () => {
    const store = memoryStore();
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 20));
    const songs = library(store);
    const [first] = songs;
    if (first === undefined) throw new Error('Expected a library');
    const before = await run(store, clock, first);
    const askedAt = clock.now();
    for (const song of songs.slice(1, 4)) before.guests.request(ADA, song.id);
    expect(before.guests.allowance(ADA)).toMatchObject({ left: 0, nextAt: askedAt + HOUR_MS });
    await before.stop();

    clock.advance(30 * MINUTE_MS);
    const soon = await run(store, clock, first);
    expect(soon.guests.allowance(ADA)).toMatchObject({ left: 0, nextAt: askedAt + HOUR_MS });
    await soon.stop();

    clock.advance(31 * MINUTE_MS);
    const later = await run(store, clock, first);
    expect(later.guests.allowance(ADA)).toMatchObject({ left: 3, nextAt: null });
  });

  it('drops a request whose song was deleted or blocked since, and says so in the log', async () => {
    const store = memoryStore();
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 20));
    const [first, gone, blocked, kept] = library(store);
    if (first === undefined || gone === undefined || blocked === undefined || kept === undefined) throw new Error('Expected a library');
    const before = await run(store, clock, first);
    const goneRequest = before.guests.request(ADA, gone.id);
    const blockedRequest = before.guests.request(BEN, blocked.id);
    const keptRequest = before.guests.request(CY, kept.id);
    await before.stop();

    store.tracks.markMissing([gone.id]);
    const after = await run(store, clock, first, { blocked: new Set([blocked.id]) });

    expect(after.guests.requestsOf(ADA)).toEqual([]);
    expect(after.guests.requestsOf(BEN)).toEqual([]);
    expect(after.guests.requestsOf(CY).map((r) => r.id)).toEqual([keptRequest.id]);
    // Dropped, it uses up none of the phone's requests.
    expect(after.guests.allowance(ADA).left).toBe(3);
    const dropped = after.log.filter(([, msg]) => msg.startsWith('a guest request kept over the restart is dropped'));
    expect(dropped.map(([level, , fields]) => [level, fields])).toEqual([
      ['info', { request: goneRequest.id, trackId: gone.id, why: 'gone' }],
      ['info', { request: blockedRequest.id, trackId: blocked.id, why: 'blocked' }],
    ]);
    // What is kept now no longer holds them.
    const stored = readKeptGuests(store.settings.get(GUEST_STATE_KEY)).kept;
    expect(stored.requests.map((r) => r.id)).toEqual([keptRequest.id]);
  });

  it('drops a kept value that does not fit, item by item or whole, and starts all the same', async () => {
    const store = memoryStore();
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 20));
    const [first, second, third] = library(store);
    if (first === undefined || second === undefined || third === undefined) throw new Error('Expected a library');
    const good: KeptRequest = {
      id: 4,
      trackId: second.id,
      phone: { ...ADA },
      at: clock.now() - MINUTE_MS,
      status: 'waiting',
      reason: 'Waiting for the staff to say yes',
      reasonSaid: { id: 'guest.reason.approval' },
      waitingSince: clock.now() - MINUTE_MS,
      playKey: null,
      approved: false,
    };
    store.settings.set(
      GUEST_STATE_KEY,
      {
        v: 1,
        nextId: 2,
        requests: [
          good,
          { ...good, id: 5, status: 'lost' },
          { ...good, id: 6, phone: { id: 'x'.repeat(5000), address: '1.2.3.4' } },
          { ...good, id: 4, trackId: first.id },
          'not a request',
        ],
        asked: [
          { trackId: second.id, at: good.at },
          { trackId: -1, at: 0 },
        ],
        phones: [{ phone: ADA.id, address: ADA.address, first: good.at, last: good.at, extra: true }],
        ballots: [],
        now: null,
      },
      clock.now(),
    );
    const partly = await run(store, clock, first);
    expect(partly.guests.requestsOf(ADA)).toMatchObject([{ id: 4, trackId: second.id, status: 'waiting' }]);
    expect(partly.guests.allowance(ADA).left).toBe(2);
    // The id a request takes next is past every id kept.
    expect(partly.guests.request(BEN, third.id).id).toBe(5);
    await partly.stop();
    expect(partly.log.filter(([level]) => level === 'warn')).toEqual([
      [
        'warn',
        'some of the guests’ kept state does not fit its shape; dropped',
        { key: GUEST_STATE_KEY, dropped: { requests: 4, asked: 1, phones: 1 } },
      ],
    ]);

    for (const bad of ['a string', 42, null, [], { v: 2 }, { ...NOTHING_KEPT, ballots: 'none' }, { ...NOTHING_KEPT, nextId: -1 }]) {
      store.settings.set(GUEST_STATE_KEY, bad, clock.now());
      const fresh = await run(store, clock, first);
      expect(fresh.guests.requestsOf(ADA)).toEqual([]);
      expect(fresh.guests.allowance(ADA).left).toBe(3);
      expect(fresh.log.filter(([level]) => level === 'warn').map(([, msg]) => msg)).toEqual([
        'the guests’ kept state does not fit its shape; the guests start afresh',
      ]);
      // The guests go on: a phone may ask at once.
      expect(fresh.guests.request(ADA, second.id).status).toBe('waiting');
      await fresh.stop();
    }
  });
});

describe('the kept value', () => {
  it('drops each item that does not fit alone, and says how many', () => {
    const { kept, dropped } = readKeptGuests({
      ...NOTHING_KEPT,
      asked: [
        { trackId: 1, at: 5 },
        { trackId: 1.5, at: 5 },
        { trackId: 2, at: -5 },
      ],
      phones: [
        { phone: 'a', address: 'b', first: 1, last: 2 },
        { phone: '', address: 'b', first: 1, last: 2 },
      ],
      now: { trackId: 1, requestId: null, likes: [42], ballots: [] },
    });
    expect(kept.asked).toEqual([{ trackId: 1, at: 5 }]);
    expect(kept.phones).toHaveLength(1);
    expect(kept.now).toBeNull();
    expect(dropped).toEqual({ asked: 2, phones: 1, now: 1 });
    expect(readKeptGuests(undefined)).toEqual({ kept: NOTHING_KEPT, dropped: {} });
  });

  it('stays small: at most so many of each list, the newest, and never past its size, whatever the strings', () => {
    const long = 'x'.repeat(64);
    const request = (id: number): KeptRequest => ({
      id,
      trackId: id,
      phone: { id: long, address: long },
      at: id,
      status: 'played',
      reason: '’'.repeat(500),
      reasonSaid: { id: long, values: Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [`v${n}`, '’'.repeat(300)])) },
      waitingSince: null,
      playKey: id,
      approved: true,
    });
    const huge: KeptGuests = {
      v: 1,
      nextId: 2001,
      requests: Array.from({ length: 2000 }, (_, i) => request(i + 1)),
      asked: Array.from({ length: 2000 }, (_, i) => ({ trackId: i + 1, at: i })),
      phones: Array.from({ length: 2000 }, (_, i) => ({ phone: `${long}${i}`.slice(-64), address: long, first: i, last: i })),
      ballots: Array.from({ length: 2000 }, (_, i) => ({ request: i + 1, phone: long, vote: 'up' as const, address: long, at: i })),
      now: {
        trackId: 1,
        requestId: null,
        likes: Array.from({ length: 2000 }, () => long),
        ballots: Array.from({ length: 2000 }, (_, i) => ({ phone: long, vote: 'down' as const, address: long, at: i })),
      },
    };
    const { kept, json } = boundKeptGuests(huge);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(GUEST_STATE_MAX_BYTES);
    expect(kept.requests.length).toBeLessThanOrEqual(GUESTS_KEPT.requests);
    expect(kept.requests.at(-1)?.id).toBe(2000);
    expect(kept.phones.length).toBeLessThanOrEqual(GUESTS_KEPT.phones);
    expect(kept.now?.likes.length).toBeLessThanOrEqual(GUESTS_KEPT.likes);
    // What is written reads back whole.
    expect(readKeptGuests(JSON.parse(json)).dropped).toEqual({});

    // A box's ordinary evening is written as it is.
    const evening: KeptGuests = { ...NOTHING_KEPT, requests: [request(1), request(2)], nextId: 3 };
    expect(boundKeptGuests(evening).kept).toEqual(evening);
  });
});

describe('a restore (issue 81)', () => {
  it('keeps today’s guests unless the backup’s people are asked for', () => {
    expect(TODAYS_LIVE_SETTINGS).toContain(GUEST_STATE_KEY);
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-guest-restore-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 20));
    const open = (file: string) => openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: join(dir, file) });
    const then = open('moodbox.db');
    then.settings.set(GUEST_STATE_KEY, { ...NOTHING_KEPT, nextId: 7 }, 1);
    then.close();
    copyFileSync(join(dir, 'moodbox.db'), join(dir, 'backup.db'));
    const today = open('moodbox.db');
    today.settings.set(GUEST_STATE_KEY, { ...NOTHING_KEPT, nextId: 42 }, 2);
    today.close();
    copyFileSync(join(dir, 'backup.db'), join(dir, 'backup-2.db'));

    const restored = open('backup.db');
    restored.keepTodaysPeople(join(dir, 'moodbox.db'), { restorePeople: false });
    expect(restored.settings.get(GUEST_STATE_KEY)).toMatchObject({ nextId: 42 });
    restored.close();

    const theirs = open('backup-2.db');
    theirs.keepTodaysPeople(join(dir, 'moodbox.db'), { restorePeople: true });
    expect(theirs.settings.get(GUEST_STATE_KEY)).toMatchObject({ nextId: 7 });
    theirs.close();
  });
});
