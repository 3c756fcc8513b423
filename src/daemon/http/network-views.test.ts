import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer, type TestServer } from '../testing/server.js';
import { until } from '../testing/ws-socket.js';
import type { ServerMessage, ServiceHealthView, StateSnapshot } from './contract.js';
import { actors } from '../store/audit.js';

// Issue 59: a phone on the guest Wi-Fi read the signed-in person's name, the number of faces in view
// and how they looked from `/api/state` and from `/ws` opened without an Origin; off the LAN,
// `mood.why` still counted the faces, and `/api/health` named the broker's address and the sizes of
// the faces the camera saw. `docs/security.md` lists what each network position sees.

const BOX = ['127.0.0.1', '::1'];
const LAN = ['192.168.1.40', 'fd00::5'];
const OFF_LAN = '203.0.113.9';
/** The box's own address on the LAN: the sockets below come in on it. */
const BOX_ON_LAN = '192.168.1.2';
const PORT = 8080;

const SERVICES: ServiceHealthView[] = [
  { name: 'camera', status: 'ready', detail: '/dev/video0: 4 faces in view, 38–112 px (median 64 px)' },
  { name: 'mqtt', status: 'degraded', detail: 'mqtt://127.0.0.1:18883 unreachable' },
];

/** What a guest may not read anywhere in what they get. */
const PRIVATE = ['Ada', 'faces in view', '4 faces', 'byEmotion', 'isPersonal', 'mqtt://', '18883', '/dev/video0', '/home/ada'];
const leaks = (seen: unknown): string[] => PRIVATE.filter((secret) => JSON.stringify(seen).includes(secret));

let server: TestServer;

async function serve(config?: Record<string, unknown>): Promise<void> {
  server = await buildTestServer({ clock: new FakeClock(), services: SERVICES, ...(config === undefined ? {} : { config }) });
  await server.auth.createUser({ name: 'Ada Lovelace', role: 'member', secret: '4711' }, actors.cli);
  await server.auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
  await server.app.ready();
  const { hub } = server;
  const now = hub.snapshot().data;
  hub.update('camera', { status: 'on', detail: '/dev/video0: 4 faces in view' });
  hub.update('services', SERVICES);
  hub.update('session', { ...now.session, user: { id: 1, name: 'Ada Lovelace' }, notice: 'Welcome back, Ada Lovelace' });
  hub.update('mood', {
    ...now.mood,
    current: 'sad',
    confidence: 0.8,
    faces: 4,
    why: '4 faces, mostly looking sad',
    byEmotion: { sad: 3, neutral: 1 },
    isPersonal: true,
  });
  hub.update('library', {
    ...now.library,
    lastScan: {
      at: 1,
      files: 2,
      added: 1,
      updated: 0,
      missing: 0,
      failed: [{ path: '/home/ada/Music/diary.mp3', error: 'not audio' }],
      failedCount: 1,
      problems: ['/home/ada/Music/Gone: no such folder'],
    },
  });
}

beforeEach(async () => {
  await serve();
});

afterEach(async () => {
  await server.app.close();
});

async function state(remoteAddress: string, cookie?: string): Promise<StateSnapshot> {
  const res = await server.app.inject({ url: '/api/state', remoteAddress, headers: cookie === undefined ? {} : { cookie } });
  expect(res.statusCode, remoteAddress).toBe(200);
  return res.json<{ data: StateSnapshot }>().data;
}

async function health(remoteAddress: string, cookie?: string): Promise<ServiceHealthView[]> {
  const res = await server.app.inject({ url: '/api/health', remoteAddress, headers: cookie === undefined ? {} : { cookie } });
  expect(res.statusCode, remoteAddress).toBe(200);
  return res.json<{ services: ServiceHealthView[] }>().services;
}

/** The admin panel's cookie for Boss, signed in from `remoteAddress`, and the session's CSRF token. */
async function signIn(remoteAddress: string): Promise<{ cookie: string; csrf: string }> {
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/admin/session',
    remoteAddress,
    payload: { name: 'Boss', passphrase: 'correct horse battery' },
  });
  expect(res.statusCode).toBe(200);
  return { cookie: String(res.headers['set-cookie']).split(';')[0] ?? '', csrf: res.json<{ csrfToken: string }>().csrfToken };
}

