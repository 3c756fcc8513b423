import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Log } from '../../kernel/log.js';
import { MAX_SETTING_BYTES, type SettingsRepository } from '../store/store.js';
import { isOpen } from './guest-requests.js';

/**
 * Where the guests' live state is kept in the store's key-value settings table. A restore carries
 * it over from the database it replaces (`store/restore-people.ts`), unless the backup's people
 * are asked for.
 */
export const GUEST_STATE_KEY = 'guests.live';

/**
 * The most of each list kept, newest first: a box never holds more than a few hundred phones'
 * entries, and what is past these is the oldest.
 */
export const GUESTS_KEPT = { requests: 150, asked: 150, phones: 300, ballots: 300, likes: 300 } as const;

/** The largest value written (bytes of JSON): half of what the settings table reads back, whatever the strings in it. */
export const GUEST_STATE_MAX_BYTES = MAX_SETTING_BYTES / 2;

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
/** Epoch ms on the box's clock. */
const Time = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** A phone's anonymous cookie id (`http/guests/guest-phone.ts`: 22 characters). */
const PhoneId = Type.String({ minLength: 1, maxLength: 64 });
/** The address a phone calls from (IPv4 or IPv6). */
const Address = Type.String({ minLength: 1, maxLength: 64 });
const Vote = Type.Union([Type.Literal('up'), Type.Literal('down')]);

const SaidSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    values: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Union([
          Type.String({ maxLength: 300 }),
          Type.Number(),
          Type.Object({ said: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
        ]),
        { maxProperties: 8 },
      ),
    ),
  },
  { additionalProperties: false },
);

