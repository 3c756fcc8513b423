import { MoodboxError } from '../../kernel/errors.js';
import { said, type Said } from '../../kernel/said.js';
import { StoreError, type StoreErrorCode } from '../store/store-error.js';

/**
 * The refusals of the backups an owner makes, adds and restores on the admin panel, each written
 * once in both forms: the English `message` and the same sentence as data
 * (`common.said.backup.*`), for the panel to say in its reader's language. A path, a file's name and
 * a cause of the system's own (`{reason}`: an errno's text, the checks' findings) stay as they are.
 * The store's files (`store/backups.ts`, `backup-files.ts`, `restore-stage.ts`), the backup service
 * and its routes all refuse with these. `test/browser/catalogues.test.ts` says every `said` through
 * the English catalogue and checks it is the `message`.
 */
const refused = (code: StoreErrorCode | 'MB_ERR_NOT_FOUND', message: string, id: string, values?: Said['values']): StoreError =>
  new StoreError(code, message, { said: said(`backup.${id}`, values) });

export const BACKUP_REFUSALS = {
  /** An uploaded file over `maxBytes`. */
  tooLarge: (maxBytes: number) => {
    const mib = String(Math.floor(maxBytes / 2 ** 20));
    return refused('MB_ERR_STORE_RESTORE', `the file is larger than ${mib} MiB`, 'tooLarge', { mib });
  },
  /** An uploaded file with nothing in it. */
  empty: () => refused('MB_ERR_STORE_RESTORE', 'the file is empty', 'empty'),
  /** An upload that could not be written to the backups folder, for `reason`. */
  cannotKeepUpload: (reason: string, cause: unknown) =>
    new StoreError('MB_ERR_STORE_BACKUP', `cannot keep the uploaded file: ${reason}`, {
      cause,
      said: said('backup.cannotKeepUpload', { reason }),
    }),
  /** A backup that could not be given its name in the backups folder, for `reason`. */
  cannotKeep: (name: string, reason: string, cause: unknown) =>
    new StoreError('MB_ERR_STORE_BACKUP', `cannot keep the backup ${name}: ${reason}`, {
      cause,
      said: said('backup.cannotKeep', { name, reason }),
    }),
  /** Too many backups of one name (made in the same second). */
  tooManyOfName: (name: string) =>
    refused('MB_ERR_STORE_BACKUP', `cannot keep the backup ${name}: too many of that name`, 'tooManyOfName', { name }),
  /** No database at `path` to back up. */
  noDatabase: (path: string) => refused('MB_ERR_STORE_OPEN', `cannot back up ${path}: no such database`, 'noDatabase', { path }),
  /** The copy of `source` to `target` failed, for `reason`. */
  cannotBackUp: (source: string, target: string, reason: string, cause: unknown) =>
    new StoreError('MB_ERR_STORE_BACKUP', `cannot back up ${source} to ${target}: ${reason}`, {
      cause,
      said: said('backup.cannotBackUp', { source, target, reason }),
    }),
  /** A copy made now that is gone from the folder at once. */
  writtenButGone: (name: string) =>
    refused('MB_ERR_STORE_BACKUP', `the backup ${name} was written but is gone`, 'writtenButGone', { name }),
  /** The backup `name` fails the restore's checks (`problems`, as they are). */
  cannotRestore: (name: string, problems: readonly string[]) =>
    refused('MB_ERR_STORE_RESTORE', `cannot restore ${name}: ${problems.join('; ')}`, 'cannotRestore', {
      name,
      reason: problems.join('; '),
    }),
  /** No backup of this name on the box. */
  noBackupNamed: (name: string) => refused('MB_ERR_NOT_FOUND', `No backup named “${name}” on this box.`, 'noBackupNamed', { name }),
  /** No backup at all yet, to download. */
  noneYet: () =>
    refused('MB_ERR_NOT_FOUND', 'No backup yet: the first nightly copy is taken at 03:00, or choose “Back up now”.', 'noneYet'),
  /** An upload whose body is no file of `type`. */
  notAFile: (type: string) =>
    new MoodboxError('MB_ERR_HTTP_BAD_REQUEST', `Expected the body to be a backup file (${type}).`, {
      said: said('backup.notAFile', { type }),
    }),
} as const;
