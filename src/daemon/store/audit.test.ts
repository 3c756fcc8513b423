import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { actors, auditFirst, auditOrUndo, recordAudit } from './audit.js';
import { openSqliteStore } from './sqlite-store.js';

const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

function box() {
  const clock = new FakeClock(1_700_000_000_000);
  const store = openSqliteStore({ clock, log: silent }, { path: ':memory:' });
  return { clock, store, deps: { audit: store.audit, clock } };
}

describe('the audit, written one way for every actor', () => {
  it('names each actor the same way wherever they act', () => {
    expect([
      actors.admin(7),
      actors.person(3),
      actors.kiosk,
      actors.mqtt('homeassistant'),
      actors.fleet,
      actors.cli,
      actors.selfAt('ip:10.0.0.5'),
    ]).toEqual([
      { name: 'admin:7', userId: 7 },
      { name: 'user:3', userId: 3 },
      { name: 'kiosk' },
      { name: 'mqtt:homeassistant' },
      { name: 'mqtt:fleet' },
      { name: 'cli' },
      { name: 'self:ip:10.0.0.5' },
    ]);
  });

  it('keeps who did what, to what, and when', () => {
    const { store, deps, clock } = box();
    recordAudit(deps, actors.admin(7), 'backup.create', { target: 'moodbox-manual.db', detail: { bytes: 4096 } });
    expect(store.audit.list().items).toEqual([
      expect.objectContaining({
        at: clock.now(),
        actor: 'admin:7',
        action: 'backup.create',
        target: 'moodbox-manual.db',
        detail: { bytes: 4096 },
      }),
    ]);
  });

  it('takes a refused command’s line back, and completes an accepted one with what only the change tells', async () => {
    const { store, deps } = box();
    const refused = auditFirst(deps, actors.kiosk, 'player.tap', { trackId: 9 }, () => Promise.reject(new RangeError('no such song')));
    await expect(refused).rejects.toThrow('no such song');
    expect(store.audit.list().total).toBe(0);

    await auditFirst(
      deps,
      actors.person(3),
      'player.skip',
      {},
      () => Promise.resolve({ trackId: 4 }),
      (done) => done,
    );
    expect(store.audit.list().items.map((line) => [line.actor, line.action, line.detail])).toEqual([
      ['user:3', 'player.skip', { trackId: 4 }],
    ]);
  });

  it('changes nothing when the line cannot be written: the command is not made, or is undone', async () => {
    const { deps } = box();
    const full = {
      ...deps,
      audit: {
        ...deps.audit,
        append: (): number => {
          throw new Error('database or disk is full');
        },
      },
    };
    let made = false;
    await expect(auditFirst(full, actors.admin(1), 'player.play-now', { trackId: 2 }, async () => (made = true))).rejects.toThrow(
      'disk is full',
    );
    expect(made).toBe(false);

    // The volume was turned from 40 to 70 before its line was written.
    let volume = 70;
    await expect(auditOrUndo(full, actors.fleet, 'player.volume', { detail: { wanted: 70 } }, async () => (volume = 40))).rejects.toThrow(
      'disk is full',
    );
    expect(volume).toBe(40);
  });
});
