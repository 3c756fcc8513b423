/**
 * The music of a home box on Spotify, end to end against the local fake Spotify server: the real
 * director, sources, Connect player, Web API client, sign-in, play recorder and screens' state,
 * with a fake local player (the library's mpv is tested on its own) and the wall clock.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlayRecorder } from '../../player/play-recorder.js';
import { LocalMusicSource, type MusicSourceMode } from '../../player/sources/music-source.js';
import { MusicSources } from '../../player/sources/music-sources.js';
import { SourcePlayer } from '../../player/sources/source-player.js';
import { SecretTokenStore } from '../../player/spotify/secret-token-store.js';
import { SpotifyAuth } from '../../player/spotify/spotify-auth.js';
import { SpotifyConnectPlayer } from '../../player/spotify/spotify-connect-player.js';
import { SpotifyLibrary } from '../../player/spotify/spotify-library.js';
import { PLAYLIST_MOODS_SETTING } from '../../player/spotify/spotify-provider.js';
import { SpotifySource } from '../../player/spotify/spotify-source.js';
import { SpotifyWebClient } from '../../player/spotify/spotify-web-client.js';
import { FakePlayer } from '../../player/testing/fake-player.js';
import { FakeSpotifyServer } from '../../player/testing/fake-spotify-server.js';
import { roomMoodOf } from '../../kernel/room-mood.js';
import { loadConfig } from '../config/load-config.js';
import { SWITCH_AT_ONCE } from '../testing/director-harness.js';
import type { MoodboxBus } from '../events.js';
import { StateHub } from '../http/state-hub.js';
import { StateProjector } from '../http/state-projector.js';
import { systemClock, type Clock } from '../../kernel/clock.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { seededRandom } from '../../kernel/random.js';
import { buildMusicPart } from '../music-part.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { until } from '../testing/daemon-process.js';
import { initialSnapshot } from '../testing/state.js';
import { actors } from '../store/audit.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {} };
// Songs change at once for the room: these tests are about Spotify's side of a change.
const SETTINGS = { ...loadConfig({ env: {} }).config.player, transitions: SWITCH_AT_ONCE };

let server: FakeSpotifyServer;
let store: SqliteStore;
let coversDir: string;
let stops: Array<() => Promise<void>>;
/** Every wait the Web API client was asked for (ms): Retry-After honoured. */
let waits: number[];

beforeEach(async () => {
  server = new FakeSpotifyServer();
  await server.listen();
  server.addPlaylist('calm1', 'Sunday Calm', [
    { id: 't1', name: 'Slow River', artists: ['Ann'], album: 'Water', durationMs: 200_000 },
    { id: 't2', name: 'Quiet Hills', artists: ['Bob'], album: 'Land', durationMs: 180_000 },
  ]);
  server.addPlaylist('party', 'Party', [{ id: 't4', name: 'Jump', artists: ['Dee'], album: 'Up', durationMs: 150_000 }]);
  server.addDevice({ id: 'phone', name: 'Phone', type: 'Smartphone', isActive: false });
  server.addDevice({ id: 'box', name: 'Moodbox Kitchen', type: 'Speaker', isActive: false });
  store = openSqliteStore({ clock: systemClock, log: silent }, { path: ':memory:' });
  coversDir = mkdtempSync(join(tmpdir(), 'moodbox-covers-'));
  stops = [];
  waits = [];
});

afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  await server.close().catch(() => undefined);
  store.close();
  rmSync(coversDir, { recursive: true, force: true });
});

