import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer, type TestServer } from '../testing/server.js';
import type { StateSnapshot } from './contract.js';
import { actors } from '../store/audit.js';

// Issue 42, item 8: with `server.adminLanOnly` on, an address off the LAN could sign a person in at
// the kiosk, and `/api/state` told it who was signed in, how many faces were in view, the broker's
// address and the paths of the music folders.

const KIOSK = '127.0.0.1';
const LAN_PHONE = '192.168.1.40';
const STRANGER = '203.0.113.9';
const PASSPHRASE = 'correct horse battery';

let server: TestServer;

beforeEach(async () => {
  server = await servedWith();
});

/** A server with these settings, Ada, and a state that holds a name, faces, the broker and paths. */
async function servedWith(config?: Record<string, unknown>): Promise<TestServer> {
  const built = await buildTestServer({ clock: new FakeClock(), config });
  await built.auth.createUser({ name: 'Ada Lovelace', role: 'member', secret: '4711' }, actors.cli);
  await built.app.ready();
  const { hub } = built;
  const now = hub.snapshot().data;
  hub.update('services', [{ name: 'mqtt', status: 'ready', detail: 'connected to mqtt://moodbox:***@broker.cafe.lan:1883' }]);
  hub.update('session', { ...now.session, user: { id: 1, name: 'Ada Lovelace' } });
  hub.update('mood', { ...now.mood, current: 'happy', confidence: 0.8, faces: 3, byEmotion: { happy: 2, neutral: 1 } });
  hub.update('library', {
    ...now.library,
    lastScan: {
      at: 1,
      files: 2,
      added: 1,
      updated: 0,
      missing: 0,
      failed: [{ path: '/home/ada/Music/Private/diary.mp3', error: 'not audio' }],
      failedCount: 1,
      problems: ['/home/ada/Music/Gone: no such folder'],
    },
  });
  return built;
}

afterEach(async () => {
  await server.app.close();
});

async function state(remoteAddress: string, cookie?: string): Promise<StateSnapshot> {
  const res = await server.app.inject({ method: 'GET', url: '/api/state', remoteAddress, headers: cookie === undefined ? {} : { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json<{ data: StateSnapshot }>().data;
}

describe('off the LAN, with adminLanOnly on', () => {
  it('nobody signs a person in at the kiosk: 403, no session, nothing announced; the kiosk and a phone on the LAN still can', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/session/pin',
      payload: { name: 'Ada Lovelace', pin: '4711' },
      remoteAddress: STRANGER,
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('token');
    expect(server.kioskChanges).toEqual([]);
    expect(server.presence.user).toBeNull();

    for (const remoteAddress of [KIOSK, LAN_PHONE]) {
      const ok = await server.app.inject({
        method: 'POST',
        url: '/api/session/pin',
        payload: { name: 'Ada Lovelace', pin: '4711' },
        remoteAddress,
      });
      expect(ok.statusCode).toBe(200);
    }
  });

  it('the state tells a stranger what plays and the mood, but no name, no faces, no broker and no path', async () => {
    const seen = await state(STRANGER);
    const text = JSON.stringify(seen);
    for (const secret of ['Ada', 'broker.cafe.lan', 'mqtt://', '/home/ada', 'byEmotion'])
      expect([secret, text.includes(secret)]).toEqual([secret, false]);
    expect(seen.session.user).toBeNull();
    expect(seen.mood).toMatchObject({ current: 'happy', faces: 0 });
    expect(seen.library.lastScan).toMatchObject({ failed: [], failedCount: 1, problems: [] });
    expect(seen.services).toEqual([{ name: 'mqtt', status: 'ready' }]);

    // The kiosk on the box gets it all; a phone on the LAN gets what a stranger does (network-views.test.ts).
    const whole = await state(KIOSK);
    expect(whole.session.user?.name).toBe('Ada Lovelace');
    expect(whole.mood.faces).toBe(3);
    expect(whole.library.lastScan?.failed[0]?.path).toBe('/home/ada/Music/Private/diary.mp3');
  });

  it('with adminLanOnly off, the owner chose to serve everyone: the whole state and the sign-in', async () => {
    await server.app.close();
    server = await servedWith({ server: { adminLanOnly: false } });
    await server.auth.createUser({ name: 'Boss', role: 'admin', secret: PASSPHRASE }, actors.cli);
    // The admin, signed in from off the LAN, reads the whole state: names, faces, the broker and the paths.
    const signIn = await server.app.inject({
      method: 'POST',
      url: '/api/admin/session',
      payload: { name: 'Boss', passphrase: PASSPHRASE },
      remoteAddress: STRANGER,
    });
    expect(signIn.statusCode).toBe(200);
    const whole = await state(STRANGER, String(signIn.headers['set-cookie']).split(';')[0]);
    expect(whole.session.user?.name).toBe('Ada Lovelace');
    expect(whole.mood).toMatchObject({ current: 'happy', faces: 3, byEmotion: { happy: 2, neutral: 1 } });
    expect(whole.services).toEqual([{ name: 'mqtt', status: 'ready', detail: 'connected to mqtt://moodbox:***@broker.cafe.lan:1883' }]);
    expect(whole.library.lastScan).toMatchObject({
      failed: [{ path: '/home/ada/Music/Private/diary.mp3', error: 'not audio' }],
      problems: ['/home/ada/Music/Gone: no such folder'],
    });
    // Anyone else there still gets the guest view.
    expect((await state(STRANGER)).session.user).toBeNull();

    // A stranger's PIN sign-in signs Ada in at the kiosk.
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/session/pin',
      payload: { name: 'Ada Lovelace', pin: '4711' },
      remoteAddress: STRANGER,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ token: expect.any(String) });
    expect(server.presence.user?.name).toBe('Ada Lovelace');
    expect(server.kioskChanges).toMatchObject([{ name: 'Ada Lovelace' }]);
  });
});
