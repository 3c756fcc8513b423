import type { Config } from '../config/schema.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import { MoodboxError, type ErrorCode } from '../../kernel/errors.js';
import type { Log } from '../../kernel/log.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { Store, Track } from '../store/store.js';
import type { Player } from '../../player/player.js';
import { STREAM_SOURCE } from '../../player/streams/stream-url.js';
import type { GuestFitVerdict } from './guest-fit.js';

/** A phone in the room: its anonymous cookie id and the address it calls from. Budgets count both. */
export interface GuestPhone {
  id: string;
  address: string;
}

export type GuestRequestStatus = 'queued' | 'waiting' | 'played' | 'declined' | 'cleared';
export type GuestVote = 'up' | 'down';

/** A request as the guest service keeps it (never who asked, outside this service). */
export interface GuestRequestRecord {
  readonly id: number;
  readonly trackId: number;
  readonly phone: GuestPhone;
  readonly at: number;
  status: GuestRequestStatus;
  reason: string;
  /** Since when it waits for the room (epoch ms), while `waiting`. */
  waitingSince: number | null;
}

/** Votes on one song: counts, this phone's own, and how many "not this" skip or drop it. */
export interface GuestVotes {
  up: number;
  down: number;
  mine: GuestVote | null;
  downNeeded: number;
}

/** What the guest service needs of the music: how a song sits with the room, and its moves. */
export interface GuestMusic {
  guestFit(trackId: number): GuestFitVerdict;
  /** The guests' queue changed: the song after this one may change. */
  guestsChanged(): Promise<void>;
  /** Skips the song playing when it is still `trackId`; resolves false when it already ended. */
  skipForGuests(trackId: number): Promise<boolean>;
}

export interface GuestServiceDeps {
  clock: Clock;
  log: Log;
  store: Pick<Store, 'tracks'>;
  player: Pick<Player, 'state' | 'events'>;
  music: GuestMusic;
  /** The settings now (they may change while running). */
  settings: () => Pick<Config, 'guests' | 'site' | 'music'>;
  /** True while the daemon runs in demo mode (no configuration file): guests are on by default. */
  isDemo: boolean;
  /** Whether a library entry may play now (a station that just failed may not). @default every entry */
  isPlayable?: (track: Track) => boolean;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** How often waiting requests are judged against the room again, and expired ones declined (ms). */
const REVIEW_EVERY_MS = 30_000;
/** Finished requests a phone still sees in its list, newest first. */
const SHOWN_PER_PHONE = 10;
/** The most songs a search returns. */
const SEARCH_LIMIT = 20;

const QUEUED_REASON = 'It plays after the next song the room’s mood picks';
const CLOSED_REASON = 'Song requests are off here: the staff can turn them on';

/**
 * Guests from their phones: their requests (a queue the music director plays between the mood's
 * picks, one after each), likes of the song playing, and votes on it and on requested songs. Fair
 * by design: so many requests per phone and per address an hour, no song asked for twice within a
 * window, requests judged against the room's mood (queued, waiting or declined with the reason),
 * and enough distinct phones voting "not this" skip the song or drop the request. Guests never
 * stop, pause or change the volume: nothing here can. Everything is kept in memory; the history
 * records what played (reason `guest`). Announces changes to `onChanged` listeners.
 */
export class GuestService implements Service {
  readonly name = 'guests';
  readonly #deps: GuestServiceDeps;
  #requests: GuestRequestRecord[] = [];
  #nextId = 1;
  /** Votes by target (`now:<queue key>` or `request:<id>`), each by phone id. */
  readonly #votes = new Map<string, Map<string, { vote: GuestVote; address: string; at: number }>>();
  /** Phones that like the song playing, by its queue key. */
  #likes: { key: number; phones: Set<string> } | undefined;
  /** When each song was last asked for (epoch ms), by track id. */
  readonly #asked = new Map<number, number>();
  readonly #listeners = new Set<() => void>();
  #offPlayer: Array<() => void> = [];
  #review: Timer | undefined;

