import { beforeEach, describe, expect, it } from 'vitest';
import type { AuthService } from '../people/auth-service.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import type { MoodboxServer } from './build-server.js';
import { actors } from '../store/audit.js';

let app: MoodboxServer;
let store: SqliteStore;

beforeEach(async () => {
  let auth: AuthService;
  ({ app, store, auth } = await buildTestServer({ clock: new FakeClock() }));
  await auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
  await auth.createUser({ name: 'Bob', role: 'member', secret: '2468' }, actors.cli);
  await app.ready();
});

function analyse(store: SqliteStore): { heard: number; broken: number; unheard: number } {
  const heard = store.tracks.upsert({ uri: '/m/heard.flac', title: 'Heard', fileSize: 10, fileMtimeMs: 1 }).id;
  const broken = store.tracks.upsert({ uri: '/m/broken.flac', title: 'Broken', fileSize: 10, fileMtimeMs: 1 }).id;
  const unheard = store.tracks.upsert({ uri: '/m/unheard.flac', title: 'Unheard' }).id;
  const base = { fileSize: 10, fileMtimeMs: 1, version: 1, analysedAt: 5 };
  store.analyses.save({
    ...base,
    trackId: heard,
    audio: { arousal: 0.6, valence: -0.2, tempoBpm: 140, loudnessLufs: -9, features: { durationS: 180, pulseClarity: 0.8 } },
    error: null,
  });
  store.analyses.save({ ...base, trackId: broken, audio: null, error: { reason: 'undecodable', message: 'Invalid data found' } });
  store.tracks.setMoods(heard, [{ mood: 'power', weight: 1, origin: 'audio' }]);
  return { heard, broken, unheard };
}

describe('the analysis, where people read it', () => {
  it('comes with each track of the admin library: the point, tempo and loudness, or why there is none', async () => {
    const ids = analyse(store);
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/admin/session',
      payload: { name: 'Boss', passphrase: 'correct horse battery' },
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    const page = (await app.inject({ url: '/api/admin/tracks', headers: { cookie } })).json<{
      items: Array<{ id: number; audio: unknown; moods: unknown[] }>;
    }>();
    const byId = new Map(page.items.map((t) => [t.id, t]));
    expect(byId.get(ids.heard)?.audio).toEqual({ arousal: 0.6, valence: -0.2, tempoBpm: 140, loudnessLufs: -9 });
    expect(byId.get(ids.heard)?.moods).toEqual([{ mood: 'power', weight: 1, origin: 'audio' }]);
    expect(byId.get(ids.broken)?.audio).toEqual({ error: 'undecodable', message: 'Invalid data found' });
    expect(byId.get(ids.unheard)?.audio).toBeNull();
  });

  it("is in a person's data export, for every track they played, with every feature", async () => {
    const ids = analyse(store);
    const bob = store.users.byName('Bob')?.id ?? 0;
    store.plays.start({ trackId: ids.heard, userId: bob, reason: 'tap', startedAt: 1 });
    store.plays.start({ trackId: ids.broken, userId: bob, reason: 'tap', startedAt: 2 });
    const signIn = await app.inject({ method: 'POST', url: '/api/session/pin', payload: { name: 'Bob', pin: '2468' } });
    const headers = { authorization: `Bearer ${signIn.json<{ token: string }>().token}` };
    const exported = (await app.inject({ url: '/api/me/export', headers })).json<{
      tracks: Array<{ id: number; title: string; audio: unknown }>;
    }>();
    expect(exported.tracks).toEqual([
      {
        id: ids.heard,
        title: 'Heard',
        artist: '',
        album: '',
        moods: [{ mood: 'power', weight: 1, origin: 'audio' }],
        audio: { durationS: 180, pulseClarity: 0.8, arousal: 0.6, valence: -0.2, tempoBpm: 140, loudnessLufs: -9 },
      },
      { id: ids.broken, title: 'Broken', artist: '', album: '', moods: [], audio: { error: 'undecodable', message: 'Invalid data found' } },
    ]);
  });
});
