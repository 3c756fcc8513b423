import fastifyCookie from '@fastify/cookie';
import { isIP } from 'node:net';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import type { AuthService } from '../people/auth-service.js';
import { MoodboxError } from '../../kernel/errors.js';
import { SIGN_IN_REFUSALS } from '../people/sign-in-refusals.js';
import type { Session, User } from '../store/store-reads.js';
import { isLoopbackAddress } from './origin.js';
import type { StateView } from './public-state.js';
import { actors, type Actor } from '../store/store-reads.js';

/**
 * Who may call a route, decided by where it is (`ACCESS_BY_PREFIX`), so that no route under a
 * prefix can forget it; a route elsewhere may name its own as `config: { access }`:
 * - `public`: anyone (the default);
 * - `kiosk`: a person signed in at the kiosk, by `Authorization: Bearer <token>`;
 * - `admin`: an admin signed in to the admin panel, by the HttpOnly cookie `mb_admin`, from the
 *   LAN when `adminLanOnly` is set; requests that change something also need `x-csrf-token`. An
 *   admin whose passphrase must be changed (`mustChangePin`, e.g. the demo admin) gets only the
 *   routes marked `isOpenBeforePassphraseChange` until they choose a new one.
 * The admin sign-in itself is public but marked `isAdminSignIn`: `adminLanOnly` applies to it too,
 * so an address off the LAN never gets as far as a passphrase check or a cookie.
 */
export type Access = 'public' | 'kiosk' | 'admin';

/**
 * The access of every route under a prefix: the admin panel's API is the admins', the signed-in
 * person's own data the kiosk's. A route there MUST NOT name an access of its own (refused when it
 * is registered); the admin sign-in is the one route under `/api/admin/` open to all (`isAdminSignIn`).
 */
export const ACCESS_BY_PREFIX: ReadonlyArray<readonly [prefix: string, access: Access]> = [
  ['/api/admin/', 'admin'],
  ['/api/me/', 'kiosk'],
];

/** Who may call the route at `url` (its pattern, `/api/admin/users/:id`) with `config`. */
export function routeAccess(url: string | undefined, config: Pick<FastifyContextConfig, 'access' | 'isAdminSignIn'>): Access {
  if (config.isAdminSignIn === true) return 'public';
  const byPrefix = url === undefined ? undefined : ACCESS_BY_PREFIX.find(([prefix]) => url.startsWith(prefix))?.[1];
  return byPrefix ?? config.access ?? 'public';
}

export const ADMIN_COOKIE = 'mb_admin';
export const CSRF_HEADER = 'x-csrf-token';
/** Where a signed-in admin changes their own passphrase. */
export const OWN_PASSPHRASE_ROUTE = '/api/admin/me/passphrase';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * An admin route an admin who must choose a new passphrase may still call (their session,
     * sign-out, the passphrase change itself); every other admin route answers 403 until then.
     * @default false
     */
    isOpenBeforePassphraseChange?: boolean;
    /**
     * The admin sign-in: public, but served to the LAN only while `adminLanOnly` is set.
     * @default false
     */
    isAdminSignIn?: boolean;
    /**
     * A public route served to the LAN only while `adminLanOnly` is set (the kiosk's PIN sign-in:
     * the kiosk and the phones in the room are on the LAN; nobody off it signs a person in).
     * @default false
     */
    isLanOnly?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in person, set for `kiosk` and `admin` routes. */
    principal: { user: User; session: Session; token: string } | null;
    /**
     * Who acts on an admin route, as the audit names them (`admin:<id>`): the one way routes name
     * their actor. Only read on an access-checked admin route; anywhere else it throws.
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
 * the box itself (a loopback address, or the box's own address calling itself) and for an admin
 * signed in to the panel where the panel is served (the LAN while `adminLanOnly` is on); the guest
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
    if (options.adminLanOnly() && !isLanAddress(remoteAddress)) return 'guest';
    const found = deps.auth.authenticate(adminToken, 'admin');
    return found !== undefined && found.user.role === 'admin' && !found.user.mustChangePin ? 'all' : 'guest';
  };
}

export async function registerAccess(
  app: FastifyInstance,
  deps: { auth: AuthService },
  options: { adminLanOnly: () => boolean },
): Promise<void> {
  await app.register(fastifyCookie);
  app.decorateRequest('principal', null);
  app.decorateRequest('adminActor', {
    getter(this: FastifyRequest): Actor {
      if (this.principal === null) throw new Error('an admin actor was asked for on a route with no signed-in admin');
      return actors.admin(this.principal.user.id);
    },
  });
  app.addHook('onRoute', ({ url, method, config }) => {
    const prefix = ACCESS_BY_PREFIX.find(([start]) => url.startsWith(start));
    if (prefix !== undefined && config?.access !== undefined) {
      throw new TypeError(`Expected no \`access\` on ${String(method)} ${url}: every route under ${prefix[0]} is ${prefix[1]}'s`);
    }
  });
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = routeAccess(request.routeOptions.url, request.routeOptions.config);
    const { isAdminSignIn, isLanOnly } = request.routeOptions.config;
    if (access === 'public' && isAdminSignIn !== true && isLanOnly !== true) return;
    if (access === 'kiosk') {
      const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
      const found = token === undefined ? undefined : deps.auth.authenticate(token, 'kiosk');
      if (found === undefined || token === undefined) throw SIGN_IN_REFUSALS.atKiosk();
      request.principal = { ...found, token };
      return;
    }
    if (options.adminLanOnly() && !isLanAddress(request.ip)) throw SIGN_IN_REFUSALS.lanOnly(isLanOnly === true);
    if (access === 'public') return;
    const token = request.cookies[ADMIN_COOKIE];
    const found = token === undefined ? undefined : deps.auth.authenticate(token, 'admin');
    if (found === undefined || token === undefined || found.user.role !== 'admin') {
      if (token !== undefined) void reply.clearCookie(ADMIN_COOKIE, { path: '/' });
      throw SIGN_IN_REFUSALS.adminPanel();
    }
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== found.session.csrfToken) {
      throw new MoodboxError('MB_ERR_HTTP_FORBIDDEN', `Missing or wrong ${CSRF_HEADER} header.`);
    }
    if (found.user.mustChangePin && request.routeOptions.config.isOpenBeforePassphraseChange !== true) {
      throw SIGN_IN_REFUSALS.changePassphraseFirst(found.user.name, OWN_PASSPHRASE_ROUTE);
    }
    request.principal = { ...found, token };
  });
}
