import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LibraryScanner } from '../../player/library/scanner.js';
import { MusicMetadataTagReader } from '../../player/library/music-metadata-tag-reader.js';
import { MpvPlayer } from '../../player/mpv-player.js';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isPrivateAddress } from '../../player/streams/stream-address.js';
import {
  hlsStream,
  icyStream,
  playlistFile,
  redirectTo,
  refusedUrl,
  silentStream,
  stallingStream,
} from '../../player/testing/stream-servers.js';
import { LiveConfig } from '../config/live-config.js';
import { loadConfig } from '../config/load-config.js';
import { panelChecks } from '../config/panel-checks.js';
import type { MoodboxBus } from '../events.js';
import { StateHub } from '../http/state-hub.js';
import { initialScreenState, StateProjector } from '../http/state-projector.js';
import { systemClock } from '../../kernel/clock.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { seededRandom } from '../../kernel/random.js';
import { Moodbox } from '../moodbox.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { until } from '../testing/daemon-process.js';
import { INSTALL_DIR } from '../version.js';
import { actors } from '../store/audit.js';

const silent = pino({ level: 'silent' });
const cleanups: Array<() => Promise<void>> = [];

/**
 * Puts a yt-dlp first on PATH that answers as the real one would for `video` (a local stream, not
 * YouTube) and notes each call; resolves with the file of calls.
 */
async function fakeYtDlp(video: { id: string; title: string; url: string }): Promise<string> {
  const bin = await mkdtemp(join(tmpdir(), 'moodbox-ytdlp-'));
  const calls = join(bin, 'calls.log');
  const info = { _type: 'video', ...video, ext: 'mp3', acodec: 'mp3', vcodec: 'none', protocol: 'http' };
  await writeFile(join(bin, 'yt-dlp'), `#!/bin/sh\necho "$@" >> '${calls}'\necho '${JSON.stringify(info)}'\n`, { mode: 0o755 });
  const path = process.env['PATH'];
  process.env['PATH'] = `${bin}:${path ?? ''}`;
  cleanups.push(async () => {
    process.env['PATH'] = path;
    await rm(bin, { recursive: true, force: true });
  });
  return calls;
}
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CALM = [{ mood: 'calm', weight: 1, origin: 'admin' as const }];

/**
 * The test's internet: a loopback address of its own (Linux answers on all of 127/8), which the
 * station check takes for a public one. Everything else of the box and its networks stays inside.
 */
const PUBLIC_HOST = '127.0.0.2';
const stationCheck = {
  lookup: async (host: string) => (await dnsLookup(host, { all: true })).map((a) => a.address),
  isPrivate: (ip: string) => ip !== PUBLIC_HOST && isPrivateAddress(ip),
};

/** Moodbox on real mpv (no audio out) and a real SQLite file, its library in `folder`, stations added before it starts. */
async function moodbox(
  options: {
    seed?: (store: SqliteStore) => void;
    autoplay?: boolean;
    folder?: string;
    config?: Record<string, unknown>;
    hasYtDlp?: boolean;
    log?: Logger;
  } = {},
) {
  const log = options.log ?? silent;
  const dir = await mkdtemp(join(tmpdir(), 'moodbox-stations-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const clock = systemClock;
  const store = openSqliteStore({ clock, log }, { path: join(dir, 'moodbox.db') });
  options.seed?.(store);
  const env = { HOME: dir };
  // The test's stations are servers on 127.0.0.1: the owner allows local stations here.
  const music = { allowPrivateStations: true, ...(options.config?.['music'] as object | undefined) };
  const config = loadConfig({ env, overlay: { ...options.config, music, player: { autoplay: options.autoplay ?? true } } }).config;
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const settings = new LiveConfig(
    { store: store.settings, log: { error() {} }, checks: panelChecks({ installDir: INSTALL_DIR }), bus },
    { file: undefined, env, config },
  );
  // A station that sends nothing is given up on after 1 s rather than the 10 s a box waits.
  const player = new MpvPlayer(
    { clock, log },
    {
      socketPath: join(dir, 'mpv.sock'),
      audioOutput: 'null',
      volume: 70,
      streamTimeoutS: 1,
      allowPrivateStations: config.music.allowPrivateStations,
      stationCheck,
    },
  );
  const hub = new StateHub(initialScreenState({ version: 'test', demo: false }), { log: { error() {} } });
  const box = new Moodbox(
    {
      clock,
      random: seededRandom(1),
      log,
      bus,
      store,
      settings,
      player,
      scanner: new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock }, { coversDir: join(dir, 'covers') }),
      folders: () => (options.folder === undefined ? [] : [options.folder]),
      hasYtDlp: () => options.hasYtDlp ?? false,
    },
    { scanAtStart: false },
  );
  await box.start({
    screens: new StateProjector({ bus, hub, clock, store, services: () => box.health() }),
    server: { name: 'http', start: async () => {}, stop: async () => {} },
  });
  cleanups.push(() => box.stop());
  return { box, hub, store };
}

