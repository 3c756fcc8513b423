import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LibraryScanner } from '../player/library/scanner.js';
import { MusicMetadataTagReader } from '../player/library/music-metadata-tag-reader.js';
import { connectSocket, MpvIpcClient } from '../player/mpv/mpv-ipc-client.js';
import { MpvPlayer } from '../player/mpv-player.js';
import { roomMoodOf } from '../kernel/room-mood.js';
import { LiveConfig } from './config/live-config.js';
import { loadConfig } from './config/load-config.js';
import { panelChecks } from './config/panel-checks.js';
import type { MoodboxBus } from './events.js';
import { StateHub } from './http/state-hub.js';
import { initialScreenState, StateProjector } from './http/state-projector.js';
import { systemClock } from '../kernel/clock.js';
import { EventBus } from '../kernel/event-bus.js';
import { throwingReporter } from '../kernel/testing/listener-reporters.js';
import { seededRandom } from '../kernel/random.js';
import { Moodbox } from './moodbox.js';
import { openSqliteStore } from './store/sqlite-store.js';
import { until } from './testing/daemon-process.js';
import { INSTALL_DIR } from './version.js';

const log = pino({ level: 'silent' });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Moodbox on real mpv (no audio out), a real SQLite file and the shipped defaults; no camera, no server. */
async function moodbox() {
  const dir = await mkdtemp(join(tmpdir(), 'moodbox-core-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const clock = systemClock;
  const store = openSqliteStore({ clock, log }, { path: join(dir, 'moodbox.db') });
  const env = { HOME: dir };
  const bus: MoodboxBus = new EventBus(throwingReporter);
  const settings = new LiveConfig(
    { store: store.settings, log: { error() {} }, checks: panelChecks({ installDir: INSTALL_DIR }), bus },
    { file: undefined, env, config: loadConfig({ env }).config },
  );
  const socketPath = join(dir, 'mpv.sock');
  const player = new MpvPlayer({ clock, log }, { socketPath, audioOutput: 'null', volume: 70, maxVolume: 100 });
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
      folders: () => [],
    },
    { scanAtStart: false },
  );
  await box.start({
    screens: new StateProjector({ bus, hub, clock, store, services: () => box.health() }),
    server: { name: 'http', start: async () => {}, stop: async () => {} },
  });
  cleanups.push(() => box.stop());
  return { box, bus, hub, player, settings, socketPath };
}

/** mpv's own value of `property`, asked over a second IPC connection. */
async function mpvProperty(socketPath: string, property: string): Promise<unknown> {
  const client = new MpvIpcClient({ log });
  client.attach(await connectSocket(socketPath));
  try {
    return await client.command(['get_property', property]);
  } finally {
    client.detach(new Error('done'));
  }
}

describe('Moodbox', () => {
  it('applies a maximum volume saved from the admin panel in mpv itself at once, without restarting it (#13)', async () => {
    const { player, settings, socketPath, hub } = await moodbox();
    expect(await mpvProperty(socketPath, 'volume')).toBe(70);
    const pid = player.pid;
    settings.save({ player: { maxVolume: 40 } }, Date.now());
    // mpv is asked over a second connection: it may answer before the player has read mpv's reply.
    await until(async () => (player.state().volume === 40 && (await mpvProperty(socketPath, 'volume')) === 40 ? true : undefined), 5000);
    expect(player.state()).toMatchObject({ volume: 40, maxVolume: 40 });
    expect(hub.snapshot().data.player.volume).toBe(40);
    expect(player.pid).toBe(pid);
  });

  it('starts its parts in dependency order, projects the room mood to the screens, and stops them all', async () => {
    const { box, bus, hub } = await moodbox();
    // Every part in one lifecycle: the screens first (they hear the others' first events), the recorders before the music.
    expect(box.health().map((h) => h.name)).toEqual([
      'screens',
      'database',
      'settings',
      'kiosk-presence',
      'history',
      'mood-log',
      'taste',
      'stations',
      'blocks',
      'guests',
      'player',
      'library',
      'music',
      'http',
    ]);
    expect(box.isReady()).toBe(true);
    bus.emit('roomMoodChanged', { mood: roomMoodOf('happy', 1000, 2), previous: null });
    expect(hub.snapshot().data.mood).toMatchObject({ current: 'happy', since: 1000 });
    await box.stop();
    expect(box.health().every((h) => h.status === 'stopped')).toBe(true);
    // Stopped, no part of it listens any more: the screens stay as they were.
    bus.emit('roomMoodChanged', { mood: roomMoodOf('sad', 2000, 2), previous: 'happy' });
    expect(hub.snapshot().data.mood).toMatchObject({ current: 'happy' });
    expect(bus.listenerCount('roomMoodChanged') + bus.listenerCount('settingsChanged') + bus.listenerCount('playbackChanged')).toBe(0);
  });
});