/** Serves again from the start, for the next address. */
async function again(): Promise<void> {
  await server.app.close();
  await serve();
}

/**
 * Opens `/ws` from `remoteAddress` as a program without an Origin, or as a page of the box when
 * `isPage`; `messages` are the state messages it got, `ask` sends `state/get`.
 */
async function socket(remoteAddress: string, options: { isPage?: boolean; cookie?: string } = {}) {
  const headers: Record<string, string> = { host: 'moodbox.lan' };
  if (options.isPage === true) headers['origin'] = 'http://moodbox.lan';
  if (options.cookie !== undefined) headers['cookie'] = options.cookie;
  const messages: ServerMessage[] = [];
  let asked = 0;
  const ws = await server.app.injectWS(
    '/ws',
    { headers, socket: { remoteAddress, localAddress: BOX_ON_LAN, localPort: PORT } as Socket },
    { onInit: (s) => s.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8')) as ServerMessage)) },
  );
  await until(() => messages.length === 1);
  return {
    messages,
    snapshot: () => (messages[0] as Extract<ServerMessage, { type: 'state/snapshot' }>).data,
    /** The `state/get` reply's data. */
    async get(): Promise<unknown> {
      const count = messages.length;
      ws.send(JSON.stringify({ type: 'state/get', transaction: 't1' }));
      await until(() => messages.slice(count).some((m) => 'transaction' in m));
      return (messages.slice(count).find((m) => 'transaction' in m) as { data: unknown }).data;
    },
    /** Sends one request; its reply, without the transaction. */
    async ask(type: string, data?: unknown): Promise<Record<string, unknown>> {
      const transaction = `q${(asked += 1)}`;
      ws.send(JSON.stringify({ type, data, transaction }));
      await until(() => messages.some((m) => 'transaction' in m && m.transaction === transaction));
      const reply = { ...(messages.find((m) => 'transaction' in m && m.transaction === transaction) as Record<string, unknown>) };
      delete reply['transaction'];
      return reply;
    },
    close: () => ws.terminate(),
  };
}

/**
 * The room changes: Ada signs out, one more face is in view, Ada signs in again; then the quiet
 * hours begin or end, which every screen sees. Resolves with the messages the socket got for them,
 * once the last has come.
 */
async function roomChanges(ws: Awaited<ReturnType<typeof socket>>): Promise<ServerMessage[]> {
  const { hub } = server;
  const { mood, session, quietHours } = hub.snapshot().data;
  const count = ws.messages.length;
  hub.update('session', { ...session, user: null, notice: null });
  const faces = mood.faces + 1;
  hub.update('mood', { ...mood, faces, why: `${faces} faces, mostly looking sad`, byEmotion: { sad: faces - 1, neutral: 1 } });
  hub.update('session', { ...session, user: { id: 1, name: 'Ada Lovelace' }, notice: null });
  hub.update('quietHours', !quietHours);
  await until(() => ws.messages.slice(count).some((m) => m.type === 'quietHours/changed'));
  return ws.messages.slice(count);
}

describe('what each network position sees (issue 59)', () => {
  it('the kiosk on the box sees everything: the state, the health and the socket, from 127.0.0.1 and ::1', async () => {
    for (const address of BOX) {
      const whole = await state(address);
      expect(whole.session.user?.name, address).toBe('Ada Lovelace');
      expect(whole.mood).toMatchObject({ faces: 4, why: '4 faces, mostly looking sad', byEmotion: { sad: 3, neutral: 1 } });
      expect(whole.library.lastScan?.failed[0]?.path).toBe('/home/ada/Music/diary.mp3');
      expect(await health(address)).toEqual(SERVICES);

      const ws = await socket(address);
      // The HTTP answer keeps the fields of its schema; the socket sends the state as it is.
      expect(ws.snapshot()).toMatchObject(whole);
      const changes = await roomChanges(ws);
      expect(changes.map((m) => [m.type, 'data' in m ? m.data : undefined])).toEqual([
        ['session/changed', expect.objectContaining({ user: null })],
        ['mood/changed', expect.objectContaining({ faces: 5, byEmotion: { sad: 4, neutral: 1 } })],
        ['session/changed', expect.objectContaining({ user: { id: 1, name: 'Ada Lovelace' } })],
        ['quietHours/changed', true],
      ]);
      expect(await ws.get()).toMatchObject({ session: { user: { name: 'Ada Lovelace' } }, mood: { faces: 5 } });
      ws.close();
      await again();
    }
    // The box calling its own LAN address (`moodbox doctor` where `server.host` names it): the same.
    const own = await socket(BOX_ON_LAN);
    expect(own.snapshot()).toMatchObject({ session: { user: { name: 'Ada Lovelace' } }, mood: { faces: 4 } });
    own.close();
  });

  it('a device on the LAN (192.168/16, fd00::/8) sees the guest view: what plays and the mood, without a name, a face count, how the faces look, the broker or a path', async () => {
    for (const address of LAN) {
      const seen = await state(address);
      expect(leaks(seen), address).toEqual([]);
      expect(seen.session).toMatchObject({ user: null, notice: null });
      expect(seen.mood).toMatchObject({ current: 'sad', confidence: 0.8, faces: 0, why: 'The room looked sad' });
      expect(seen.library.lastScan).toMatchObject({ failedCount: 1, failed: [], problems: [] });
      expect(seen.services).toEqual([
        { name: 'camera', status: 'ready' },
        { name: 'mqtt', status: 'degraded' },
      ]);
      expect(seen.player).toEqual(server.hub.snapshot().data.player);
      expect(await health(address)).toEqual(seen.services);

      // A program without an Origin (the report's phone), and the kiosk's page opened on a tablet.
      for (const isPage of [false, true]) {
        const ws = await socket(address, { isPage });
        expect(ws.snapshot(), address).toMatchObject(seen);
        expect(leaks(ws.snapshot()), address).toEqual([]);
        const changes = await roomChanges(ws);
        expect(leaks(changes), address).toEqual([]);
        // Issue 80: a sign-in, a sign-out and a face more change nothing a guest sees, so nothing of them is sent: only
        // the quiet hours, next in the guest view's own sequence.
        expect(changes).toEqual([{ type: 'quietHours/changed', seq: (ws.messages[0] as { seq: number }).seq + 1, data: true }]);
        const { mood, quietHours } = server.hub.snapshot().data;
        server.hub.update('mood', { ...mood, current: 'happy', why: '5 faces, mostly looking happy' });
        await until(() => ws.messages.length === 3);
        expect(ws.messages[2]).toMatchObject({ type: 'mood/changed', data: { current: 'happy', faces: 0, why: 'The room looked happy' } });
        expect(leaks(await ws.get())).toEqual([]);
        ws.close();
        // The room as it was, for the next socket.
        server.hub.update('mood', mood);
        server.hub.update('quietHours', !quietHours);
      }
      await again();
    }
  });

  it('an admin signed in to the panel from the LAN sees everything; once signed out, the guest view again, on an open socket too', async () => {
    for (const address of LAN) {
      const { cookie, csrf } = await signIn(address);
      expect((await state(address, cookie)).mood).toMatchObject({ faces: 4, byEmotion: { sad: 3, neutral: 1 } });
      expect((await state(address, cookie)).session.user?.name).toBe('Ada Lovelace');
      expect(await health(address, cookie)).toEqual(SERVICES);
      const ws = await socket(address, { isPage: true, cookie });
      expect(ws.snapshot().session.user?.name).toBe('Ada Lovelace');
      expect((await roomChanges(ws))[1]).toMatchObject({ data: { faces: 5, byEmotion: { sad: 4, neutral: 1 } } });
      // A cookie that is no session is a guest's.
      expect(leaks(await state(address, 'mb_admin=forged'))).toEqual([]);

      const out = await server.app.inject({
        method: 'DELETE',
        url: '/api/admin/session',
        remoteAddress: address,
        headers: { cookie, 'x-csrf-token': csrf },
      });
      expect(out.statusCode).toBe(204);
      expect(leaks(await state(address, cookie))).toEqual([]);
      expect(leaks(await health(address, cookie))).toEqual([]);
      expect(leaks(await roomChanges(ws))).toEqual([]);
      ws.close();
      await again();
    }
  });

  it('staff signed in to the panel with their PIN see everything, on the socket too; made a member, the guest view at once', async () => {
    const [address = ''] = LAN;
    const bea = await server.auth.createUser({ name: 'Bea', role: 'staff', secret: '2580' }, actors.cli);
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/admin/session',
      remoteAddress: address,
      payload: { name: 'Bea', passphrase: '2580' },
    });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    expect((await state(address, cookie)).mood).toMatchObject({ faces: 4, byEmotion: { sad: 3, neutral: 1 } });
    const ws = await socket(address, { isPage: true, cookie });
    expect(ws.snapshot().session.user?.name).toBe('Ada Lovelace');
    expect((await roomChanges(ws))[1]).toMatchObject({ data: { faces: 5, byEmotion: { sad: 4, neutral: 1 } } });

    server.store.users.update(bea.id, { role: 'member' });
    expect(leaks(await state(address, cookie))).toEqual([]);
    expect(leaks(await roomChanges(ws))).toEqual([]);
    ws.close();
  });

  it('off the LAN, the state and the health say nothing about people; the socket is refused while the panel is LAN-only', async () => {
    const seen = await state(OFF_LAN);
    expect(leaks(seen)).toEqual([]);
    expect(seen.mood).toMatchObject({ current: 'sad', faces: 0, why: 'The room looked sad' });
    expect(seen.mood.byEmotion).toBeUndefined();
    expect(seen.session.user).toBeNull();
    expect(leaks(await health(OFF_LAN))).toEqual([]);
    const upgrade = {
      connection: 'upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    };
    const refused = await server.app.inject({ url: '/ws', headers: upgrade, remoteAddress: OFF_LAN });
    expect(refused.statusCode).toBe(403);
  });

  it('off the LAN with the panel served to everyone: the guest view on every route and the socket, unless an admin signed in', async () => {
    await server.app.close();
    await serve({ server: { adminLanOnly: false } });
    expect(leaks(await state(OFF_LAN))).toEqual([]);
    expect(leaks(await health(OFF_LAN))).toEqual([]);
    const ws = await socket(OFF_LAN);
    expect(leaks(ws.snapshot())).toEqual([]);
    expect(leaks(await roomChanges(ws))).toEqual([]);
    ws.close();
    const { cookie } = await signIn(OFF_LAN);
    expect((await state(OFF_LAN, cookie)).session.user?.name).toBe('Ada Lovelace');
    expect(await health(OFF_LAN, cookie)).toEqual(SERVICES);
  });
});

