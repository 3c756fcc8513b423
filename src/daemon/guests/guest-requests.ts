import type { Said } from '../../kernel/said.js';
import type { QueueItem } from '../../player/play-queue.js';
import type { PlayOutcome } from '../../player/player.js';
import type { GuestFitVerdict } from './guest-fit.js';
import { GUEST_REASONS, type GuestReason } from './guest-reasons.js';
import type { GuestPhone } from './guest-votes.js';

/**
 * A request's life: `queued` (plays between the mood's picks) or `waiting` (for the room), then
 * `playing`, and `played` or `skipped` (ended early: by votes, the staff, a change of mood);
 * or it leaves the queue unplayed: `declined`, `cleared` by staff, `cancelled` by the guest.
 */
export type GuestRequestStatus = 'queued' | 'waiting' | 'playing' | 'played' | 'skipped' | 'declined' | 'cleared' | 'cancelled';

/** A request still to play: `queued`, or `waiting` for the room or the staff. */
export function isToPlay(status: GuestRequestStatus): status is 'queued' | 'waiting' {
  return status === 'queued' || status === 'waiting';
}

/** A request not over: still to play, or `playing` now. */
export function isOpen(status: GuestRequestStatus): boolean {
  return isToPlay(status) || status === 'playing';
}

/** A request as the guest service keeps it (never who asked, outside this service). */
export interface GuestRequestRecord {
  readonly id: number;
  readonly trackId: number;
  readonly phone: GuestPhone;
  readonly at: number;
  status: GuestRequestStatus;
  /** Why it stands where it does, in words a guest understands (`guest-reasons.ts`). */
  reason: string;
  /** `reason` as a message of the screens' catalogues, for the guest's language; null where there is none. */
  reasonSaid: Said | null;
  /** Since when it waits for the room (epoch ms), while `waiting`. */
  waitingSince: number | null;
  /** The queue key it plays under, once it started. */
  playKey: number | null;
  /** False while it waits for the staff to approve it (`guests.approval` is `staff`); true once they did, or when none is asked. */
  approved: boolean;
}

/** Where a queued request stands: `place` 1 plays next; `at` is when it should start (epoch ms, an estimate). */
export interface GuestSlot {
  readonly place: number;
  readonly at: number;
}

/** When the song next starts (epoch ms, null when none is queued), and each queued request's slot by its id. */
export interface GuestSchedule {
  readonly nextAt: number | null;
  readonly slots: ReadonlyMap<number, GuestSlot>;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Finished requests a phone still sees in its list, newest first. */
const SHOWN_PER_PHONE = 10;
/** A song whose length is not known (a station, the music's own next pick) counts this long (ms). */
export const TYPICAL_SONG_MS = 210_000;

/** A request's `reason` and `reasonSaid`, from the reason in both forms. */
const reasonOf = (why: GuestReason): Pick<GuestRequestRecord, 'reason' | 'reasonSaid'> => ({ reason: why.text, reasonSaid: why.said });

/**
 * Whether a request uses up one of its phone's requests this hour: every one does (a request taken
 * back too), but one the staff declined before saying yes (they said no, or did not get to it in time).
 */
export function countsInBudget(request: Pick<GuestRequestRecord, 'status' | 'approved'>): boolean {
  return !(request.status === 'declined' && !request.approved);
}

/**
 * The guests' requests, in memory: the queue (queued and waiting requests) and the last hours'
 * finished ones, and when each song was last asked for. Pure state: the caller gives the time,
 * the settings and how each song sits with the room, and keeps it over a restart (`kept`,
 * `restore`).
 */
export class GuestRequests {
  #requests: GuestRequestRecord[] = [];
  #nextId = 1;
  /** When each song was last asked for (epoch ms), by track id. */
  readonly #asked = new Map<number, number>();

  /**
   * Adds a request by `phone` for `trackId` at `at`, as `verdict` judged it (`fits`: queued, else
   * waiting); with `needsApproval`, it waits for the staff first, whatever the room.
   */
  add(phone: GuestPhone, trackId: number, at: number, verdict: GuestFitVerdict, needsApproval = false): GuestRequestRecord {
    const fits = verdict.fit === 'fits' && !needsApproval;
    const why = needsApproval
      ? GUEST_REASONS.approval
      : verdict.fit === 'fits'
        ? GUEST_REASONS.queuedFor(verdict)
        : GUEST_REASONS.fit(verdict);
    const record: GuestRequestRecord = {
      id: this.#nextId++,
      trackId,
      phone: { ...phone },
      at,
      status: fits ? 'queued' : 'waiting',
      ...reasonOf(why),
      waitingSince: fits ? null : at,
      playKey: null,
      approved: !needsApproval,
    };
    this.#requests.push(record);
    this.#asked.set(trackId, at);
    return record;
  }

