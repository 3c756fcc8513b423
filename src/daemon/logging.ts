import { isAbsolute, join } from 'node:path';
import { pino, type DestinationStream, type LogFn, type Logger } from 'pino';
import type { Config, LogLevel } from './config/schema.js';

export type { Logger } from 'pino';

/** Paths removed from every log line: credentials never reach the journal. */
export const REDACT_PATHS = [
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.password',
  '*.pin',
  '*.secret',
  '*.clientSecret',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const PINO_ROLL: string = 'pino-roll';

/** pino's number for the `error` level; `fatal` is 60. */
const ERROR_LEVEL = 50;

interface PinoRollOptions {
  /** The base path; a number and `extension` are appended. */
  file: string;
  extension: string;
  frequency: 'daily' | 'hourly' | number;
  /** `'10m'`: MB. */
  size: string;
  /** Old files kept besides the current one. */
  limit: { count: number };
  mkdir: boolean;
}

/**
 * The rotating log file of `log.file` (outside systemd, where journald does not keep the log):
 * `<name>.<n>.log` rotated daily and at `log.fileMiB`, `log.fileCount` old files kept, through
 * pino-roll (a file per day and size, old ones removed, no daemon of its own; logrotate would need
 * root's cron and a signal to reopen). Undefined when `log.file` is empty.
 */
export async function openLogFile(config: Pick<Config, 'dataDir' | 'log'>): Promise<DestinationStream | undefined> {
  if (config.log.file === '') return undefined;
  // pino-roll ships no types: its options as documented in its pino-roll.js.
  const { default: pinoRoll } = (await import(PINO_ROLL)) as { default: (options: PinoRollOptions) => Promise<DestinationStream> };
  const path = isAbsolute(config.log.file) ? config.log.file : join(config.dataDir, config.log.file);
  return pinoRoll({
    file: path.replace(/\.log$/, ''),
    extension: '.log',
    frequency: 'daily',
    size: `${config.log.fileMiB}m`,
    limit: { count: config.log.fileCount },
    mkdir: true,
  });
}

/** Told of each line written at `error` or `fatal`, with its logger's `module` (the metrics' `ErrorCounter`). */
export interface ErrorLines {
  /** A logger was made for `part` (its `module`): its count starts, at 0. */
  named(part: unknown): void;
  /** `part` wrote a line at `error` or `fatal`. */
  logged(part: unknown): void;
}

/** How pino-pretty writes the log on a terminal: the time of day, without the pid and host name. */
const PRETTY = { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } as const;

/**
 * The root logger. JSON lines to stdout; pretty-printed only when stdout is a terminal. With a
 * `file` (`openLogFile`), the JSON lines go there (and pretty ones to a terminal). Each module takes `log.child({ module })`.
 * With `errors`, each line written at `error` or `fatal` is told to it, with its logger's module.
 */
export function createLogger(options: {
  level: LogLevel;
  destination?: DestinationStream;
  pretty?: boolean;
  file?: DestinationStream | undefined;
  errors?: ErrorLines | undefined;
}): Logger {
  const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY);
  const errors = options.errors;
  const base = {
    level: options.level,
    base: { pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
    ...(errors === undefined
      ? {}
      : {
          onChild: (child: Logger) => errors.named(child.bindings()['module']),
          hooks: {
            logMethod(this: Logger, args: Parameters<LogFn>, method: LogFn, level: number): void {
              // Only lines of an enabled level reach the hook; the bindings are read for an error's alone.
              if (level >= ERROR_LEVEL) errors.logged(this.bindings()['module']);
              method.apply(this, args);
            },
          },
        }),
  };
  if (options.destination) return pino(base, options.destination);
  if (options.file !== undefined) {
    // On a terminal its lines are pretty as without a file (issue 82); the file keeps the JSON.
    const stdout = pretty ? pino.transport({ target: 'pino-pretty', options: PRETTY }) : pino.destination({ dest: 1, sync: false });
    // The logger's own level filters; each stream takes every line it is given.
    return pino(
      base,
      pino.multistream([
        { stream: stdout, level: 'trace' },
        { stream: options.file, level: 'trace' },
      ]),
    );
  }
  if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: PRETTY } });
  return pino(base, pino.destination({ dest: 1, sync: false }));
}
