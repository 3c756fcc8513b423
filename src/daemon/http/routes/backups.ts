import type { FastifyInstance } from 'fastify';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BACKUP_REFUSALS } from '../../backups/backup-refusals.js';
import { NIGHTLY_HOUR, UPLOAD_MAX_BYTES, type BackupService } from '../../backups/backup-service.js';
import { latestBackup } from '../../backups/backups.js';
import { ErrorRef } from '../schemas/common.js';
import { imageResponse } from '../schemas/appliance.js';
import { BackupNameParams, BackupSchema, BackupsSchema, RestoreStartedSchema } from '../schemas/backups.js';
import { withAccess } from '../access.js';

/** SQLite's registered media type. */
const SQLITE = 'application/vnd.sqlite3';

export interface BackupRoutesOptions {
  /** The data directory: backups are read from its `backups/` folder. */
  dataDir: string;
  /** The staff's backups and restores; absent: only the download of the newest backup is offered. */
  backups?: Pick<BackupService, 'list' | 'file' | 'backUpNow' | 'keepUpload' | 'restore' | 'lastRestore' | 'remove'> | undefined;
}

/**
 * The database's backups for admins: the newest one to keep off the box, and, with the backup
 * service, the list with sizes, a copy now, any one to download, an upload (checked before it is
 * kept) and a restore (checked, then put in place by a restart; the replaced database is kept).
 */
export const backupRoutes: FastifyPluginAsyncTypebox<BackupRoutesOptions> = async (app, deps) => {
  // Streamed from the file as the client reads it: memory stays flat whatever the backup's size and however many download at once.
  const download = async (file: string, reply: { type(t: string): unknown; header(k: string, v: string | number): unknown }) => {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      reply.type(SQLITE);
      reply.header('content-disposition', `attachment; filename="${basename(file)}"`);
      reply.header('content-length', size);
      // The stream owns the handle from here: it closes it at the end, on an error, or when the client goes away.
      return handle.createReadStream(size > 0 ? { end: size - 1 } : {});
    } catch (err) {
      await handle.close();
      throw err;
    }
  };

  app.get(
    '/api/admin/backups/latest',
    {
      schema: {
        operationId: 'downloadLatestBackup',
        tags: ['admin'],
        summary: 'Download the newest backup of the database',
        description:
          'The newest file in `<dataDir>/backups` (the nightly copy, or one written by `moodbox backup`), as an attachment. ' +
          'It holds PIN hashes and every play: it is never cached (`Cache-Control: no-store`). 404 while there is none.',
        response: { 200: imageResponse([SQLITE], 'The SQLite database file.'), 404: ErrorRef },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      const file = latestBackup(deps.dataDir);
      if (file === undefined) throw BACKUP_REFUSALS.noneYet();
      return reply.send(await download(file, reply));
    },
  );

  const backups = deps.backups;
  if (backups === undefined) return;

  app.get(
    '/api/admin/backups',
    {
      schema: {
        operationId: 'listBackups',
        tags: ['admin'],
        summary: 'The backups on the box, newest first, with their sizes, and the restore this start put in place',
        response: { 200: BackupsSchema },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { items: backups.list(), nightlyHour: NIGHTLY_HOUR, lastRestore: backups.lastRestore() ?? null };
    },
  );

  app.post(
    '/api/admin/backups',
    {
      schema: {
        operationId: 'backUpNow',
        tags: ['admin'],
        summary: 'Copy the database now (kept until removed by hand; the nightly pruning leaves it)',
        response: { 201: BackupSchema, 507: ErrorRef },
      },
    },
    async (request, reply) => reply.status(201).send(await backups.backUpNow(request.adminActor)),
  );

  app.get(
    '/api/admin/backups/:name',
    {
      schema: {
        operationId: 'downloadBackup',
        tags: ['admin'],
        summary: 'Download a backup by its name (`Cache-Control: no-store`)',
        params: BackupNameParams,
        response: { 200: imageResponse([SQLITE], 'The SQLite database file.'), 404: ErrorRef },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return reply.send(await download(backups.file(request.params.name), reply));
    },
  );

  app.delete(
    '/api/admin/backups/:name',
    {
      schema: {
        operationId: 'deleteBackup',
        tags: ['admin'],
        summary: 'Delete a backup by its name, whatever its kind (audited)',
        params: BackupNameParams,
        response: { 204: Type.Null(), 404: ErrorRef },
      },
    },
    async (request, reply) => {
      backups.remove(request.params.name, request.adminActor);
      return reply.status(204).send(null);
    },
  );

  // An uploaded backup is read as it arrives, into a file, never whole into memory.
  app.addContentTypeParser([SQLITE, 'application/octet-stream'], { bodyLimit: UPLOAD_MAX_BYTES }, (_request, payload, done) =>
    done(null, payload),
  );
  app.post(
    '/api/admin/backups/upload',
    {
      bodyLimit: UPLOAD_MAX_BYTES,
      // A file said to be too large is refused before a byte of it is read.
      onRequest: async (request) => {
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > UPLOAD_MAX_BYTES) throw BACKUP_REFUSALS.tooLarge(UPLOAD_MAX_BYTES);
      },
      schema: {
        operationId: 'uploadBackup',
        tags: ['admin'],
        summary: 'Add a backup from a file (`application/vnd.sqlite3`): kept only when it would restore',
        description:
          'Checked as a restore checks it (it opens as SQLite, passes its integrity check, and has exactly the schema of one of ' +
          'Moodbox’s migrations); refused with the reasons (422 `MB_ERR_STORE_RESTORE`) and nothing kept otherwise. At most 1 GiB.',
        response: { 201: BackupSchema, 400: ErrorRef, 422: ErrorRef, 507: ErrorRef },
      },
    },
    async (request, reply) => {
      const body = request.body as Readable | undefined;
      if (body === undefined || body === null || typeof (body as Partial<Readable>).pipe !== 'function') {
        throw BACKUP_REFUSALS.notAFile(SQLITE);
      }
      return reply.status(201).send(await backups.keepUpload(body, request.adminActor));
    },
  );

  app.post(
    '/api/admin/backups/:name/restore',
    {
      schema: {
        operationId: 'restoreBackup',
        tags: ['admin'],
        summary: 'Put a backup in place of the database: checked now, then Moodbox restarts and swaps it in',
        description:
          'Refused with the reasons (422 `MB_ERR_STORE_RESTORE`) when the backup would not restore, and nothing changes. ' +
          'Otherwise Moodbox stops, the next start puts the backup in place before the database opens, and the database it ' +
          'replaces is kept as a backup (`moodbox-before-restore-<time>.db`, listed here). Every session is signed out, and ' +
          'today’s people, PINs, passphrases, cards and Spotify sign-in stay as they are unless the JSON body says `{"people": true}`.',
        params: BackupNameParams,
        response: { 202: RestoreStartedSchema, 404: ErrorRef, 422: ErrorRef },
      },
    },
    async (request, reply) => {
      // An optional JSON body, `{"people": true}`: a plain POST, as before, restores the data and keeps today's people.
      const body: unknown = request.body;
      const people = typeof body === 'object' && body !== null && (body as { people?: unknown }).people === true;
      await backups.restore(request.params.name, request.adminActor, { people });
      return reply.status(202).send({ restarting: true, from: request.params.name });
    },
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { settings, backups } = app.moodbox;
  await app.register(withAccess('admin', backupRoutes), { dataDir: settings.current.dataDir, backups });
}
