import type { AuthService } from './auth-service.js';
import type { KioskPresence } from './kiosk-presence.js';
import { WindowLimit, type WindowRule } from '../../kernel/window-limit.js';
import type { Clock } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import { PEOPLE_REFUSALS } from './people-refusals.js';
import { actors, recordAudit, type Actor } from '../store/audit.js';
import type { Card, Role, Store, User, UserPreferences } from '../store/store.js';
import { audioView } from '../../player/library/audio-view.js';

/** The kiosk sign-ins the name suggestions look back over: "recently" is the last this many. */
const SIGN_INS_READ = 500;

/**
 * Self-registration at the kiosk: at most this many tries per device (address) and in all per
 * hour, names refused or not, so that names cannot be probed faster than that.
 */
export const REGISTRATION_LIMITS: Readonly<Record<'perDevice' | 'overall', WindowRule & { limit: number }>> = {
  perDevice: { limit: 10, windowMs: 3_600_000 },
  overall: { limit: 30, windowMs: 3_600_000 },
};

/** A person as anyone may be shown them: never the PIN hash. */
export interface PersonView {
  id: number;
  name: string;
  role: Role;
  disabled: boolean;
  mustChangePin: boolean;
  preferences: UserPreferences;
  createdAt: number;
}

/** A person in the admin's list: their wrong sign-ins and what they did. */
export interface PersonListEntry extends PersonView {
  signIn: { failures: number; waitS: number };
  activity: { hasPin: boolean; cards: number; plays: number; lastSeenAt: number | null };
}

/** What an admin may change of an account. */
export interface PersonChanges {
  name?: string;
  role?: Role;
  disabled?: boolean;
  preferences?: UserPreferences;
}

export interface PeopleServiceDeps {
  auth: AuthService;
  presence: Pick<KioskPresence, 'user' | 'signOut'>;
  store: Store;
  clock: Clock;
  /** Whether people may create their own member account at the kiosk (`sessions.selfRegistration`, read live). */
  selfRegistration: () => boolean;
}

export function personView(u: User): PersonView {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    mustChangePin: u.mustChangePin,
    preferences: u.preferences,
    createdAt: u.createdAt,
  };
}

/**
 * The people of the box, as the admin and the people themselves manage them: the account list with
 * activity, changes, disabling and deleting (signed out at the kiosk at once, audited), everything
 * kept about a person (export), their history and preferences, and self-registration within its
 * limits. The delivery layers (routes, WebSocket requests) call it and map its answers.
 */
export class PeopleService {
  readonly #deps: PeopleServiceDeps;
  readonly #registrationsPerDevice: WindowLimit;
  readonly #registrations: WindowLimit;

  constructor(deps: PeopleServiceDeps) {
    this.#deps = deps;
    this.#registrationsPerDevice = new WindowLimit({ clock: deps.clock }, REGISTRATION_LIMITS.perDevice);
    this.#registrations = new WindowLimit({ clock: deps.clock }, REGISTRATION_LIMITS.overall);
  }

  /** The account with this id; `MB_ERR_NOT_FOUND` when there is none. */
  get(id: number): User {
    const user = this.#deps.store.users.get(id);
    if (user === undefined) throw PEOPLE_REFUSALS.noUser(id);
    return user;
  }

  /**
   * The names of people who signed in at the kiosk lately (the last `SIGN_INS_READ` sign-ins), newest
   * first, that begin with `prefix` (case and surrounding spaces aside): at most `limit`, accounts
   * disabled since left out. A shared screen's name suggestions.
   */
  recentNames(prefix: string, limit: number): string[] {
    const { store } = this.#deps;
    const start = prefix.trim().toLocaleLowerCase();
    const names = new Set<string>();
    for (const entry of store.audit.list({ action: 'auth.sign-in', limit: SIGN_INS_READ }).items) {
      if (names.size >= limit) break;
      if (entry.detail['kind'] !== 'kiosk' || !entry.target.toLocaleLowerCase().startsWith(start)) continue;
      const user = store.users.byName(entry.target);
      if (user !== undefined && !user.disabled) names.add(user.name);
    }
    return [...names];
  }

