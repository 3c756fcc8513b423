import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../kernel/clock.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { seededRandom } from '../../kernel/random.js';
import { MpvPlayer } from '../../player/mpv-player.js';
import { PlayRecorder } from '../../player/play-recorder.js';
import { makeTone } from '../../player/testing/tones.js';
import type { QueueItem } from '../../player/play-queue.js';
import { loadConfig } from '../config/load-config.js';
import type { MoodboxBus } from '../events.js';
import { BlockedMusic } from '../music/blocked-music.js';
import type { MusicDirector } from '../music/music-director.js';
import { buildMusicPart } from '../music-part.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { until } from './daemon-process.js';
import { SWITCH_AT_ONCE } from './director-harness.js';
import { ADMIN_PASSPHRASE, type TestServer } from './server.js';
import { serveToStaff, type StaffCall } from './staff-server.js';
import { DATABASE_FILE } from '../config/paths.js';
import { stopService } from '../../kernel/lifecycle.js';

/**
 * A real music director on real mpv (no audio out), a real SQLite file and the admin routes, signed
 * in as an admin: for tests of what staff do to the music. Songs change at once for the room, so
 * that what staff chose shows through a change.
 */

const silent = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {}, level: 'silent' };
/** The signed-in admin's passphrase (`Boss`). */
export const STAFF_PASSPHRASE = ADMIN_PASSPHRASE;

/** A test tone in the library: its mood (set by the admin), title, artist, pitch and length. */
export interface ToneSong {
  readonly mood: string;
  readonly title: string;
  readonly artist: string;
  readonly hz: number;
  readonly seconds: number;
}

export interface StaffDirector {
  readonly server: TestServer;
  readonly director: MusicDirector;
  readonly player: MpvPlayer;
  readonly store: SqliteStore;
  /** The songs' track ids, in the order given. */
  readonly ids: readonly number[];
  /** The station's track id, when one was given. */
  readonly station: number | undefined;
  readonly call: StaffCall;
  /** What plays now. */
  readonly playing: () => QueueItem | undefined;
  /** Stops everything and removes the folder, last made first. */
  readonly close: () => Promise<void>;
}

/**
 * Starts it with `songs` in the library; the first song's mood plays at start. `blocks`: the owner's
 * blocked songs and artists take part; `station`: a web station (on 127.0.0.1: this box allows
 * local stations) in the stations list.
 */
export async function staffDirector(options: {
  songs: readonly ToneSong[];
  station?: { url: string; name: string };
  blocks?: boolean;
}): Promise<StaffDirector> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), 'moodbox-staff-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const clock = systemClock;
    const store = openSqliteStore({ clock, log: silent }, { path: join(dir, DATABASE_FILE) });
    cleanups.push(async () => store.close());
    const ids: number[] = [];
    for (const [i, song] of options.songs.entries()) {
      const uri = await makeTone(dir, { file: `${i}-${song.mood}.flac`, hz: song.hz, seconds: song.seconds });
      const track = store.tracks.upsert({ uri, title: song.title, artist: song.artist });
      store.tracks.setMoods(track.id, [{ mood: song.mood, weight: 1, origin: 'admin' }]);
      ids.push(track.id);
    }
    const station =
      options.station === undefined ? undefined : store.stations.save({ ...options.station, moods: [], origin: 'admin' }).trackId;
    const player = new MpvPlayer(
      { clock, log: silent },
      { socketPath: join(dir, 'mpv.sock'), audioOutput: 'null', volume: 70, allowPrivateStations: true },
    );
    await player.start();
    cleanups.push(() => player.stop());
    await new PlayRecorder({ player, history: store.plays, clock, log: silent }).start();
    const bus: MoodboxBus = new EventBus(throwingReporter);
    let blocks: BlockedMusic | undefined;
    if (options.blocks === true) {
      const blocked = new BlockedMusic({ clock, log: silent, bus, store, explicit: () => 'play' });
      await blocked.start();
      cleanups.push(() => stopService(blocked, [bus]));
      blocks = blocked;
    }
    const settings = { ...loadConfig({ env: {} }).config.player, transitions: SWITCH_AT_ONCE };
    const { music: director } = buildMusicPart({
      clock,
      random: seededRandom(5),
      log: silent,
      store,
      player,
      bus,
      listener: () => null,
      settings: () => settings,
      ...(blocks === undefined ? {} : { blocked: (track: Parameters<BlockedMusic['reasonFor']>[0]) => blocks.reasonFor(track) }),
    });
    await director.start();
    cleanups.push(() => director.stop());
    const { server, call } = await serveToStaff({ clock, store, director, ...(blocks === undefined ? {} : { blocks }) });
    cleanups.push(() => server.app.close());
    const playing = (): QueueItem | undefined => player.state().current;
    await until(() => playing());
    return {
      server,
      director,
      player,
      store,
      ids,
      station,
      call,
      playing,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
