import { type ChildProcessByStdio, execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export { until } from './until.js';

/** The repository root, with a trailing slash (from src/daemon/testing/ or its build in dist/daemon/testing/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The built `moodbox` as installed: the test projects build first when a source is newer than dist/. */
export const MOODBOX_CLI = join(REPO_ROOT, 'dist/daemon/cli.js');

/**
 * `moodbox ARGS…` run as an operator runs it, from the repository, with only PATH from this
 * environment: its output and exit code, whatever the code.
 */
export function runMoodbox(args: readonly string[]): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MOODBOX_CLI, ...args], { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '' } }, (err, stdout) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ stdout, code });
    });
  });
}

/** One pino line the daemon wrote to stdout, parsed. */
export type LogLine = Record<string, unknown>;

/** How the daemon process ended. */
export interface DaemonExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DaemonProcessOptions {
  /**
   * Arguments after `moodbox start`, such as `['--config', file]`.
   * @default []
   */
  args?: readonly string[];
  /**
   * The child's whole environment: nothing is inherited that is not listed here, but for
   * `MOODBOX_SUPERVISED=1` (a test starts the daemon again after a restart, as systemd would, so
   * the panel offers its restart); give it `'0'` for a daemon started by hand.
   */
  env: NodeJS.ProcessEnv;
  /**
   * The child's working folder; `--import tsx` is resolved from it.
   * @default REPO_ROOT
   */
  cwd?: string;
}

export interface DaemonStartOptions extends DaemonProcessOptions {
  /**
   * How long to wait for `moodbox ready` (ms).
   * @default 60_000
   */
  readyTimeoutMs?: number;
}

const READY = 'moodbox ready';
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const DEFAULT_KILL_AFTER_MS = 10_000;
/** How much of stderr, and how many log lines, a start-up failure quotes. */
const STDERR_TAIL_CHARS = 2000;
const LOG_TAIL_LINES = 5;

/**
 * `moodbox start` as a child process, as a test drives it: every JSON log line it writes to
 * stdout is parsed into `lines`, stderr is kept, and `ready()` waits for the `moodbox ready` line.
 */
export class DaemonProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Every log line so far, in the order written. */
  readonly lines: LogLine[] = [];
  /** Settles once the process has exited and all of its output has been read. */
  readonly exited: Promise<DaemonExit>;
  #stderr = '';
  #readyLine: LogLine | undefined;
  /** Settles with the ready line, or rejects when the process ends without one. */
  readonly #ready: Promise<LogLine>;

  private constructor(child: ChildProcessByStdio<null, Readable, Readable>) {
    this.child = child;
    let resolveReady: (line: LogLine) => void = () => undefined;
    let rejectReady: (err: Error) => void = () => undefined;
    this.#ready = new Promise<LogLine>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    // A daemon that is never asked whether it is ready (one expected to refuse to start) must not
    // leave an unhandled rejection behind; `ready()` still sees the rejection.
    this.#ready.catch(() => undefined);
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (text.trim() === '') return;
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        // Not a log line (a crash before the logger exists): keep it where a failure message quotes it.
        this.#stderr += `${text}\n`;
        return;
      }
      this.lines.push(line);
      if (line['msg'] === READY && this.#readyLine === undefined) {
        this.#readyLine = line;
        resolveReady(line);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    // 'close' rather than 'exit': by then stdout has been read to its end, so `lines` is complete.
    this.exited = new Promise<DaemonExit>((resolve) =>
      child.once('close', (code, signal) => {
        rejectReady(
          new Error(`Expected the daemon to log \`${READY}\`, got an exit (${describeExit({ code, signal })}) first${this.#tail()}`),
        );
        resolve({ code, signal });
      }),
    );
  }

  /** Spawns `moodbox start` without waiting for it: for a daemon expected to refuse to start, or to watch it start. */
  static spawn(options: DaemonProcessOptions): DaemonProcess {
    const child = spawn(process.execPath, [MOODBOX_CLI, 'start', ...(options.args ?? [])], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { MOODBOX_SUPERVISED: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new DaemonProcess(child);
  }

  /** Spawns `moodbox start` and resolves once it is ready; kills it and rejects when it is not. */
  static async start(options: DaemonStartOptions): Promise<DaemonProcess> {
    const daemon = DaemonProcess.spawn(options);
    try {
      await daemon.ready(options.readyTimeoutMs);
    } catch (err) {
      await daemon.stop('SIGKILL');
      throw err;
    }
    return daemon;
  }

  /** The kiosk's address from the ready line, without the trailing slash: `http://127.0.0.1:PORT`. */
  get base(): string {
    if (this.#readyLine === undefined)
      throw new Error(`Expected the daemon to be ready before reading \`base\`, got no \`${READY}\` line yet`);
    return String(this.#readyLine['kiosk']).replace(/\/$/, '');
  }

  /** What the daemon wrote to stderr so far (and any stdout line that is not JSON). */
  stderr(): string {
    return this.#stderr;
  }

  /**
   * Resolves with the `moodbox ready` line. Rejects, quoting the end of stderr and of the log, when
   * the process exits first or `timeoutMs` passes (the process is left running then).
   */
  async ready(timeoutMs = DEFAULT_READY_TIMEOUT_MS): Promise<LogLine> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Expected the daemon to log \`${READY}\` within ${timeoutMs} ms, got none${this.#tail()}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.#ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends `signal`, then SIGKILL if the process is still there after `killAfterMs`; resolves once it has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', killAfterMs = DEFAULT_KILL_AFTER_MS): Promise<DaemonExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill(signal);
      const killer = setTimeout(() => this.child.kill('SIGKILL'), killAfterMs);
      try {
        return await this.exited;
      } finally {
        clearTimeout(killer);
      }
    }
    return this.exited;
  }

  /** The end of stderr and of the log, for a failure message. */
  #tail(): string {
    const log = this.lines.slice(-LOG_TAIL_LINES).map((line) => JSON.stringify(line));
    return `\nlast log lines:\n${log.join('\n') || '(none)'}\nstderr:\n${this.#stderr.slice(-STDERR_TAIL_CHARS) || '(empty)'}`;
  }
}

function describeExit({ code, signal }: DaemonExit): string {
  return signal === null ? `code ${code}` : `signal ${signal}`;
}

/** Writes `config` as `config.json` in `dir` and returns its path, for `--config` or `MOODBOX_CONFIG`. */
export function writeConfig(dir: string, config: Readonly<Record<string, unknown>>): string {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
