import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiskUse } from './contract.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { buildTestServer } from '../testing/server.js';
import { actors } from '../store/audit.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('GET /api/admin/disk', () => {
  it('shows an admin the disk use by part and table and the days left, and nobody else', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mb-disk-'));
    const day = 86_400_000;
    const clock = new FakeClock(Date.UTC(2026, 10, 24, 12));
    const store = openSqliteStore({ clock, log: pino({ level: 'silent' }) }, { path: join(dir, 'moodbox.db') });
    store.stats.logMoods(Array.from({ length: 3000 }, (_, i) => ({ at: i, mood: 'happy', confidence: 0.5, faces: 1 })));
    mkdirSync(join(dir, 'covers'));
    writeFileSync(join(dir, 'covers', 'a.jpg'), Buffer.alloc(4096));
    // Two nights: the data directory grew by 1 MiB a day.
    writeFileSync(
      join(dir, 'disk-use.json'),
      JSON.stringify([
        { at: clock.now() - 2 * day, bytes: 1_000_000 },
        { at: clock.now() - day, bytes: 1_000_000 + 1024 * 1024 },
      ]),
    );
    const { app, auth } = await buildTestServer({ clock, store, dataDir: dir });
    try {
      expect((await app.inject({ url: '/api/admin/disk' })).statusCode).toBe(401);
      await auth.createUser({ name: 'Boss', role: 'admin', secret: 'correct horse battery' }, actors.cli);
      const session = await app.inject({
        method: 'POST',
        url: '/api/admin/session',
        payload: { name: 'Boss', passphrase: 'correct horse battery' },
      });
      const cookie = String(session.headers['set-cookie']).split(';')[0] ?? '';
      const res = await app.inject({ url: '/api/admin/disk', headers: { cookie } });
      expect(res.statusCode).toBe(200);
      const use = res.json<DiskUse>();
      expect(use.dataDir).toBe(dir);
      expect(use.parts.find((p) => p.name === 'covers')?.bytes).toBe(4096);
      expect(use.parts.find((p) => p.name === 'database')?.bytes).toBeGreaterThan(0);
      expect(use.tables.map((t) => t.name)).toContain('mood_log');
      expect(use.growthBytesPerDay).toBe(1024 * 1024);
      expect(use.daysLeft).toBe(Math.floor(use.filesystem.freeBytes / (1024 * 1024)));
    } finally {
      await app.close();
      store.close();
    }
  });
});
