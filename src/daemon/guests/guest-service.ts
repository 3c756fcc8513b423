import type { Config } from '../config/schema.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import type { ListenerOwner } from '../../kernel/event-bus.js';
import type { Log } from '../../kernel/log.js';
import { guestsLine } from '../../kernel/health-words.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { MoodboxBus } from '../events.js';
import { recordAudit, type Actor } from '../store/audit.js';
import type { Store, Track } from '../store/store.js';
import type { Player, PlayOutcome } from '../../player/player.js';
import type { QueueItem } from '../../player/play-queue.js';
import type { GuestFitVerdict, GuestMusic } from './guest-fit.js';
import { ADDRESS_PHONES_MAX, GuestAllowances, HOUR_MS, type GuestAllowance, type GuestLimits } from './guest-limits.js';
import { GuestSongs } from './guest-songs.js';
import { countsInBudget, GuestRequests, guestSchedule, isToPlay, type GuestRequestRecord, type GuestSchedule } from './guest-requests.js';
import type { GuestPhone, GuestVote, GuestVotes } from './guest-votes.js';
import { GuestVoting } from './guest-voting.js';
import { GuestMemory, type KeptGuests, type KeptNow } from './guest-memory.js';
import { GUEST_GONE, GUEST_REFUSALS, guestRefused, limitRefused } from './guest-refusals.js';
import { GUEST_REASONS, type GuestReason } from './guest-reasons.js';

export type { GuestRequestRecord, GuestRequestStatus, GuestSlot } from './guest-requests.js';
export type { GuestPhone, GuestVote, GuestVotes } from './guest-votes.js';
export type { GuestAllowance } from './guest-limits.js';

export interface GuestServiceDeps {
  clock: Clock;
  log: Log;
  /** Where `guestRequestsChanged` is announced. */
  bus: MoodboxBus;
  /**
   * The library, the audit log the staff's commands write, the plays, which keep guests' likes for
   * the charts, and the settings table, where the guests' live state is kept (`guest-memory.ts`).
   */
  store: Pick<Store, 'tracks' | 'audit' | 'plays' | 'settings'>;
  player: Pick<Player, 'state' | 'events'>;
  music: GuestMusic;
  /** The settings now (they may change while running). */
  settings: () => Pick<Config, 'guests' | 'site' | 'music'>;
  /** True while the daemon runs in demo mode (no configuration file): guests are on by default. */
  isDemo: boolean;
  /** Whether a library entry may play now (a station that just failed may not). @default every entry */
  isPlayable?: (track: Track) => boolean;
  /** Whether the owner keeps `track` from playing here (blocked, explicit and skipped). @default none */
  isBlocked?: (track: Pick<Track, 'id' | 'artist'>) => boolean;
}

const MINUTE_MS = 60_000;
/** How often waiting requests are judged against the room again, and expired ones declined (ms). */
const REVIEW_EVERY_MS = 30_000;

/** How long a worked-out schedule answers every phone's view, unless something changed first (ms). */
const SCHEDULE_KEPT_MS = 1000;

/**
 * Guests from their phones: their requests (a queue the music director plays between the mood's
 * picks, one after each), likes of the song playing, and votes on it and on requested songs. Fair
 * by design (`guest-limits.ts`): so many requests per phone an hour, an address's ceiling and votes
 * that grow with the phones behind it; no song asked for twice within a window; requests judged
 * against the room's mood; enough phones voting "not this" skip the song or drop the request.
 * Guests never stop, pause or change the volume: nothing here can. Kept in the database as it
 * changes (`guest-memory.ts`) and read back at start, so that a restart forgets no request, list,
 * budget, like or vote; the history records what played. Announces every change of what phones
 * see as `guestRequestsChanged`.
 */
export class GuestService implements Service {
  readonly name = 'guests';
  readonly #deps: GuestServiceDeps;
  readonly #requests = new GuestRequests();
  readonly #allowances = new GuestAllowances();
  readonly #songs: GuestSongs;
  readonly #votes: GuestVoting;
  readonly #memory: GuestMemory;
  #schedule: { at: number; value: GuestSchedule } | undefined;
  #review: Timer | undefined;
  /**
   * The song that started last, under its queue key, and the request it plays for: its likes and
   * votes are kept with it until it ends, but by a stop (`interrupted`), which a restart may resume.
   */
  #nowPlaying: { key: number; trackId: number; requestId: number | null } | undefined;
  /** The guests' part of the song playing before the restart, until the first song after it starts: the same song resumed takes it back. */
  #resume: KeptNow | undefined;
  /** True from the start until the first song starts. */
  #isAwaitingFirstSong = false;
  /** True once what was kept is read back: nothing is written before, so that a stop without a start loses nothing kept. */
  #hasReadBack = false;

