import { describe, expect, it } from 'vitest';
import { FakeMusicSource } from '../testing/fake-music-source.js';
import type { QueueEntry } from '../play-queue.js';
import { LocalMusicSource, type MusicSourceMode } from './music-source.js';
import { MusicSources } from './music-sources.js';

const PICK: QueueEntry = { track: { id: 7, uri: '/music/calm.flac' }, reason: 'mood', note: 'fits calm', mood: 'happy', userId: null };
const request = (mood: string) => ({ mood, pick: PICK, reason: 'mood' as const, roomMood: 'happy', userId: 3 });

function sources(mode: MusicSourceMode): { spotify: FakeMusicSource; sources: MusicSources } {
  const spotify = new FakeMusicSource();
  spotify.map('calm');
  return { spotify, sources: new MusicSources({ sources: [spotify, new LocalMusicSource()], mode: () => mode }) };
}

describe('MusicSources', () => {
  it('plays the library alone when the setting is local, whatever else is connected', () => {
    const { sources: s } = sources('local');
    expect(s.choose(request('calm'))).toBe(PICK);
    expect(s.choose({ ...request('calm'), pick: undefined })).toBeUndefined();
    expect(s.problem()).toBeUndefined();
  });

  it('mixed: Spotify for a mood with a mapped playlist, the library for the rest', () => {
    const { sources: s } = sources('mixed');
    expect(s.choose(request('calm'))).toMatchObject({ track: { uri: 'spotify:playlist:calm' }, reason: 'mood', mood: 'happy', userId: 3 });
    expect(s.choose(request('upbeat'))).toBe(PICK);
  });

  it('spotify: a playlist for every mood, the nearest one when none is mapped to it', () => {
    const { sources: s } = sources('spotify');
    expect(s.choose(request('upbeat'))).toMatchObject({ track: { uri: 'spotify:playlist:calm' } });
  });

  it('falls back to the library while Spotify fails, and says so for the health line', () => {
    const { spotify, sources: s } = sources('spotify');
    let changes = 0;
    const off = s.onAvailabilityChanged(() => changes++);
    spotify.fail('the server cannot be reached');
    expect(s.choose(request('calm'))).toBe(PICK);
    expect(s.problem()).toBe('Spotify unavailable (the server cannot be reached): playing the library');
    spotify.recover();
    expect(s.choose(request('calm'))).toMatchObject({ track: { uri: 'spotify:playlist:calm' } });
    expect(changes).toBe(2);
    off();
  });

  it('saves a liked track in the source it came from, never in another', async () => {
    const { spotify, sources: s } = sources('spotify');
    await s.like({ source: 'local', uri: '/music/a.flac' });
    await s.like({ source: 'spotify', uri: 'spotify:track:t1' });
    expect(spotify.liked).toEqual([{ source: 'spotify', uri: 'spotify:track:t1' }]);
  });

  it("tells what another source plays from the library's files and stations", () => {
    const s = new MusicSources({ sources: [], mode: () => 'local' });
    expect(s.isOtherSource('spotify:track:t1')).toBe(true);
    expect(s.isOtherSource('/music/a.flac')).toBe(false);
    expect(s.isOtherSource('https://radio.example/stream')).toBe(false);
  });
});
