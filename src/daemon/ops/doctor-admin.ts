import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import { FIRST_RUN_CODE_KEY, showCode } from '../people/first-run.js';
import { commandLine, type Check } from './doctor-check.js';
import { databasePath } from '../config/paths.js';

/**
 * `moodbox doctor`'s check that someone can sign in to the admin panel: while the box has no admin,
 * where to create the first one, with the first-run code the running daemon drew (the demo makes
 * its own admin, so it is not checked there). `installed`: a box `setup.sh install` set up, whose
 * hints name its service and its `moodbox` command.
 */
export function checkFirstAdmin(config: Config, installed = false): Check {
  const name = 'admin';
  const page = `http://${config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host}:${config.server.port}/admin`;
  const path = databasePath(config);
  const noAdmin = (code: string | undefined): Check => ({
    name,
    status: 'warn',
    message:
      code === undefined
        ? 'no admin yet, and no first-run code: Moodbox has not started since'
        : `no admin yet: first-run code ${showCode(code)}`,
    fix:
      code === undefined
        ? `start Moodbox${installed ? ' (sudo systemctl start moodbox)' : ''}, then open ${page} on this box ` +
          `(or run \`${commandLine(installed, 'doctor')}\` again for the code to use from another device)`
        : `open ${page} on this box, or the admin page from a phone or laptop on this network with the code, and create the first admin`,
  });
  if (!existsSync(path)) return noAdmin(undefined);
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const admins = db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number };
      if (admins.n > 0) return { name, status: 'ok', message: `${admins.n} admin${admins.n === 1 ? '' : 's'} can sign in` };
      const row = db.prepare('SELECT value FROM secrets WHERE key = ?').get(FIRST_RUN_CODE_KEY) as { value: string } | undefined;
      return noAdmin(row?.value);
    } finally {
      db.close();
    }
  } catch (err) {
    // The database check beside this one says what is wrong with the file.
    return { name, status: 'warn', message: `cannot read the accounts: ${(err as Error).message}` };
  }
}