/** A request as `GuestRequests` keeps it (`GuestRequestRecord`). */
const KeptRequestSchema = Type.Object(
  {
    id: Id,
    trackId: Id,
    phone: Type.Object({ id: PhoneId, address: Address }, { additionalProperties: false }),
    at: Time,
    status: Type.Union([
      Type.Literal('queued'),
      Type.Literal('waiting'),
      Type.Literal('playing'),
      Type.Literal('played'),
      Type.Literal('skipped'),
      Type.Literal('declined'),
      Type.Literal('cleared'),
      Type.Literal('cancelled'),
    ]),
    reason: Type.String({ maxLength: 500 }),
    reasonSaid: Type.Union([SaidSchema, Type.Null()]),
    waitingSince: Type.Union([Time, Type.Null()]),
    playKey: Type.Union([Type.Integer(), Type.Null()]),
    approved: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** When a song was last asked for: what the repeat window counts from. */
const KeptAskedSchema = Type.Object({ trackId: Id, at: Time }, { additionalProperties: false });

/** A phone seen on an address: first and last (what its address's ceiling and its votes count). */
const KeptSightingSchema = Type.Object({ phone: PhoneId, address: Address, first: Time, last: Time }, { additionalProperties: false });

/** A phone's vote, without its target. */
const BallotFields = { phone: PhoneId, vote: Vote, address: Address, at: Time };

/** A vote on a request in the queue. */
const KeptRequestBallotSchema = Type.Object({ request: Id, ...BallotFields }, { additionalProperties: false });

const KeptNowBallotSchema = Type.Object(BallotFields, { additionalProperties: false });

/**
 * The guests' part of the song playing when it was written: the song, the request it plays for,
 * the phones that like it and the votes on it. They hold again when the same song is the first to
 * play after the start (resumed), and end otherwise, as they end with any song.
 */
const KeptNowSchema = Type.Object(
  {
    trackId: Id,
    requestId: Type.Union([Id, Type.Null()]),
    likes: Type.Array(PhoneId, { maxItems: GUESTS_KEPT.likes }),
    ballots: Type.Array(KeptNowBallotSchema, { maxItems: GUESTS_KEPT.ballots }),
  },
  { additionalProperties: false },
);

export type KeptRequest = Static<typeof KeptRequestSchema>;
export type KeptAsked = Static<typeof KeptAskedSchema>;
export type KeptSighting = Static<typeof KeptSightingSchema>;
export type KeptRequestBallot = Static<typeof KeptRequestBallotSchema>;
export type KeptNowBallot = Static<typeof KeptNowBallotSchema>;
export type KeptNow = Static<typeof KeptNowSchema>;

/** What the guests set that a restart must not forget, as written in the database (version 1). */
export interface KeptGuests {
  v: 1;
  /** The id the next request takes. */
  nextId: number;
  /** The requests, open ones and the last hours' finished ones (what each phone's list and budget show), oldest first. */
  requests: KeptRequest[];
  asked: KeptAsked[];
  phones: KeptSighting[];
  ballots: KeptRequestBallot[];
  now: KeptNow | null;
}

/** Nothing kept: what a new box, or one whose kept value did not fit, starts from. */
export const NOTHING_KEPT: KeptGuests = { v: 1, nextId: 1, requests: [], asked: [], phones: [], ballots: [], now: null };

/** The value's frame: each list is checked item by item, so that one item that does not fit drops alone. */
const FrameSchema = Type.Object({
  v: Type.Literal(1),
  nextId: Id,
  requests: Type.Array(Type.Unknown()),
  asked: Type.Array(Type.Unknown()),
  phones: Type.Array(Type.Unknown()),
  ballots: Type.Array(Type.Unknown()),
  now: Type.Unknown(),
});

const checks = {
  frame: Compile(FrameSchema),
  request: Compile(KeptRequestSchema),
  asked: Compile(KeptAskedSchema),
  phone: Compile(KeptSightingSchema),
  ballot: Compile(KeptRequestBallotSchema),
  now: Compile(KeptNowSchema),
};

/** How many items of each list were dropped for not fitting their shape, or a whole value (`all`). */
export type GuestStateDropped = Partial<Record<'all' | 'requests' | 'asked' | 'phones' | 'ballots' | 'now', number>>;

/**
 * Reads a kept value back: untrusted (a restored backup or an older version may have written
 * anything). The frame must fit, or nothing is kept; then each item that does not fit its shape is
 * dropped alone, and each list is cut to its newest `GUESTS_KEPT`. Never throws.
 */
export function readKeptGuests(value: unknown): { kept: KeptGuests; dropped: GuestStateDropped } {
  if (value === undefined) return { kept: NOTHING_KEPT, dropped: {} };
  if (!checks.frame.Check(value)) return { kept: NOTHING_KEPT, dropped: { all: 1 } };
  const dropped: GuestStateDropped = {};
  const fitting = <T extends TSchema>(
    name: 'requests' | 'asked' | 'phones' | 'ballots',
    items: readonly unknown[],
    check: { Check(value: unknown): value is Static<T> },
    keep: number,
  ): Array<Static<T>> => {
    const kept = items.slice(-keep).filter((item) => check.Check(item));
    const lost = items.length - kept.length;
    if (lost > 0) dropped[name] = lost;
    return kept;
  };
  const requests = fitting<typeof KeptRequestSchema>('requests', value.requests, checks.request, GUESTS_KEPT.requests);
  // One record for each id: a second one under the same id is not the same request.
  const ids = new Set<number>();
  const unique = requests.filter((r) => !ids.has(r.id) && ids.add(r.id));
  if (unique.length < requests.length) dropped.requests = (dropped.requests ?? 0) + requests.length - unique.length;
  const isNow = value.now === null || checks.now.Check(value.now);
  if (!isNow) dropped.now = 1;
  return {
    kept: {
      v: 1,
      nextId: Math.max(value.nextId, ...unique.map((r) => r.id + 1)),
      requests: unique,
      asked: fitting<typeof KeptAskedSchema>('asked', value.asked, checks.asked, GUESTS_KEPT.asked),
      phones: fitting<typeof KeptSightingSchema>('phones', value.phones, checks.phone, GUESTS_KEPT.phones),
      ballots: fitting<typeof KeptRequestBallotSchema>('ballots', value.ballots, checks.ballot, GUESTS_KEPT.ballots),
      now: isNow ? (value.now as KeptNow | null) : null,
    },
    dropped,
  };
}

/**
 * `state` cut to what is written: each list to its newest `GUESTS_KEPT`; then, while its JSON is
 * over `GUEST_STATE_MAX_BYTES` (long reasons from a station's name, say), the oldest quarter of
 * each list goes, finished requests before open ones. Answers the value and its JSON.
 */
export function boundKeptGuests(state: KeptGuests): { kept: KeptGuests; json: string } {
  const newest = <T>(items: readonly T[], n: number): T[] => items.slice(Math.max(0, items.length - n));
  let kept: KeptGuests = {
    ...state,
    requests: newest(state.requests, GUESTS_KEPT.requests),
    asked: newest(state.asked, GUESTS_KEPT.asked),
    phones: newest(state.phones, GUESTS_KEPT.phones),
    ballots: newest(state.ballots, GUESTS_KEPT.ballots),
    now:
      state.now === null
        ? null
        : { ...state.now, likes: newest(state.now.likes, GUESTS_KEPT.likes), ballots: newest(state.now.ballots, GUESTS_KEPT.ballots) },
  };
  let json = JSON.stringify(kept);
  while (Buffer.byteLength(json) > GUEST_STATE_MAX_BYTES) {
    const quarter = <T>(items: readonly T[]): T[] => items.slice(Math.ceil(items.length / 4));
    const finished = kept.requests.filter((r) => !isOpen(r.status));
    const gone = new Set(finished.length > 0 ? finished.slice(0, Math.ceil(finished.length / 4)) : kept.requests.slice(0, 1));
    kept = {
      ...kept,
      requests: kept.requests.filter((r) => !gone.has(r)),
      asked: quarter(kept.asked),
      phones: quarter(kept.phones),
      ballots: quarter(kept.ballots),
      now: kept.now === null ? null : { ...kept.now, likes: quarter(kept.now.likes), ballots: quarter(kept.now.ballots) },
    };
    json = JSON.stringify(kept);
  }
  return { kept, json };
}

/**
 * The guests' live state in the database, written as it changes and read back once at start. A
 * write of what was written last is skipped; a write that fails (a full disk) is said once and
 * tried again at the next change, and the guests go on meanwhile.
 */
export class GuestMemory {
  readonly #settings: Pick<SettingsRepository, 'get' | 'set'>;
  readonly #log: Pick<Log, 'warn' | 'info'>;
  /** The JSON written last, or read back. */
  #written: string | undefined;
  #isFailing = false;

  constructor(deps: { settings: Pick<SettingsRepository, 'get' | 'set'>; log: Pick<Log, 'warn' | 'info'> }) {
    this.#settings = deps.settings;
    this.#log = deps.log;
  }

  /** What was kept; what does not fit its shape is dropped, and said in the log. Never throws. */
  read(): KeptGuests {
    let value: unknown;
    try {
      value = this.#settings.get(GUEST_STATE_KEY);
    } catch (err) {
      this.#log.warn({ err, key: GUEST_STATE_KEY }, 'the guests’ kept state cannot be read; the guests start afresh');
      return NOTHING_KEPT;
    }
    const { kept, dropped } = readKeptGuests(value);
    if (dropped.all !== undefined) {
      this.#log.warn({ key: GUEST_STATE_KEY }, 'the guests’ kept state does not fit its shape; the guests start afresh');
    } else if (Object.keys(dropped).length > 0) {
      this.#log.warn({ key: GUEST_STATE_KEY, dropped }, 'some of the guests’ kept state does not fit its shape; dropped');
    }
    this.#written = JSON.stringify(kept);
    return kept;
  }

  /** Writes `state` (bounded, `boundKeptGuests`) at `at` (epoch ms) unless it is what was written last. */
  write(state: KeptGuests, at: number): void {
    const { kept, json } = boundKeptGuests(state);
    if (json === this.#written) return;
    try {
      this.#settings.set(GUEST_STATE_KEY, kept, at);
      this.#written = json;
      if (this.#isFailing) this.#log.info({ key: GUEST_STATE_KEY }, 'the guests’ state is kept again');
      this.#isFailing = false;
    } catch (err) {
      // The guests go on; the next change tries again.
      if (!this.#isFailing) this.#log.warn({ err, key: GUEST_STATE_KEY }, 'cannot keep the guests’ state');
      this.#isFailing = true;
    }
  }
}
