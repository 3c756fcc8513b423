import { describe, expect, it } from 'vitest';
import type { QueueEntry } from '../play-queue.js';
import { FakeMusicSource } from '../testing/fake-music-source.js';
import { LocalMusicSource } from './music-source.js';
import { MusicSources } from './music-sources.js';
import { REGISTERED_SOURCES, SOURCES } from './registered-sources.js';
import { SourceRegistry } from './source-registry.js';
import { ARCHIVE_REGISTRATION, ArchiveSource } from './testing/archive/archive-source.js';

const PICK: QueueEntry = { track: { id: 7, uri: '/music/calm.flac' }, reason: 'mood', note: 'fits calm', mood: 'happy', userId: null };
const request = (mood: string) => ({ mood, pick: PICK, reason: 'mood' as const, roomMood: 'happy', userId: 3 });

/** The box's sources with the example archive added: its folder, and this one line. */
const WITH_ARCHIVE = new SourceRegistry([...REGISTERED_SOURCES, ARCHIVE_REGISTRATION]);

describe('the registry of music sources', () => {
  it('knows the box’s sources by name and by scheme, and every music.source setting once', () => {
    expect(SOURCES.modes).toEqual(['local', 'spotify', 'mixed']);
    expect(SOURCES.byUri('spotify:track:t1')?.label).toBe('Spotify');
    expect(SOURCES.byUri('/music/a.flac')).toBeUndefined();
    expect(SOURCES.byUri('https://radio.example/stream')).toBeUndefined();
    expect(SOURCES.byKind('local')).toBeUndefined();
    expect(() => new SourceRegistry([ARCHIVE_REGISTRATION, ARCHIVE_REGISTRATION])).toThrow(RangeError);
  });

  it('takes a new source in one line: its setting is offered, its scheme plays through it, its entries are checked as it says', () => {
    expect(WITH_ARCHIVE.modes).toEqual(['local', 'spotify', 'mixed', 'archive']);
    const archive = WITH_ARCHIVE.byUri('archive:moonlight-1951');
    expect(archive?.entryProblem('archive:moonlight-1951')).toBeUndefined();
    expect(archive?.entryProblem('archive:../../etc')).toBe('an archive recording is `archive:<id>`');
    expect(archive?.isSetUp({ library: 'https://archive.example' })).toBe(true);
    expect(archive?.isSetUp({ library: '' })).toBe(false);
    expect(archive?.guestsMayAsk({ isHome: false, mode: 'archive' })).toBe(true);
    expect(archive?.guestsMayAsk({ isHome: true, mode: 'local' })).toBe(false);
  });

  it('plays the new source for every mood under its own setting, beside Spotify, and the library while it is down', () => {
    const recordings = new ArchiveSource();
    recordings.holds('calm', 'moonlight-1951');
    const spotify = new FakeMusicSource();
    spotify.map('calm');
    let mode = 'archive';
    const sources = new MusicSources({ sources: [spotify, recordings, new LocalMusicSource()], mode: () => mode, registry: WITH_ARCHIVE });
    // Its own setting asks it alone (Spotify is not asked), the nearest recording for a mood it holds none for.
    expect(sources.choose(request('upbeat'))).toMatchObject({ track: { uri: 'archive:moonlight-1951' }, userId: 3 });
    expect(sources.isOtherSource('archive:moonlight-1951')).toBe(true);
    recordings.down('the archive cannot be reached');
    expect(sources.choose(request('calm'))).toBe(PICK);
    expect(sources.problem()).toBe('The archive unavailable (the archive cannot be reached): playing the library');
    recordings.down(undefined);
    // `mixed` asks every source that brings it, in the order the box gives them, each for its moods alone.
    mode = 'mixed';
    expect(sources.choose(request('calm'))).toMatchObject({ track: { uri: 'spotify:playlist:calm' } });
    expect(sources.choose(request('upbeat'))).toBe(PICK);
    mode = 'spotify';
    expect(sources.choose(request('upbeat'))).toMatchObject({ track: { uri: 'spotify:playlist:calm' } });
  });
});
