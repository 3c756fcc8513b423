/**
 * Guests' likes of the song playing and their votes on it and on the requested songs up next, for
 * `GuestService`: one vote per phone, from one address as many as the phones settled there; enough
 * phones voting "not this" skip the song playing or drop the request.
 */
import type { Config } from '../config/schema.js';
import type { Clock } from '../../kernel/clock.js';
import { GUEST_GONE, GUEST_REFUSALS, guestRefused } from './guest-refusals.js';
import type { Log } from '../../kernel/log.js';
import type { Player } from '../../player/player.js';
import type { GuestMusic } from './guest-fit.js';
import type { GuestAllowances } from './guest-limits.js';
import type { KeptNowBallot, KeptRequestBallot } from './guest-memory.js';
import type { GuestRequests } from './guest-requests.js';
import { GuestVoteBook, type GuestPhone, type GuestVote, type GuestVotes, type VoteTarget } from './guest-votes.js';

const MINUTE_MS = 60_000;

export interface GuestVotingDeps {
  clock: Clock;
  log: Log;
  player: Pick<Player, 'state'>;
  /** Skips the song playing when guests vote it off. */
  music: Pick<GuestMusic, 'skip'>;
  /** The settings now (they may change while running). */
  settings: () => Pick<Config, 'guests'>;
  /** The guests' requests: those in the queue may be voted on. */
  requests: Pick<GuestRequests, 'open'>;
  /** How many phones settled behind an address: its votes count as many. */
  allowances: Pick<GuestAllowances, 'phonesBehind'>;
}

/** What a vote did: the votes on its song now, and whether they voted it off (the song playing skipped, or the request to drop). */
export interface GuestVoteResult {
  votes: GuestVotes;
  target: VoteTarget;
  isVotedOff: boolean;
}

export class GuestVoting {
  readonly #deps: GuestVotingDeps;
  readonly #book = new GuestVoteBook();
  /** The queue key of the song guests voted off, until it ends. */
  #votedOff: number | undefined;

  constructor(deps: GuestVotingDeps) {
    this.#deps = deps;
  }

