import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backoff } from '../../kernel/backoff.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import { PlayerError } from '../errors.js';
import { EventBus } from '../../kernel/event-bus.js';
import type { Log } from '../../kernel/log.js';
import { connectSocket, type MpvIpcClient } from './mpv-ipc-client.js';

/** util-linux's setpriv, which Debian and Raspberry Pi OS always have. */
const SETPRIV = '/usr/bin/setpriv';
/** Default IPC socket names: the daemon's pid, then a random part. */
const SOCKET_NAME = /^moodbox-mpv-(\d+)-[0-9a-f]{8}\.sock$/;
/** How long mpv may take to quit when asked before it is killed (ms). */
const QUIT_GRACE_MS = 2000;
/** How often to try the socket while mpv starts (ms). */
const CONNECT_POLL_MS = 20;

export interface MpvProcessOptions {
  /** The mpv executable. @default 'mpv' */
  mpvPath?: string;
  /**
   * The IPC socket path; a stale socket there is removed first. @default a path of its own in the
   * temp folder, named after the daemon's pid, so that sockets of daemons that died are removed at start
   */
  socketPath?: string;
  /**
   * How long mpv may take to open its socket (ms). It takes about 0.1 s; on a two-core box busy
   * starting everything else (the camera, a library analysis) it was seen to take over 5 s, so
   * the wait is long: it only ends early when mpv opens its socket. @default 15000
   */
  startTimeoutMs?: number;
  /** First wait before restarting a crashed mpv (ms); doubles per failed try up to `restartMaxDelayMs`. @default 250 */
  restartDelayMs?: number;
  /** The longest wait between restarts (ms). @default 10000 */
  restartMaxDelayMs?: number;
  /**
   * mpv is killed by the kernel when the daemon dies, even by SIGKILL (util-linux's `setpriv
   * --pdeathsig`, when it is installed), so no orphan keeps playing. @default true
   */
  dieWithDaemon?: boolean;
}

/** What the supervisor reports about the mpv process it keeps running. */
// A type alias, not an interface: the event bus needs an index signature.
export type MpvProcessEvents = {
  /** mpv died (or a restart failed); the next try is in `retryInMs`. Emitted once per try. */
  faulted: { error: string; retryInMs: number };
  /** mpv runs again and `setUp` has run on the new connection; `attempt` counts the tries it took (1 or more). */
  restarted: { attempt: number };
};

export interface MpvProcessDeps {
  clock: Clock;
  log: Log;
  /** The client each new connection is attached to, and detached from when mpv exits. */
  client: MpvIpcClient;
  /**
   * mpv's arguments, asked for at each launch so that they carry the state of the moment (the
   * volume). `--idle` and `--input-ipc-server` are added here.
   */
  args: () => readonly string[];
  /**
   * Runs on each new connection, before the launch counts as done (e.g. observing properties). A
   * rejection fails the launch: at start, `start` rejects; after a crash, another restart is tried.
   */
  setUp: () => Promise<void>;
  /**
   * Asked before every launch (the first and each restart): says why mpv must not run now (its
   * output cannot be used, e.g. the Snapcast pipe is not a FIFO), or undefined. While it says so,
   * no mpv is started: the process counts as faulted with this reason and asks again after the
   * restart backoff.
   */
  refusal?: () => string | undefined;
}

/**
 * Supervises one mpv process: spawns it with an IPC socket, connects `client` to it, and, once
 * started, restarts it whenever it dies, with a backoff timed by the clock (`faulted`, then
 * `restarted`). At most one mpv runs and at most one restart is pending at any time. Knows nothing
 * of what mpv plays.
 */
