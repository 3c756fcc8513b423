import { spawn } from 'node:child_process';

/** Talks to systemd's service manager (sd_notify). Every method is a no-op outside systemd. */
export interface ServiceNotifier {
  ready(status?: string): void;
  watchdog(): void;
  stopping(): void;
  status(text: string): void;
  /** Half of `WatchdogSec`, the period at which `watchdog()` must be called; undefined when no watchdog is set (ms). */
  readonly watchdogIntervalMs: number | undefined;
  close(): void;
}

const NOOP: ServiceNotifier = {
  ready() {},
  watchdog() {},
  stopping() {},
  status() {},
  watchdogIntervalMs: undefined,
  close() {},
};

/**
 * Returns a notifier for `$NOTIFY_SOCKET`, or a no-op one when the daemon does not run under
 * systemd. Path sockets are written with unix-dgram (Node has no datagram Unix sockets); abstract
 * sockets (`@…`) go through the `systemd-notify` tool.
 */
export async function createServiceNotifier(
  env: Readonly<Record<string, string | undefined>>,
  log: { warn(obj: object, msg: string): void },
): Promise<ServiceNotifier> {
  const socketPath = env['NOTIFY_SOCKET'];
  const watchdogIntervalMs = watchdogInterval(env);
  if (socketPath === undefined || socketPath === '') return { ...NOOP, watchdogIntervalMs };

  let write: (message: string) => void;
  let close = (): void => {};
  if (socketPath.startsWith('@')) {
    write = (message) => {
      const child = spawn('systemd-notify', [`--pid=${process.pid}`, ...message.split('\n')], { stdio: 'ignore' });
      child.on('error', (err) => log.warn({ err }, 'systemd notification failed'));
    };
  } else {
    const { createSocket } = await import('unix-dgram');
    const socket = createSocket('unix_dgram');
    socket.on('error', (err: Error) => log.warn({ err }, 'systemd notification failed'));
    write = (message) => {
      const buf = Buffer.from(message);
      socket.send(buf, 0, buf.length, socketPath);
    };
    close = () => socket.close();
  }
  return {
    ready: (status) => write(status === undefined ? 'READY=1' : `READY=1\nSTATUS=${status}`),
    watchdog: () => write('WATCHDOG=1'),
    stopping: () => write('STOPPING=1'),
    status: (text) => write(`STATUS=${text}`),
    watchdogIntervalMs,
    close,
  };
}

function watchdogInterval(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const usec = Number(env['WATCHDOG_USEC']);
  if (!Number.isFinite(usec) || usec <= 0) return undefined;
  const pid = env['WATCHDOG_PID'];
  if (pid !== undefined && pid !== '' && Number(pid) !== process.pid) return undefined;
  return Math.max(Math.floor(usec / 1000 / 2), 100);
}
