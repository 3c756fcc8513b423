import type Database from 'better-sqlite3';

/** What a restore did to who may sign in. */
export interface PeopleAfterRestore {
  /** Sessions signed out: every one the backup carried. */
  signedOut: number;
  /** Whose accounts are today's (`today`), or the backup's because the admin asked for them (`backup`). */
  people: 'today' | 'backup';
  /** People the backup knows and today's box does not (deleted since): kept with their history, but disabled. */
  disabled: string[];
  /** People today's box knows and the backup does not (added since): carried over, with their PIN or passphrase and cards. */
  added: string[];
}

/**
 * Settings rows that hold what people set today rather than the box's configuration: carried over
 * from the replaced database with today's people (the guests' requests, each phone's list and
 * budget: `guests/guest-memory.ts`; the staff's hold, pause, queue and the song playing:
 * `music/music-memory.ts`), and the backup's when its people are asked for.
 */
export const TODAYS_LIVE_SETTINGS: readonly string[] = ['guests.live', 'music.live'];

/**
 * After a restore, on the restored database `db` (migrated): no session the backup carried signs
 * anyone in, and, unless the admin asked for the backup's people (`restorePeople`), who may sign
 * in and how stays as it was today, read from the replaced database at `today`. A person is the
 * same person by name. Their role, PIN or passphrase and disabled flag are today's. Their cards
 * are today's, and so are the kept secrets (Spotify's tokens) and the guests' live state
 * (`TODAYS_LIVE_SETTINGS`). People deleted since the backup come back disabled, with their
 * history, and people added since are carried over. A restore must never reopen a door that was
 * closed: a passphrase changed, a session signed out, a person removed. All of it lands in one
 * transaction, or none of it.
 */
export function keepTodaysPeople(
  db: Database.Database,
  today: string | undefined,
  options: { restorePeople: boolean },
): PeopleAfterRestore {
  if (options.restorePeople || today === undefined) {
    const signedOut = db.prepare('DELETE FROM sessions').run().changes;
    return { signedOut, people: 'backup', disabled: [], added: [] };
  }
  db.prepare('ATTACH DATABASE ? AS today').run(today);
  try {
    const version = (schema: string): number => db.pragma(`${schema}.user_version`, { simple: true }) as number;
    if (version('today') !== version('main'))
      throw new TypeError(`Expected the replaced database at the restored one's version ${version('main')}, got ${version('today')}`);
    return db.transaction((): PeopleAfterRestore => {
      const signedOut = db.prepare('DELETE FROM main.sessions').run().changes;
      const disabled = db
        .prepare<[], { name: string }>(
          `SELECT name FROM main.users WHERE disabled = 0 AND name NOT IN (SELECT name FROM today.users) ORDER BY name`,
        )
        .all()
        .map((row) => row.name);
      db.prepare(`UPDATE main.users SET disabled = 1 WHERE name NOT IN (SELECT name FROM today.users)`).run();
      db.prepare(
        `UPDATE main.users SET
           role = t.role, pin_hash = t.pin_hash, must_change_pin = t.must_change_pin, disabled = t.disabled, updated_at = t.updated_at
         FROM today.users AS t WHERE t.name = main.users.name`,
      ).run();
      const added = db
        .prepare<[], { name: string }>(`SELECT name FROM today.users WHERE name NOT IN (SELECT name FROM main.users) ORDER BY name`)
        .all()
        .map((row) => row.name);
      db.prepare(
        `INSERT INTO main.users (name, role, pin_hash, must_change_pin, disabled, preferences, created_at, updated_at)
         SELECT name, role, pin_hash, must_change_pin, disabled, preferences, created_at, updated_at
         FROM today.users WHERE name NOT IN (SELECT name FROM main.users)`,
      ).run();
      db.prepare('DELETE FROM main.cards').run();
      db.prepare(
        `INSERT INTO main.cards (card_id, user_id, label, created_at)
         SELECT c.card_id, m.id, c.label, c.created_at
         FROM today.cards AS c JOIN today.users AS t ON t.id = c.user_id JOIN main.users AS m ON m.name = t.name`,
      ).run();
      db.prepare('DELETE FROM main.secrets').run();
      db.prepare('INSERT INTO main.secrets (key, value, updated_at) SELECT key, value, updated_at FROM today.secrets').run();
      // Today's or none: a backup's requests and budgets are old, and its phones may have left.
      const live = TODAYS_LIVE_SETTINGS.map(() => '?').join(', ');
      db.prepare(`DELETE FROM main.settings WHERE key IN (${live})`).run(...TODAYS_LIVE_SETTINGS);
      db.prepare(
        `INSERT INTO main.settings (key, value, updated_at) SELECT key, value, updated_at FROM today.settings WHERE key IN (${live})`,
      ).run(...TODAYS_LIVE_SETTINGS);
      return { signedOut, people: 'today', disabled, added };
    })();
  } finally {
    db.prepare('DETACH DATABASE today').run();
  }
}
