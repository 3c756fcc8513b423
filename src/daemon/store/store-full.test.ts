import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { storeOnDisk } from '../testing/full-disk.js';
import { buildTestServer, signInNewAdmin } from '../testing/server.js';
import { StoreService } from './store-service.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a full disk', () => {
  it('turns the database health degraded, saying why, and answers a write 507 MB_ERR_STORE_WRITE, not MB_ERR_INTERNAL', async () => {
    const clock = new FakeClock();
    const { store, limit, remove } = storeOnDisk(clock);
    cleanups.push(remove);
    const service = new StoreService({ store, clock, log: pino({ level: 'silent' }) });
    const server = await buildTestServer({ clock, store });
    cleanups.push(() => server.app.close());
    const { headers } = await signInNewAdmin(server);
    expect(service.health()).toEqual({ status: 'ready' });

    // Past the disk's last page every write fails with SQLITE_FULL.
    limit();
    const add = (i: number) =>
      server.app.inject({
        method: 'POST',
        url: '/api/admin/users',
        headers,
        payload: { name: `Filler ${i}`, role: 'member', pin: '1357' },
      });
    let res = await add(0);
    for (let i = 1; i < 500 && res.statusCode !== 507; i++) res = await add(i);
    expect(res.statusCode).toBe(507);
    expect(res.json()).toEqual({
      error: { code: 'MB_ERR_STORE_WRITE', message: expect.stringMatching(/^cannot write to the database: the disk is full/) },
    });
    expect(service.health()).toEqual({
      status: 'degraded',
      detail: 'cannot write to the database: the database has reached its size limit',
    });
  });
});
