// Every route the server registers, with who may call it: the table below pins each one's access,
// and each access is pinned by what six callers get (refusals in their own words), so that moving
// where access is decided changes no route's answer.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestHarness, type GuestHarness } from '../testing/guest-harness.js';
import { actors } from '../store/audit.js';
import { LAN_PAGE } from '../testing/ws-socket.js';

/** A part of the box that only has to be there for its routes to be served: each property is another, each call answers nothing. */
function standIn<T>(): T {
  const target = (): undefined => undefined;
  return new Proxy(target, { get: (_t, key) => (key === 'then' ? undefined : standIn<unknown>()), apply: () => undefined }) as T;
}

const LAN = '192.168.1.50';
const STRANGER = '203.0.113.9';
const PASSPHRASE = 'correct horse battery';
/** Staff sign in to the panel with the PIN they use at the kiosk. */
const STAFF_PIN = '2580';
const PAGE = LAN_PAGE.headers;

/** Every route the server serves, as `METHOD /path` (HEAD left out: it answers as GET), from fastify's own route tree. */
function routesOf(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[└├]── (.*) \(([^)]*)\)$/.exec(line);
    if (m === null) continue;
    const depth = (m[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(m[2] ?? '');
    const path = stack.join('');
    for (const method of (m[3] ?? '').split(', ')) if (method !== '-' && method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes.sort();
}

const KIOSK_FIRST = '401 Sign in at the kiosk first.';
const ADMIN_FIRST = '401 Sign in to the admin panel first.';
const ADMIN_LAN = '403 The admin panel is served on the local network only.';
const CHANGE_FIRST = '403 Choose a new passphrase first: Temp still has a passphrase that must be changed (POST /api/admin/me/passphrase).';
const ADMIN_ONLY = '403 Only an admin may do this: staff have the music and the guests. Ask the owner.';
const ALL_THROUGH = { anonymous: 'through', member: 'through', admin: 'through', staff: 'through', mustChange: 'through' } as const;

/**
 * What each access means to a caller on the LAN with no credential, a member signed in at the kiosk
 * (bearer token), an admin signed in to the panel, staff signed in to the panel (with their PIN),
 * an admin who must still choose a new passphrase, and the admin and the member calling from off
 * the LAN while `server.adminLanOnly` is on: `through` when the call reaches the route, else the
 * refusal's status and words.
 */
const OUTCOMES = {
  public: { ...ALL_THROUGH, offLan: 'through' },
  'kiosk sign-in': { ...ALL_THROUGH, offLan: '403 Signing in at the kiosk is served on the local network only.' },
  'admin sign-in': { ...ALL_THROUGH, offLan: ADMIN_LAN },
  kiosk: { anonymous: KIOSK_FIRST, member: 'through', admin: KIOSK_FIRST, staff: KIOSK_FIRST, mustChange: KIOSK_FIRST, offLan: 'through' },
  admin: { anonymous: ADMIN_FIRST, member: ADMIN_FIRST, admin: 'through', staff: ADMIN_ONLY, mustChange: CHANGE_FIRST, offLan: ADMIN_LAN },
  staff: { anonymous: ADMIN_FIRST, member: ADMIN_FIRST, admin: 'through', staff: 'through', mustChange: CHANGE_FIRST, offLan: ADMIN_LAN },
  'admin before a new passphrase': {
    anonymous: ADMIN_FIRST,
    member: ADMIN_FIRST,
    admin: 'through',
    staff: 'through',
    mustChange: 'through',
    offLan: ADMIN_LAN,
  },
  guest: { ...ALL_THROUGH, offLan: '403 The guest page is served on the local network only.' },
  screens: { ...ALL_THROUGH, offLan: '403 The Moodbox screens are served on the local network only.' },
  metrics: { ...ALL_THROUGH, offLan: '403 Metrics are served to the LAN only' },
} as const;

type Access = keyof typeof OUTCOMES;

const ADMIN_ROUTES = [
  'DELETE /api/admin/backups/:name',
  'DELETE /api/admin/cards/:cardId',
  'DELETE /api/admin/cards/capture',
  'DELETE /api/admin/settings/set-aside',
  'DELETE /api/admin/stations/:id',
  'DELETE /api/admin/users/:id',
  'GET /api/admin/audit',
  'GET /api/admin/backups',
  'GET /api/admin/backups/:name',
  'GET /api/admin/backups/latest',
  'GET /api/admin/camera/faces',
  'GET /api/admin/camera/preview.jpg',
  'GET /api/admin/cards/reader',
  'GET /api/admin/config/schema',
  'GET /api/admin/disk',
  'GET /api/admin/first-run/wizard',
  'GET /api/admin/model',
  'GET /api/admin/model/report/:file',
  'GET /api/admin/moods',
  'GET /api/admin/settings',
  'GET /api/admin/spotify',
  'GET /api/admin/spotify/devices',
  'GET /api/admin/spotify/playlists',
  'GET /api/admin/tracks/:id/audio',
  'GET /api/admin/tracks/:id/files',
  'GET /api/admin/users',
  'GET /api/admin/users/:id/cards',
  'GET /api/admin/users/:id/export',
  'PATCH /api/admin/users/:id',
  'POST /api/admin/backups',
  'POST /api/admin/backups/:name/restore',
  'POST /api/admin/backups/upload',
  'POST /api/admin/cards',
  'POST /api/admin/cards/capture',
  'POST /api/admin/library/scan',
  'POST /api/admin/restart',
  'POST /api/admin/spotify/complete',
  'POST /api/admin/spotify/connect',
  'POST /api/admin/spotify/disconnect',
  'POST /api/admin/stations',
  'POST /api/admin/tracks/:id/play-this-file',
  'POST /api/admin/tracks/moods',
  'POST /api/admin/users',
  'POST /api/admin/users/:id/unlock',
  'PUT /api/admin/first-run/wizard',
  'PUT /api/admin/settings',
  'PUT /api/admin/spotify/device',
  'PUT /api/admin/spotify/playlists/:id',
  'PUT /api/admin/tracks/:id/moods',
  'PUT /api/admin/users/:id/pin',
];

/**
 * What a shift needs, for admins and staff: the music's controls (a resume in the quiet hours
 * included), the queue and what to pick from, blocks, guests' requests, the history and the charts
 * (read only), and the panel's language.
 */
const STAFF_ROUTES = [
  'DELETE /api/admin/blocks/:id',
  'DELETE /api/admin/guests',
  'DELETE /api/admin/guests/requests/:id',
  'DELETE /api/admin/mood/hold',
  'DELETE /api/admin/player/queue/:key',
  'GET /api/admin/blocks',
  'GET /api/admin/guests',
  'GET /api/admin/history',
  'GET /api/admin/library/fit',
  'GET /api/admin/player',
  'GET /api/admin/stations',
  'GET /api/admin/stats',
  'GET /api/admin/stats/charts',
  'GET /api/admin/tracks',
  'POST /api/admin/blocks',
  'POST /api/admin/blocks/import',
  'POST /api/admin/guests/requests/:id/approve',
  'POST /api/admin/player/pause',
  'POST /api/admin/player/play-now',
  'POST /api/admin/player/queue',
  'POST /api/admin/player/resume',
  'POST /api/admin/player/skip',
  'PUT /api/admin/mood/hold',
  'PUT /api/admin/player/queue/:key/position',
  'PUT /api/admin/player/volume',
  'PUT /api/admin/session/language',
];

/** Every route of a box with every part, and its access. */
const ROUTES: Record<string, Access> = {
  ...Object.fromEntries(ADMIN_ROUTES.map((route) => [route, 'admin'] as const)),
  ...Object.fromEntries(STAFF_ROUTES.map((route) => [route, 'staff'] as const)),
  'DELETE /api/admin/session': 'admin before a new passphrase',
  'GET /api/admin/session': 'admin before a new passphrase',
  'POST /api/admin/me/passphrase': 'admin before a new passphrase',
  'DELETE /api/me/history': 'kiosk',
  'DELETE /api/session': 'kiosk',
  'GET /api/me/export': 'kiosk',
  'GET /api/me/history': 'kiosk',
  'PATCH /api/me/preferences': 'kiosk',
  'GET /api/first-run': 'admin sign-in',
  'POST /api/admin/session': 'admin sign-in',
  'POST /api/first-run': 'admin sign-in',
  'POST /api/session/pin': 'kiosk sign-in',
  'DELETE /api/guest/requests/:id': 'guest',
  'GET /api/guest/search': 'guest',
  'GET /api/guest/state': 'guest',
  'GET /ws/guest': 'guest',
  'POST /api/guest/like': 'guest',
  'POST /api/guest/requests': 'guest',
  'POST /api/guest/votes': 'guest',
  'GET /ws': 'screens',
  'GET /metrics': 'metrics',
  'GET /': 'public',
  'GET /admin': 'public',
  'GET /api/covers/:file': 'public',
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/spotify/callback': 'public',
  'GET /api/state': 'public',
  'GET /guest': 'public',
  'POST /api/users': 'public',
};

let h: GuestHarness;
beforeAll(async () => {
  h = await guestHarness({
    network: {
      staff: standIn(),
      restart: standIn(),
      spotify: standIn(),
      metrics: standIn(),
      stations: standIn(),
      library: standIn(),
      backups: standIn(),
      preview: standIn(),
      faces: standIn(),
      modelPath: '/nonexistent/model.onnx',
    },
  });
  await h.server.app.ready();
});
afterAll(async () => h.close());

/** Who calls: their address and the headers their calls carry (a page of the box's, with its Origin). */
interface Caller {
  remoteAddress: string;
  headers: () => Record<string, string>;
}

describe('who may call each route', () => {
  it('answers every route as its access says, to anyone, a member, an admin, staff, an admin with a passphrase to change and an admin off the LAN', async () => {
    const { app, auth } = h.server;
    await auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
    await auth.createUser({ name: 'Boss', role: 'admin', secret: PASSPHRASE }, actors.cli);
    await auth.createUser({ name: 'Temp', role: 'admin', secret: PASSPHRASE, mustChangePin: true }, actors.cli);
    await auth.createUser({ name: 'Bea', role: 'staff', secret: STAFF_PIN }, actors.cli);
    const secrets: Record<string, string> = { Boss: PASSPHRASE, Temp: PASSPHRASE, Bea: STAFF_PIN };
    // Sessions a call ended (a sign-out) are opened again before the next call.
    const member = { token: '' };
    const admins = new Map<string, { token: string; csrf: string }>();
    const signIn = async (): Promise<void> => {
      if (auth.authenticate(member.token, 'kiosk') === undefined) {
        member.token = (await auth.signInWithSecret({ name: 'Ada', secret: '4711', device: `ip:${LAN}`, kind: 'kiosk' })).token;
      }
      for (const name of ['Boss', 'Temp', 'Bea']) {
        const held = admins.get(name);
        if (held !== undefined && auth.authenticate(held.token, 'admin') !== undefined) continue;
        const res = await app.inject({
          method: 'POST',
          url: '/api/admin/session',
          remoteAddress: LAN,
          payload: { name, passphrase: secrets[name] },
        });
        expect(res.statusCode, res.body).toBe(200);
        const token = /mb_admin=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1] ?? '';
        admins.set(name, { token, csrf: res.json<{ csrfToken: string }>().csrfToken });
      }
    };
    const admin = (name: string): Record<string, string> => {
      const held = admins.get(name);
      return held === undefined ? {} : { cookie: `mb_admin=${held.token}`, 'x-csrf-token': held.csrf };
    };
    const callers: Record<keyof (typeof OUTCOMES)['public'], Caller> = {
      anonymous: { remoteAddress: LAN, headers: () => ({ ...PAGE }) },
      member: { remoteAddress: LAN, headers: () => ({ ...PAGE, authorization: `Bearer ${member.token}` }) },
      admin: { remoteAddress: LAN, headers: () => ({ ...PAGE, ...admin('Boss') }) },
      staff: { remoteAddress: LAN, headers: () => ({ ...PAGE, ...admin('Bea') }) },
      mustChange: { remoteAddress: LAN, headers: () => ({ ...PAGE, ...admin('Temp') }) },
      offLan: { remoteAddress: STRANGER, headers: () => ({ ...PAGE, ...admin('Boss'), authorization: `Bearer ${member.token}` }) },
    };

    const seen: Record<string, Record<string, string>> = {};
    for (const route of routesOf(app.printRoutes({ commonPrefix: false }))) {
      const [method = 'GET', path = '/'] = route.split(' ');
      const outcomes: Record<string, string> = {};
      for (const [who, caller] of Object.entries(callers)) {
        await signIn();
        const request: InjectOptions = {
          method: method as 'GET',
          url: path.replace(/:[^/]+/g, '999999'),
          remoteAddress: caller.remoteAddress,
          headers: caller.headers(),
          ...(['POST', 'PUT', 'PATCH'].includes(method) ? { payload: {} } : {}),
        };
        const res = await app.inject(request);
        const isRefused = res.statusCode === 401 || res.statusCode === 403;
        outcomes[who] = isRefused ? `${res.statusCode} ${res.json<{ error: { message: string } }>().error.message}` : 'through';
      }
      seen[route] = outcomes;
    }
    const expected = Object.fromEntries(Object.entries(ROUTES).map(([route, access]) => [route, OUTCOMES[access]]));
    expect(seen).toEqual(expected);
    // Six calls to each of about 130 routes, with a sign-in again after each sign-out.
  }, 60_000);
});