describe('stations', () => {
  it('plays a web radio station picked for the room like a track, and shows its ICY title on the kiosk', async () => {
    const stream = await icyStream({ name: 'Test FM', title: 'Nina Simone - Feeling Good' });
    cleanups.push(() => stream.close());
    let id = 0;
    const { hub, box } = await moodbox({
      seed: (store) => (id = store.stations.save({ url: stream.url, name: 'Night Jazz', moods: CALM, origin: 'admin' }).trackId),
    });

    const player = await until(() => {
      const p = hub.snapshot().data.player;
      return p.streamTitle === 'Nina Simone - Feeling Good' ? p : undefined;
    }, 15_000);
    expect(player).toMatchObject({ status: 'playing', nowPlaying: { id, title: 'Night Jazz', durationMs: null, moods: ['calm'] } });
    expect(stream.connections).toBeGreaterThan(0);
    // A second of sound is a play: the panel shows when it last played, and nothing failing.
    const station = await until(() => box.stations.list().find((s) => s.playedAt !== null), 10_000);
    expect(station).toMatchObject({ trackId: id, kind: 'radio', isFailing: false, failedAt: null, blocked: null });
  });

  it('skips a dead stream, shows it as failing with when, and plays the next pick', async () => {
    const live = await icyStream({ name: 'Live FM', title: 'Still Here - On Air' });
    const silent = await silentStream();
    cleanups.push(
      () => live.close(),
      () => silent.close(),
    );
    const ids: Record<string, number> = {};
    const refused = await refusedUrl();
    const { box, hub, store } = await moodbox({
      autoplay: false,
      seed: (s) => {
        ids['refused'] = s.stations.save({ url: refused, name: 'Gone FM', moods: CALM, origin: 'admin' }).trackId;
        ids['live'] = s.stations.save({ url: live.url, name: 'Live FM', moods: CALM, origin: 'admin' }).trackId;
      },
    });
    const before = Date.now();

    // Connection refused: skipped at once.
    await box.music.tap(ids['refused'] ?? 0, actors.kiosk);
    await until(() => (hub.snapshot().data.player.streamTitle === 'Still Here - On Air' ? true : undefined), 15_000);
    expect(hub.snapshot().data.player.nowPlaying?.id).toBe(ids['live']);
    const gone = box.stations.list().find((s) => s.trackId === ids['refused']);
    expect(gone).toMatchObject({ isFailing: true, error: expect.any(String) as string });
    expect(gone?.failedAt).toBeGreaterThanOrEqual(before);
    expect(gone?.retryAt).toBeGreaterThan(gone?.failedAt ?? 0);
    expect(store.plays.list({ limit: 10 }).items.find((p) => p.trackId === ids['refused'])?.outcome).toBe('failed');

    // A failing station is not played on request either, until it is tried again.
    await expect(box.music.tap(ids['refused'] ?? 0, actors.kiosk)).rejects.toThrow('This station cannot play now');

    // Connected, but no data within the timeout: skipped too, and the live station comes back.
    ids['silent'] = (await box.stations.add({ url: silent.url, name: 'Silent FM', moods: { calm: 1 } }, actors.admin(1))).trackId;
    await box.music.tap(ids['silent'] ?? 0, actors.kiosk);
    await until(() => (box.stations.list().find((s) => s.trackId === ids['silent'])?.isFailing === true ? true : undefined), 15_000);
    expect(silent.connections).toBeGreaterThan(0);
    const back = await until(() => {
      const p = hub.snapshot().data.player;
      return p.nowPlaying?.id === ids['live'] && p.status === 'playing' ? p : undefined;
    }, 15_000);
    expect(back.nowPlaying?.title).toBe('Live FM');
    // The failing stations are left out of the picks until they are tried again.
    expect(hub.snapshot().data.suggestions.map((s) => s.id)).not.toContain(ids['refused']);
    expect(hub.snapshot().data.suggestions.map((s) => s.id)).not.toContain(ids['silent']);
  });

  // Issue 42 (LOW): "play now" on a dead station answered 500 `MB_ERR_INTERNAL`.
  it('answers staff who play a dead station now with why it did not play, and plays the next pick', async () => {
    const live = await icyStream({ name: 'Live FM', title: 'Still Here - On Air' });
    cleanups.push(() => live.close());
    const refused = await refusedUrl();
    const ids: Record<string, number> = {};
    const { box, hub } = await moodbox({
      autoplay: false,
      seed: (s) => {
        ids['refused'] = s.stations.save({ url: refused, name: 'Gone FM', moods: CALM, origin: 'admin' }).trackId;
        ids['live'] = s.stations.save({ url: live.url, name: 'Live FM', moods: CALM, origin: 'admin' }).trackId;
      },
    });
    const played = box.music.playNow(ids['refused'] ?? 0, actors.admin(1));
    await expect(played).rejects.toMatchObject({
      code: 'MB_ERR_PLAYER_STREAM',
      message: expect.stringMatching(/^Gone FM did not play: the stream could not be opened/) as string,
    });
    await until(() => (hub.snapshot().data.player.streamTitle === 'Still Here - On Air' ? true : undefined), 15_000);
    // Asked again while it is failing: refused at once, saying why.
    await expect(box.music.playNow(ids['refused'] ?? 0, actors.admin(1))).rejects.toMatchObject({ code: 'MB_ERR_PLAYER_NOT_ALLOWED' });
  });

  it('records a station whose server goes away mid-play as failed, marks it failing, and plays the next pick', async () => {
    const dying = await icyStream({ name: 'Dying FM', title: 'Last Song - Fading' });
    const live = await icyStream({ name: 'Live FM', title: 'Still Here - On Air' });
    cleanups.push(
      () => dying.close(),
      () => live.close(),
    );
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const ids: Record<string, number> = {};
    const { box, hub, store } = await moodbox({
      autoplay: false,
      log: pino({ level: 'info' }, sink),
      seed: (s) => {
        ids['dying'] = s.stations.save({ url: dying.url, name: 'Dying FM', moods: CALM, origin: 'admin' }).trackId;
        ids['live'] = s.stations.save({ url: live.url, name: 'Live FM', moods: CALM, origin: 'admin' }).trackId;
      },
    });
    await box.music.tap(ids['dying'] ?? 0, actors.kiosk);
    await until(() => (hub.snapshot().data.player.streamTitle === 'Last Song - Fading' ? true : undefined), 15_000);

    // The station's server goes away.
    await dying.close();
    // The next pick follows the stream's end as mpv reports it, with no timer between: the wait is the test's deadline only.
    await until(() => (hub.snapshot().data.player.streamTitle === 'Still Here - On Air' ? true : undefined), 30_000);
    expect(hub.snapshot().data.player.nowPlaying?.id).toBe(ids['live']);
    expect(store.plays.list({ limit: 10 }).items.find((p) => p.trackId === ids['dying'])?.outcome).toBe('failed');
    expect(box.stations.list().find((s) => s.trackId === ids['dying'])).toMatchObject({
      isFailing: true,
      error: 'the stream ended: the station stopped sending',
    });

    // The live one goes too: nothing can play, and the log says why, not that the library is empty.
    await live.close();
    const why = await until(() => lines.find((l) => l['msg'] === 'nothing to play'), 15_000);
    expect(why['why']).toMatch(/^nothing in the library can play now: its stations are failing/);
    expect(lines.some((l) => JSON.stringify(l).includes('library is empty'))).toBe(false);
    expect(box.music.health().detail).toMatch(/^nothing in the library can play now/);
  });

  it('gives up on a station that trickles a byte at a time or never ends its headers, and plays the next pick', async () => {
    // Here the box waits 1 s for audio: a byte every 300 ms keeps mpv's own network timeout from firing,
    // as a byte every 3 s does against the 10 s a box waits.
    const trickle = await stallingStream('trickle', 300);
    const headers = await stallingStream('headers', 300);
    const live = await icyStream({ name: 'Live FM', title: 'Still Here - On Air' });
    cleanups.push(
      () => trickle.close(),
      () => headers.close(),
      () => live.close(),
    );
    const ids: Record<string, number> = {};
    const { box, hub, store } = await moodbox({
      autoplay: false,
      seed: (s) => {
        ids['trickle'] = s.stations.save({ url: trickle.url, name: 'Trickle FM', moods: CALM, origin: 'admin' }).trackId;
        ids['headers'] = s.stations.save({ url: headers.url, name: 'Headers FM', moods: CALM, origin: 'admin' }).trackId;
        ids['live'] = s.stations.save({ url: live.url, name: 'Live FM', moods: CALM, origin: 'admin' }).trackId;
      },
    });
    const failing = (name: string) => box.stations.list().find((s) => s.trackId === ids[name] && s.isFailing);
    const liveAgain = () => until(() => (hub.snapshot().data.player.streamTitle === 'Still Here - On Air' ? true : undefined), 15_000);
    await box.music.tap(ids['trickle'] ?? 0, actors.kiosk);
    await until(() => failing('trickle'), 15_000);
    await liveAgain();
    // The next pick may have been the other stalling station, given up on too; else it is asked for.
    if (failing('headers') === undefined) {
      await box.music.tap(ids['headers'] ?? 0, actors.kiosk);
      await until(() => failing('headers'), 15_000);
      await liveAgain();
    }
    for (const name of ['trickle', 'headers']) {
      expect(failing(name)?.error).toMatch(/^no audio from the station within 1 s/);
      expect(store.plays.list({ limit: 10 }).items.find((p) => p.trackId === ids[name])?.outcome).toBe('failed');
    }
    expect(trickle.connections + headers.connections).toBeGreaterThanOrEqual(2);
  });

  it("plays a station's .pls or .m3u playlist as one play, going on to its next stream when one is dead", async () => {
    const live = await icyStream({ name: 'Mirror FM', title: 'Second Mirror - Song' });
    const pls = await playlistFile([await refusedUrl(), live.url], 'pls');
    const m3u = await playlistFile([live.url], 'm3u');
    cleanups.push(
      () => live.close(),
      () => pls.close(),
      () => m3u.close(),
    );
    const ids: Record<string, number> = {};
    const { box, hub, store } = await moodbox({
      autoplay: false,
      seed: (s) => {
        ids['pls'] = s.stations.save({ url: pls.url, name: 'Mirrors', moods: CALM, origin: 'admin' }).trackId;
        ids['m3u'] = s.stations.save({ url: m3u.url, name: 'Listed', moods: CALM, origin: 'admin' }).trackId;
      },
    });

    await box.music.tap(ids['pls'] ?? 0, actors.kiosk);
    const player = await until(() => {
      const p = hub.snapshot().data.player;
      return p.streamTitle === 'Second Mirror - Song' ? p : undefined;
    }, 15_000);
    expect(player.nowPlaying).toMatchObject({ id: ids['pls'], title: 'Mirrors' });
    await until(() => box.stations.list().find((s) => s.trackId === ids['pls'] && s.playedAt !== null), 10_000);
    expect(box.stations.list().find((s) => s.trackId === ids['pls'])?.isFailing).toBe(false);

    // Another station replaces it: the playlist's play ends once, as switched (a tap by nobody signed in is no one's skip, issue 42), and the next one starts.
    await box.music.tap(ids['m3u'] ?? 0, actors.kiosk);
    await until(
      () => (hub.snapshot().data.player.nowPlaying?.id === ids['m3u'] && hub.snapshot().data.player.streamTitle ? true : undefined),
      15_000,
    );
    const plays = store.plays.list({ limit: 10 }).items;
    expect(plays.filter((p) => p.trackId === ids['pls']).map((p) => p.outcome)).toEqual(['switched']);
    expect(plays.filter((p) => p.trackId === ids['m3u']).map((p) => p.outcome)).toEqual([null]);
  });

  it('plays an HLS station', async () => {
    const hls = await hlsStream();
    cleanups.push(() => hls.close());
    let id = 0;
    const { hub, box } = await moodbox({
      seed: (store) => (id = store.stations.save({ url: hls.url, name: 'HLS FM', moods: CALM, origin: 'admin' }).trackId),
    });
    // Played past its first seconds: segments after the first were fetched and decoded.
    const station = await until(() => box.stations.list().find((s) => s.playedAt !== null), 15_000);
    expect(station).toMatchObject({ trackId: id, kind: 'hls', isFailing: false });
    await until(() => (hub.snapshot().data.player.positionMs >= 3000 ? true : undefined), 15_000);
    expect(hub.snapshot().data.player).toMatchObject({ status: 'playing', nowPlaying: { id, title: 'HLS FM' } });
    expect(hls.connections).toBeGreaterThan(2);
  });

  it('plays a YouTube entry at home through mpv’s ytdl hook, and never hands a radio URL to yt-dlp', async () => {
    const live = await icyStream({ name: 'Tube FM', title: 'Lo-fi Girl - Beats to Relax' });
    cleanups.push(() => live.close());
    // yt-dlp would ask YouTube (the internet): this one answers as it would, with the local stream, and notes each call.
    const calls = await fakeYtDlp({ id: 'abc', title: 'Beats', url: live.url });
    const dead = await refusedUrl();
    const { box, hub } = await moodbox({ autoplay: false, hasYtDlp: true, config: { site: { kind: 'home' }, music: { youtube: true } } });
    const gone = await box.stations.add({ url: dead, name: 'Gone FM', moods: { calm: 1 } }, actors.admin(1));
    const tube = await box.stations.add({ url: 'https://www.youtube.com/watch?v=abc', name: 'Lo-fi', moods: { calm: 1 } }, actors.admin(1));
    expect(tube).toMatchObject({ kind: 'youtube', blocked: null });

    // The dead radio fails without yt-dlp; the next pick, the YouTube entry, plays through it.
    await box.music.tap(gone.trackId, actors.kiosk);
    const player = await until(() => {
      const p = hub.snapshot().data.player;
      return p.nowPlaying?.id === tube.trackId && p.streamTitle === 'Lo-fi Girl - Beats to Relax' ? p : undefined;
    }, 20_000);
    expect(player.nowPlaying?.title).toBe('Lo-fi');
    const lines = (await readFile(calls, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ -- https:\/\/www\.youtube\.com\/watch\?v=abc$/);
    expect(box.stations.list().find((s) => s.trackId === gone.trackId)?.isFailing).toBe(true);
  });

  it("holds a station's playlist entries to the rules of stations: no yt-dlp with YouTube off, and no other schemes", async () => {
    const live = await icyStream({ name: 'Mirror FM', title: 'Third Entry - On Air' });
    cleanups.push(() => live.close());
    // yt-dlp, were it run, would play the local stream, and notes each call.
    const calls = await fakeYtDlp({ id: 'evil', title: 'Evil', url: live.url });
    const m3u = await playlistFile(['ytdl://https://www.youtube.com/watch?v=evil', 'rtmp://127.0.0.1:1/live', live.url], 'm3u');
    cleanups.push(() => m3u.close());
    let id = 0;
    // A business: YouTube is never played here.
    const { box, hub, store } = await moodbox({
      autoplay: false,
      hasYtDlp: true,
      config: { site: { kind: 'business' } },
      seed: (s) => (id = s.stations.save({ url: m3u.url, name: 'Mixed Bag', moods: CALM, origin: 'admin' }).trackId),
    });
    await box.music.tap(id, actors.kiosk);
    await until(() => (hub.snapshot().data.player.streamTitle === 'Third Entry - On Air' ? true : undefined), 20_000);
    expect(hub.snapshot().data.player.nowPlaying?.id).toBe(id);
    expect(existsSync(calls)).toBe(false);
    expect(store.plays.list({ limit: 10 }).items.filter((p) => p.trackId === id)).toHaveLength(1);
  });

  it("refuses a playlist entry on this box's network unless the owner allows local stations", async () => {
    const inside = await icyStream({ name: 'Inside FM', title: 'Admin API - Leaked' });
    const m3u = await playlistFile([inside.url.replace('127.0.0.1', '127.1'), inside.url], 'm3u', PUBLIC_HOST);
    cleanups.push(
      () => inside.close(),
      () => m3u.close(),
    );
    let id = 0;
    const { box } = await moodbox({
      autoplay: false,
      config: { music: { allowPrivateStations: false } },
      seed: (s) => (id = s.stations.save({ url: m3u.url, name: 'Sneaky FM', moods: CALM, origin: 'admin' }).trackId),
    });
    await box.music.tap(id, actors.kiosk);
    await until(() => box.stations.list().find((s) => s.trackId === id && s.isFailing), 15_000);
    expect(m3u.connections).toBeGreaterThan(0);
    expect(inside.connections).toBe(0);
  });

  // Issue 42, item 5: a station could reach the box's loopback through a redirect, or through a
  // playlist entry naming it in an IPv6 spelling the guard compared as text.
  it('refuses a station that redirects to this box, and playlist entries naming it in any IPv6 spelling', async () => {
    const inside = await icyStream({ name: 'Inside FM', title: 'Admin API - Leaked' });
    const inside6 = await icyStream({ name: 'Inside FM v6', title: 'Admin API - Leaked', host: '::1' });
    const port = new URL(inside.url).port;
    const port6 = new URL(inside6.url).port;
    const redirect = await redirectTo(inside.url, PUBLIC_HOST);
    const m3u = await playlistFile(
      [
        `http://[::ffff:7f00:1]:${port}/live`,
        `http://[::ffff:127.0.0.1]:${port}/live`,
        `http://[0:0:0:0:0:0:0:1]:${port6}/live`,
        `http://[0::1]:${port6}/live`,
        `http://[::0:1]:${port6}/live`,
        `http://[0000::0001]:${port6}/live`,
      ],
      'm3u',
      PUBLIC_HOST,
    );
    cleanups.push(
      () => inside.close(),
      () => inside6.close(),
      () => redirect.close(),
      () => m3u.close(),
    );
    const ids = { redirect: 0, m3u: 0 };
    const { box } = await moodbox({
      autoplay: false,
      config: { music: { allowPrivateStations: false } },
      seed: (s) => {
        ids.redirect = s.stations.save({ url: redirect.url, name: 'Bounce FM', moods: CALM, origin: 'admin' }).trackId;
        ids.m3u = s.stations.save({ url: m3u.url, name: 'Spelling FM', moods: CALM, origin: 'admin' }).trackId;
      },
    });
    // Each is tapped, or played as the next pick when the other fails first; both fail, reaching nothing inside.
    await box.music.tap(ids.redirect, actors.kiosk);
    await until(() => box.stations.list().find((s) => s.trackId === ids.redirect && s.isFailing), 15_000);
    if (box.stations.list().some((s) => s.trackId === ids.m3u && !s.isFailing))
      await box.music.tap(ids.m3u, actors.kiosk).catch(() => undefined);
    await until(() => box.stations.list().find((s) => s.trackId === ids.m3u && s.isFailing), 15_000);
    expect(redirect.connections).toBeGreaterThan(0);
    expect(m3u.connections).toBeGreaterThan(0);
    expect(inside.connections).toBe(0);
    expect(inside6.connections).toBe(0);
  });

  it("reads a music folder's stations.csv at each scan, names its bad lines, and drops stations it no longer lists", async () => {
    const folder = await mkdtemp(join(tmpdir(), 'moodbox-music-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    const file = join(folder, 'stations.csv');
    await writeFile(
      file,
      [
        'name,url,moods,genre',
        '# Our favourites',
        'Calm Radio,https://radio.example/calm.mp3,calm:0.9;mellow:0.4,ambient',
        'Bad Scheme,ftp://radio.example/x,calm,',
        'Dance HLS,https://radio.example/dance/master.m3u8,energetic,house',
        ',https://radio.example/nameless,calm,',
        'No Moods,https://radio.example/nomoods,,',
        'Weird Mood,https://radio.example/w,"calm:2",',
        'Tube,https://www.youtube.com/watch?v=abc,calm,',
      ].join('\n'),
    );
    const { box } = await moodbox({ autoplay: false, folder });
    await box.library.scan();

    const stations = box.stations.list();
    expect(stations.map((s) => [s.name, s.kind, s.origin, s.moods.map((m) => `${m.mood}:${m.weight}`).join(';')])).toEqual([
      ['Calm Radio', 'radio', 'sidecar', 'calm:0.9;mellow:0.4'],
      ['Dance HLS', 'hls', 'sidecar', 'energetic:1'],
    ]);
    const failed = box.library.state.lastScan?.failed ?? [];
    expect(failed.map((f) => [f.path, f.error.split(':')[0]])).toEqual([
      [`${file} line 4`, '`url`'],
      [`${file} line 6`, '`name`'],
      [`${file} line 7`, '`moods`'],
      [`${file} line 8`, '`moods`'],
      [`${file} line 9`, '`url`'],
    ]);
    expect(failed[0]?.error).toMatch(/expected an http or https URL, got `ftp`/);
    expect(failed[4]?.error).toMatch(/YouTube is not played at a business/);

    await writeFile(file, 'name,url,moods\nCalm Radio,https://radio.example/calm.mp3,calm\n');
    await box.library.scan();
    expect(box.stations.list().map((s) => s.name)).toEqual(['Calm Radio']);
  });
});