export class MpvProcess {
  readonly events = new EventBus<MpvProcessEvents>((err, event, owner) => this.#log.error({ err, event, owner }, 'an mpv listener failed'));
  readonly #clock: Clock;
  readonly #log: Log;
  readonly #client: MpvIpcClient;
  readonly #args: () => readonly string[];
  readonly #setUp: () => Promise<void>;
  readonly #refusal: () => string | undefined;
  readonly #mpvPath: string;
  readonly #socketPath: string;
  readonly #isDefaultSocket: boolean;
  readonly #wantsPdeathsig: boolean;
  readonly #startTimeoutMs: number;
  /** The waits between restarts: each restart counts as a failure until mpv is up again. */
  readonly #restarts: Backoff;

  #process: ChildProcess | undefined;
  #isStopping = false;
  #isFaulted = false;
  /** Set once `start` succeeded: only then is an exit a crash to recover from. */
  #hasStarted = false;
  #restartTimer: Timer | undefined;
  #stderrTail = '';
  /** Why mpv is not running, when `refusal` said so at the last try. */
  #refused: string | undefined;

  constructor(deps: MpvProcessDeps, options: MpvProcessOptions = {}) {
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#client = deps.client;
    this.#args = deps.args;
    this.#setUp = deps.setUp;
    this.#refusal = deps.refusal ?? (() => undefined);
    this.#mpvPath = options.mpvPath ?? 'mpv';
    this.#isDefaultSocket = options.socketPath === undefined;
    this.#socketPath = options.socketPath ?? join(tmpdir(), `moodbox-mpv-${process.pid}-${randomBytes(4).toString('hex')}.sock`);
    this.#wantsPdeathsig = options.dieWithDaemon ?? true;
    this.#startTimeoutMs = options.startTimeoutMs ?? 15_000;
    this.#restarts = new Backoff({ firstMs: options.restartDelayMs ?? 250, maxMs: options.restartMaxDelayMs ?? 10_000 });
  }

  /** The mpv process id while it runs (for diagnostics). */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  /** The IPC socket path mpv listens on. */
  get socketPath(): string {
    return this.#socketPath;
  }

  /** True from a crash (or a refused launch) until mpv runs again. */
  get isFaulted(): boolean {
    return this.#isFaulted;
  }

  /** Why mpv was not started at the last try (`refusal`'s answer), while that lasts. */
  get refused(): string | undefined {
    return this.#refused;
  }

  /**
   * Starts mpv and connects the client. Rejects with a `PlayerError` (`MB_ERR_PLAYER_START`) saying
   * why when mpv cannot be run or does not open its socket within `startTimeoutMs`, and with the
   * signal's reason when `signal` aborts. Only after it resolved is a crash restarted. When
   * `refusal` gives a reason, it resolves without mpv: faulted, trying again after the backoff.
   */
  async start(signal?: AbortSignal): Promise<void> {
    this.#isStopping = false;
    if (this.#isDefaultSocket) removeStaleSockets(tmpdir());
    try {
      await this.#launch(signal);
    } catch (err) {
      if (this.#refused === undefined) throw err;
      this.#hasStarted = true;
      this.#isFaulted = true;
      this.#scheduleRestart(this.#refused);
      return;
    }
    this.#hasStarted = true;
  }

  /**
   * Asks mpv to quit (killing it after 2 s), cancels any pending restart, detaches the client and
   * removes the socket. Safe to call at any time, also after a failed start.
   */
  async stop(): Promise<void> {
    this.#isStopping = true;
    this.#hasStarted = false;
    this.#restartTimer?.cancel();
    this.#restartTimer = undefined;
    const child = this.#process;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      this.#client.send(['quit']);
      const kill = this.#clock.setTimeout(() => child.kill('SIGKILL'), QUIT_GRACE_MS);
      await exited;
      kill.cancel();
    }
    this.#client.detach(new PlayerError('MB_ERR_PLAYER_START', 'the player stopped'));
    this.#process = undefined;
    rmSync(this.#socketPath, { force: true });
  }

  async #launch(signal?: AbortSignal): Promise<void> {
    this.#refused = this.#refusal();
    if (this.#refused !== undefined) throw new PlayerError('MB_ERR_PLAYER_OUTPUT', this.#refused);
    rmSync(this.#socketPath, { force: true });
    const args = ['--idle=yes', `--input-ipc-server=${this.#socketPath}`, ...this.#args()];
    this.#stderrTail = '';
    // The daemon's malloc tuning (MALLOC_ARENA_MAX, for OpenCV's threads) makes mpv larger: leave mpv its defaults.
    const env = { ...process.env };
    delete env['MALLOC_ARENA_MAX'];
    const [command, argv] =
      this.#wantsPdeathsig && existsSync(SETPRIV)
        ? [SETPRIV, ['--pdeathsig', 'KILL', '--', this.#mpvPath, ...args]]
        : [this.#mpvPath, args];
    const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'], env });
    this.#process = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.#stderrTail = (this.#stderrTail + text).slice(-2000);
    });
    let spawnError: Error | undefined;
    child.once('error', (err) => {
      spawnError = err;
    });
    child.once('exit', (code, sig) => this.#onExit(child, code, sig));

    const deadline = this.#clock.monotonic() + this.#startTimeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      if (spawnError || child.exitCode !== null || child.signalCode !== null) {
        throw new PlayerError('MB_ERR_PLAYER_START', `cannot start ${this.#mpvPath}: ${spawnError?.message ?? this.#exitText(child)}`, {
          cause: spawnError,
        });
      }
      try {
        this.#client.attach(await connectSocket(this.#socketPath));
        break;
      } catch {
        if (this.#clock.monotonic() > deadline) {
          child.kill('SIGKILL');
          throw new PlayerError('MB_ERR_PLAYER_START', `${this.#mpvPath} did not open its IPC socket within ${this.#startTimeoutMs} ms`);
        }
        await this.#clock.sleep(CONNECT_POLL_MS, signal);
      }
    }
    await this.#setUp();
    this.#log.info({ pid: child.pid, socket: this.#socketPath }, 'mpv started');
  }

  #exitText(child: ChildProcess): string {
    const why = child.signalCode === null ? `exit code ${String(child.exitCode)}` : `signal ${child.signalCode}`;
    const tail = this.#stderrTail.trim().split('\n').slice(-3).join(' | ');
    return tail === '' ? why : `${why}: ${tail}`;
  }

  #onExit(child: ChildProcess, code: number | null, sig: NodeJS.Signals | null): void {
    if (child !== this.#process) return;
    this.#client.detach(new PlayerError('MB_ERR_PLAYER_START', 'mpv exited'));
    if (this.#isStopping || !this.#hasStarted) return;
    this.#process = undefined;
    this.#isFaulted = true;
    this.#scheduleRestart(sig === null ? `mpv exited with code ${String(code)}` : `mpv was killed by ${sig}`);
  }

  /**
   * Takes mpv down at once (what it plays does not reach its output) and starts it again after
   * `delayMs`, asking `refusal` first as at every launch. Faulted meanwhile (`faulted` with
   * `error`). Does nothing unless mpv runs (a restart is already pending, or it was never started).
   * Resolves once the mpv taken down has exited (at once when there was none).
   */
  restartAfter(error: string, delayMs: number): Promise<void> {
    const child = this.#process;
    if (!child || !this.#hasStarted || this.#isStopping || this.#isFaulted) return Promise.resolve();
    const exited =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Forgotten before it exits: its exit is no crash.
    this.#process = undefined;
    this.#client.detach(new PlayerError('MB_ERR_PLAYER_OUTPUT', error));
    // SIGKILL: an mpv blocked opening its output answers nothing, not even `quit`.
    child.kill('SIGKILL');
    this.#isFaulted = true;
    this.events.emit('faulted', { error, retryInMs: delayMs });
    this.#restartTimer = this.#clock.setTimeout(() => void this.#restart(), delayMs);
    return exited;
  }

  /** Restarts mpv after a backoff timed by the clock; at most one restart is ever pending. */
  #scheduleRestart(error: string): void {
    if (this.#restartTimer || this.#isStopping) return;
    const retryInMs = this.#restarts.delayMs;
    this.#log.error({ error, retryInMs }, 'mpv stopped unexpectedly');
    this.events.emit('faulted', { error, retryInMs });
    this.#restartTimer = this.#clock.setTimeout(() => void this.#restart(), retryInMs);
  }

  async #restart(): Promise<void> {
    this.#restartTimer = undefined;
    if (this.#isStopping) return;
    this.#restarts.fail();
    try {
      await this.#launch();
    } catch (err) {
      this.#log.warn({ err, attempt: this.#restarts.failures }, 'mpv restart failed');
      const child = this.#process;
      this.#process = undefined;
      child?.kill('SIGKILL');
      this.#scheduleRestart(err instanceof Error ? err.message : String(err));
      return;
    }
    // stop() may have been called while mpv was starting: it has stopped the new process.
    if (this.#isStopping) return;
    const attempt = this.#restarts.failures;
    this.#restarts.reset();
    this.#isFaulted = false;
    this.events.emit('restarted', { attempt });
  }
}

/** Removes IPC sockets left in `dir` by daemons that are gone (killed before they could clean up). */
export function removeStaleSockets(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(SOCKET_NAME.exec(name)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
