import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { openSqliteStore, type SqliteStore } from './sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const clock = new FakeClock(Date.UTC(2026, 10, 27, 9));
const open = (path: string): SqliteStore => openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path });

/**
 * The box as the backup knew it (Ada's old passphrase and a session, Carl, an old Spotify sign-in),
 * then today (Ada's new passphrase, Carl deleted, Bob added, cards relinked): returns both files.
 */
function backupThenToday(): { backup: string; today: string } {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-restore-people-'));
  dirs.push(dir);
  const today = join(dir, 'moodbox.db');
  const backup = join(dir, 'backup.db');
  const then = open(today);
  const ada = then.users.create({ name: 'Ada', role: 'admin', pinHash: 'old-passphrase-hash' });
  const carl = then.users.create({ name: 'Carl', role: 'member', pinHash: 'carl-pin-hash' });
  then.cards.link({ cardId: 'CARD-ADA-OLD', userId: ada.id });
  then.cards.link({ cardId: 'CARD-CARL', userId: carl.id });
  then.sessions.create({
    tokenHash: 'stolen',
    userId: ada.id,
    kind: 'admin',
    csrfToken: 'c',
    createdAt: 1,
    lastSeenAt: 1,
    expiresAt: 9e12,
  });
  then.secrets.set('spotify.tokens', 'old tokens', 1);
  then.settings.set('music.live', { hold: { label: 'sad', until: 5 }, staffQueue: [1] }, 1);
  then.plays.start({
    trackId: then.tracks.upsert({ uri: '/srv/music/a.mp3', title: 'A' }).id,
    userId: carl.id,
    startedAt: 1,
    reason: 'mood',
  });
  then.close();
  copyFileSync(today, backup);

  const now = open(today);
  now.users.update(ada.id, { pinHash: 'new-passphrase-hash' });
  now.sessions.deleteForUser(ada.id);
  now.cards.unlink('CARD-ADA-OLD');
  now.cards.link({ cardId: 'CARD-ADA-NEW', userId: ada.id });
  now.users.delete(carl.id, 'anonymize');
  const bob = now.users.create({ name: 'Bob', role: 'member', pinHash: 'bob-pin-hash' });
  now.cards.link({ cardId: 'CARD-BOB', userId: bob.id });
  now.secrets.set('spotify.tokens', 'today tokens', 2);
  now.settings.set('music.live', { hold: { label: 'happy', until: 9 }, staffQueue: [] }, 2);
  now.close();
  return { backup, today };
}

describe('who may sign in after a restore', () => {
  it('keeps today’s people, passphrases, cards and secrets, signs everyone out, and disables those deleted since', () => {
    const { backup, today } = backupThenToday();
    const restored = open(backup);
    try {
      expect(restored.keepTodaysPeople(today, { restorePeople: false })).toEqual({
        signedOut: 1,
        people: 'today',
        disabled: ['Carl'],
        added: ['Bob'],
      });
      const byName = (name: string) => restored.users.byName(name);
      // The old passphrase opens nothing; the session signed out by its change stays out.
      expect(byName('Ada')?.pinHash).toBe('new-passphrase-hash');
      expect(restored.sessions.get('stolen')).toBeUndefined();
      // Deleted since: back with their history, but no one can sign in as them, by PIN or card.
      expect(byName('Carl')?.disabled).toBe(true);
      expect(restored.cards.get('CARD-CARL')).toBeUndefined();
      expect(restored.cards.get('CARD-ADA-OLD')).toBeUndefined();
      // Added since: carried over with what they sign in with.
      expect(byName('Bob')).toMatchObject({ role: 'member', pinHash: 'bob-pin-hash', disabled: false });
      expect(restored.cards.get('CARD-BOB')?.userId).toBe(byName('Bob')?.id);
      expect(restored.cards.get('CARD-ADA-NEW')?.userId).toBe(byName('Ada')?.id);
      expect(restored.secrets.get('spotify.tokens')).toBe('today tokens');
      // What staff set today (a hold, their queue) is today's too, not the backup's.
      expect(restored.settings.get('music.live')).toEqual({ hold: { label: 'happy', until: 9 }, staffQueue: [] });
    } finally {
      restored.close();
    }
  });

  it('brings the backup’s people back when the admin asks for them, still signing everyone out', () => {
    const { backup, today } = backupThenToday();
    const restored = open(backup);
    try {
      expect(restored.keepTodaysPeople(today, { restorePeople: true })).toEqual({
        signedOut: 1,
        people: 'backup',
        disabled: [],
        added: [],
      });
      expect(restored.users.byName('Ada')?.pinHash).toBe('old-passphrase-hash');
      expect(restored.users.byName('Carl')?.disabled).toBe(false);
      expect(restored.sessions.get('stolen')).toBeUndefined();
      expect(restored.settings.get('music.live')).toEqual({ hold: { label: 'sad', until: 5 }, staffQueue: [1] });
    } finally {
      restored.close();
    }
  });
});
