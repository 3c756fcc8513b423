import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MoodboxError } from '../../../kernel/errors.js';
import { latestBackup } from '../../store/backups.js';
import { ErrorRef } from '../schemas/common.js';
import { imageResponse } from '../schemas/appliance.js';

/** SQLite's registered media type. */
const SQLITE = 'application/vnd.sqlite3';

export interface BackupRoutesOptions {
  /** The data directory: backups are read from its `backups/` folder. */
  dataDir: string;
}

/** The newest database backup (nightly, or `moodbox backup`), for an admin to keep off the box. */
export const backupRoutes: FastifyPluginAsyncTypebox<BackupRoutesOptions> = async (app, deps) => {
  app.get(
    '/api/admin/backups/latest',
    {
      config: { access: 'admin' },
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
      if (file === undefined)
        throw new MoodboxError('MB_ERR_NOT_FOUND', 'No backup yet: the first nightly copy is taken at 03:00, or run `moodbox backup`.');
      const bytes = await readFile(file);
      return reply
        .type(SQLITE)
        .header('content-disposition', `attachment; filename="${basename(file)}"`)
        .send(bytes);
    },
  );
};
