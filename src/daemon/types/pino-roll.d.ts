declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';

  export interface PinoRollOptions {
    /** The base path; a number (and `extension`) is appended to it. */
    file: string;
    /** Rotate at this size: a number of MB, or `'10m'`, `'500k'`. */
    size?: string | number;
    /** Rotate `'daily'`, `'hourly'`, or every this many ms. */
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    mkdir?: boolean;
    /** `count`: old files kept besides the current one. */
    limit?: { count?: number; removeOtherLogFiles?: boolean };
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<DestinationStream & { end(): void; flushSync(): void }>;
}
