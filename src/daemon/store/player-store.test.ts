import { describe, expect, it } from 'vitest';
import { SecretTokenStore } from '../../player/spotify/secret-token-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { openSqliteStore } from './sqlite-store.js';

const silent = { info() {}, warn() {} };
const memory = () => openSqliteStore({ clock: new FakeClock(), log: silent }, { path: ':memory:' });

describe('player repositories', () => {
  it('lists every local file with its size and mtime for a rescan, missing ones included', () => {
    const store = memory();
    const a = store.tracks.upsert({ uri: '/music/a.flac', fileSize: 10, fileMtimeMs: 1000 });
    const b = store.tracks.upsert({ uri: '/music/b.flac', fileSize: 20, fileMtimeMs: 2000 });
    store.tracks.upsert({ source: 'spotify', uri: 'spotify:track:1' });
    store.tracks.markMissing([b.id]);
    expect(store.tracks.files()).toEqual([
      { id: a.id, uri: '/music/a.flac', fileSize: 10, fileMtimeMs: 1000, missing: false },
      { id: b.id, uri: '/music/b.flac', fileSize: 20, fileMtimeMs: 2000, missing: true },
    ]);
    store.close();
  });

  it('finds tracks by artist and title whatever the case, and loads every present track with its moods in one go', () => {
    const store = memory();
    const a = store.tracks.upsert({ uri: '/m/a.flac', artist: 'Nina Simone', title: 'Feeling Good' });
    const b = store.tracks.upsert({ uri: '/m/b.flac', artist: 'Other', title: 'Song' });
    const gone = store.tracks.upsert({ uri: '/m/c.flac', artist: 'Nina Simone', title: 'Feeling Good' });
    store.tracks.markMissing([gone.id]);
    expect(store.tracks.byArtistTitle('nina simone', 'FEELING GOOD').map((t) => t.id)).toEqual([a.id]);
    store.tracks.setMoods(a.id, [
      { mood: 'upbeat', weight: 0.4, origin: 'admin' },
      { mood: 'calm', weight: 0.9, origin: 'sidecar' },
    ]);
    const all = store.tracks.allWithMoods();
    expect(all.map((t) => [t.id, t.moods.map((m) => m.mood)])).toEqual([
      [a.id, ['calm', 'upbeat']],
      [b.id, []],
    ]);
    store.close();
  });

  it('keeps why a play was picked, and a person’s likes and skips newest first', () => {
    const store = memory();
    const user = store.users.create({ name: 'Ada', role: 'member' });
    const track = store.tracks.upsert({ uri: '/m/a.flac' });
    const play = store.plays.start({ trackId: track.id, reason: 'mood', mood: 'calm', startedAt: 5 });
    store.plays.annotate(play.id, 'fits calm');
    expect(store.plays.note(play.id)).toBe('fits calm');
    store.plays.recordFeedback({ userId: user.id, trackId: track.id, kind: 'like', at: 10 });
    store.plays.recordFeedback({ userId: user.id, trackId: track.id, kind: 'skip', at: 20 });
    expect(store.plays.feedbackFor(user.id)).toEqual([
      { trackId: track.id, kind: 'skip', at: 20 },
      { trackId: track.id, kind: 'like', at: 10 },
    ]);
    store.close();
  });

  it('keeps secrets apart from the settings the admin panel lists', () => {
    const store = memory();
    // The player's token store works on the daemon's secrets as they are.
    const tokens = new SecretTokenStore({ secrets: store.secrets, now: () => 5 });
    tokens.save({ accessToken: 'a', refreshToken: 'r', expiresAt: 10, scope: '' });
    expect(tokens.load()).toEqual({ accessToken: 'a', refreshToken: 'r', expiresAt: 10, scope: '' });
    store.secrets.set('spotify.tokens', '{"refreshToken":"r"}', 1);
    store.secrets.set('spotify.tokens', '{"refreshToken":"r2"}', 2);
    expect(store.secrets.get('spotify.tokens')).toBe('{"refreshToken":"r2"}');
    expect(store.settings.all()).toEqual({});
    store.secrets.delete('spotify.tokens');
    expect(store.secrets.get('spotify.tokens')).toBeUndefined();
    store.close();
  });
});
