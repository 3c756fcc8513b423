import { DomainError, type MoodboxErrorCode } from '../../kernel/errors.js';

/** The codes of the database and its backups, with their meanings. */
export const STORE_ERROR_CODES = {
  MB_ERR_STORE_OPEN: 'the database cannot be opened or created',
  MB_ERR_STORE_MIGRATION: 'a database migration failed; the pre-migration backup is kept',
  MB_ERR_STORE_WRITE: 'a write to the database failed (read-only file, disk full)',
  MB_ERR_STORE_NEWER: 'the database was written by a newer Moodbox',
  MB_ERR_STORE_BACKUP: 'a backup of the database cannot be written (disk full, folder not writable)',
  MB_ERR_STORE_RESTORE:
    'a backup cannot be restored: Moodbox is running, the file fails its integrity check, or its schema is not exactly that of a Moodbox migration',
  MB_ERR_STORE_DAMAGED: 'the database file is damaged: restore a backup or move it away; Moodbox does not start on it',
} as const satisfies Readonly<Record<MoodboxErrorCode, string>>;

export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

/** The database cannot be opened, migrated, written, backed up or restored (`MB_ERR_STORE_*`), or a row to change is gone (`MB_ERR_NOT_FOUND`). */
export class StoreError extends DomainError<StoreErrorCode | 'MB_ERR_NOT_FOUND'> {}