async function box(mode: MusicSourceMode) {
  const clock: Clock = {
    ...systemClock,
    sleep: async (ms, signal) => {
      waits.push(ms);
      await systemClock.sleep(ms, signal);
    },
  };
  for (const mood of ['calm', 'upbeat']) {
    const track = store.tracks.upsert({ uri: `/music/${mood}.flac`, title: `local ${mood}` });
    store.tracks.setMoods(track.id, [{ mood, weight: 1, origin: 'admin' }]);
  }
  store.settings.set(PLAYLIST_MOODS_SETTING, { calm1: 'calm' }, clock.now());
  const auth = new SpotifyAuth(
    { fetch, clock, tokens: new SecretTokenStore({ secrets: store.secrets, now: () => clock.now() }) },
    { clientId: server.clientId, redirectUri: 'http://127.0.0.1:8080/api/spotify/callback', accountsUrl: server.url },
  );
  const { url, verifier } = auth.begin();
  await auth.complete(server.approve(url).code, verifier);
  const client = new SpotifyWebClient({ fetch, clock, auth, log: silent }, { apiUrl: server.url, maxRetryAfterS: 2 });
  const library = new SpotifyLibrary({ rows: store.tracks, fetch, log: silent }, { coversDir });
  const spotify = new SpotifyConnectPlayer(
    {
      client,
      clock,
      log: silent,
      track: (track, context) => {
        const moods = store.settings.get(PLAYLIST_MOODS_SETTING) as Record<string, string>;
        return library.track(track, moods[context?.replace('spotify:playlist:', '') ?? ''] ?? null);
      },
      deviceName: () => 'moodbox kitchen',
      isConnected: () => auth.isSignedIn,
    },
    { pollMs: 200, retryMs: 300 },
  );
  const local = new FakePlayer({ clock }, { trackMs: 600_000 });
  const player = new SourcePlayer({ local, routes: [{ scheme: 'spotify:', player: spotify }] });
  await player.start(new AbortController().signal);
  const recorder = new PlayRecorder({ player, history: store.plays, clock, log: silent });
  await recorder.start();
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const hub = new StateHub(initialSnapshot(), { log: { error() {} } });
  const projector = new StateProjector({ bus, hub, clock, store, services: () => [] });
  await projector.start();
  const random = seededRandom(1);
  let person: { id: number; name: string } | null = null;
  const source = new SpotifySource({
    playback: spotify,
    client,
    playlists: () => store.settings.get(PLAYLIST_MOODS_SETTING) as Record<string, string>,
    random,
  });
  const director = buildMusicPart({
    clock,
    random,
    log: silent,
    store,
    player,
    bus,
    listener: () => person,
    settings: () => ({ ...SETTINGS, autoplay: false }),
    sources: new MusicSources({ sources: [source, new LocalMusicSource()], mode: () => mode }),
  }).music;
  await director.start();
  stops.push(async () => {
    await director.stop();
    await recorder.stop();
    await player.stop();
    await projector.stop();
  });
  const nowPlaying = () => hub.snapshot().data.player.nowPlaying;
  const signIn = (name: string) => {
    const user = store.users.create({ name, role: 'member' });
    person = { id: user.id, name };
  };
  return { director, player, hub, nowPlaying, spotify, signIn };
}

