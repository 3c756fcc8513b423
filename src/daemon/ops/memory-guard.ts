import type { Clock, Timer } from '../../kernel/clock.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { Log } from '../../kernel/log.js';
import type { Player } from '../../player/player.js';
import { actors, type Actor } from '../store/audit.js';

const MIB = 1024 * 1024;
/** How often the resident size is read (ms). */
export const MEMORY_CHECK_MS = 30_000;

/** The process's memory, in bytes (`process.memoryUsage()` fits). */
export interface MemoryReading {
  /** Resident set size: what the kernel and systemd's MemoryHigh/MemoryMax count. */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Memory of C++ objects bound to JavaScript ones (buffers, native addons' allocations that report it). */
  external: number;
  /** The resident size of the daemon's mpv, when one runs. */
  mpvRss?: number | undefined;
}

export interface MemoryGuardDeps {
  clock: Clock;
  log: Pick<Log, 'info' | 'warn' | 'error'>;
  /** Asks for a restart (the core's `requestRestart`); `by` names the guard. */
  restart: (by: Actor) => void;
  /** Only its events and whether something plays now are used. */
  player: Pick<Player, 'events' | 'state'>;
  /** Reads the process's memory now. */
  memory: () => MemoryReading;
}

export interface MemoryGuardOptions {
  /** Above this resident size (MiB) the daemon restarts itself; 0: never. */
  ceilingMiB: number;
  /** The longest wait for the end of a song once above the ceiling (s). */
  graceS: number;
  /** Above this resident size (MiB) of its mpv the daemon restarts too, and mpv with it; 0: never. @default 0 */
  mpvCeilingMiB?: number;
}

/**
 * The last line against memory that grows for good (a leak, allocator fragmentation): it reads the
 * daemon's resident size every 30 s, and once it is above `ceilingMiB` it logs why (resident size,
 * JS heap, external memory) and asks for a restart (`restartRequested`, which the composition root
 * answers with the restart exit code, so systemd starts the daemon again clean) at a quiet moment:
 * at once when nothing plays, else at the end of the song playing, or after `graceS` at the latest.
 * The same holds for the mpv the daemon runs, above `mpvCeilingMiB`: it restarts with the daemon.
 * Right before it restarts it reads the memory again: when it is back under the ceiling (a burst of
 * connections that ended, a large request that was freed), nothing restarts, the guard stands down
 * and goes on reading every 30 s.
 */
export class MemoryGuard implements Service {
  readonly name = 'memory';
  readonly #deps: MemoryGuardDeps;
  readonly #options: MemoryGuardOptions;
  #timer: Timer | undefined;
  #grace: Timer | undefined;
  #offEnded: (() => void) | undefined;
  /** The reading that crossed the ceiling, once it did, and whose ceiling it was. */
  #over: MemoryReading | undefined;
  #whose: 'daemon' | 'mpv' = 'daemon';
  #isRestarting = false;

  constructor(deps: MemoryGuardDeps, options: MemoryGuardOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  async start(): Promise<void> {
    if (this.#options.ceilingMiB <= 0 && this.#mpvCeilingMiB <= 0) return;
    this.#timer = this.#deps.clock.setInterval(() => this.check(), MEMORY_CHECK_MS);
  }

  async stop(): Promise<void> {
    this.#timer?.cancel();
    this.#grace?.cancel();
    this.#offEnded?.();
    this.#timer = this.#grace = this.#offEnded = undefined;
  }

  health(): ServiceHealth {
    const over = this.#over;
    if (over === undefined) return { status: 'ready' };
    const detail =
      this.#whose === 'mpv'
        ? `mpv's memory ${mib(over.mpvRss ?? 0)} MiB is above its ceiling of ${this.#mpvCeilingMiB} MiB`
        : `memory ${mib(over.rss)} MiB is above the ceiling of ${this.#options.ceilingMiB} MiB`;
    return { status: 'degraded', detail: `${detail}: restarting at the end of this song` };
  }

  get #mpvCeilingMiB(): number {
    return this.#options.mpvCeilingMiB ?? 0;
  }

  /** Reads the memory now and acts on it (the timer calls this every 30 s). */
  check(): void {
    if (this.#over !== undefined) return;
    const reading = this.#deps.memory();
    const { ceilingMiB } = this.#options;
    if (ceilingMiB > 0 && reading.rss > ceilingMiB * MIB) this.#whose = 'daemon';
    else if (this.#mpvCeilingMiB > 0 && (reading.mpvRss ?? 0) > this.#mpvCeilingMiB * MIB) this.#whose = 'mpv';
    else return;
    this.#over = reading;
    const { player, clock, log } = this.#deps;
    if (player.state().current === undefined) {
      this.#restart('nothing plays');
      return;
    }
    log.warn(fields(reading, this.#options), `${this.#what()} above the ceiling; restarting at the end of this song`);
    this.#offEnded = player.events.on('trackEnded', () => this.#restart('between songs'), this);
    this.#grace = clock.setTimeout(() => this.#restart(`no song ended within ${this.#options.graceS} s`), this.#options.graceS * 1000);
  }

  #restart(when: string): void {
    if (this.#isRestarting || this.#over === undefined) return;
    this.#grace?.cancel();
    this.#offEnded?.();
    this.#grace = this.#offEnded = undefined;
    const now = this.#deps.memory();
    if (!this.#isOver(now)) {
      // Memory that came back down was a passing peak, not growth for good: a restart would only cut the music.
      this.#over = undefined;
      this.#deps.log.info({ ...fields(now, this.#options), when }, `${this.#what()} back under the ceiling: no restart`);
      return;
    }
    this.#isRestarting = true;
    this.#deps.log.error({ ...fields(now, this.#options), when }, `${this.#what()} above the ceiling: restarting`);
    this.#deps.restart(actors.memoryGuard);
  }

  /** Whether `reading` is above the ceiling the guard armed for. */
  #isOver(reading: MemoryReading): boolean {
    return this.#whose === 'mpv' ? (reading.mpvRss ?? 0) > this.#mpvCeilingMiB * MIB : reading.rss > this.#options.ceilingMiB * MIB;
  }

  #what(): string {
    return this.#whose === 'mpv' ? "mpv's memory" : 'memory';
  }
}

function mib(bytes: number): number {
  return Math.round((bytes / MIB) * 10) / 10;
}

function fields(reading: MemoryReading, options: MemoryGuardOptions): Record<string, number> {
  return {
    rssMiB: mib(reading.rss),
    heapUsedMiB: mib(reading.heapUsed),
    heapTotalMiB: mib(reading.heapTotal),
    externalMiB: mib(reading.external),
    // What is neither JS heap nor reported external memory: native allocations (OpenCV, onnxruntime, malloc arenas).
    nativeMiB: mib(Math.max(reading.rss - reading.heapTotal - reading.external, 0)),
    ceilingMiB: options.ceilingMiB,
    ...(reading.mpvRss === undefined ? {} : { mpvRssMiB: mib(reading.mpvRss), mpvCeilingMiB: options.mpvCeilingMiB ?? 0 }),
  };
}
