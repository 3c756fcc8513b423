import type { AuthService } from '../people/auth-service.js';
import type { KioskPresence, KioskUser } from '../people/kiosk-presence.js';
import { SIGN_IN_REFUSALS } from '../people/sign-in-refusals.js';
import type { WsCredentials } from './ws.js';

export interface KioskPersonDeps {
  auth: Pick<AuthService, 'authenticate'>;
  presence: Pick<KioskPresence, 'user'>;
}

/**
 * Who a WebSocket request acts for: the person signed in at the kiosk, or null when nobody is
 * (a guest tap). Acting for a person (their likes, skips and history, their sign-out) needs one of:
 * - their kiosk session token, sent as `token` beside `type` (the screen where they entered their
 *   PIN holds it, in memory only);
 * - the kiosk's own screen (`isKioskScreen`): after a card sign-in no screen holds a token, and the
 *   touchscreen on the box acts for whoever is signed in at it, as anyone touching it can.
 * Anything else is refused with `MB_ERR_AUTH_REQUIRED`: on a screen that sees the whole state (the
 * box, an admin) while someone is signed in, saying so; on any other screen (the guest view: a phone,
 * a tablet, a program on the LAN) whether someone is signed in or not, in words that say neither.
 */
export function actingFor(context: WsCredentials, deps: KioskPersonDeps, what: string): KioskUser | null {
  const person = deps.presence.user;
  if (context.isKioskScreen) return person;
  const found = person === null || context.token === undefined ? undefined : deps.auth.authenticate(context.token, 'kiosk');
  if (person !== null && found?.user.id === person.id) return person;
  if (!context.canSeeWho) throw SIGN_IN_REFUSALS.onThisScreen(what);
  if (person === null) return null;
  throw SIGN_IN_REFUSALS.otherScreen(what);
}
