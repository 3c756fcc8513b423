import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config/schema.js';

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

/**
 * The root logger. JSON lines to stdout; pretty-printed only when stdout is a terminal.
 * Each module takes `log.child({ module })`.
 */
export function createLogger(options: { level: LogLevel; destination?: DestinationStream; pretty?: boolean }): Logger {
  const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY);
  const base = {
    level: options.level,
    base: { pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return pino(base, pino.destination({ dest: 1, sync: false }));
}
