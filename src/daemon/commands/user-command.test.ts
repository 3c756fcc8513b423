import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AuthService } from '../people/auth-service.js';
import { SignInThrottle } from '../people/throttle.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { MOODBOX_CLI } from '../testing/daemon-process.js';

function moodbox(dataDir: string, args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [MOODBOX_CLI, ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: dataDir, MOODBOX_DATA_DIR: dataDir },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('moodbox user / card', { timeout: 60_000 }, () => {
  it('sets people up without a screen: add with a PIN from stdin, list, change PIN, link a card', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-users-'));
    expect(moodbox(dataDir, ['user', 'add', 'Boss', '--role', 'admin'], 'correct horse battery\n')).toMatchObject({
      status: 0,
      stdout: 'created admin Boss (id 1)\n',
    });
    expect(moodbox(dataDir, ['user', 'add', 'Ada'], '4711\n').status).toBe(0);
    expect(moodbox(dataDir, ['user', 'pin', 'ada'], '2468\n')).toMatchObject({ status: 0, stdout: 'new PIN set for Ada\n' });
    expect(moodbox(dataDir, ['card', 'link', 'Ada', '0004417733'])).toMatchObject({ status: 0, stdout: 'card …7733 now signs in Ada\n' });
    const list = JSON.parse(moodbox(dataDir, ['user', 'list', '--json']).stdout) as unknown;
    expect(list).toEqual([
      { id: 2, name: 'Ada', role: 'member', disabled: false, cards: 1 },
      { id: 1, name: 'Boss', role: 'admin', disabled: false, cards: 0 },
    ]);
    // The card is linked through the people's one command, audited as the panel's are, by the CLI.
    const store = openSqliteStore({ clock: new FakeClock(), log: pino({ level: 'silent' }) }, { path: join(dataDir, 'moodbox.db') });
    try {
      expect(store.audit.list({ action: 'card.link' }).items).toMatchObject([{ actor: 'cli', target: 'Ada', detail: { card: '…7733' } }]);
    } finally {
      store.close();
    }
  });

  it('refuses a PIN that breaks the policy and an unknown person, with a clear message', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-users-'));
    const short = moodbox(dataDir, ['user', 'add', 'Ada'], '12\n');
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('Expected a PIN of 4 to 8 digits');
    const unknown = moodbox(dataDir, ['card', 'link', 'Nobody', '0004417733']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no user named `Nobody`');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  it('adds staff with `--role staff`, who sign in with their PIN at the kiosk and in the panel', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-users-'));
    expect(moodbox(dataDir, ['user', 'add', 'Bea', '--role', 'staff'], '2580\n')).toMatchObject({
      status: 0,
      stdout: 'created staff Bea (id 1)\n',
    });
    expect(JSON.parse(moodbox(dataDir, ['user', 'list', '--json']).stdout)).toEqual([
      { id: 1, name: 'Bea', role: 'staff', disabled: false, cards: 0 },
    ]);
    expect(moodbox(dataDir, ['user', 'list']).stdout).toBe('   1  staff   Bea\n');
    // Staff use a PIN, as at the kiosk's pad; a role nobody knows is refused by its name.
    const passphrase = moodbox(dataDir, ['user', 'add', 'Cem', '--role', 'staff'], 'correct horse battery\n');
    expect(passphrase).toMatchObject({ status: 1 });
    expect(passphrase.stderr).toContain('Expected a PIN of 4 to 8 digits');
    const owner = moodbox(dataDir, ['user', 'add', 'Dan', '--role', 'owner'], '1234\n');
    expect(owner.status).toBe(1);
    expect(owner.stderr).toContain('Expected `--role` to be admin, staff, member, got `owner`');
    const clock = new FakeClock();
    const log = pino({ level: 'silent' });
    const store = openSqliteStore({ clock, log }, { path: join(dataDir, 'moodbox.db') });
    try {
      const auth = new AuthService(
        { store, clock, log, throttle: new SignInThrottle({ clock }) },
        { kioskIdleTimeoutMs: 1, adminSessionMs: 1 },
      );
      for (const kind of ['kiosk', 'admin'] as const) {
        const signed = await auth.signInWithSecret({ name: 'bea', secret: '2580', device: 'ip:192.168.1.20', kind });
        expect(signed.user).toMatchObject({ name: 'Bea', role: 'staff' });
      }
    } finally {
      store.close();
    }
  });

  // Issue 14: staff need a way past a guessed account's wait that works beside the running daemon.
  it('unlocks a person with `user unlock`, and the daemon beside it lets them sign in at once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-users-'));
    expect(moodbox(dataDir, ['user', 'add', 'Ada'], '4711\n').status).toBe(0);
    const clock = new FakeClock();
    const log = pino({ level: 'silent' });
    const store = openSqliteStore({ clock, log }, { path: join(dataDir, 'moodbox.db') });
    try {
      const daemon = new AuthService(
        { store, clock, log, throttle: new SignInThrottle({ clock }) },
        { kioskIdleTimeoutMs: 1, adminSessionMs: 1 },
      );
      for (let i = 0; i < 10; i++)
        await daemon.signInWithSecret({ name: 'Ada', secret: '0000', device: 'kiosk', kind: 'kiosk' }).catch(() => {});
      const ada = daemon.findUser('Ada');
      expect(ada && daemon.signInStatus(ada).waitMs).toBeGreaterThan(0);

      expect(moodbox(dataDir, ['user', 'unlock', 'ＡＤＡ'])).toMatchObject({ status: 0, stdout: 'Ada can sign in again at once\n' });
      const signed = await daemon.signInWithSecret({ name: 'Ada', secret: '4711', device: 'other-kiosk', kind: 'kiosk' });
      expect(signed.user.name).toBe('Ada');
      expect(store.audit.list({ action: 'auth.unlock' }).items.map((e) => [e.actor, e.target])).toEqual([['cli', 'Ada']]);
    } finally {
      store.close();
    }
    const unknown = moodbox(dataDir, ['user', 'unlock', 'Nobody']);
    expect([unknown.status, unknown.stderr]).toEqual([1, expect.stringContaining('no user named `Nobody`')]);
  });
});
