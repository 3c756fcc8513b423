import fastifyCookie from '@fastify/cookie';
import { isIP } from 'node:net';
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginOptions,
  FastifyReply,
  FastifyRequest,
  FastifyTypeProvider,
  onRequestAsyncHookHandler,
  RawServerDefault,
} from 'fastify';
import ipaddr from 'ipaddr.js';
import type { AuthService } from '../people/auth-service.js';
import { MoodboxError } from '../../kernel/errors.js';
import { SIGN_IN_REFUSALS } from '../people/sign-in-refusals.js';
import { GUEST_GONE, guestRefused } from '../guests/guest-refusals.js';
import type { Role, Session, User } from '../store/store-reads.js';
import { isLoopbackAddress } from './origin.js';
import type { StateView } from './public-state.js';
import { actors, type Actor } from '../store/store-reads.js';

/**
 * Who may call a route follows from where it is registered, as fastify/demo's `autohooks`: a route
 * plugin is registered in an access zone (`withAccess(access, plugin)`), an encapsulated context
 * whose one `onRequest` hook is the access's rule (`ACCESS_RULES`), so that every route of the
 * plugin has it, before any hook of its own runs, and no route carries a flag of its own. A route
 * in no zone is `public`. The screens' socket and the guests' page and socket are zones too, so one
 * judgement (`isWithinReach`, then the session) serves every route and socket.
 */
export type Access = keyof typeof ACCESS_RULES;

/**
 * Where a zone serves from: `anywhere`; `lanWhileKept`, the LAN while the box is kept to it
 * (`server.adminLanOnly`); `lan`, the LAN whatever that setting says.
 */
export type Reach = 'anywhere' | 'lanWhileKept' | 'lan';

interface AccessRule {
  reach: Reach;
  /**
   * Who: `anyone`; `kiosk`, a person signed in at the kiosk (`Authorization: Bearer <token>`);
   * `admin`, an admin signed in to the admin panel (the HttpOnly cookie `mb_admin`; a call that
   * changes something also needs `x-csrf-token`) who has chosen their own passphrase; `staff`, an
   * admin or staff signed in to the panel the same way; `panelBeforeNewPassphrase`, either, also
   * while they must still choose a new passphrase or PIN (`mustChangePin`, e.g. the demo admin).
   */
  who: 'anyone' | 'kiosk' | 'admin' | 'staff' | 'panelBeforeNewPassphrase';
  /** The refusal of a call from beyond the reach, in the words of what it would have reached. */
  offReach?: () => Error;
  /** Logged (warn) with the address when a call from beyond the reach is refused. */
  warnOffReach?: string;
}

const ADMIN_OFF_LAN = (): Error => SIGN_IN_REFUSALS.lanOnly(false);

/**
 * Each access zone's rule:
 * - `public`: anyone, from anywhere;
 * - `kioskSignIn`: the kiosk's PIN sign-in, on the LAN while it is kept to it (the kiosk and the
 *   phones in the room are on the LAN; nobody off it signs a person in);
 * - `adminSignIn`: the admin sign-in and the first admin's, on the LAN while it is kept to it, so an
 *   address off it never gets as far as a passphrase check or a cookie;
 * - `kiosk`: the signed-in person's own data and sign-out;
 * - `admin`: the admin panel's API that only admins (the owner) may call: settings, people,
 *   backups and restore, the update and restart, the library's files and tags, the audit;
 * - `staff`: what a shift needs of the panel, for admins and staff: the music's controls (skip,
 *   pause and resume in the quiet hours, the volume under the owner's cap, a held mood, the queue),
 *   blocks, guests' requests, the history and charts (read only), the library's list to pick from;
 * - `ownAdminSession`: the panel's own session, sign-out and passphrase change, which an admin or
 *   staff who must choose a new secret may still call (every other panel route answers 403 until then);
 * - `guest`: the guest page's calls and socket, on the LAN while it is kept to it (the guests'
 *   plugin then checks the page's Origin and counts each phone's calls);
 * - `screens`: the screens' socket `/ws`, the same (it then checks the page's Origin);
 * - `lan`: `/metrics`, for a Prometheus on the LAN, never beyond it.
 */
