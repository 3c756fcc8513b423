import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../kernel/clock.js';
import { MpvPlayer, type MpvPlayerOptions } from '../mpv-player.js';
import { PlayRecorder } from '../play-recorder.js';
import { MemoryPlayHistory } from './player-contract.js';
import type { Snapserver } from './snapserver.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };

/** A real mpv player started by a rig, with its plays recorded and what it did, in order. */
export interface RiggedPlayer {
  readonly player: MpvPlayer;
  readonly history: MemoryPlayHistory;
  /** `started 1`, `ended 1 completed`, `failed 2`, `queue ended`, as the player said them. */
  readonly log: string[];
  readonly socketPath: string;
}

/**
 * The set-up the tests of the real mpv player share: a folder of their own, players whose plays a
 * recorder writes (as in the daemon), and the snapservers they play to, all stopped after each test.
 *
 *   const rig = new MpvRig('moodbox-mpv-');
 *   beforeAll(() => rig.open());
 *   afterEach(() => rig.stopAll());
 *   afterAll(() => rig.close());
 */
export class MpvRig {
  readonly #prefix: string;
  #dir: string | null = null;
  readonly #players: MpvPlayer[] = [];
  readonly #recorders: PlayRecorder[] = [];
  readonly #servers: Snapserver[] = [];
  #count = 0;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** The rig's folder, for the tones, pipes and scripts a test makes. */
  get dir(): string {
    if (this.#dir === null) throw new Error('the rig is not open: call open() in beforeAll');
    return this.#dir;
  }

  async open(): Promise<void> {
    this.#dir = await mkdtemp(join(tmpdir(), this.#prefix));
  }

  /** Starts a player (its socket in the rig's folder unless `options` names one) and waits for mpv. */
  async start(options: MpvPlayerOptions, startMs = 10_000): Promise<RiggedPlayer> {
    const socketPath = options.socketPath ?? join(this.dir, `mpv-${this.#count++}.sock`);
    const player = new MpvPlayer({ clock: systemClock, log: silent }, { ...options, socketPath });
    this.#players.push(player);
    const history = new MemoryPlayHistory();
    const recorder = new PlayRecorder({ player, history, clock: systemClock, log: silent });
    this.#recorders.push(recorder);
    await recorder.start();
    const log: string[] = [];
    player.events.on('trackStarted', ({ item }) => log.push(`started ${item.track.id}`), 'mpv rig');
    player.events.on('trackEnded', ({ item, outcome }) => log.push(`ended ${item.track.id} ${outcome}`), 'mpv rig');
    player.events.on('trackFailed', ({ item }) => log.push(`failed ${item.track.id}`), 'mpv rig');
    player.events.on('queueEnded', () => log.push('queue ended'), 'mpv rig');
    await player.start(AbortSignal.timeout(startMs));
    return { player, history, log, socketPath };
  }

  /** Stops `server` (SIGKILL) with the test's players. */
  keep(server: Snapserver): Snapserver {
    this.#servers.push(server);
    return server;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.#players.splice(0).map((p) => p.stop()));
    await Promise.all(this.#recorders.splice(0).map((r) => r.stop()));
    await Promise.all(this.#servers.splice(0).map((s) => s.stop('SIGKILL')));
  }

  async close(): Promise<void> {
    await this.stopAll();
    if (this.#dir !== null) await rm(this.#dir, { recursive: true, force: true });
  }
}