  /** Every account, with its wrong sign-ins, PIN, cards, plays and when it was last seen (a play or a sign-in). */
  list(): PersonListEntry[] {
    const { store, auth } = this.#deps;
    // Last sign-ins from the audit log (its newest thousand), by name as it was written.
    const signedIn = new Map<string, number>();
    for (const entry of store.audit.list({ action: 'auth.sign-in', limit: 1000 }).items) {
      const key = entry.target.toLowerCase();
      signedIn.set(key, Math.max(signedIn.get(key) ?? 0, entry.at));
    }
    return store.users.list().map((u) => {
      const { failures, waitMs } = auth.signInStatus(u);
      const plays = store.plays.list({ userId: u.id, limit: 1 });
      const seen = Math.max(plays.items[0]?.startedAt ?? 0, signedIn.get(u.name.toLowerCase()) ?? 0);
      return {
        ...personView(u),
        signIn: { failures, waitS: Math.ceil(waitMs / 1000) },
        activity: {
          hasPin: u.pinHash !== null,
          cards: store.cards.forUser(u.id).length,
          plays: plays.total,
          lastSeenAt: seen > 0 ? seen : null,
        },
      };
    });
  }

  /**
   * Renames, changes the role, disables or sets the preferences of an account, audited as
   * `user.update`. A disabled account loses its sessions and is signed out at the kiosk at once.
   * Someone made an admin whose secret is a PIN chooses a passphrase at their first sign-in to the
   * panel (`mustChangePin`). `MB_ERR_CONFLICT` when an admin would disable or demote their own
   * account (to staff or member).
   */
  update(id: number, changes: PersonChanges, by: Actor): User {
    const { auth, store, presence } = this.#deps;
    const before = this.get(id);
    const isMadeAdmin = changes.role === 'admin' && before.role !== 'admin' && before.pinHash !== null;
    const name = changes.name === undefined ? undefined : auth.acceptNewName(changes.name, id);
    if (id === by.userId && (changes.disabled === true || (changes.role !== undefined && changes.role !== 'admin'))) {
      throw PEOPLE_REFUSALS.ownRole();
    }
    const user = store.transaction(() => {
      const updated = store.users.update(id, {
        ...changes,
        ...(name === undefined ? {} : { name }),
        ...(isMadeAdmin ? { mustChangePin: true } : {}),
      });
      if (changes.disabled === true) store.sessions.deleteForUser(id);
      return updated;
    });
    // Signed out at the kiosk at once, not at the next session check.
    if (changes.disabled === true && presence.user?.id === id) presence.signOut('disabled');
    // A new role is named: who made someone staff, or an admin.
    const role = changes.role === undefined ? {} : { role: changes.role };
    this.#audit('user.update', by, user.name, { fields: Object.keys(changes), ...role }, id);
    return user;
  }

