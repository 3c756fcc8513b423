import { MoodboxError } from '../../kernel/errors.js';
import { StoreError } from './store-error.js';

/** Turns SQLite write failures (read-only file, full disk) into a `StoreError` the operator can act on. */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MoodboxError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (
      code.startsWith('SQLITE_READONLY') ||
      code.startsWith('SQLITE_FULL') ||
      code.startsWith('SQLITE_IOERR') ||
      code.startsWith('SQLITE_CANTOPEN')
    ) {
      const why = code.startsWith('SQLITE_FULL')
        ? 'the disk is full'
        : code.startsWith('SQLITE_READONLY')
          ? 'the database is read-only'
          : 'an I/O error';
      throw new StoreError('MB_ERR_STORE_WRITE', `cannot write to the database: ${why} (${code})`, { cause: err });
    }
    throw err;
  }
}

/** A page's size: 50 rows unless asked, at least 1 and at most 1000. */
export const clampLimit = (limit: number | undefined): number => Math.min(Math.max(limit ?? 50, 1), 1000);

/** A value made on first use (a statement over a table a later migration adds). */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