  constructor(deps: GuestServiceDeps) {
    this.#deps = deps;
    this.#songs = new GuestSongs(deps);
    this.#votes = new GuestVoting({ ...deps, requests: this.#requests, allowances: this.#allowances });
    this.#memory = new GuestMemory({ settings: deps.store.settings, log: deps.log });
  }

  async start(): Promise<void> {
    const { events } = this.#deps.player;
    this.#readBack();
    // The song playing when the guests' part starts has just played too.
    const current = this.#deps.player.state().current;
    if (current !== undefined) {
      this.#songs.started(current.track.id, this.#deps.clock.now());
      const resumed = this.#resumed(current);
      this.#nowPlaying = { key: current.key, trackId: current.track.id, requestId: resumed?.id ?? null };
      this.#keep();
    }
    events.on('trackStarted', ({ item }) => this.#started(item), this);
    events.on('trackEnded', ({ item, outcome }) => this.#ended(item, outcome), this);
    events.on('queueChanged', () => this.#changed(), this);
    this.#deps.bus.on('blocksChanged', () => this.review(), this);
    // Whether guests may ask is a setting (`guests.*`, the site's kind): a phone hears of a change
    // at once, not at the room's next change.
    this.#deps.bus.on(
      'settingsChanged',
      ({ changed }) => {
        if (changed.some((path) => path.startsWith('guests.') || path.startsWith('site.'))) this.#changed();
      },
      this,
    );
    this.#review = this.#deps.clock.setInterval(() => this.review(), REVIEW_EVERY_MS);
  }

  /** Ends the review of waiting requests and keeps the guests' state as it is now; the lifecycle ends the subscriptions. */
  async stop(): Promise<void> {
    this.#review?.cancel();
    this.#keep();
  }

  health(): ServiceHealth {
    const open = this.#requests.open().length;
    return { status: 'ready', ...guestsLine(this.isOpen, open) };
  }

  /**
   * Calls `listener`, on behalf of `owner`, whenever a phone's view may have changed
   * (`guestRequestsChanged`); returns the function that stops it.
   */
  onChanged(listener: () => void, owner: ListenerOwner): () => void {
    return this.#deps.bus.on('guestRequestsChanged', listener, owner);
  }

  /** Whether guests may ask, like and vote now: `guests.requests`, `auto` on at a home and in demo mode. */
  get isOpen(): boolean {
    const { guests, site } = this.#deps.settings();
    return guests.requests === 'on' || (guests.requests === 'auto' && (this.#deps.isDemo || site.kind === 'home'));
  }

  get closedReason(): string | null {
    return this.isOpen ? null : GUEST_REFUSALS.closed().text;
  }

  /** Songs of the library whose title, artist or album has `q`, that guests may ask for on this box (at most 20). */
  search(q: string): Track[] {
    return this.#songs.search(q);
  }

  /** Whether guests may ask for `track` here: the library and stations; Spotify's songs only at a home with Spotify on. */
  mayRequest(trackId: number): boolean {
    return this.#songs.mayAskFor(trackId);
  }

  /**
   * What the guest page suggests of the kiosk's suggestions `trackIds`, in their order, at most
   * `count`: those not played in the last hour; when none is left (a small library has played
   * them all), those that were; never one that plays, comes next, waits or was just asked for.
   * So a guest is offered what the kiosk offers.
   */
  suggestions(trackIds: readonly number[], count: number): number[] {
    const busy = this.#busy();
    const now = this.#deps.clock.now();
    const askable = trackIds.filter((id) => !busy.has(id) && this.#isAskable(id) && this.#songs.mayAskFor(id));
    const fresh = askable.filter((id) => this.#songs.maySuggest(id, now, busy));
    return (fresh.length > 0 ? fresh : askable).slice(0, count);
  }

  /** Whether `trackId` was not asked for within the repeat window. */
  #isAskable(trackId: number): boolean {
    const asked = this.#requests.askedAt(trackId);
    return asked === undefined || this.#deps.clock.now() - asked >= this.#deps.settings().guests.repeatWindowMin * MINUTE_MS;
  }

  /** What plays, comes next, or waits as a request. */
  #busy(): Set<number> {
    const { current, upcoming } = this.#deps.player.state();
    const busy = new Set(this.#requests.open().map((r) => r.trackId));
    for (const item of [current, ...upcoming]) if (item !== undefined) busy.add(item.track.id);
    return busy;
  }

  /** The phones behind `address` (1 to `ADDRESS_PHONES_MAX`): its calls and open pages grow with them. */
  phonesBehind(address: string): number {
    return Math.min(ADDRESS_PHONES_MAX, this.#allowances.phonesBehind(address, this.#deps.clock.now()));
  }

  /** A phone called: it counts among the phones seen on its address this hour (its address's ceiling grows with them). */
  seen(phone: GuestPhone): void {
    this.#allowances.seen(phone.id, phone.address, this.#deps.clock.now());
  }

  /** A phone asks for a song: queued, or waiting for the room; refused with a reason a guest understands. */
  request(phone: GuestPhone, trackId: number): GuestRequestRecord {
    this.#mustBeOpen();
    const { guests } = this.#deps.settings();
    const now = this.#deps.clock.now();
    const track = this.#deps.store.tracks.get(trackId);
    if (track === undefined || track.missing) {
      throw guestRefused('MB_ERR_NOT_FOUND', GUEST_GONE.noSong(trackId));
    }
    if (!this.#songs.mayAskFor(track)) throw guestRefused('MB_ERR_GUEST_NOT_ALLOWED', GUEST_REFUSALS.notAllowed());
    const allowance = this.allowance(phone);
    if (allowance.left === 0) throw limitRefused(allowance);
    const playing = this.#deps.player.state().current?.track.id;
    const last = this.#requests.askedAt(trackId);
    if (playing === trackId || this.#requests.open().some((r) => r.trackId === trackId)) {
      throw guestRefused('MB_ERR_GUEST_REPEAT', GUEST_REFUSALS.asked(track.title));
    }
    if (last !== undefined && now - last < guests.repeatWindowMin * MINUTE_MS) {
      const minutes = Math.ceil((last + guests.repeatWindowMin * MINUTE_MS - now) / MINUTE_MS);
      throw guestRefused('MB_ERR_GUEST_REPEAT', GUEST_REFUSALS.recent(track.title, minutes));
    }
    const verdict = this.#deps.music.guestFit(trackId);
    if (verdict.fit === 'far') throw new MoodboxError('MB_ERR_GUEST_MOOD', verdict.reason, { said: verdict.reasonSaid });
    const record = this.#requests.add(phone, trackId, now, verdict, guests.approval === 'staff');
    this.#deps.log.info({ request: record.id, trackId, status: record.status }, 'guest request');
    this.#followed();
    return record;
  }

  /** The guest takes back their own request while it is in the queue (`cancelled`); it still counts in their hour. */
  cancel(phone: GuestPhone, requestId: number): GuestRequestRecord {
    const request = this.#requests.get(requestId);
    if (request === undefined || request.phone.id !== phone.id || !isToPlay(request.status)) {
      throw guestRefused('MB_ERR_NOT_FOUND', GUEST_GONE.notYours(requestId));
    }
    this.#requests.finish(requestId, 'cancelled', GUEST_REASONS.cancelled);
    this.#votes.drop({ on: 'request', id: requestId });
    this.#deps.log.info({ request: requestId, trackId: request.trackId }, 'guest request cancelled');
    this.#followed();
    return request;
  }

  /** Guest page calls one phone (and one address) may make in a minute (`guests.callsPerMinute`). */
  get callsPerMinute(): number {
    return this.#deps.settings().guests.callsPerMinute;
  }

  /** Songs this phone may still ask for this hour (the fewer of its own and its address's), and when none, from when and why. */
  allowance(phone: GuestPhone): GuestAllowance {
    const requests = this.#requests
      .all()
      .filter(countsInBudget)
      .map((r) => ({ phoneId: r.phone.id, address: r.phone.address, at: r.at }));
    return this.#allowances.of(this.#limits(), { phoneId: phone.id, address: phone.address, now: this.#deps.clock.now(), requests });
  }

  /** This phone's own requests, newest first. */
  requestsOf(phone: GuestPhone): GuestRequestRecord[] {
    return this.#requests.of(phone);
  }

  /** The guests' queue in the order it plays: queued requests by "up" votes, then waiting ones, oldest first within each. */
  queue(): GuestRequestRecord[] {
    return this.#requests.queue((r) => {
      const votes = this.votesOn(r.id);
      return votes.up - votes.down;
    });
  }

  /** Where each queued request stands (1: next) and when it should start (an estimate, epoch ms), by request id; when the song next starts. */
  schedule(): GuestSchedule {
    const now = this.#deps.clock.now();
    // Every phone's view asks in turn after a change: worked out once for them all, until the next change or a second on.
    if (this.#schedule !== undefined && now - this.#schedule.at < SCHEDULE_KEPT_MS) return this.#schedule.value;
    const { current, upcoming, positionMs } = this.#deps.player.state();
    const queued = this.queue()
      .filter((r) => r.status === 'queued')
      .map((r) => ({ id: r.id, trackId: r.trackId, durationMs: this.#deps.store.tracks.get(r.trackId)?.durationMs ?? null }));
    const value = guestSchedule({ now, current, positionMs, upcoming, queued });
    this.#schedule = { at: now, value };
    return value;
  }

  /** The phone likes the song playing (`trackId`), kept for the charts; refused when it no longer plays. Liking twice changes nothing. */
  like(phone: GuestPhone, trackId: number): { likes: number } {
    this.#mustBeOpen();
    const isNew = !this.#votes.likes(phone).isLikedByMe;
    const likes = this.#votes.like(phone, trackId);
    if (isNew) this.#deps.store.plays.recordGuestLike({ trackId, at: this.#deps.clock.now() });
    this.#changed();
    return { likes };
  }

  /** Guests' likes of the song playing, and whether this phone is one (false without a phone). */
  likes(phone?: GuestPhone): { likes: number; isLikedByMe: boolean } {
    return this.#votes.likes(phone);
  }

  /** This phone's votes that still count: on the song playing (`now`) and on requests up next (their id). */
  votesOf(phone: GuestPhone): Array<{ on: 'now' | number; vote: GuestVote }> {
    return this.#votes.votesOf(phone);
  }

  /**
   * The phone votes on the song playing (`now`) or a requested song up next (its `id`), or takes its
   * vote back (`none`). Enough distinct phones voting "down" skip the song or drop the request.
   */
  async vote(phone: GuestPhone, on: 'now' | number, vote: GuestVote | 'none'): Promise<GuestVotes> {
    this.#mustBeOpen();
    const { votes, target, isVotedOff } = await this.#votes.vote(phone, on, vote);
    if (target.on === 'request') {
      if (isVotedOff) this.#finish(target.id, 'declined', GUEST_REASONS.votedOffQueue);
      else this.#followed();
    }
    this.#changed();
    return votes;
  }

  /** The votes on the song playing (`now`) or a request, as `phone` sees them. */
  votesOn(on: 'now' | number, phone?: GuestPhone): GuestVotes {
    return this.#votes.votesOn(on, phone);
  }

  /**
   * Staff (`actor`) take a request out of the queue (`cleared`), audited as `guests.clear`; one still
   * waiting for their yes is declined instead (`declined`, audited as `guests.decline`: it uses up
   * none of the guest's requests). False when it is no longer in the queue.
   */
  clear(requestId: number, actor: Actor): boolean {
    const request = this.#requests.open().find((r) => r.id === requestId);
    if (request === undefined) return false;
    if (!request.approved) {
      this.#audit(actor, 'guests.decline', { request: requestId });
      this.#finish(requestId, 'declined', GUEST_REASONS.staffDeclined);
      return true;
    }
    this.#audit(actor, 'guests.clear', { request: requestId });
    this.#finish(requestId, 'cleared', GUEST_REASONS.cleared);
    this.#changed();
    return true;
  }

  /** Staff (`actor`) say yes to a request waiting for them, audited as `guests.approve`; false when none waits for them under this id. */
  approve(requestId: number, actor: Actor): boolean {
    const request = this.#requests.get(requestId);
    if (request === undefined || request.approved || request.status !== 'waiting') return false;
    this.#audit(actor, 'guests.approve', { request: requestId });
    this.#requests.approve(requestId);
    this.#judge((trackId) => this.#deps.music.guestFit(trackId));
    this.#followed();
    return true;
  }

  /** Staff (`actor`) clear every request in the queue and every vote, audited as `guests.clear-all`; answers how many requests went. */
  clearAll(actor: Actor): number {
    const open = this.#requests.open();
    this.#audit(actor, 'guests.clear-all', { requests: open.length });
    for (const r of open) this.#finish(r.id, 'cleared', GUEST_REASONS.cleared);
    this.#votes.clear();
    this.#changed();
    return open.length;
  }

  /** Written before the change it tells of: when it cannot be (a full disk), nothing changes. */
  #audit(actor: Actor, action: string, detail: Record<string, unknown>): void {
    recordAudit({ audit: this.#deps.store.audit, clock: this.#deps.clock }, actor, action, { detail });
  }

  /** Every song guests asked for in the last hour (newest first), for staff. */
  recent(): GuestRequestRecord[] {
    return this.#requests.recent(this.#deps.clock.now());
  }

  /**
   * The request to play next (the music director asks after each song it picks): the queue judged
   * by `judge` against the room now. A waiting request that fits is queued; a queued one that no
   * longer fits waits; one that waited `guests.waitMin` is declined.
   */
  next(judge: (trackId: number) => GuestFitVerdict): { trackId: number } | undefined {
    this.#judge(judge);
    const head = this.queue().find((r) => r.status === 'queued' && this.mayRequest(r.trackId));
    return head === undefined ? undefined : { trackId: head.trackId };
  }

  /** Judges the open requests against the room again, declines those that waited too long, and forgets old ones. */
  review(): void {
    const before = JSON.stringify(this.#requests.open().map((r) => [r.id, r.status]));
    this.#judge((trackId) => this.#deps.music.guestFit(trackId));
    for (const r of this.#requests.open()) if (this.#songs.isBlocked(r.trackId)) this.#finish(r.id, 'declined', GUEST_REASONS.blocked);
    const now = this.#deps.clock.now();
    this.#requests.forget(now, this.#deps.settings().guests.repeatWindowMin * MINUTE_MS);
    this.#votes.forget();
    this.#allowances.forget(now - HOUR_MS);
    this.#songs.forget(now);
    if (JSON.stringify(this.#requests.open().map((r) => [r.id, r.status])) !== before) this.#followed();
    // The phones seen since the last change, and what was forgotten.
    else this.#keep();
  }

  #judge(judge: (trackId: number) => GuestFitVerdict): void {
    const declined = this.#requests.judge(judge, this.#deps.clock.now(), this.#deps.settings().guests.waitMin * MINUTE_MS);
    for (const id of declined) this.#votes.drop({ on: 'request', id });
  }

  #started(item: QueueItem): void {
    this.#songs.started(item.track.id, this.#deps.clock.now());
    const resumed = this.#resumed(item);
    const request = resumed ?? (item.reason === 'guest' ? this.queue().find((r) => r.trackId === item.track.id) : undefined);
    if (resumed === undefined && request !== undefined) {
      this.#requests.started(request.id, item.key);
      this.#votes.drop({ on: 'request', id: request.id });
    }
    this.#nowPlaying = { key: item.key, trackId: item.track.id, requestId: request?.id ?? null };
    this.#changed();
  }

  #ended(item: QueueItem, outcome: PlayOutcome): void {
    // A stop ends the song as interrupted: its likes and votes are kept, for a restart that resumes it.
    if (outcome !== 'interrupted' && this.#nowPlaying?.key === item.key) this.#nowPlaying = undefined;
    if (this.#requests.ended(item.key, this.#votes.endedVotedOff(item.key) ? 'voted-off' : outcome)) this.#changed();
  }

  /**
   * Reads back what the guests set before the restart (`guest-memory.ts`): requests, each phone's
   * list and budget, the phones seen on each address, the votes on requests, and the guests' part
   * of the song playing. A request still open whose song is gone or blocked since is dropped, said
   * in the log. Time-based windows keep their times: what the downtime refilled has refilled.
   */
  #readBack(): void {
    const { log, clock, store } = this.#deps;
    const kept = this.#memory.read();
    const requests = kept.requests.filter((r) => {
      if (r.status !== 'queued' && r.status !== 'waiting' && r.status !== 'playing') return true;
      const track = store.tracks.get(r.trackId);
      const why = track === undefined || track.missing ? 'gone' : this.#songs.isBlocked(track) ? 'blocked' : undefined;
      if (why === undefined) return true;
      log.info({ request: r.id, trackId: r.trackId, why }, 'a guest request kept over the restart is dropped: its song is gone or blocked');
      return false;
    });
    this.#requests.restore({ nextId: kept.nextId, requests, asked: kept.asked });
    this.#allowances.restore(kept.phones);
    const open = new Set(this.#requests.open().map((r) => r.id));
    this.#votes.restore(kept.ballots.filter((b) => open.has(b.request)));
    this.#resume = kept.now ?? undefined;
    this.#isAwaitingFirstSong = true;
    this.#hasReadBack = true;
    // The box was off a while: what no longer counts (an hour past, the repeat window) goes now.
    const now = clock.now();
    this.#requests.forget(now, this.#deps.settings().guests.repeatWindowMin * MINUTE_MS);
    this.#allowances.forget(now - HOUR_MS);
    if (kept.requests.length > 0 || kept.phones.length > 0) {
      log.info({ requests: this.#requests.all().length, open: open.size, phones: kept.phones.length }, 'guests’ state read back');
    }
    this.#keep();
  }

  /**
   * The first song after the start is `item`: when it is the song that played before the restart
   * (resumed), its likes and votes hold again and the request it played for plays on; answers
   * that request. A request still playing from before ends as interrupted otherwise.
   */
  #resumed(item: QueueItem): GuestRequestRecord | undefined {
    if (!this.#isAwaitingFirstSong) return undefined;
    this.#isAwaitingFirstSong = false;
    const resume = this.#resume;
    this.#resume = undefined;
    let request: GuestRequestRecord | undefined;
    if (resume !== undefined && resume.trackId === item.track.id) {
      this.#votes.resumed(item.key, resume);
      if (resume.requestId !== null && this.#requests.resumed(resume.requestId, item.key)) request = this.#requests.get(resume.requestId);
      this.#deps.log.info(
        { trackId: item.track.id, request: request?.id ?? null, likes: resume.likes.length, votes: resume.ballots.length },
        'the guests’ likes and votes of the song playing hold again',
      );
    }
    const cut = this.#requests.endCut();
    if (cut.length > 0) this.#deps.log.info({ requests: cut }, 'guest requests that played before the restart ended with it');
    return request;
  }

  /** What a restart must not forget, as it is now. */
  #kept(): KeptGuests {
    const { nextId, requests, asked } = this.#requests.kept();
    const playing = this.#nowPlaying;
    const votes = this.#votes.kept(playing?.key);
    const now: KeptNow | null =
      playing === undefined
        ? (this.#resume ?? null)
        : { trackId: playing.trackId, requestId: playing.requestId, likes: votes.likes, ballots: votes.now };
    return { v: 1, nextId, requests, asked, phones: this.#allowances.kept(), ballots: votes.ballots, now };
  }

  /** Writes the guests' state (skipped when it is what was written last). */
  #keep(): void {
    if (this.#hasReadBack) this.#memory.write(this.#kept(), this.#deps.clock.now());
  }

  #finish(id: number, status: 'declined' | 'cleared', why: GuestReason): void {
    if (!this.#requests.finish(id, status, why)) return;
    this.#votes.drop({ on: 'request', id });
    this.#followed();
  }

  #limits(): GuestLimits {
    const { requestsPerHour, requestsPerAddressMax } = this.#deps.settings().guests;
    return { perPhone: requestsPerHour, perAddressMax: Math.max(requestsPerHour, requestsPerAddressMax) };
  }

  #mustBeOpen(): void {
    if (!this.isOpen) throw guestRefused('MB_ERR_GUEST_CLOSED', GUEST_REFUSALS.closed());
  }

  /** The queue changed in a way the music follows (its next song may change). */
  #followed(): void {
    this.#changed();
    this.#deps.music.guestsChanged().catch(() => undefined);
  }

  #changed(): void {
    this.#keep();
    this.#schedule = undefined;
    const open = this.#requests.open();
    this.#deps.bus.emit('guestRequestsChanged', { open: open.length, awaitingStaff: open.filter((r) => !r.approved).length });
  }
}