  constructor(deps: GuestServiceDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    const { events } = this.#deps.player;
    this.#offPlayer = [
      events.on('trackStarted', ({ item }) => {
        if (item.reason === 'guest') this.#played(item.track.id);
        this.#changed();
      }),
      events.on('queueChanged', () => this.#changed()),
    ];
    this.#review = this.#deps.clock.setInterval(() => this.review(), REVIEW_EVERY_MS);
  }

  async stop(): Promise<void> {
    this.#review?.cancel();
    for (const off of this.#offPlayer) off();
    this.#offPlayer = [];
  }

  health(): ServiceHealth {
    const open = this.#open().length;
    return { status: 'ready', detail: this.isOpen ? `open; ${open} ${open === 1 ? 'request' : 'requests'} in the queue` : 'closed' };
  }

  /** Calls `listener` whenever a phone's view may have changed; returns the function that stops it. */
  onChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Whether guests may ask, like and vote now: `guests.requests`, `auto` on at a home and in demo mode. */
  get isOpen(): boolean {
    const { guests, site } = this.#deps.settings();
    return guests.requests === 'on' || (guests.requests === 'auto' && (this.#deps.isDemo || site.kind === 'home'));
  }

  get closedReason(): string | null {
    return this.isOpen ? null : CLOSED_REASON;
  }

  /** Songs of the library whose title, artist or album has `q`, that guests may ask for on this box (at most 20). */
  search(q: string): Track[] {
    return this.#deps.store.tracks
      .list({ search: q.trim(), limit: SEARCH_LIMIT * 3 })
      .items.filter((t) => this.#mayRequest(t))
      .slice(0, SEARCH_LIMIT);
  }

  /** Whether guests may ask for `track` here: the library and stations; Spotify's songs only at a home with Spotify on. */
  mayRequest(trackId: number): boolean {
    const track = this.#deps.store.tracks.get(trackId);
    return track !== undefined && this.#mayRequest(track);
  }

  /** A phone asks for a song: queued, or waiting for the room; refused with a reason a guest understands. */
  request(phone: GuestPhone, trackId: number): GuestRequestRecord {
    this.#mustBeOpen();
    const { guests } = this.#deps.settings();
    const now = this.#deps.clock.now();
    const track = this.#deps.store.tracks.get(trackId);
    if (track === undefined || track.missing) {
      throw new MoodboxError('MB_ERR_NOT_FOUND', `Expected a song of the library, got \`${trackId}\` (no such song)`);
    }
    if (!this.#mayRequest(track))
      throw guestError('MB_ERR_GUEST_NOT_ALLOWED', 'This song cannot be asked for here: pick one from the library');
    if (this.requestsLeft(phone) === 0) {
      throw guestError(
        'MB_ERR_GUEST_LIMIT',
        `You asked for ${guests.requestsPerHour} ${guests.requestsPerHour === 1 ? 'song' : 'songs'} this hour, as many as one phone may: try again later`,
      );
    }
    const playing = this.#deps.player.state().current?.track.id;
    const last = this.#asked.get(trackId);
    if (playing === trackId || this.#open().some((r) => r.trackId === trackId)) {
      throw guestError('MB_ERR_GUEST_REPEAT', `“${track.title}” is playing or already asked for: vote for it instead`);
    }
    if (last !== undefined && now - last < guests.repeatWindowMin * MINUTE_MS) {
      const minutes = Math.ceil((last + guests.repeatWindowMin * MINUTE_MS - now) / MINUTE_MS);
      throw guestError('MB_ERR_GUEST_REPEAT', `“${track.title}” was asked for a moment ago: it may be asked for again in ${minutes} min`);
    }
    const verdict = this.#deps.music.guestFit(trackId);
    if (verdict.fit === 'far') throw guestError('MB_ERR_GUEST_MOOD', verdict.reason);
    const record: GuestRequestRecord = {
      id: this.#nextId++,
      trackId,
      phone: { ...phone },
      at: now,
      status: verdict.fit === 'fits' ? 'queued' : 'waiting',
      reason: verdict.fit === 'fits' ? QUEUED_REASON : verdict.reason,
      waitingSince: verdict.fit === 'fits' ? null : now,
    };
    this.#requests.push(record);
    this.#asked.set(trackId, now);
    this.#deps.log.info({ request: record.id, trackId, status: record.status }, 'guest request');
    this.#followed();
    return record;
  }

  /** What plays now and what is queued after it (the player's state). */
  playerState(): Pick<ReturnType<Player['state']>, 'current' | 'upcoming'> {
    return this.#deps.player.state();
  }

  /** Guest page calls one phone (and one address) may make in a minute (`guests.callsPerMinute`). */
  get callsPerMinute(): number {
    return this.#deps.settings().guests.callsPerMinute;
  }

  /** Songs one phone (and one address) may ask for in an hour (`guests.requestsPerHour`). */
  get requestsPerHour(): number {
    return this.#deps.settings().guests.requestsPerHour;
  }

  /** Songs this phone may still ask for this hour: the fewer of what its id and its address have left. */
  requestsLeft(phone: GuestPhone): number {
    const perHour = this.#deps.settings().guests.requestsPerHour;
    const since = this.#deps.clock.now() - HOUR_MS;
    const recent = this.#requests.filter((r) => r.at > since);
    const byPhone = recent.filter((r) => r.phone.id === phone.id).length;
    const byAddress = recent.filter((r) => r.phone.address === phone.address).length;
    return Math.max(0, perHour - Math.max(byPhone, byAddress));
  }

  /** This phone's own requests, newest first. */
  requestsOf(phone: GuestPhone): GuestRequestRecord[] {
    return this.#requests
      .filter((r) => r.phone.id === phone.id)
      .slice(-SHOWN_PER_PHONE)
      .reverse();
  }

  /** The guests' queue in the order it plays: queued requests by "up" votes, then waiting ones, oldest first within each. */
  queue(): GuestRequestRecord[] {
    const score = (r: GuestRequestRecord) => this.#count(`request:${r.id}`).up - this.#count(`request:${r.id}`).down;
    const rank = (r: GuestRequestRecord) => (r.status === 'queued' ? 0 : 1);
    return this.#open().sort((a, b) => rank(a) - rank(b) || score(b) - score(a) || a.at - b.at);
  }

  /** The phone likes the song playing (`trackId`); refused when it no longer plays. Liking twice changes nothing. */
  like(phone: GuestPhone, trackId: number): { likes: number } {
    this.#mustBeOpen();
    const current = this.#current(trackId);
    if (this.#likes?.key !== current.key) this.#likes = { key: current.key, phones: new Set() };
    this.#likes.phones.add(phone.id);
    this.#changed();
    return { likes: this.#likes.phones.size };
  }

  /** Guests' likes of the song playing, and whether this phone is one (false without a phone). */
  likes(phone?: GuestPhone): { likes: number; isLikedByMe: boolean } {
    const key = this.#deps.player.state().current?.key;
    const likes = key !== undefined && this.#likes?.key === key ? this.#likes.phones : new Set<string>();
    return { likes: likes.size, isLikedByMe: phone !== undefined && likes.has(phone.id) };
  }

  /** This phone's votes that still count: on the song playing (`now`) and on requests up next (their id). */
  votesOf(phone: GuestPhone): Array<{ on: 'now' | number; vote: GuestVote }> {
    const since = this.#deps.clock.now() - this.#deps.settings().guests.voteMin * MINUTE_MS;
    const now = this.#deps.player.state().current?.key;
    const open = new Set(this.#open().map((r) => r.id));
    const mine: Array<{ on: 'now' | number; vote: GuestVote }> = [];
    for (const [target, votes] of this.#votes) {
      const vote = votes.get(phone.id);
      if (vote === undefined || vote.at <= since) continue;
      if (target === `now:${now}`) mine.push({ on: 'now', vote: vote.vote });
      const id = target.startsWith('request:') ? Number(target.slice('request:'.length)) : undefined;
      if (id !== undefined && open.has(id)) mine.push({ on: id, vote: vote.vote });
    }
    return mine;
  }

  /**
   * The phone votes on the song playing (`now`) or a requested song up next (its `id`), or takes its
   * vote back (`none`). Enough distinct phones voting "down" skip the song or drop the request.
   */
  async vote(phone: GuestPhone, on: 'now' | number, vote: GuestVote | 'none'): Promise<GuestVotes> {
    this.#mustBeOpen();
    let target: string;
    let trackId: number;
    if (on === 'now') {
      const current = this.#current();
      target = `now:${current.key}`;
      trackId = current.track.id;
    } else {
      const request = this.#open().find((r) => r.id === on);
      if (request === undefined) {
        throw new MoodboxError('MB_ERR_NOT_FOUND', `Expected a song guests asked for, up next, got \`${on}\`: it played or left the queue`);
      }
      target = `request:${request.id}`;
      trackId = request.trackId;
    }
    const votes = this.#votes.get(target) ?? new Map<string, { vote: GuestVote; address: string; at: number }>();
    this.#votes.set(target, votes);
    if (vote === 'none') votes.delete(phone.id);
    else votes.set(phone.id, { vote, address: phone.address, at: this.#deps.clock.now() });
    const count = this.#count(target, phone);
    if (vote === 'down' && count.down >= count.downNeeded) {
      this.#votes.delete(target);
      if (on === 'now') {
        this.#deps.log.info({ trackId, votes: count.down }, 'guests voted the song off');
        await this.#deps.music.skipForGuests(trackId);
      } else {
        this.#finish(on, 'declined', 'Guests voted it off the queue');
      }
    } else if (on !== 'now') {
      this.#followed();
    }
    this.#changed();
    return count;
  }

  /** The votes on the song playing (`now`) or a request, as `phone` sees them. */
  votesOn(on: 'now' | number, phone?: GuestPhone): GuestVotes {
    const key = on === 'now' ? this.#deps.player.state().current?.key : on;
    return this.#count(key === undefined ? '' : on === 'now' ? `now:${key}` : `request:${key}`, phone);
  }

  /** Staff take a request out of the queue (`cleared`); false when it is no longer in it. */
  clear(requestId: number): boolean {
    if (!this.#open().some((r) => r.id === requestId)) return false;
    this.#finish(requestId, 'cleared', 'Taken out of the queue by the staff');
    this.#changed();
    return true;
  }

  /** Staff clear every request in the queue and every vote; resolves the number of requests cleared. */
  clearAll(): number {
    const open = this.#open();
    for (const r of open) this.#finish(r.id, 'cleared', 'Taken out of the queue by the staff');
    this.#votes.clear();
    this.#changed();
    return open.length;
  }

  /** Every song guests asked for in the last hour (newest first), for staff. */
  recent(): GuestRequestRecord[] {
    const since = this.#deps.clock.now() - HOUR_MS;
    return this.#requests.filter((r) => r.at > since || r.status === 'queued' || r.status === 'waiting').reverse();
  }

  /**
   * The request to play next (the music director asks after each song it picks): the queue judged
   * by `judge` against the room now. A waiting request that fits is queued; a queued one that no
   * longer fits waits; one that waited `guests.waitMin` is declined.
   */
  next(judge: (trackId: number) => GuestFitVerdict): { trackId: number } | undefined {
    this.#judge(judge);
    const head = this.queue().find((r) => r.status === 'queued' && this.#mayPlay(r.trackId));
    return head === undefined ? undefined : { trackId: head.trackId };
  }

  /** Judges the open requests against the room again, declines those that waited too long, and forgets old ones. */
  review(): void {
    const before = JSON.stringify(this.#open().map((r) => [r.id, r.status]));
    this.#judge((trackId) => this.#deps.music.guestFit(trackId));
    this.#forget();
    if (JSON.stringify(this.#open().map((r) => [r.id, r.status])) !== before) this.#followed();
  }

  #judge(judge: (trackId: number) => GuestFitVerdict): void {
    const now = this.#deps.clock.now();
    const waitMs = this.#deps.settings().guests.waitMin * MINUTE_MS;
    for (const r of this.#open()) {
      const verdict = judge(r.trackId);
      if (verdict.fit === 'fits') {
        Object.assign(r, { status: 'queued', reason: QUEUED_REASON, waitingSince: null });
        continue;
      }
      const since = r.waitingSince ?? now;
      if (now - since >= waitMs) {
        this.#finish(
          r.id,
          'declined',
          `It waited ${Math.round(waitMs / MINUTE_MS)} min and the room did not come closer: ${lower(verdict.reason)}`,
        );
      } else {
        Object.assign(r, { status: 'waiting', reason: verdict.reason, waitingSince: since });
      }
    }
  }

  #played(trackId: number): void {
    const request = this.queue().find((r) => r.trackId === trackId);
    if (request !== undefined) this.#finish(request.id, 'played', 'Played');
  }

  #finish(id: number, status: 'played' | 'declined' | 'cleared', reason: string): void {
    const request = this.#requests.find((r) => r.id === id);
    if (request === undefined) return;
    Object.assign(request, { status, reason, waitingSince: null });
    this.#votes.delete(`request:${id}`);
    if (status !== 'played') this.#followed();
  }

  /** Votes still counted on `target`: within `guests.voteMin`, one per phone and one per address. */
  #count(target: string, phone?: GuestPhone): GuestVotes {
    const { downVotesToSkip, voteMin } = this.#deps.settings().guests;
    const since = this.#deps.clock.now() - voteMin * MINUTE_MS;
    const votes = [...(this.#votes.get(target) ?? new Map<string, { vote: GuestVote; address: string; at: number }>()).entries()].filter(
      ([, v]) => v.at > since,
    );
    const distinct = (vote: GuestVote) => {
      const of = votes.filter(([, v]) => v.vote === vote);
      return Math.min(of.length, new Set(of.map(([, v]) => v.address)).size);
    };
    const mine = phone === undefined ? undefined : votes.find(([id]) => id === phone.id)?.[1].vote;
    return { up: distinct('up'), down: distinct('down'), mine: mine ?? null, downNeeded: downVotesToSkip };
  }

  #open(): GuestRequestRecord[] {
    return this.#requests.filter((r) => r.status === 'queued' || r.status === 'waiting');
  }

  /** Forgets requests older than the budgets' hour and the repeat window, and votes past their time. */
  #forget(): void {
    const now = this.#deps.clock.now();
    const { repeatWindowMin, voteMin } = this.#deps.settings().guests;
    this.#requests = this.#requests.filter((r) => r.status === 'queued' || r.status === 'waiting' || now - r.at < 2 * HOUR_MS);
    for (const [trackId, at] of this.#asked) if (now - at >= repeatWindowMin * MINUTE_MS) this.#asked.delete(trackId);
    const current = this.#deps.player.state().current?.key;
    for (const [target, votes] of this.#votes) {
      for (const [id, v] of votes) if (now - v.at >= voteMin * MINUTE_MS) votes.delete(id);
      // A vote on a song ends with the song.
      if (votes.size === 0 || (target.startsWith('now:') && target !== `now:${current}`)) this.#votes.delete(target);
    }
  }

  #current(trackId?: number): NonNullable<ReturnType<Player['state']>['current']> {
    const current = this.#deps.player.state().current;
    if (current === undefined || (trackId !== undefined && current.track.id !== trackId)) {
      throw guestError('MB_ERR_GUEST_NOT_PLAYING', 'That song is not playing any more: like or vote on the one playing now');
    }
    return current;
  }

  #mustBeOpen(): void {
    if (!this.isOpen) throw guestError('MB_ERR_GUEST_CLOSED', CLOSED_REASON);
  }

  #mayRequest(track: Track): boolean {
    if (track.missing) return false;
    if (track.source === 'spotify') {
      const { site, music } = this.#deps.settings();
      return site.kind === 'home' && music.source !== 'local';
    }
    if (track.source !== 'local' && track.source !== STREAM_SOURCE) return false;
    return this.#deps.isPlayable?.(track) ?? true;
  }

  #mayPlay(trackId: number): boolean {
    const track = this.#deps.store.tracks.get(trackId);
    return track !== undefined && this.#mayRequest(track);
  }

  /** The queue changed in a way the music follows (its next song may change). */
  #followed(): void {
    this.#changed();
    this.#deps.music.guestsChanged().catch(() => undefined);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}

function guestError(code: ErrorCode, message: string): MoodboxError {
  return new MoodboxError(code, message);
}

function lower(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}
