import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { diskUse } from '../../ops/disk-use.js';
import type { Clock } from '../../../kernel/clock.js';
import type { StoreReads } from '../../store/store-reads.js';
import { DiskUseSchema } from '../schemas/disk.js';
import { withAccess } from '../access.js';

export interface DiskRoutesOptions {
  store: Pick<StoreReads, 'maintenance'>;
  clock: Clock;
  dataDir: string;
  /** `log.file`, relative to the data directory; empty: none. */
  logFile: string;
}

/** What the box keeps on disk, by part and table, and the days left at the rate it grows: for the dashboard. */
export const diskRoutes: FastifyPluginAsyncTypebox<DiskRoutesOptions> = async (app, deps) => {
  app.get(
    '/api/admin/disk',
    {
      schema: {
        operationId: 'getDiskUse',
        tags: ['admin'],
        summary: 'Disk use by part and database table, and the days left at the current growth',
        response: { 200: DiskUseSchema },
      },
    },
    async () => diskUse({ dataDir: deps.dataDir, now: deps.clock.now(), database: deps.store.maintenance.use(), logFile: deps.logFile }),
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { store, clock, settings } = app.moodbox;
  const { dataDir, log } = settings.current;
  await app.register(withAccess('admin', diskRoutes), { store, clock, dataDir, logFile: log.file });
}
