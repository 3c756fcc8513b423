import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Type } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../kernel/clock.js';
import { MoodboxError } from '../../kernel/errors.js';
import { FakeClock } from '../testing/fake-clock.js';
import { FakeMusicControls } from '../testing/fake-music-controls.js';
import { buildTestServer } from '../testing/server.js';
import { initialSnapshot } from '../testing/state.js';
import type { ClientRequests, ClientRequestType } from './contract.js';
import { stateRequests } from './routes/state.js';
import { CLIENT_REQUEST_SPECS } from './schemas/client-requests.js';
import { StateHub } from './state-hub.js';
import { registerWs } from './ws.js';
import { KIOSK_SCREEN, until } from '../testing/ws-socket.js';
import { actors } from '../store/audit.js';

const open: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

/** Opens `/ws` on `app`; `ask` sends one request and resolves with its reply. */
async function socket(app: FastifyInstance, options: Parameters<FastifyInstance['injectWS']>[1]) {
  await app.ready();
  const replies: Array<Record<string, unknown>> = [];
  const ws = await app.injectWS('/ws', options, {
    onInit: (s) => s.on('message', (data) => replies.push(JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>)),
  });
  await until(() => replies.length === 1);
  let next = 1;
  return {
    ws,
    replies,
    async ask(message: Record<string, unknown>): Promise<Record<string, unknown>> {
      const transaction = `q${next++}`;
      ws.send(JSON.stringify({ ...message, transaction }));
      await until(() => replies.some((r) => r['transaction'] === transaction));
      return replies.find((r) => r['transaction'] === transaction) ?? {};
    },
  };
}

describe('the /ws transport', () => {
  /** The WebSocket alone, with `state/get` and a request whose handler fails with an unexpected error. */
  async function transport(): Promise<FastifyInstance> {
    const app = Fastify();
    open.push(app);
    await app.register(fastifyWebsocket);
    const hub = new StateHub(initialSnapshot(), { log: { error() {} } });
    type TestRequests = Pick<ClientRequests, 'state/get'> & { 'test/explode': { data: null; reply: never } };
    registerWs<TestRequests>(
      app,
      {
        hub,
        clock: systemClock,
        log: pino({ level: 'silent' }),
        specs: { 'state/get': CLIENT_REQUEST_SPECS['state/get'], 'test/explode': { data: Type.Null(), expected: 'no data' } },
        handlers: {
          ...stateRequests({ hub }),
          'test/explode': async () => {
            throw new Error('secret internals');
          },
        },
        actingFor: () => null,
        // The transport alone: which addresses it serves is `ws-access.test.ts`'s.
        // What each address sees is `network-views.test.ts`'s.
        viewOf: () => 'all',
      },
      { maxBufferedBytes: 1024 * 1024, pingIntervalMs: 15_000 },
    );
    return app;
  }

  it('answers requests with their transaction, and errors without internals', async () => {
    const app = await transport();
    await app.ready();
    const replies: Array<Record<string, unknown>> = [];
    const ws = await app.injectWS(
      '/ws',
      { headers: { host: 'moodbox.test', origin: 'http://moodbox.test' } },
      {
        onInit: (socket) =>
          socket.on('message', (data) => replies.push(JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>)),
      },
    );
    await until(() => replies.length === 1);
    ws.send(JSON.stringify({ type: 'state/get', transaction: 't1' }));
    ws.send(JSON.stringify({ type: 'player/fly', transaction: 't2' }));
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'test/explode', transaction: 't3' }));
    await until(() => replies.length === 5);
    expect(replies[1]).toMatchObject({ type: 'state/get', transaction: 't1', status: 'ok', data: { demo: true } });
    expect(replies[2]).toMatchObject({ transaction: 't2', status: 'error', error: { code: 'MB_ERR_HTTP_NOT_FOUND' } });
    expect(replies[3]).toMatchObject({ status: 'error', error: { code: 'MB_ERR_HTTP_BAD_REQUEST' } });
    expect(replies[4]).toEqual({
      type: 'test/explode',
      transaction: 't3',
      status: 'error',
      error: { code: 'MB_ERR_INTERNAL', message: 'Internal error' },
    });
    ws.terminate();
  });
});