// Issue 80: with `sessions.suggestNames` on, `session/names` from a LAN address answered every two-letter prefix
// ("al" → ["alice"]), and a refusal on the socket told a LAN client that someone was signed in at the kiosk.
describe('names and who is signed in, from the box, the LAN and off it (issue 80)', () => {
  const BOX_PAGE = '127.0.0.1';
  const PRIVATE_WORDS = /Ada|someone|nobody|signed in at|your own picks/;

  /** Serves again with name suggestions on and the panel open to every address, Ada Lovelace signed in at the kiosk. */
  async function kioskWithAda(): Promise<void> {
    await server.app.close();
    await serve({ sessions: { suggestNames: true }, server: { adminLanOnly: false } });
    const signed = await server.auth.signInWithSecret({
      name: 'Ada Lovelace',
      secret: '4711',
      device: 'ip:127.0.0.1',
      kind: 'kiosk',
      isOnBox: true,
    });
    server.presence.signedIn(signed);
  }

  it("suggests names on the box's own screen and to an admin only: a LAN device and an address off the LAN get none", async () => {
    await kioskWithAda();
    const box = await socket(BOX_PAGE, { isPage: true });
    expect(await box.ask('session/options')).toMatchObject({ status: 'ok', data: { suggestNames: true } });
    expect(await box.ask('session/names', { prefix: 'ad' })).toEqual({
      type: 'session/names',
      status: 'ok',
      data: { names: ['Ada Lovelace'] },
    });

    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (const address of [...LAN, OFF_LAN]) {
      const guest = await socket(address, { isPage: true });
      expect(await guest.ask('session/options'), address).toMatchObject({ status: 'ok', data: { suggestNames: false } });
      // Every two-letter prefix, as the probe asked them.
      const prefixes = [...letters].flatMap((a) => [...letters].map((b) => `${a}${b}`));
      const replies = await Promise.all(prefixes.map((prefix) => guest.ask('session/names', { prefix })));
      expect(replies).toHaveLength(676);
      expect(new Set(replies.map((reply) => JSON.stringify(reply))), address).toEqual(
        new Set([JSON.stringify({ type: 'session/names', status: 'ok', data: { names: [] } })]),
      );
      guest.close();
    }

    const { cookie } = await signIn(LAN[0] ?? '');
    const admin = await socket(LAN[0] ?? '', { isPage: true, cookie });
    expect(await admin.ask('session/names', { prefix: 'ad' })).toMatchObject({ data: { names: ['Ada Lovelace'] } });
  });

  it('refuses a LAN device and an address off the LAN alike whether someone is signed in or not, naming nobody; the box is told', async () => {
    await kioskWithAda();
    const song = server.store.tracks.upsert({ uri: '/music/a.flac', title: 'A' }).id;
    const ada = server.store.users.byName('Ada Lovelace')?.id ?? 0;
    const positions = [BOX_PAGE, ...LAN, OFF_LAN];
    const sockets = await Promise.all(positions.map((address) => socket(address, { isPage: true })));
    const refusals = async (): Promise<Array<Array<Record<string, unknown>>>> => {
      const replies: Array<Array<Record<string, unknown>>> = [];
      for (const ws of sockets) {
        replies.push([
          await ws.ask('player/like', { trackId: song }),
          await ws.ask('me/profile'),
          await ws.ask('session/stay'),
          await ws.ask('session/sign-out'),
        ]);
      }
      return replies;
    };

    const [boxIn, ...guestsIn] = await refusals();
    // Nothing was done for Ada.
    expect(server.presence.user?.name).toBe('Ada Lovelace');
    expect(server.store.plays.feedbackFor(ada)).toEqual([]);
    server.presence.signOut('button');
    const [boxOut, ...guestsOut] = await refusals();

    const first = guestsIn[0]?.map((reply) => reply['error']);
    expect(first).toEqual([
      { code: 'MB_ERR_AUTH_REQUIRED', message: 'Sign in on this screen to like a song.', said: expect.anything() },
      { code: 'MB_ERR_AUTH_REQUIRED', message: 'Sign in on this screen to see your page.', said: expect.anything() },
      { code: 'MB_ERR_AUTH_REQUIRED', message: 'Sign in on this screen to stay signed in.', said: expect.anything() },
      { code: 'MB_ERR_AUTH_REQUIRED', message: 'Sign in on this screen to sign out.', said: expect.anything() },
    ]);
    for (const [i, replies] of [...guestsIn, ...guestsOut].entries()) {
      expect(replies, positions[1 + (i % guestsIn.length)]).toEqual(guestsIn[0]);
      expect(JSON.stringify(replies)).not.toMatch(PRIVATE_WORDS);
    }
    // The box's own screen sees who is signed in, and its refusals say so.
    expect(boxIn?.[0]).toMatchObject({ error: { message: expect.stringContaining('someone is signed in at the kiosk') } });
    expect(boxOut?.[0]).toMatchObject({ error: { message: expect.stringContaining('likes and skips shape your own picks') } });
    expect(boxOut?.[3]).toMatchObject({ status: 'ok', data: { user: null } });
    for (const ws of sockets) ws.close();
  });
});