export const ACCESS_RULES = {
  public: { reach: 'anywhere', who: 'anyone' },
  kioskSignIn: { reach: 'lanWhileKept', who: 'anyone', offReach: () => SIGN_IN_REFUSALS.lanOnly(true) },
  adminSignIn: { reach: 'lanWhileKept', who: 'anyone', offReach: ADMIN_OFF_LAN },
  kiosk: { reach: 'anywhere', who: 'kiosk' },
  admin: { reach: 'lanWhileKept', who: 'admin', offReach: ADMIN_OFF_LAN },
  staff: { reach: 'lanWhileKept', who: 'staff', offReach: ADMIN_OFF_LAN },
  ownAdminSession: { reach: 'lanWhileKept', who: 'panelBeforeNewPassphrase', offReach: ADMIN_OFF_LAN },
  guest: { reach: 'lanWhileKept', who: 'anyone', offReach: () => guestRefused('MB_ERR_HTTP_FORBIDDEN', GUEST_GONE.lanOnly()) },
  screens: {
    reach: 'lanWhileKept',
    who: 'anyone',
    offReach: () => new MoodboxError('MB_ERR_HTTP_FORBIDDEN', 'The Moodbox screens are served on the local network only.'),
    warnOffReach: 'websocket from outside the local network refused',
  },
  lan: { reach: 'lan', who: 'anyone', offReach: () => new MoodboxError('MB_ERR_HTTP_FORBIDDEN', 'Metrics are served to the LAN only') },
} as const satisfies Record<string, AccessRule>;

/**
 * The accesses a route under a prefix may have, checked as it is registered so that none under it
 * is served to more callers by mistake: the admin panel's API is the admins' and staff's (their
 * sign-in included), the signed-in person's own data the kiosk's.
 */
export const ACCESS_BY_PREFIX: ReadonlyArray<readonly [prefix: string, accesses: readonly Access[]]> = [
  ['/api/admin/', ['admin', 'staff', 'ownAdminSession', 'adminSignIn']],
  ['/api/me/', ['kiosk']],
];

export const ADMIN_COOKIE = 'mb_admin';
export const CSRF_HEADER = 'x-csrf-token';
/** Where a signed-in admin changes their own passphrase. */
export const OWN_PASSPHRASE_ROUTE = '/api/admin/me/passphrase';