describe('Spotify at home, against the fake Spotify server', () => {
  it('a room-mood change starts the playlist mapped to the mood on the chosen device; the kiosk shows its track with the cover', async () => {
    const { director, nowPlaying } = await box('mixed');
    await director.roomMoodChanged(roomMoodOf('neutral'));
    expect(server.playback).toMatchObject({ deviceId: 'box', isPlaying: true, contextUri: 'spotify:playlist:calm1' });
    const shown = await until(() => (nowPlaying()?.title === 'Slow River' ? nowPlaying() : undefined));
    expect(shown).toMatchObject({ artist: 'Ann', album: 'Water', moods: ['calm'] });
    expect(shown?.coverUrl).toMatch(/^\/api\/covers\/[0-9a-f]{64}\.png$/);
    expect(readdirSync(coversDir)).toEqual([shown?.coverUrl?.replace('/api/covers/', '')]);
    // A mood with no playlist plays the library.
    await director.roomMoodChanged(roomMoodOf('happy'));
    expect(nowPlaying()?.title).toBe('local upbeat');
    expect(server.playback.isPlaying).toBe(false);
  });

  it('a forced 401 refreshes the token, a 429 waits for Retry-After, and playback goes on', async () => {
    const { director, nowPlaying } = await box('spotify');
    await director.roomMoodChanged(roomMoodOf('neutral'));
    await until(() => (nowPlaying()?.title === 'Slow River' ? true : undefined));
    server.expireTokens();
    const refreshes = server.refreshes;
    await until(() => (server.refreshes > refreshes ? true : undefined));
    server.rateLimitNext(1, 1);
    await until(() => (waits.includes(1000) ? true : undefined));
    const polls = server.requests.filter((r) => r === 'GET /v1/me/player').length;
    await until(() => (server.requests.filter((r) => r === 'GET /v1/me/player').length > polls + 1 ? true : undefined));
    expect(director.health().status).toBe('ready');
    expect(nowPlaying()?.title).toBe('Slow River');
  });

  it('skip moves on in the playlist, like saves the track, and the history records the Spotify plays with their source', async () => {
    const { director, nowPlaying, signIn } = await box('spotify');
    await director.roomMoodChanged(roomMoodOf('neutral'));
    const first = await until(() => (nowPlaying()?.title === 'Slow River' ? nowPlaying() : undefined));
    signIn('Ann');
    await director.like(first?.id ?? 0, actors.kiosk);
    expect(server.saved).toEqual(['t1']);
    await director.skip({ by: 'listener', actor: actors.kiosk, trackId: first?.id });
    await until(() => (nowPlaying()?.title === 'Quiet Hills' ? true : undefined));
    expect(server.playback.contextUri).toBe('spotify:playlist:calm1');
    const plays = store.plays.list().items;
    const tracks = plays.map((p) => store.tracks.get(p.trackId ?? 0));
    expect(tracks.map((t) => [t?.source, t?.uri])).toEqual([
      ['spotify', 'spotify:track:t2'],
      ['spotify', 'spotify:track:t1'],
    ]);
    expect(plays.map((p) => p.outcome)).toEqual([null, 'skipped']);
  });

  it("staff playing another playlist now cuts the Spotify song: its history says skipped, as the library's does (issue 62)", async () => {
    const { director, nowPlaying, player } = await box('spotify');
    await director.roomMoodChanged(roomMoodOf('neutral'));
    await until(() => (nowPlaying()?.title === 'Slow River' ? true : undefined));
    const party = store.tracks.upsert({ uri: 'spotify:playlist:party', title: 'Party' });
    await player.play([{ track: { id: party.id, uri: party.uri }, reason: 'staff' }]);
    await until(() => (nowPlaying()?.title === 'Jump' ? true : undefined));
    const ended = store.plays.list().items.filter((p) => p.outcome !== null);
    expect(ended.map((p) => [store.tracks.get(p.trackId ?? 0)?.uri, p.outcome])).toEqual([['spotify:track:t1', 'skipped']]);
  });

  it('the server going away switches to the local library, said in the health line, and back when it returns', async () => {
    const { director, nowPlaying, spotify } = await box('spotify');
    await director.roomMoodChanged(roomMoodOf('neutral'));
    await until(() => (nowPlaying()?.title === 'Slow River' ? true : undefined));
    expect(spotify.outage()).toEqual({ since: null, recovered: null });
    await server.goAway();
    const wentAway = Date.now();
    await until(() => (nowPlaying()?.title === 'local calm' ? true : undefined));
    const switchedMs = Date.now() - wentAway;
    expect(director.health()).toEqual({
      status: 'degraded',
      detail: 'Spotify unavailable (Spotify cannot be reached): playing the library',
    });
    // The admin panel says since when the library plays, and afterwards that Spotify came back.
    expect(spotify.outage().since).toBeGreaterThanOrEqual(wentAway);
    await server.comeBack();
    const cameBack = Date.now();
    await until(() => (nowPlaying()?.title === 'Slow River' ? true : undefined));
    const backMs = Date.now() - cameBack;
    expect(director.health().status).toBe('ready');
    expect(spotify.outage()).toEqual({ since: null, recovered: { at: expect.any(Number), problem: 'Spotify cannot be reached' } });
    expect(spotify.outage().recovered?.at).toBeGreaterThanOrEqual(cameBack);
    console.log(`spotify fallback: to the library ${switchedMs} ms after the server went away; back ${backMs} ms after it returned`);
  });
});
