import type { Clock } from '../../kernel/clock.js';
import type { AuditRepository } from './store.js';

/**
 * Who acts: every command of every service takes one, and the audit log names it (`name`). Build
 * it with `actors`, never by hand, so that one person is named the same way everywhere.
 */
export interface Actor {
  /** As the audit log names them: `admin:7`, `staff:5`, `user:3`, `kiosk`, `mqtt:homeassistant`, `mqtt:fleet`, `cli`, `moodbox`. */
  readonly name: string;
  /** The account behind an admin, staff or a person (an admin may not demote or delete themselves); none for the rest. */
  readonly userId?: number | undefined;
}

/** The actors Moodbox knows, one way to name each. */
export const actors = {
  /** An admin signed in to the panel. */
  admin: (userId: number): Actor => ({ name: `admin:${userId}`, userId }),
  /** Staff signed in to the panel: the music's controls and what a shift needs. */
  staff: (userId: number): Actor => ({ name: `staff:${userId}`, userId }),
  /** A person signed in at the kiosk, acting on their own account or taste. */
  person: (userId: number): Actor => ({ name: `user:${userId}`, userId }),
  /** The kiosk's screen with nobody signed in. */
  kiosk: { name: 'kiosk' } as Actor,
  /** The device a sign-in or a refused card came from (`kiosk`, `ip:10.0.0.5`): no one is known yet. */
  device: (device: string): Actor => ({ name: device }),
  /** Someone creating their own member account at the kiosk, named by the device they called from (`self:ip:10.0.0.5`). */
  selfAt: (device: string): Actor => ({ name: `self:${device}` }),
  /** A client of the MQTT broker acting on its own (`mqtt:homeassistant`). */
  mqtt: (client: string): Actor => ({ name: `mqtt:${client}` }),
  /** A fleet operator's command, through the broker. */
  fleet: { name: 'mqtt:fleet' } as Actor,
  /** The `moodbox` command line on the box. */
  cli: { name: 'cli' } as Actor,
  /** Demo mode, setting up its own admin. */
  demo: { name: 'demo' } as Actor,
  /** The first admin claiming a new box, from the device named (`ip:10.0.0.5`). */
  firstRun: (device: string): Actor => ({ name: `first-run:${device}` }),
  /** Moodbox itself, by a rule of its own (a saved setting set aside). */
  moodbox: { name: 'moodbox' } as Actor,
  /** Moodbox's memory guard, restarting the daemon above its ceiling. */
  memoryGuard: { name: 'the memory guard' } as Actor,
  /** An actor as a line of the log names them (a restore staged before a restart, read back after it). */
  named: (name: string): Actor => ({ name }),
} as const;

/** What writing the audit needs. */
export interface AuditDeps {
  audit: Pick<AuditRepository, 'append' | 'amend' | 'withdraw'>;
  clock: Pick<Clock, 'now'>;
}

/** What a line says besides who and what: whom or what it is about, and its details. */
export interface AuditLine {
  /** What the change was made to (a backup's name, a person's name, a setting's path); '' when nothing in particular. */
  target?: string;
  detail?: Record<string, unknown>;
  /** The person the line is about: MUST be given when `target` is a person's name, so that deleting them takes it out. */
  subjectId?: number | undefined;
}

/** Writes one line of the audit: `actor` did `action`. Returns the line's id. The one way every service writes it. */
export function recordAudit(
  deps: Pick<AuditDeps, 'clock'> & { audit: Pick<AuditRepository, 'append'> },
  actor: Actor,
  action: string,
  line: AuditLine = {},
): number {
  return deps.audit.append({
    at: deps.clock.now(),
    actor: actor.name,
    action,
    target: line.target ?? '',
    detail: line.detail ?? {},
    ...(line.subjectId === undefined ? {} : { subjectId: line.subjectId }),
  });
}

/**
 * Writes the audit of a change, then makes it (`act`): when the line cannot be written (a full
 * disk), the error is thrown and nothing changed. A change refused after all (the music silent, no
 * such song) takes its line back. `after` completes the line with what only the change tells (the
 * queue key, the song skipped); the change is made by then, so a line that cannot be completed stays
 * as written.
 */
export async function auditFirst<T>(
  deps: AuditDeps,
  actor: Actor,
  action: string,
  detail: Record<string, unknown>,
  act: () => Promise<T>,
  after?: (done: T) => Record<string, unknown>,
): Promise<T> {
  const id = recordAudit(deps, actor, action, { detail });
  let done: T;
  try {
    done = await act();
  } catch (err) {
    // Deleting a row needs no room; should it fail all the same, the refusal is the error to show.
    attempt(() => deps.audit.withdraw(id));
    throw err;
  }
  const complete = after?.(done);
  if (complete !== undefined && JSON.stringify(complete) !== JSON.stringify(detail)) attempt(() => deps.audit.amend(id, complete));
  return done;
}

/**
 * Writes the audit of a change just made; when it cannot be written (a full disk), `undo` puts
 * things back first, and the error is thrown.
 */
export async function auditOrUndo(
  deps: AuditDeps,
  actor: Actor,
  action: string,
  line: AuditLine,
  undo: () => Promise<unknown>,
): Promise<void> {
  try {
    recordAudit(deps, actor, action, line);
  } catch (err) {
    await undo();
    throw err;
  }
}

/** Runs `fn`, for a write whose failure leaves nothing to undo and nobody to tell: the line it would change already says who acted. */
function attempt(fn: () => void): void {
  try {
    fn();
  } catch {
    // Nothing to do: see above.
  }
}