  get(id: number): GuestRequestRecord | undefined {
    return this.#requests.find((r) => r.id === id);
  }

  /** Every request of the last hours (to count budgets), oldest first. */
  all(): readonly GuestRequestRecord[] {
    return this.#requests;
  }

  /** Requests in the queue or waiting for the staff: queued or waiting. */
  open(): GuestRequestRecord[] {
    return this.#requests.filter((r) => isToPlay(r.status));
  }

  /**
   * The queue in the order it plays: queued requests by `score` (votes), then waiting ones, oldest
   * first within each. A request the staff have not said yes to is not in it (nor in anyone's up next).
   */
  queue(score: (r: GuestRequestRecord) => number): GuestRequestRecord[] {
    const open = this.open().filter((r) => r.approved);
    // Each request's score once: counting votes is the costly part.
    const scores = new Map(open.map((r) => [r.id, score(r)]));
    const rank = (r: GuestRequestRecord) => (r.status === 'queued' ? 0 : 1);
    return open.sort((a, b) => rank(a) - rank(b) || (scores.get(b.id) ?? 0) - (scores.get(a.id) ?? 0) || a.at - b.at);
  }

  /** `phone`'s own requests, newest first. */
  of(phone: GuestPhone): GuestRequestRecord[] {
    return this.#requests
      .filter((r) => r.phone.id === phone.id)
      .slice(-SHOWN_PER_PHONE)
      .reverse();
  }

  /** Requests of the hour before `now` and every one still open, newest first. */
  recent(now: number): GuestRequestRecord[] {
    return this.#requests.filter((r) => r.at > now - HOUR_MS || isToPlay(r.status)).reverse();
  }

  /** When `trackId` was last asked for (epoch ms), while it counts for the repeat window. */
  askedAt(trackId: number): number | undefined {
    return this.#asked.get(trackId);
  }

  /** The staff approved waiting request `id`: from now on the room alone decides when it plays (`judge`). False when it is not waiting for them. */
  approve(id: number): boolean {
    const request = this.get(id);
    if (request === undefined || request.approved || request.status !== 'waiting') return false;
    // Its wait for the room starts now.
    Object.assign(request, { approved: true, waitingSince: null });
    return true;
  }

  /** Request `id` started playing under queue key `key`. */
  started(id: number, key: number): void {
    this.finish(id, 'playing', GUEST_REASONS.playing, key);
  }

  /** The song under queue key `key` ended with `outcome` (`voted-off`: guests skipped it); false when it was no request. */
  ended(key: number, outcome: PlayOutcome | 'voted-off'): boolean {
    const request = this.#requests.find((r) => r.status === 'playing' && r.playKey === key);
    if (request === undefined) return false;
    if (outcome === 'completed') return this.finish(request.id, 'played', GUEST_REASONS.played);
    return this.finish(request.id, 'skipped', GUEST_REASONS.endedEarly(outcome));
  }

  /** Request `id` ends with `status`, for `why`; false when there is no such request. */
  finish(id: number, status: Exclude<GuestRequestStatus, 'queued' | 'waiting'>, why: GuestReason, playKey?: number): boolean {
    const request = this.get(id);
    if (request === undefined) return false;
    Object.assign(request, { status, ...reasonOf(why), waitingSince: null }, playKey === undefined ? {} : { playKey });
    // A song its guest took back may be asked for again at once (staff's or the room's no still holds).
    if (status === 'cancelled') this.#asked.delete(request.trackId);
    return true;
  }

  /**
   * Judges the open requests against the room at `now`: one that fits is queued; one that does not
   * waits, and is declined once it waited `waitMs`. Resolves the ids declined.
   */
  judge(judge: (trackId: number) => GuestFitVerdict, now: number, waitMs: number): number[] {
    const declined: number[] = [];
    for (const r of this.open()) {
      if (!r.approved) {
        // Nobody said yes in time: it leaves the queue as one the room never came to would.
        if (now - (r.waitingSince ?? r.at) < waitMs) continue;
        this.finish(r.id, 'declined', GUEST_REASONS.staffLate(Math.round(waitMs / MINUTE_MS)));
        declined.push(r.id);
        continue;
      }
      const verdict = judge(r.trackId);
      if (verdict.fit === 'fits') {
        Object.assign(r, { status: 'queued', ...reasonOf(GUEST_REASONS.queuedFor(verdict)), waitingSince: null });
        continue;
      }
      const since = r.waitingSince ?? now;
      if (now - since >= waitMs) {
        this.finish(r.id, 'declined', GUEST_REASONS.waited(Math.round(waitMs / MINUTE_MS), verdict));
        declined.push(r.id);
      } else {
        Object.assign(r, { status: 'waiting', ...reasonOf(GUEST_REASONS.fit(verdict)), waitingSince: since });
      }
    }
    return declined;
  }

