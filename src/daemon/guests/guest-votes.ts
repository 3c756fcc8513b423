/** A phone in the room: its anonymous cookie id and the address it calls from. Budgets count both. */
export interface GuestPhone {
  id: string;
  address: string;
}

export type GuestVote = 'up' | 'down';

/** Votes on one song: counts, this phone's own, and how many "not this" skip or drop it. */
export interface GuestVotes {
  up: number;
  down: number;
  mine: GuestVote | null;
  downNeeded: number;
}

/** What a vote is on: the song playing (by its queue key), or a request in the guests' queue (by its id). */
export type VoteTarget = { on: 'now'; key: number } | { on: 'request'; id: number };

/** One phone's vote: how, from which address, when (epoch ms). */
export interface Ballot {
  vote: GuestVote;
  address: string;
  at: number;
}

/**
 * The guests' votes and likes, in memory: votes on the song playing and on requests in the queue,
 * one per phone, as many from one address as the caller allows (the phones behind it), each for a while; likes of the song playing, one
 * per phone. Pure state: the caller gives the time and the settings.
 */
export class GuestVoteBook {
  /** Ballots by target (`now:<queue key>` or `request:<id>`), each by phone id. */
  readonly #votes = new Map<string, Map<string, Ballot>>();
  /** Phones that like the song playing, by its queue key. */
  #likes: { key: number; phones: Set<string> } | undefined;

  /** Phone `phone` votes `vote` on `target` at `at`, or takes its vote back (`none`). */
  cast(target: VoteTarget, phone: GuestPhone, vote: GuestVote | 'none', at: number): void {
    const key = keyOf(target);
    const ballots = this.#votes.get(key) ?? new Map<string, Ballot>();
    this.#votes.set(key, ballots);
    if (vote === 'none') ballots.delete(phone.id);
    else ballots.set(phone.id, { vote, address: phone.address, at });
  }

  /**
   * Votes still counted on `target` after `since` (epoch ms): one per phone, and from one address
   * at most `perAddress(address)` (the phones behind it).
   */
  count(
    target: VoteTarget | undefined,
    since: number,
    downNeeded: number,
    phone?: GuestPhone,
    perAddress: (address: string) => number = () => 1,
  ): GuestVotes {
    const all = target === undefined ? [] : [...(this.#votes.get(keyOf(target))?.entries() ?? [])];
    const votes = all.filter(([, v]) => v.at > since);
    const distinct = (vote: GuestVote) => {
      const byAddress = new Map<string, number>();
      for (const [, v] of votes) if (v.vote === vote) byAddress.set(v.address, (byAddress.get(v.address) ?? 0) + 1);
      let count = 0;
      for (const [address, n] of byAddress) count += Math.min(n, perAddress(address));
      return count;
    };
    const mine = phone === undefined ? undefined : votes.find(([id]) => id === phone.id)?.[1].vote;
    return { up: distinct('up'), down: distinct('down'), mine: mine ?? null, downNeeded };
  }

  /** The votes of `phone` after `since` on the song playing (`nowKey`) and on the requests `openIds`: the song playing first, then by request id. */
  votesOf(
    phone: GuestPhone,
    since: number,
    nowKey: number | undefined,
    openIds: ReadonlySet<number>,
  ): Array<{ on: 'now' | number; vote: GuestVote }> {
    const mine: Array<{ on: 'now' | number; vote: GuestVote }> = [];
    for (const [target, ballots] of this.#votes) {
      const ballot = ballots.get(phone.id);
      if (ballot === undefined || ballot.at <= since) continue;
      if (target === `now:${nowKey}`) mine.push({ on: 'now', vote: ballot.vote });
      const id = target.startsWith('request:') ? Number(target.slice('request:'.length)) : undefined;
      if (id !== undefined && openIds.has(id)) mine.push({ on: id, vote: ballot.vote });
    }
    // In one order whatever the order cast (a restart puts them back in another).
    const rank = (on: 'now' | number) => (on === 'now' ? 0 : on);
    return mine.sort((a, b) => rank(a.on) - rank(b.on));
  }

  /** Forgets every vote on `target` (it was decided, or the song left). */
  drop(target: VoteTarget): void {
    this.#votes.delete(keyOf(target));
  }

  /** Forgets every vote. */
  clear(): void {
    this.#votes.clear();
  }

  /** Forgets votes cast before `since`, and those on a song that no longer plays (`nowKey`): a vote on a song ends with it. */
  forget(since: number, nowKey: number | undefined): void {
    for (const [target, ballots] of this.#votes) {
      for (const [id, v] of ballots) if (v.at <= since) ballots.delete(id);
      if (ballots.size === 0 || (target.startsWith('now:') && target !== `now:${nowKey}`)) this.#votes.delete(target);
    }
  }

  /** Every ballot on `target`, by phone id: what a restart keeps. */
  ballotsOn(target: VoteTarget): Array<{ phone: string } & Ballot> {
    return [...(this.#votes.get(keyOf(target))?.entries() ?? [])].map(([phone, ballot]) => ({ phone, ...ballot }));
  }

  /** The requests (their ids) that have ballots. */
  requestTargets(): number[] {
    const ids: number[] = [];
    for (const target of this.#votes.keys()) if (target.startsWith('request:')) ids.push(Number(target.slice('request:'.length)));
    return ids;
  }

  /** Puts ballots kept before a restart back on `target` (the song playing under its new queue key, or a request). */
  restore(target: VoteTarget, ballots: ReadonlyArray<{ phone: string } & Ballot>): void {
    if (ballots.length === 0) return;
    const held = this.#votes.get(keyOf(target)) ?? new Map<string, Ballot>();
    this.#votes.set(keyOf(target), held);
    for (const { phone, vote, address, at } of ballots) held.set(phone, { vote, address, at });
  }

  /** The phones that like the song playing under queue key `key`. */
  likersOf(key: number): string[] {
    return this.#likes?.key === key ? [...this.#likes.phones] : [];
  }

  /** Puts likes of the song playing kept before a restart back, under its new queue key `key`. */
  restoreLikes(key: number, phones: readonly string[]): void {
    this.#likes = { key, phones: new Set(phones) };
  }

  /** Phone `phoneId` likes the song playing (`key`); resolves how many phones like it. */
  like(key: number, phoneId: string): number {
    if (this.#likes?.key !== key) this.#likes = { key, phones: new Set() };
    this.#likes.phones.add(phoneId);
    return this.#likes.phones.size;
  }

  /** Phone `phoneId` no longer likes the song playing (`key`): its "not this" on it takes the like back. */
  unlike(key: number, phoneId: string): void {
    if (this.#likes?.key === key) this.#likes.phones.delete(phoneId);
  }

  /** Likes of the song playing (`key`), and whether `phoneId` is one. */
  likes(key: number | undefined, phoneId?: string): { likes: number; isLikedByMe: boolean } {
    const phones = key !== undefined && this.#likes?.key === key ? this.#likes.phones : new Set<string>();
    return { likes: phones.size, isLikedByMe: phoneId !== undefined && phones.has(phoneId) };
  }
}

function keyOf(target: VoteTarget): string {
  return target.on === 'now' ? `now:${target.key}` : `request:${target.id}`;
}