declare module 'fastify' {
  interface FastifyInstance {
    /** The access zone this context is in (`withAccess`); none: `public`. */
    readonly routeAccess?: Access;
    /** The rule of each access as a hook, for the zones (`registerAccess`). */
    readonly accessGate?: (access: Access) => onRequestAsyncHookHandler;
  }
  interface FastifyRequest {
    /** The signed-in person, set on `kiosk`, `staff` and admin routes. */
    principal: { user: User; session: Session; token: string } | null;
    /**
     * Who acts on a panel route, as the audit names them (`admin:<id>`, `staff:<id>`): the one way
     * routes name their actor. Only read on an access-checked panel route; anywhere else it throws.
     */
    readonly adminActor: Actor;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A caller on the box itself: a loopback address, or the box calling one of its own addresses. */
export function isOnBox(remoteAddress: string | undefined, localAddress: string | undefined): boolean {
  return isLoopbackAddress(remoteAddress) || (remoteAddress !== undefined && remoteAddress === localAddress);
}

/** The ranges (ipaddr.js's names) of the box's own LAN: loopback, private (RFC 1918), unique local (RFC 4193) and link-local. */
const LAN_RANGES: ReadonlySet<string> = new Set(['loopback', 'private', 'uniqueLocal', 'linkLocal']);

/** True for loopback and private (RFC 1918, RFC 4193, link-local) addresses, an IPv4 one inside IPv6 (`::ffff:10.0.0.2`) too. */
export function isLanAddress(ip: string): boolean {
  if (isIP(ip) === 0) return false;
  return LAN_RANGES.has(ipaddr.process(ip).range());
}

/**
 * Whether a call from `ip` (the connection's own address, never a forwarded header) is within
 * `reach` while the box is kept to its LAN (`isKeptToLan`, `server.adminLanOnly`) or not; an address
 * that is not one (the connection already gone) is beyond any reach but `anywhere`.
 */
export function isWithinReach(ip: unknown, reach: Reach, isKeptToLan: boolean): boolean {
  if (reach === 'anywhere' || (reach === 'lanWhileKept' && !isKeptToLan)) return true;
  return typeof ip === 'string' && isLanAddress(ip);
}

/** Who asks for the state, as far as what they may see of it depends on it: read from a request once. */
export interface StateViewer {
  /** The address the connection comes from (the connection's own, never a forwarded header); undefined once it is gone. */
  remoteAddress: string | undefined;
  /** The box's address the connection came in on. */
  localAddress: string | undefined;
  /** The admin panel's session cookie it sent, if any; not checked yet. */
  adminToken: string | undefined;
}

/** The viewer behind `request`. */
export function viewerOf(request: FastifyRequest): StateViewer {
  const socket = (request.raw as { socket?: { remoteAddress?: string; localAddress?: string } }).socket;
  // No cookies where the cookie plugin is not registered (`registerAccess`): a server without the admin panel.
  const cookies = request.cookies as FastifyRequest['cookies'] | undefined;
  return { remoteAddress: socket?.remoteAddress, localAddress: socket?.localAddress, adminToken: cookies?.[ADMIN_COOKIE] };
}

/**
 * What a viewer may see of the screens' state and the services' health (`StateView`): all of it on
 * the box itself (a loopback address, or the box's own address calling itself) and for an admin or
 * staff signed in to the panel where the panel is served (the LAN while `adminLanOnly` is on); the guest
 * view for everyone else, on the LAN or off it. The session is checked on every call, so a socket
 * opened by an admin who signed out since gets the guest view.
 */
export function stateViews(
  deps: { auth: Pick<AuthService, 'authenticate'> },
  options: { adminLanOnly: () => boolean },
): (viewer: StateViewer) => StateView {
  return ({ remoteAddress, localAddress, adminToken }: StateViewer): StateView => {
    if (isOnBox(remoteAddress, localAddress)) return 'all';
    if (adminToken === undefined || remoteAddress === undefined) return 'guest';
    if (!isWithinReach(remoteAddress, ACCESS_RULES.admin.reach, options.adminLanOnly())) return 'guest';
    const found = deps.auth.authenticate(adminToken, 'admin');
    return found !== undefined && isPanelRole(found.user.role) && !found.user.mustChangePin ? 'all' : 'guest';
  };
}

/**
 * Readies `app` for access zones: the cookies, the signed-in person on each request, and the rule of
 * each access as a hook (`accessGate`). Every route registered after it is checked against the
 * prefixes (`ACCESS_BY_PREFIX`): one under `/api/admin/` or `/api/me/` outside a zone of theirs is
 * refused as it is registered.
 */
export async function registerAccess(
  app: FastifyInstance,
  deps: { auth: Pick<AuthService, 'authenticate'> },
  options: { adminLanOnly: () => boolean },
): Promise<void> {
  await app.register(fastifyCookie);
  app.decorateRequest('principal', null);
  app.decorateRequest('adminActor', {
    getter(this: FastifyRequest): Actor {
      if (this.principal === null) throw new Error('an admin actor was asked for on a route with no signed-in admin');
      const { user } = this.principal;
      return user.role === 'staff' ? actors.staff(user.id) : actors.admin(user.id);
    },
  });
  const rules: ReadonlyArray<[Access, AccessRule]> = Object.entries(ACCESS_RULES) as Array<[Access, AccessRule]>;
  const gates = new Map(rules.map(([access, rule]) => [access, gateOf(rule, deps, options)]));
  app.decorate('accessGate', (access: Access): onRequestAsyncHookHandler => {
    const gate = gates.get(access);
    if (gate === undefined) throw new TypeError(`Expected an access of ACCESS_RULES, got ${String(access)}`);
    return gate;
  });
  app.addHook('onRoute', function checkPrefix(this: FastifyInstance, { url, method }) {
    const access = this.routeAccess ?? 'public';
    const prefix = ACCESS_BY_PREFIX.find(([start]) => url.startsWith(start));
    if (prefix !== undefined && !prefix[1].includes(access)) {
      throw new TypeError(
        `Expected ${String(method)} ${url} in an access zone of ${prefix[1].join(', ')} (every route under ${prefix[0]} is), got ${access}`,
      );
    }
  });
}

/**
 * `plugin` in an access zone of its own: every route it registers has `access`, checked by the
 * zone's one hook before any hook of the route's own. A zone inside another is refused: a route's
 * access is the one place it is registered in.
 */
export function withAccess<Options extends FastifyPluginOptions, Provider extends FastifyTypeProvider>(
  access: Access,
  plugin: FastifyPluginAsync<Options, RawServerDefault, Provider>,
): FastifyPluginAsync<Options, RawServerDefault, Provider> {
  return async (zone, options) => {
    if (zone.routeAccess !== undefined)
      throw new TypeError(`Expected no access zone inside another, got ${access} inside ${zone.routeAccess}`);
    if (zone.accessGate === undefined) throw new TypeError(`Expected registerAccess on the server before a ${access} zone`);
    zone.decorate('routeAccess', access);
    zone.addHook('onRequest', zone.accessGate(access));
    await zone.register(plugin, options);
  };
}

/** Whether an account of `role` signs in to the admin panel: admins and staff. */
export function isPanelRole(role: Role): boolean {
  return role === 'admin' || role === 'staff';
}

/** The hook of `rule`: where the call comes from, then who makes it; a call it refuses goes no further. */
function gateOf(
  rule: AccessRule,
  deps: { auth: Pick<AuthService, 'authenticate'> },
  options: { adminLanOnly: () => boolean },
): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isWithinReach(request.ip, rule.reach, options.adminLanOnly())) {
      if (rule.warnOffReach !== undefined) request.log.warn({ ip: request.ip }, rule.warnOffReach);
      throw rule.offReach?.() ?? new TypeError(`Expected the words of a refusal beyond the reach ${rule.reach}`);
    }
    if (rule.who === 'anyone') return;
    if (rule.who === 'kiosk') {
      const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
      const found = token === undefined ? undefined : deps.auth.authenticate(token, 'kiosk');
      if (found === undefined || token === undefined) throw SIGN_IN_REFUSALS.atKiosk();
      request.principal = { ...found, token };
      return;
    }
    const token = request.cookies[ADMIN_COOKIE];
    const found = token === undefined ? undefined : deps.auth.authenticate(token, 'admin');
    if (found === undefined || token === undefined || !isPanelRole(found.user.role)) {
      if (token !== undefined) void reply.clearCookie(ADMIN_COOKIE, { path: '/' });
      throw SIGN_IN_REFUSALS.adminPanel();
    }
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== found.session.csrfToken) {
      throw new MoodboxError('MB_ERR_HTTP_FORBIDDEN', `Missing or wrong ${CSRF_HEADER} header.`);
    }
    if (found.user.mustChangePin && rule.who !== 'panelBeforeNewPassphrase')
      throw SIGN_IN_REFUSALS.changePassphraseFirst(found.user.name, OWN_PASSPHRASE_ROUTE);
    if (rule.who === 'admin' && found.user.role !== 'admin') throw SIGN_IN_REFUSALS.adminOnly();
    request.principal = { ...found, token };
  };
}
