import type { Clock } from '../../kernel/clock.js';
import type { AuditRepository } from '../store/store.js';

/** Who acts, as the audit log names them: `admin:7`, `user:3`, `kiosk`, `mqtt:homeassistant`, `mqtt:fleet`. */
export type ActorName = string;

/** What writing a command's audit needs. */
export interface AuditDeps {
  audit: Pick<AuditRepository, 'append' | 'amend' | 'withdraw'>;
  clock: Pick<Clock, 'now'>;
}

/**
 * Writes the audit of a change, then makes it (`act`): when the line cannot be written (a full
 * disk), the error is thrown and nothing changed. A change refused after all (the music silent, no
 * such song) takes its line back. `after` completes the line with what only the change tells (the
 * queue key, the song skipped); the change is made by then, so a line that cannot be completed stays
 * as written.
 */
export async function auditFirst<T>(
  { audit, clock }: AuditDeps,
  actor: ActorName,
  action: string,
  detail: Record<string, unknown>,
  act: () => Promise<T>,
  after?: (done: T) => Record<string, unknown>,
): Promise<T> {
  const id = audit.append({ at: clock.now(), actor, action, target: '', detail });
  let done: T;
  try {
    done = await act();
  } catch (err) {
    // Deleting a row needs no room; should it fail all the same, the refusal is the error to show.
    attempt(() => audit.withdraw(id));
    throw err;
  }
  const complete = after?.(done);
  if (complete !== undefined && JSON.stringify(complete) !== JSON.stringify(detail)) attempt(() => audit.amend(id, complete));
  return done;
}

/** Runs `fn`, for a write whose failure leaves nothing to undo and nobody to tell: the line it would change already says who acted. */
function attempt(fn: () => void): void {
  try {
    fn();
  } catch {
    // Nothing to do: see above.
  }
}