  /**
   * Deletes an account, its history anonymized or removed, audited as `user.delete`; the person is
   * signed out at the kiosk first. The audit log names them `person #<id> (deleted)` from then on,
   * in every line about them, this one too. `MB_ERR_CONFLICT` for the admin's own account.
   */
  delete(id: number, history: 'anonymize' | 'remove', by: Actor): void {
    this.get(id);
    if (id === by.userId) throw PEOPLE_REFUSALS.ownDelete();
    // Signed out at the kiosk first: nothing keeps acting for them (or reading them through their calibration).
    if (this.#deps.presence.user?.id === id) this.#deps.presence.signOut('deleted');
    this.#deps.store.users.delete(id, history, { at: this.#deps.clock.now(), actor: by.name, action: 'user.delete', detail: { history } });
  }

  /** Everything Moodbox keeps about a person; audited as `user.export` when someone else asks for it. */
  export(user: User, by?: Actor): PersonExport {
    if (by !== undefined) this.#audit('user.export', by, user.name, {}, user.id);
    return exportOf(this.#deps.store, user);
  }

  /** Removes a person's own play history, audited as `history.remove`; answers how many plays went. */
  removeHistory(user: User): number {
    const removed = this.#deps.store.plays.removeForUser(user.id);
    this.#audit('history.remove', actors.person(user.id), user.name, { removed }, user.id);
    return removed;
  }

  /** Links an RFID card to person `userId` (`MB_ERR_NOT_FOUND` for none such), audited as `card.link` (its last four digits). */
  linkCard(input: { cardId: string; userId: number; label?: string | undefined }, by: Actor): Card {
    const { store } = this.#deps;
    const user = this.get(input.userId);
    return store.transaction(() => {
      const card = store.cards.link({ cardId: input.cardId, userId: user.id, label: input.label ?? '' });
      this.#audit('card.link', by, user.name, { card: `…${input.cardId.slice(-4)}` }, user.id);
      return card;
    });
  }

  /** Unlinks an RFID card (`MB_ERR_NOT_FOUND` for none such), audited as `card.unlink`, about the person it was linked to. */
  unlinkCard(cardId: string, by: Actor): void {
    const { store } = this.#deps;
    // Whose it was: deleting that person takes the card's digits out of this line too.
    const owner = store.cards.get(cardId)?.userId;
    store.transaction(() => {
      if (!store.cards.unlink(cardId)) throw PEOPLE_REFUSALS.noCard();
      recordAudit({ audit: store.audit, clock: this.#deps.clock }, by, 'card.unlink', {
        detail: { card: `…${cardId.slice(-4)}` },
        subjectId: owner,
      });
    });
  }

  /** Sets some of a person's preferences (languages, artists, moods to avoid); the others stay. */
  setPreferences(user: User, changes: UserPreferences): User {
    return this.#deps.store.users.update(user.id, { preferences: { ...user.preferences, ...changes } });
  }

  /**
   * Creates a member account from the kiosk, when the admin allows it (`MB_ERR_HTTP_FORBIDDEN`
   * otherwise). At most `REGISTRATION_LIMITS` tries per device and in all (`MB_ERR_AUTH_THROTTLED`
   * with the wait); every refused name answers the same `MB_ERR_CONFLICT`, never saying why.
   */
  async register(input: { name: string; pin: string }, device: string): Promise<User> {
    if (!this.#deps.selfRegistration()) throw PEOPLE_REFUSALS.registrationOff();
    // Checked and counted in one synchronous step, before the slow hash: tries made at once count one by one.
    const waitMs = WindowLimit.takeAll([
      [this.#registrationsPerDevice, [device]],
      [this.#registrations, ['all']],
    ]);
    if (waitMs > 0) throw PEOPLE_REFUSALS.registrationThrottled(waitMs);
    try {
      return await this.#deps.auth.createUser({ name: input.name, role: 'member', secret: input.pin }, actors.selfAt(device));
    } catch (err) {
      if (err instanceof MoodboxError && (err.code === 'MB_ERR_CONFLICT' || err.code === 'MB_ERR_HTTP_BAD_REQUEST')) {
        throw PEOPLE_REFUSALS.registrationName();
      }
      throw err;
    }
  }

  /** `subjectId`: the account the line is about, whose name `target` holds (see `AuditRepository.append`). */
  #audit(action: string, actor: Actor, target: string, detail: Record<string, unknown>, subjectId: number): void {
    recordAudit({ audit: this.#deps.store.audit, clock: this.#deps.clock }, actor, action, { target, detail, subjectId });
  }
}

/** Everything Moodbox keeps about a person, as their export gives it. */
export type PersonExport = ReturnType<typeof exportOf>;

function exportOf(store: Store, user: User) {
  const plays = [];
  for (let offset = 0; ; offset += 1000) {
    const page = store.plays.list({ userId: user.id, limit: 1000, offset });
    plays.push(...page.items);
    if (plays.length >= page.total || page.items.length === 0) break;
  }
  // The tracks of those plays, with what the analysis heard in each.
  const trackIds = [...new Set(plays.flatMap((p) => (p.trackId === null ? [] : [p.trackId])))].sort((a, b) => a - b);
  const tracks = trackIds.flatMap((id) => {
    const t = store.tracks.get(id);
    return t === undefined
      ? []
      : [{ id, title: t.title, artist: t.artist, album: t.album, moods: store.tracks.moods(id), audio: audioView(store.analyses.get(id)) }];
  });
  return {
    user: personView(user),
    cards: store.cards.forUser(user.id),
    plays,
    tracks,
    feedback: store.plays.feedbackFor(user.id, { limit: 100_000 }),
    taste: store.taste.get({ userId: user.id }) ?? null,
    calibration: calibrationOf(store, user.id),
  };
}

function calibrationOf(store: Store, userId: number) {
  const c = store.calibrations.get(userId);
  if (c === undefined) return null;
  const samples = c.samples.map((s) => ({
    expression: s.expression,
    logits: [...s.logits],
    ...(s.embedding === undefined ? {} : { embedding: [...s.embedding] }),
  }));
  return { modelSha256: c.modelSha256, samples, head: c.head, createdAt: c.createdAt, updatedAt: c.updatedAt };
}
