import { afterAll, beforeAll } from 'vitest';
import { WebSocket } from 'ws';
import type { StateSnapshot } from '../../src/daemon/http/contract.js';
import {
  type Daemon,
  type TestCamera,
  PASSPHRASE,
  TEST_CONFIG,
  addUser,
  assertBuilt,
  fixtureFrame,
  startDaemon,
  stateWhen,
  tempDir,
  testCamera,
} from './harness.js';

/** A wait for what the camera shows to reach the daemon's reading, on a busy machine. */
export const READING = 90_000;

/** The daemon of a kiosk test file, from `kioskDaemon`: read its fields inside the tests and hooks. */
export interface KioskDaemon {
  /** Its data directory (there from the start: a card reader's folder may go in it). */
  readonly dataDir: string;
  /** The daemon running now (a new one after `restart`). */
  readonly daemon: Daemon;
  /** The camera it reads. */
  readonly camera: TestCamera;
  /**
   * Starts it again on the same address and data, once the test stopped it: the camera shows
   * `first` again and it waits until the daemon is `ready`.
   */
  restart(): Promise<Daemon>;
}

export interface KioskDaemonOptions {
  /** The name of the fresh data directory begins with this (`mb-kiosk-overlays-`). */
  prefix: string;
  /**
   * The daemon's configuration over `TEST_CONFIG` and the test camera (a `camera` here adds to it),
   * or a function of the data directory that returns it (a library folder made in it by `before`).
   */
  config?: Record<string, unknown> | ((dataDir: string) => Record<string, unknown>);
  /** Members to add beside the admin `Root` (passphrase `PASSPHRASE`), by name, with their PIN. */
  members?: Readonly<Record<string, string>>;
  /** Runs on the data directory after the people are added and before the daemon starts: seeded rows. */
  before?: (dataDir: string) => void;
  /** The daemon's environment beyond the harness's (a card reader's), read at each start. */
  env?: () => NodeJS.ProcessEnv;
  /** The picture the camera shows at each start. @default the happy face of the fixtures */
  first?: Buffer;
  /**
   * When the daemon is ready for the tests.
   * @default the camera on, a happy room, a song playing and six suggestions
   */
  ready?: (state: StateSnapshot) => boolean;
}

const READY = (s: StateSnapshot): boolean =>
  s.camera.status === 'on' && s.mood.current === 'happy' && s.player.nowPlaying !== null && s.suggestions.length >= 6;

/**
 * One real daemon for a kiosk test file, as the kiosk runs on a box: its camera reads a test camera
 * (the real face detector and model), the admin `Root` can save settings with `putSettings`, and
 * the demo library plays into the null output. Registers the file's `beforeAll`, which starts it
 * and waits until it is ready, and `afterAll`, which stops it and removes its data.
 */
export function kioskDaemon(options: KioskDaemonOptions): KioskDaemon {
  const data = tempDir(options.prefix);
  const first = options.first ?? fixtureFrame('happy-face.png');
  const ready = options.ready ?? READY;
  let camera: TestCamera | undefined;
  let daemon: Daemon | undefined;
  let port = 0;

  const start = async (): Promise<Daemon> => {
    if (camera === undefined) throw new Error('Expected the test camera to be started');
    camera.show(first);
    const extra = typeof options.config === 'function' ? options.config(data.path) : (options.config ?? {});
    const config = {
      ...TEST_CONFIG,
      ...extra,
      camera: { enabled: true, source: camera.url, ...(extra['camera'] as object | undefined) },
    };
    daemon = await startDaemon(data.path, { port, config, ...(options.env === undefined ? {} : { env: options.env() }) });
    port = daemon.port;
    await stateWhen(daemon, ready, READING);
    return daemon;
  };

  beforeAll(async () => {
    assertBuilt();
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    for (const [name, pin] of Object.entries(options.members ?? {})) addUser(data.path, name, 'member', pin);
    options.before?.(data.path);
    camera = await testCamera(first);
    await start();
  }, 180_000);

  afterAll(async () => {
    await daemon?.stop();
    await camera?.stop();
    data.remove();
  });

  return {
    dataDir: data.path,
    get daemon() {
      if (daemon === undefined) throw new Error('Expected the daemon to be started (read it inside a test or a hook)');
      return daemon;
    },
    get camera() {
      if (camera === undefined) throw new Error('Expected the test camera to be started (read it inside a test or a hook)');
      return camera;
    },
    restart: start,
  };
}

/**
 * Calls the admin API at `path` as the admin panel does, signed in as `Root` with `PASSPHRASE`
 * (`GET /api/admin/tracks?mood=power`, `POST /api/admin/player/skip`…); fails on any answer but a
 * 2xx, and returns the answer's JSON (undefined when it has none).
 */
export async function asStaff<T = unknown>(daemon: { url: string }, method: string, path: string, body?: unknown): Promise<T> {
  const signedIn = await fetch(`${daemon.url}/api/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Root', passphrase: PASSPHRASE }),
  });
  if (signedIn.status !== 200) throw new Error(`Expected Root to sign in to the admin API, got ${signedIn.status}`);
  const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
  const res = await fetch(`${daemon.url}${path}`, {
    method,
    headers: {
      cookie: (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
      'x-csrf-token': csrfToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status < 200 || res.status > 299) throw new Error(`Expected ${method} ${path} to succeed, got ${res.status}: ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/**
 * Runs `fn` with the music paused by staff, and plays on after it whatever its outcome: the song
 * playing and the queue stand still (a song of the demo library lasts about a minute, which a busy
 * machine spends in a few steps of a test), while the room, the guests and the screens go on.
 */
export async function whilePaused<T>(daemon: { url: string }, fn: () => Promise<T>): Promise<T> {
  await asStaff(daemon, 'POST', '/api/admin/player/pause');
  try {
    return await fn();
  } finally {
    await asStaff(daemon, 'POST', '/api/admin/player/resume');
  }
}

/**
 * Asks the daemon over `/ws` as the kiosk's own screen does (`player/like` for the person signed
 * in there), and returns its answer's data; fails on a refusal.
 */
export function askAsKiosk(daemon: { url: string }, type: string, data?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${daemon.url.replace('http', 'ws')}/ws`, { headers: { origin: daemon.url } });
    ws.on('open', () => ws.send(JSON.stringify({ type, data, transaction: 'ask' })));
    ws.on('message', (raw) => {
      const message = JSON.parse((raw as Buffer).toString('utf8')) as {
        transaction?: string;
        status?: string;
        data?: unknown;
        error?: unknown;
      };
      if (message.transaction !== 'ask') return;
      ws.close();
      if (message.status === 'ok') resolve(message.data);
      else reject(new Error(`Expected the daemon to answer ${type}, got ${JSON.stringify(message.error)}`));
    });
    ws.on('error', reject);
  });
}
