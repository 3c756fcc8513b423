import type { Clock } from '../../kernel/clock.js';

/**
 * How wrong tries against one key (an account, or a device) slow down the next ones. After
 * `freeAttempts` tries each further one waits twice as long as the one before, up to
 * `maxDelayMs`: a key is slowed, never locked. One counted try is forgotten every
 * `forgetOneEveryMs`, which is at least `maxDelayMs`, so guessing at the slowest pace never earns
 * free tries back.
 */
export interface DelayRule {
  /** Tries allowed back to back before the delays start. */
  freeAttempts: number;
  /** The first delay (ms); it doubles with each further try. */
  baseDelayMs: number;
  /** The longest delay (ms). */
  maxDelayMs: number;
  /** One counted try is forgotten per this much time (ms); MUST be at least `maxDelayMs`. */
  forgetOneEveryMs: number;
}

/**
 * Kiosk PINs and admin passphrases are counted apart: wrong PINs never slow an admin's sign-in to
 * the panel, nor the reverse. Both are counted per account and source, so that a guesser slows
 * itself and nobody at another address: the box's own screen (the kiosk) is one source with a
 * budget of its own, and each other address is one. A guesser with many addresses could then guess
 * a PIN from each of them, so PINs are also counted per account over every address but the box's
 * own together (`pinNetwork`), with a wait short enough (30 s at most) that nobody on the network
 * is kept out by it. The admin's right passphrase does not wipe a guesser's count at another
 * address.
 */
export type SignInScope = 'pin' | 'passphrase';

/**
 * Between the source and the account in the key of an account's count: a source (`box`, `ip:…`)
 * never holds it, so the first one ends the source, whatever a typed name holds.
 */
const PAIR = '\u0000';

/** The source of every try made on the box itself, whatever its loopback or own address. */
const BOX_SOURCE = 'box';

/** One sign-in try: its scope, the account's name key (`nameKey`) and where it comes from. */
export interface SignInAttempt {
  scope: SignInScope;
  account: string;
  /** The device it comes from (`ip:…`), as the audit names it. */
  device: string;
  /**
   * It comes from the box itself (a loopback address, or the box calling its own address): the
   * kiosk's own screen, whose tries are counted apart from every other address's, so that no
   * address on the network can slow a sign-in there. @default false
   */
  isOnBox?: boolean | undefined;
}

export interface ThrottleOptions {
  /** Kiosk PINs, per account and source. @default PIN_ACCOUNT_RULE */
  pinAccount?: DelayRule;
  /** Kiosk PINs, per account, every address but the box's own together. @default PIN_NETWORK_RULE */
  pinNetwork?: DelayRule;
  /** Kiosk PINs, per device. @default DEVICE_RULE */
  pinDevice?: DelayRule;
  /** Admin passphrases, per account and source. @default PASSPHRASE_ACCOUNT_RULE */
  passphraseAccount?: DelayRule;
  /** Admin passphrases, per device. @default DEVICE_RULE */
  passphraseDevice?: DelayRule;
}

/** A member's account from one source: 6 tries at once, then 1 s, 2 s, 4 s … up to 30 minutes between tries. */
export const PIN_ACCOUNT_RULE: DelayRule = { freeAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30 * 60_000, forgetOneEveryMs: 30 * 60_000 };
/** An admin's passphrase from one source: 6 tries at once, then up to 5 minutes between tries (a passphrase has 10+ characters; the wait stays short so that nobody can keep the admin out for long). */
export const PASSPHRASE_ACCOUNT_RULE: DelayRule = {
  freeAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  forgetOneEveryMs: 5 * 60_000,
};
/** A device (the kiosk, or one address on the LAN): 11 tries at once, then up to 30 s between tries, whatever the accounts. */
export const DEVICE_RULE: DelayRule = { freeAttempts: 10, baseDelayMs: 1000, maxDelayMs: 30_000, forgetOneEveryMs: 60_000 };
/**
 * A member's account over every address but the box's own: 11 tries at once, then up to 30 s
 * between tries, so that guesses from many addresses together are slowed, and a member at another
 * address waits 30 s at most for them.
 */
export const PIN_NETWORK_RULE: DelayRule = { freeAttempts: 10, baseDelayMs: 1000, maxDelayMs: 30_000, forgetOneEveryMs: 60_000 };

export interface ThrottleVerdict {
  isAllowed: boolean;
  /** When the next try may be made (ms from now); 0 when allowed. */
  retryAfterMs: number;
}

interface Entry {
  /** Tries counted and not yet forgotten. */
  count: number;
  /** Since when forgetting runs for `count`. */
  forgetFrom: number;
  /** When the last try was counted. */
  lastAt: number;
  /** How long after `lastAt` the next try must wait. */
  delayMs: number;
  /** When the try before the last was counted: a right last try puts the wait back to run from it. */
  priorLastAt: number;
}