  /**
   * The phone likes the song playing (`trackId`); refused when it no longer plays. Liking twice
   * changes nothing. A like takes back this phone's "not this" on the song: one or the other. Answers the likes.
   */
  like(phone: GuestPhone, trackId: number): number {
    const { key } = this.#current(trackId);
    const target: VoteTarget = { on: 'now', key };
    if (this.#count(target, phone).mine === 'down') this.#book.cast(target, phone, 'none', this.#deps.clock.now());
    return this.#book.like(key, phone.id);
  }

  /** Guests' likes of the song playing, and whether this phone is one (false without a phone). */
  likes(phone?: GuestPhone): { likes: number; isLikedByMe: boolean } {
    return this.#book.likes(this.#deps.player.state().current?.key, phone?.id);
  }

  /** This phone's votes that still count: on the song playing (`now`) and on requests up next (their id). */
  votesOf(phone: GuestPhone): Array<{ on: 'now' | number; vote: GuestVote }> {
    const open = new Set(this.#deps.requests.open().map((r) => r.id));
    return this.#book.votesOf(phone, this.#since(), this.#deps.player.state().current?.key, open);
  }

  /**
   * The phone votes on the song playing (`now`) or a requested song up next (its `id`), or takes its
   * vote back (`none`). Enough distinct phones voting "down" skip the song (done here) or drop the
   * request (left to the caller, which owns the queue). A "not this" on the song playing takes
   * back this phone's like of it: one or the other.
   */
  async vote(phone: GuestPhone, on: 'now' | number, vote: GuestVote | 'none'): Promise<GuestVoteResult> {
    let target: VoteTarget;
    let trackId: number;
    if (on === 'now') {
      const current = this.#current();
      target = { on: 'now', key: current.key };
      trackId = current.track.id;
      if (vote === 'down') this.#book.unlike(current.key, phone.id);
    } else {
      const request = this.#deps.requests.open().find((r) => r.id === on);
      if (request === undefined) {
        throw guestRefused('MB_ERR_NOT_FOUND', GUEST_GONE.notUpNext(on));
      }
      // Not in the queue yet: no vote moves it up (or off) before the staff have said yes.
      if (!request.approved && vote !== 'none') {
        throw guestRefused('MB_ERR_GUEST_NOT_APPROVED', GUEST_REFUSALS.notApproved());
      }
      target = { on: 'request', id: request.id };
      trackId = request.trackId;
    }
    this.#book.cast(target, phone, vote, this.#deps.clock.now());
    const votes = this.#count(target, phone);
    const isVotedOff = vote === 'down' && votes.down >= votes.downNeeded;
    if (isVotedOff) {
      this.#book.drop(target);
      if (target.on === 'now') {
        this.#deps.log.info({ trackId, votes: votes.down }, 'guests voted the song off');
        this.#votedOff = target.key;
        await this.#deps.music.skip({ by: 'guests', trackId });
      }
    }
    return { votes, target, isVotedOff };
  }

  /** The votes on the song playing (`now`) or a request, as `phone` sees them. */
  votesOn(on: 'now' | number, phone?: GuestPhone): GuestVotes {
    const key = on === 'now' ? this.#deps.player.state().current?.key : on;
    return this.#count(key === undefined ? undefined : on === 'now' ? { on: 'now', key } : { on: 'request', id: key }, phone);
  }

  /** Whether the song that ended (its queue key) is the one guests voted off; forgotten then. */
  endedVotedOff(key: number): boolean {
    const isVotedOff = this.#votedOff === key;
    if (isVotedOff) this.#votedOff = undefined;
    return isVotedOff;
  }

  /** Forgets the votes on `target` (a request that left the queue, or started playing). */
  drop(target: VoteTarget): void {
    this.#book.drop(target);
  }

  /** Forgets every vote. */
  clear(): void {
    this.#book.clear();
  }

  /**
   * What a restart keeps: the votes on requests, and the likes of and votes on the song that played
   * under queue key `nowKey` (the last to start, when it has not ended but by a stop).
   */
  kept(nowKey: number | undefined): { ballots: KeptRequestBallot[]; likes: string[]; now: KeptNowBallot[] } {
    const ballots = this.#book
      .requestTargets()
      .flatMap((id) => this.#book.ballotsOn({ on: 'request', id }).map((b) => ({ request: id, ...b })))
      .sort((a, b) => a.at - b.at);
    if (nowKey === undefined) return { ballots, likes: [], now: [] };
    return { ballots, likes: this.#book.likersOf(nowKey), now: this.#book.ballotsOn({ on: 'now', key: nowKey }) };
  }

  /** Takes back the votes on requests kept before a restart. */
  restore(ballots: readonly KeptRequestBallot[]): void {
    for (const { request, ...ballot } of ballots) this.#book.restore({ on: 'request', id: request }, [ballot]);
  }

  /** The song playing before a restart plays on under queue key `key`: its likes and the votes on it hold again. */
  resumed(key: number, kept: { likes: readonly string[]; ballots: readonly KeptNowBallot[] }): void {
    this.#book.restoreLikes(key, kept.likes);
    this.#book.restore({ on: 'now', key }, kept.ballots);
  }

  /** Forgets the votes cast more than `guests.voteMin` ago, and those on a song that no longer plays. */
  forget(): void {
    this.#book.forget(this.#since(), this.#deps.player.state().current?.key);
  }

  /** Votes on `target`: one per phone, from one address as many as the phones settled there (a café behind one router votes as its phones). */
  #count(target: VoteTarget | undefined, phone?: GuestPhone): GuestVotes {
    const now = this.#deps.clock.now();
    const perAddress = (address: string) => this.#deps.allowances.phonesBehind(address, now);
    return this.#book.count(target, this.#since(), this.#deps.settings().guests.downVotesToSkip, phone, perAddress);
  }

  #since(): number {
    return this.#deps.clock.now() - this.#deps.settings().guests.voteMin * MINUTE_MS;
  }

  #current(trackId?: number): NonNullable<ReturnType<Player['state']>['current']> {
    const current = this.#deps.player.state().current;
    if (current === undefined || (trackId !== undefined && current.track.id !== trackId)) {
      throw guestRefused('MB_ERR_GUEST_NOT_PLAYING', GUEST_REFUSALS.notPlaying());
    }
    return current;
  }
}
