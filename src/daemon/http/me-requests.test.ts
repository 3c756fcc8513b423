// Issue 16, item 6: a person signed in at the kiosk (PIN or card) sees their likes, history and preferences, and can stay signed in.
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { MoodboxError } from '../../kernel/errors.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer, type TestServer } from '../testing/server.js';
import type { KioskMusic } from '../testing/fake-music-controls.js';
import { KIOSK_SCREEN, LAN_PAGE, socket } from '../testing/ws-socket.js';
import { actors } from '../store/audit.js';

const open: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

/**
 * The real server on a fake clock, a 60 s idle sign-out, a small library with Ada's plays, and
 * music that stores likes as the director does (for whoever is signed in at the kiosk).
 */
async function kiosk(config: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const music: KioskMusic = {
    like: async (trackId) => {
      const person = server.presence.user;
      if (person === null) throw new MoodboxError('MB_ERR_AUTH_REQUIRED', 'Sign in to like a song');
      server.store.plays.recordFeedback({ userId: person.id, trackId, kind: 'like', at: clock.now() });
      return { trackId };
    },
    unlike: async (trackId) => {
      const person = server.presence.user;
      if (person === null) throw new MoodboxError('MB_ERR_AUTH_REQUIRED', 'Sign in to unlike a song');
      server.store.plays.removeFeedback({ userId: person.id, trackId, kind: 'like' });
      return { trackId };
    },
    tap: async (trackId) => ({ trackId }),
    skip: async () => ({ trackId: null }),
  };
  const server: TestServer = await buildTestServer({ clock, music, config: { sessions: { kioskIdleTimeoutS: 60 }, ...config } });
  open.push(server.app);
  const { store } = server;
  const song = store.tracks.upsert({ uri: '/music/sunny.flac', title: 'Sunny Señorita', artist: 'Los Días', language: 'es' });
  const other = store.tracks.upsert({ uri: '/music/rain.flac', title: 'Rain', artist: 'Björk Band', language: 'en' });
  const untitled = store.tracks.upsert({ uri: '/music/no-tags.mp3', language: 'zxx' });
  store.tracks.setMoods(song.id, [{ mood: 'happy', weight: 1, origin: 'admin' }]);
  store.tracks.setMoods(other.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
  const ada = await server.auth.createUser({ name: 'Ada', role: 'member', secret: '4711' }, actors.cli);
  for (const [i, trackId] of [song.id, other.id, untitled.id].entries()) {
    store.plays.start({ trackId, userId: ada.id, reason: 'tap', mood: 'happy', startedAt: clock.now() - (3 - i) * 60_000 });
  }
  const signed = await server.auth.signInWithSecret({ name: 'Ada', secret: '4711', device: 'test', kind: 'kiosk' });
  server.presence.signedIn(signed);
  return { ...server, clock, song: song.id, other: other.id, untitled: untitled.id, ada: ada.id, token: signed.token };
}

/** What a refused request must leave as it was: Ada's likes and preferences, and the audit. */
function whatTheyKeep(box: Awaited<ReturnType<typeof kiosk>>) {
  return {
    likes: box.store.plays.feedbackFor(box.ada),
    preferences: box.store.users.get(box.ada)?.preferences,
    audit: box.store.audit.list({ limit: 100 }).items,
  };
}

describe("the signed-in person's own requests on /ws", () => {
  it('likes and unlikes, the liked marks following in their profile and history', async () => {
    const box = await kiosk();
    const screen = await socket(box.app, KIOSK_SCREEN);
    expect(await screen.ask('player/like', { trackId: box.song })).toMatchObject({ status: 'ok' });
    expect(await screen.ask('me/profile')).toMatchObject({ status: 'ok', data: { user: { name: 'Ada' }, likedTrackIds: [box.song] } });
    const history = await screen.ask('me/history', { limit: 10 });
    expect(history).toMatchObject({
      status: 'ok',
      data: {
        total: 3,
        items: [
          // Newest first; an untagged file is named by its file name.
          { trackId: box.untitled, title: 'no-tags.mp3', liked: false },
          { trackId: box.other, title: 'Rain', artist: 'Björk Band', liked: false },
          { trackId: box.song, title: 'Sunny Señorita', artist: 'Los Días', liked: true, mood: 'happy' },
        ],
      },
    });
    expect(await screen.ask('player/unlike', { trackId: box.song })).toMatchObject({ status: 'ok', data: { trackId: box.song } });
    expect(await screen.ask('me/profile')).toMatchObject({ data: { likedTrackIds: [] } });
    expect(box.store.plays.feedbackFor(box.ada)).toEqual([]);
    // Each is audited with who tapped, oldest first.
    const audited = box.store.audit
      .list({ limit: 10 })
      .items.filter((e) => e.actor.startsWith('user:'))
      .map((e) => [e.actor, e.action, e.detail])
      .reverse();
    expect(audited).toEqual([
      [`user:${box.ada}`, 'player.like', { trackId: box.song }],
      [`user:${box.ada}`, 'player.unlike', { trackId: box.song }],
    ]);
  });

  it('offers preferences to choose from the library and what they heard, and keeps what they choose', async () => {
    const box = await kiosk();
    const screen = await socket(box.app, KIOSK_SCREEN);
    expect(await screen.ask('me/profile')).toMatchObject({
      data: {
        preferences: { languages: [], artists: [], avoidMoods: [] },
        choices: { languages: ['en', 'es'], artists: ['Björk Band', 'Los Días'], avoidMoods: ['calm', 'happy'] },
        idleTimeoutS: 60,
      },
    });
    const set = await screen.ask('me/preferences', { avoidMoods: ['calm'], languages: ['es'] });
    expect(set).toEqual(expect.objectContaining({ status: 'ok', data: { languages: ['es'], artists: [], avoidMoods: ['calm'] } }));
    // A later change of one list keeps the others.
    await screen.ask('me/preferences', { artists: ['Los Días'] });
    expect(box.store.users.get(box.ada)?.preferences).toEqual({ languages: ['es'], artists: ['Los Días'], avoidMoods: ['calm'] });
  });

  it('keeps the person signed in while they tap "stay", and lets the idle sign-out come when they do not', async () => {
    // No ping within the minutes the fake clock passes: the injected socket does not answer pings.
    const box = await kiosk({ ws: { pingIntervalMs: 300_000 } });
    const screen = await socket(box.app, KIOSK_SCREEN);
    expect(await screen.ask('session/options')).toMatchObject({ status: 'ok', data: { selfRegistration: false, idleTimeoutS: 60 } });
    for (let i = 0; i < 3; i++) {
      box.clock.advance(50_000);
      expect(await screen.ask('session/stay')).toEqual(expect.objectContaining({ status: 'ok', data: { expiresInMs: 60_000 } }));
    }
    expect(box.presence.user?.name).toBe('Ada');
    box.clock.advance(61_000);
    expect(await screen.ask('session/stay')).toMatchObject({ status: 'error', error: { code: 'MB_ERR_AUTH_REQUIRED' } });
    expect(box.presence.user).toBeNull();
    expect(box.kioskChanges.at(-1)).toBeNull();
  });

  it('says whether people may register, as the admin set it', async () => {
    const box = await kiosk({ sessions: { kioskIdleTimeoutS: 30, selfRegistration: true } });
    const screen = await socket(box.app, KIOSK_SCREEN);
    expect(await screen.ask('session/options')).toMatchObject({ data: { selfRegistration: true, idleTimeoutS: 30 } });
  });

  it('refuses another screen without the token, changing nothing, and answers it with the token', async () => {
    const box = await kiosk();
    box.store.plays.recordFeedback({ userId: box.ada, trackId: box.song, kind: 'like', at: box.clock.now() });
    const before = whatTheyKeep(box);
    const page = await socket(box.app, LAN_PAGE);
    for (const [type, data] of [
      ['me/profile', undefined],
      ['me/history', undefined],
      ['me/preferences', { avoidMoods: ['sad'] }],
      ['session/stay', undefined],
      ['player/unlike', { trackId: box.song }],
    ] as const) {
      expect(await page.ask(type, data), type).toMatchObject({ status: 'error', error: { code: 'MB_ERR_AUTH_REQUIRED' } });
    }
    // Ada's like, her preferences and the audit are as they were.
    expect(whatTheyKeep(box)).toEqual(before);
    expect(before).toMatchObject({ likes: [{ trackId: box.song, kind: 'like' }], preferences: {} });
    expect(await page.ask('me/history', undefined, box.token)).toMatchObject({ status: 'ok', data: { total: 3 } });
  });

  it('refuses every personal request while nobody is signed in, changing nothing', async () => {
    const box = await kiosk();
    box.store.plays.recordFeedback({ userId: box.ada, trackId: box.song, kind: 'like', at: box.clock.now() });
    box.presence.signOut('button');
    const before = whatTheyKeep(box);
    const screen = await socket(box.app, KIOSK_SCREEN);
    for (const type of ['me/profile', 'me/history', 'session/stay']) {
      expect(await screen.ask(type), type).toMatchObject({
        status: 'error',
        error: { code: 'MB_ERR_AUTH_REQUIRED', message: expect.stringContaining('nobody is signed in') },
      });
    }
    expect(await screen.ask('player/unlike', { trackId: box.song })).toMatchObject({
      status: 'error',
      error: { code: 'MB_ERR_AUTH_REQUIRED' },
    });
    // The like Ada left stays, and the audit has no line of it.
    expect(whatTheyKeep(box)).toEqual(before);
    expect(before.likes).toMatchObject([{ trackId: box.song, kind: 'like' }]);
    expect(await screen.ask('session/options')).toMatchObject({ status: 'ok' });
  });

  it('suggests the names of people who signed in at the kiosk, only while sessions.suggestNames is on (issue 28)', async () => {
    for (const isOn of [false, true]) {
      const box = await kiosk({ sessions: { kioskIdleTimeoutS: 60, suggestNames: isOn } });
      const adam = await box.auth.createUser({ name: 'Adam', role: 'member', secret: '1357' }, actors.cli);
      await box.auth.createUser({ name: 'Adele', role: 'member', secret: '2468' }, actors.cli);
      await box.auth.signInWithSecret({ name: 'Adam', secret: '1357', device: 'test', kind: 'kiosk' });
      const screen = await socket(box.app, KIOSK_SCREEN);
      expect(await screen.ask('session/options')).toMatchObject({ data: { suggestNames: isOn } });
      // Adele never signed in at the kiosk: her name is never offered.
      expect(await screen.ask('session/names', { prefix: 'ad' })).toMatchObject({
        status: 'ok',
        data: { names: isOn ? ['Adam', 'Ada'] : [] },
      });
      if (!isOn) continue;
      box.store.users.update(adam.id, { disabled: true });
      expect(await screen.ask('session/names', { prefix: 'Ad' })).toMatchObject({ data: { names: ['Ada'] } });
    }
  });
});