describe('the data of every request is checked once, before its handler runs', () => {
  /** The real server with Ada signed in at the kiosk, and the kiosk's own screen connected. */
  async function kiosk() {
    const music = new FakeMusicControls();
    const server = await buildTestServer({ clock: new FakeClock(), music });
    open.push(server.app);
    await server.auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
    server.presence.signedIn(await server.auth.signInWithSecret({ name: 'Ada', secret: '4711', device: 'test', kind: 'kiosk' }));
    return { ...server, music, screen: await socket(server.app, KIOSK_SCREEN) };
  }

  // One entry per request type: the table does not type-check until a new request has its case.
  const BAD_DATA: Record<ClientRequestType, { data: unknown; expected: string }> = {
    'state/get': { data: { all: true }, expected: 'Expected no data, got {"all":true}' },
    'session/sign-out': { data: 'now', expected: 'Expected no data, got "now"' },
    'player/play': {
      data: { trackId: 'x' },
      expected: 'Expected data like {"trackId": 12}, got {"trackId":"x"} (data.trackId: must be integer)',
    },
    'player/like': { data: { trackId: 0 }, expected: 'Expected data like {"trackId": 12}, got {"trackId":0} (data.trackId: must be >= 1)' },
    'player/unlike': {
      data: {},
      expected: 'Expected data like {"trackId": 12}, got {} (data: must have required properties trackId)',
    },
    'session/options': { data: 1, expected: 'Expected no data, got 1' },
    'session/stay': { data: true, expected: 'Expected no data, got true' },
    'screen/sleep': {
      data: { isAsleep: 'yes' },
      expected: 'Expected data like {"isAsleep": true}, got {"isAsleep":"yes"} (data.isAsleep: must be boolean)',
    },
    'session/names': {
      data: { prefix: 'J' },
      expected: 'Expected data like {"prefix": "Jo"}, got {"prefix":"J"} (data.prefix: must not have fewer than 2 characters)',
    },
    'me/profile': { data: [], expected: 'Expected no data, got []' },
    'me/history': {
      data: { limit: 500 },
      expected: 'Expected data like {"limit": 20}, or no data, got {"limit":500} (data.limit: must be <= 100)',
    },
    'me/preferences': {
      data: { avoidMoods: 'sad' },
      expected: 'Expected data like {"avoidMoods": ["sad"]}, got {"avoidMoods":"sad"} (data.avoidMoods: must be array)',
    },
    'me/calibration': { data: {}, expected: 'Expected no data, got {}' },
    'me/calibration/start': { data: 'now', expected: 'Expected no data, got "now"' },
    'me/calibration/sample': {
      data: { expression: 'bored' },
      expected:
        'Expected data like {"expression": "happy"}, the expression one of neutral, happy, sad, surprise, angry, got {"expression":"bored"} (data.expression: must be equal to constant)',
    },
    'me/calibration/finish': { data: 0, expected: 'Expected no data, got 0' },
    'me/calibration/cancel': { data: false, expected: 'Expected no data, got false' },
    'me/calibration/delete': { data: [1], expected: 'Expected no data, got [1]' },
    'player/skip': {
      data: { trackId: 3, why: 'boring' },
      expected:
        'Expected data like {"trackId": 12}, or no data, got {"trackId":3,"why":"boring"} (data: must not have additional properties `why`)',
    },
  };

  it.each(Object.entries(BAD_DATA))('refuses %s with bad data, naming what it expected', async (type, { data, expected }) => {
    const box = await kiosk();
    expect(await box.screen.ask({ type, data })).toEqual({
      type,
      transaction: expect.any(String),
      status: 'error',
      error: { code: 'MB_ERR_HTTP_BAD_REQUEST', message: expected },
    });
    // No handler ran: nothing played, liked or skipped, and Ada is still signed in.
    expect(box.music.calls).toEqual([]);
    expect(box.presence.user?.name).toBe('Ada');
  });

  it('covers every request type the schemas list', () => {
    expect(Object.keys(BAD_DATA).sort()).toEqual(Object.keys(CLIENT_REQUEST_SPECS).sort());
  });

  it('refuses a play with a missing track, and a message without data where data is needed', async () => {
    const box = await kiosk();
    expect(await box.screen.ask({ type: 'player/play', data: {} })).toMatchObject({
      error: {
        code: 'MB_ERR_HTTP_BAD_REQUEST',
        message: 'Expected data like {"trackId": 12}, got {} (data: must have required properties trackId)',
      },
    });
    expect(await box.screen.ask({ type: 'player/like' })).toMatchObject({
      error: { code: 'MB_ERR_HTTP_BAD_REQUEST', message: 'Expected data like {"trackId": 12}, got nothing' },
    });
    expect(box.music.calls).toEqual([]);
  });

  it('hands good data to the handler as its schema types it', async () => {
    const box = await kiosk();
    expect(await box.screen.ask({ type: 'player/play', data: { trackId: 12 } })).toMatchObject({ status: 'ok', data: { trackId: 12 } });
    expect(await box.screen.ask({ type: 'player/like', data: { trackId: 12 } })).toMatchObject({ status: 'ok', data: { trackId: 12 } });
    expect(await box.screen.ask({ type: 'player/skip' })).toMatchObject({ status: 'ok', data: { trackId: null } });
    expect(await box.screen.ask({ type: 'player/skip', data: { trackId: 12 } })).toMatchObject({ status: 'ok', data: { trackId: 12 } });
    expect(box.music.calls).toEqual([
      { method: 'tap', trackId: 12 },
      { method: 'like', trackId: 12 },
      { method: 'skip', trackId: undefined },
      { method: 'skip', trackId: 12 },
    ]);
    expect(await box.screen.ask({ type: 'state/get', data: null })).toMatchObject({ status: 'ok', data: { demo: true } });
    expect(await box.screen.ask({ type: 'session/sign-out' })).toMatchObject({ status: 'ok', data: { user: null } });
    expect(box.presence.user).toBeNull();
  });

  it('answers a failure of the music with its code, as the kiosk shows it', async () => {
    const box = await kiosk();
    box.music.failNext(new MoodboxError('MB_ERR_PLAYER_NOT_ALLOWED', 'That track cannot be played now.'));
    expect(await box.screen.ask({ type: 'player/play', data: { trackId: 12 } })).toMatchObject({
      status: 'error',
      error: { code: 'MB_ERR_PLAYER_NOT_ALLOWED', message: 'That track cannot be played now.' },
    });
  });
});