/** How often entries with nothing left to count are dropped (ms). */
const SWEEP_EVERY_MS = 10 * 60_000;

/** What a counted try is counted against: its account from its source, its source, its account over the network. */
type Kind = 'account' | 'device' | 'network';

/** One count a try is counted against, and what a right try does to it. */
interface Slot {
  key: string;
  rule: DelayRule;
  /** A right try clears the count (`account`), or only gives its own try back. */
  isClearedOnSuccess: boolean;
}

/**
 * Slows down guessing, per account and source, per source, and for PINs per account over the
 * network (`SignInScope`). A try reserves its place before the slow PIN check runs (`reserve`), so N
 * tries at once count as N; a right one gives it back (`succeed`). The state is in memory: a restart
 * forgets it. Not @fastify/rate-limit, which counts every request in a fixed window: here only wrong
 * tries count, waits double, and staff see and clear an account's count.
 */
export class SignInThrottle {
  readonly #clock: Clock;
  readonly #rules: Readonly<Record<`${SignInScope}:${'account' | 'device'}` | 'pin:network', DelayRule>>;
  readonly #entries = new Map<string, Entry>();
  #sweptAt: number;

  constructor(deps: { clock: Clock }, options: ThrottleOptions = {}) {
    this.#clock = deps.clock;
    this.#rules = {
      'pin:account': checked('pinAccount', options.pinAccount ?? PIN_ACCOUNT_RULE),
      'pin:network': checked('pinNetwork', options.pinNetwork ?? PIN_NETWORK_RULE),
      'pin:device': checked('pinDevice', options.pinDevice ?? DEVICE_RULE),
      'passphrase:account': checked('passphraseAccount', options.passphraseAccount ?? PASSPHRASE_ACCOUNT_RULE),
      'passphrase:device': checked('passphraseDevice', options.passphraseDevice ?? DEVICE_RULE),
    };
    this.#sweptAt = deps.clock.now();
  }

  /**
   * Counts a try against each of its counts when all allow one now, else counts nothing and says
   * how long to wait. Synchronous, so that tries made at once are counted one by one.
   */
  reserve(attempt: SignInAttempt): ThrottleVerdict {
    const now = this.#clock.now();
    this.#sweep(now);
    const retryAfterMs = this.#waitMs(attempt, now);
    if (retryAfterMs > 0) return { isAllowed: false, retryAfterMs };
    for (const { key, rule } of this.#slots(attempt)) {
      const entry = this.#live(key, rule, now) ?? { count: 0, forgetFrom: now, lastAt: now, delayMs: 0, priorLastAt: now };
      entry.count += 1;
      entry.priorLastAt = entry.lastAt;
      entry.lastAt = now;
      entry.delayMs = delayOf(rule, entry.count);
      this.#entries.set(key, entry);
    }
    return { isAllowed: true, retryAfterMs: 0 };
  }

  /**
   * The reserved try was right: the account starts afresh from this source (only: the admin's own
   * sign-in leaves a guesser's count at another address alone), and the source and the network get
   * that try back, with the wait it set going: the next person at the kiosk waits what was left of
   * the wait before it, not a fresh one. Their other tries stay counted: one right PIN must not hide
   * many wrong ones.
   */
  succeed(attempt: SignInAttempt): void {
    const now = this.#clock.now();
    for (const { key, rule, isClearedOnSuccess } of this.#slots(attempt)) {
      if (isClearedOnSuccess) {
        this.#entries.delete(key);
        continue;
      }
      const entry = this.#live(key, rule, now);
      if (entry === undefined) continue;
      entry.count = Math.max(0, entry.count - 1);
      entry.lastAt = entry.priorLastAt;
      entry.delayMs = delayOf(rule, entry.count);
    }
  }

  /** How long the next try for this account from this source must wait (ms); 0 when it may be made now. */
  retryAfterMs(attempt: SignInAttempt): number {
    return this.#waitMs(attempt, this.#clock.now());
  }

  /**
   * Tries counted against `account` (every scope and source; each try once) and the longest wait
   * they impose now on any source (ms).
   */
  accountStatus(account: string): { failures: number; waitMs: number } {
    const now = this.#clock.now();
    let failures = 0;
    let waitMs = 0;
    for (const [key, rule] of this.#accountKeys(account)) {
      const entry = this.#live(key, rule, now);
      if (entry === undefined) continue;
      // The network's count holds the same tries again.
      if (!key.startsWith('pin:network:')) failures += entry.count;
      waitMs = Math.max(waitMs, entry.lastAt + entry.delayMs - now);
    }
    return { failures, waitMs };
  }

  /** Forgets every try counted against `account`, in every scope and from every source (staff clearing a lockout). */
  clearAccount(account: string): void {
    for (const [key] of this.#accountKeys(account)) this.#entries.delete(key);
  }

  /**
   * Tries counted and not yet forgotten: against one account (`account`: from every source;
   * `network`: every address but the box's own together) or one source (`device`: `ip:…`, or `box`);
   * for tests and reports.
   */
  failures(scope: SignInScope, kind: Kind, key: string): number {
    const now = this.#clock.now();
    if (kind === 'device') return this.#live(`${scope}:device:${key}`, this.#rules[`${scope}:device`], now)?.count ?? 0;
    if (kind === 'network') return scope === 'pin' ? (this.#live(`pin:network:${key}`, this.#rules['pin:network'], now)?.count ?? 0) : 0;
    let count = 0;
    for (const [entryKey, rule] of this.#accountKeys(key)) {
      if (entryKey.startsWith(`${scope}:account:`)) count += this.#live(entryKey, rule, now)?.count ?? 0;
    }
    return count;
  }

  /** The keys counting tries against `account`, in every scope and from every source. */
  #accountKeys(account: string): Array<[string, DelayRule]> {
    const keys: Array<[string, DelayRule]> = [];
    const network = `pin:network:${account}`;
    for (const key of this.#entries.keys()) {
      if (key === network) keys.push([key, this.#rules['pin:network']]);
      for (const scope of ['pin', 'passphrase'] as const) {
        const prefix = `${scope}:account:`;
        if (key.startsWith(prefix) && key.slice(key.indexOf(PAIR, prefix.length) + 1) === account) {
          keys.push([key, this.#rules[`${scope}:account`]]);
        }
      }
    }
    return keys;
  }

  #waitMs(attempt: SignInAttempt, now: number): number {
    let waitMs = 0;
    for (const { key, rule } of this.#slots(attempt)) {
      const entry = this.#live(key, rule, now);
      if (entry !== undefined) waitMs = Math.max(waitMs, entry.lastAt + entry.delayMs - now);
    }
    return waitMs;
  }

  #slots(attempt: SignInAttempt): Slot[] {
    const { scope, account } = attempt;
    const source = attempt.isOnBox === true ? BOX_SOURCE : attempt.device;
    const slots: Slot[] = [
      { key: `${scope}:account:${source}${PAIR}${account}`, rule: this.#rules[`${scope}:account`], isClearedOnSuccess: true },
      { key: `${scope}:device:${source}`, rule: this.#rules[`${scope}:device`], isClearedOnSuccess: false },
    ];
    // The box's own screen is not on the network: no address there slows it, and it slows none.
    if (scope === 'pin' && attempt.isOnBox !== true) {
      slots.push({ key: `pin:network:${account}`, rule: this.#rules['pin:network'], isClearedOnSuccess: false });
    }
    return slots;
  }

  /** The entry for `key` with what has been forgotten by `now` taken off; undefined (and dropped) once nothing is left. */
  #live(key: string, rule: DelayRule, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const forgotten = Math.floor((now - entry.forgetFrom) / rule.forgetOneEveryMs);
    if (forgotten > 0) {
      entry.count = Math.max(0, entry.count - forgotten);
      entry.forgetFrom += forgotten * rule.forgetOneEveryMs;
    }
    if (entry.count === 0 && entry.lastAt + entry.delayMs <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweep(now: number): void {
    if (now - this.#sweptAt < SWEEP_EVERY_MS) return;
    this.#sweptAt = now;
    for (const key of [...this.#entries.keys()]) {
      const [scope, kind] = key.split(':') as [SignInScope, Kind];
      const rule = kind === 'network' ? this.#rules['pin:network'] : this.#rules[`${scope}:${kind}`];
      this.#live(key, rule, now);
    }
  }
}

/** The wait after the `count`-th counted try (ms). */
function delayOf(rule: DelayRule, count: number): number {
  if (count <= rule.freeAttempts) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** (count - rule.freeAttempts - 1));
}

function checked(name: string, rule: DelayRule): DelayRule {
  const { freeAttempts, baseDelayMs, maxDelayMs, forgetOneEveryMs } = rule;
  if (!Number.isInteger(freeAttempts) || freeAttempts < 0)
    throw new RangeError(`Expected \`${name}.freeAttempts\` to be an integer ≥ 0, got \`${freeAttempts}\``);
  if (!(baseDelayMs > 0 && maxDelayMs >= baseDelayMs))
    throw new RangeError(`Expected \`${name}\` to have 0 < baseDelayMs ≤ maxDelayMs, got \`${baseDelayMs}\` and \`${maxDelayMs}\``);
  if (!(forgetOneEveryMs >= maxDelayMs))
    throw new RangeError(`Expected \`${name}.forgetOneEveryMs\` to be at least maxDelayMs (${maxDelayMs}), got \`${forgetOneEveryMs}\``);
  return rule;
}
