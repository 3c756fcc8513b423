import { rmSync } from 'node:fs';
import type { Logger } from 'pino';
import type { MoodboxBus } from '../events.js';
import type { ServiceNotifier } from './systemd-notify.js';

/**
 * How long any stop (a signal, a restart asked for by staff, the fleet or the memory guard) may
 * take before the process exits anyway, with the code it was stopping with (ms). Each service has
 * 2 s of it (`Lifecycle`); systemd's TimeoutStopSec (10 s) leaves room above it, so a stop never
 * ends in SIGKILL.
 */
export const SHUTDOWN_DEADLINE_MS = 8000;

/** The running daemon's ways out: a stop done once, and the process's signals and last-resort handlers. */
export interface ProcessStop {
  /** Stops Moodbox once (a later call gets the same promise), within `SHUTDOWN_DEADLINE_MS`, and resolves with `code`. */
  shutdown(reason: string, code: number): Promise<number>;
  /** Resolves with the exit code once a signal or a restart request has stopped Moodbox. */
  readonly signalled: Promise<number>;
  /** Stops listening to the process (a start tried again without the saved settings listens anew). */
  detach(): void;
}

/**
 * Listens to SIGINT and SIGTERM (a clean stop), to restart requests on the bus (exit 75, for
 * systemd to start it again), and, as the last line of defence, to uncaught exceptions (logged, then
 * a stop with exit 1: half-run code may be left behind) and unhandled rejections (logged; the daemon
 * goes on). No request should ever get there: the hostile-input tests read the log for these lines.
 */
export function watchProcess(deps: {
  /** The box: stopped once; what is still stopping is logged when the deadline passes. */
  moodbox: { stop(): Promise<void>; stillStopping(): string[] };
  bus: MoodboxBus;
  log: Logger;
  notifier: ServiceNotifier;
  pidFile: string;
  /** Exit codes: a clean stop, a restart, a failure. */
  exit: { OK: number; RESTART: number; FAILURE: number };
}): ProcessStop {
  const { moodbox, log, notifier, pidFile, exit } = deps;
  let stopping: Promise<number> | undefined;
  const shutdown = (reason: string, code: number): Promise<number> => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      notifier.stopping();
      const deadline = setTimeout(() => {
        // Whatever is still pending (a broker's reconnect, a hung mpv, a file being read) ends with the process.
        log.fatal({ ms: SHUTDOWN_DEADLINE_MS, code, pending: moodbox.stillStopping() }, 'shutdown took too long; exiting anyway');
        rmSync(pidFile, { force: true });
        void flushLog(log).then(() => process.exit(code));
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      await moodbox.stop();
      rmSync(pidFile, { force: true });
      clearTimeout(deadline);
      notifier.close();
      log.info({ code }, 'stopped');
      await flushLog(log);
      return code;
    })();
    return stopping;
  };
  let resolveSignalled: (code: number) => void = () => {};
  const signalled = new Promise<number>((resolve) => (resolveSignalled = resolve));
  const onSignal = (signal: NodeJS.Signals): void => void shutdown(signal, exit.OK).then(resolveSignalled);
  const onUncaught = (err: unknown, source: NodeJS.UncaughtExceptionOrigin): void => {
    log.fatal({ err, source }, 'uncaught exception');
    void shutdown('uncaught exception', exit.FAILURE).then((code) => process.exit(code));
  };
  const onUnhandled = (err: unknown): void => {
    log.error({ err, source: 'unhandledRejection' }, 'unhandled rejection');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  deps.bus.on('restartRequested', ({ by }) => void shutdown(`restart asked for by ${by}`, exit.RESTART).then(resolveSignalled), 'main');
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUnhandled);
  return {
    shutdown,
    signalled,
    detach: () => {
      process.removeListener('uncaughtException', onUncaught);
      process.removeListener('unhandledRejection', onUnhandled);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

/** Writes out what the logger still holds (bounded: a stuck stdout must not hold up the exit). */
export function flushLog(log: Pick<Logger, 'flush'>, ms = 1000): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    try {
      log.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