  /** What a restart keeps: every request (copies), when each song was last asked for, and the next id. */
  kept(): { nextId: number; requests: GuestRequestRecord[]; asked: Array<{ trackId: number; at: number }> } {
    return {
      nextId: this.#nextId,
      requests: this.#requests.map((r) => ({ ...r, phone: { ...r.phone } })),
      asked: [...this.#asked].map(([trackId, at]) => ({ trackId, at })),
    };
  }

  /**
   * Takes back what `kept` gave before a restart, in place of what is held now. A request that was
   * playing loses its queue key (the player's keys start again): `resumed` gives it the new one.
   */
  restore(state: { nextId: number; requests: readonly GuestRequestRecord[]; asked: ReadonlyArray<{ trackId: number; at: number }> }): void {
    this.#requests = state.requests.map((r) => ({ ...r, phone: { ...r.phone }, playKey: r.status === 'playing' ? null : r.playKey }));
    this.#nextId = Math.max(state.nextId, ...this.#requests.map((r) => r.id + 1));
    this.#asked.clear();
    for (const { trackId, at } of state.asked) this.#asked.set(trackId, at);
  }

  /**
   * Request `id`, which was playing when the daemon stopped (or was ended by the stop), plays on
   * under queue key `key`: its song resumed. False when it is no such request.
   */
  resumed(id: number, key: number): boolean {
    const request = this.get(id);
    const isCut =
      request?.status === 'playing' || (request?.status === 'skipped' && request.reason === GUEST_REASONS.endedEarly('interrupted').text);
    if (request === undefined || !isCut) return false;
    this.finish(id, 'playing', GUEST_REASONS.playing, key);
    return true;
  }

  /** Requests still playing from before a restart (no queue key) end with it: the music stopped. Answers their ids. */
  endCut(): number[] {
    const cut = this.#requests.filter((r) => r.status === 'playing' && r.playKey === null);
    for (const r of cut) this.finish(r.id, 'skipped', GUEST_REASONS.endedEarly('interrupted'));
    return cut.map((r) => r.id);
  }

  /** Takes request `id` out as if it had never been made (its song is gone since a restart). */
  drop(id: number): void {
    this.#requests = this.#requests.filter((r) => r.id !== id);
  }

  /** Forgets finished requests two hours old, and asks older than the repeat window `repeatMs`. */
  forget(now: number, repeatMs: number): void {
    this.#requests = this.#requests.filter((r) => isOpen(r.status) || now - r.at < 2 * HOUR_MS);
    for (const [trackId, at] of this.#asked) if (now - at >= repeatMs) this.#asked.delete(trackId);
  }
}

/**
 * Where each queued request stands and when it should start, from what plays now: the rest of the
 * song playing, then the song next, then one request after each of the mood's own picks (a pick
 * counts `TYPICAL_SONG_MS`), never two guests' songs in a row; in the queue's order. `nextAt`: when
 * the song next starts.
 */
export function guestSchedule(input: {
  now: number;
  current: QueueItem | undefined;
  positionMs: number;
  upcoming: readonly QueueItem[];
  /** The queued requests in the order they play (waiting ones have no place yet). */
  queued: ReadonlyArray<{ id: number; trackId: number; durationMs: number | null }>;
}): GuestSchedule {
  const slots = new Map<number, GuestSlot>();
  const length = (ms: number | null | undefined) => (ms === null || ms === undefined || ms <= 0 ? TYPICAL_SONG_MS : ms);
  const { current } = input;
  let at = input.now + (current === undefined ? 0 : Math.max(0, length(current.track.durationMs) - input.positionMs));
  let place = 0;
  let isAfterGuest = current?.reason === 'guest';
  const queued = [...input.queued];
  const next = input.upcoming[0];
  const nextAt = next === undefined ? null : at;
  if (next !== undefined) {
    place = 1;
    const head = next.reason === 'guest' ? queued.findIndex((r) => r.trackId === next.track.id) : -1;
    if (head >= 0) {
      const [request] = queued.splice(head, 1);
      if (request !== undefined) slots.set(request.id, { place, at });
    }
    at += length(next.track.durationMs);
    isAfterGuest = next.reason === 'guest';
  }
  for (const request of queued) {
    if (isAfterGuest) {
      place += 1;
      at += TYPICAL_SONG_MS;
    }
    place += 1;
    slots.set(request.id, { place, at });
    at += length(request.durationMs);
    isAfterGuest = true;
  }
  return { nextAt, slots };
}
