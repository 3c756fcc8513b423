import type { Command } from 'commander';
import type { AuthService } from '../people/auth-service.js';
import type { PeopleService } from '../people/people-service.js';
import type { Clock } from '../../kernel/clock.js';
import type { Role, Store, User } from '../store/store.js';
import { configOption } from './options.js';
import { actors } from '../store/audit.js';

/**
 * `moodbox user …` and `moodbox card link …`: set up people without a screen, against the
 * database of the configuration given (stop the daemon first or run them beside it: SQLite's WAL
 * lets both write).
 */
/** The roles `--role` takes, as `moodbox user list` prints them. */
const ROLES: readonly Role[] = ['admin', 'staff', 'member'];

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage the people who sign in');

  user
    .command('add')
    .description('create an account; asks for its PIN (members and staff: 4–8 digits) or passphrase (admins: 10+ characters)')
    .argument('<name>', 'display name, unique regardless of case')
    .option('--role <role>', "admin (everything), staff (the music's controls in the panel, and the kiosk) or member (the kiosk)", 'member')
    .option('--no-pin', 'create it without a PIN (set one later with `moodbox user pin`)')
    .addOption(configOption())
    .action(async (name: string, opts: { role: string; pin: boolean; config?: string }) => {
      const role = ROLES.find((r) => r === opts.role);
      if (role === undefined) throw new TypeError(`Expected \`--role\` to be ${ROLES.join(', ')}, got \`${opts.role}\``);
      await withAuth(opts.config, async ({ auth }) => {
        const secret = opts.pin ? await readSecret(role === 'admin' ? 'Passphrase' : 'PIN') : undefined;
        const created = await auth.createUser({ name, role, ...(secret === undefined ? {} : { secret }) }, actors.cli);
        process.stdout.write(`created ${created.role} ${created.name} (id ${created.id})\n`);
      });
    });

  user
    .command('list')
    .description('list every account')
    .option('--json', 'print JSON')
    .addOption(configOption())
    .action(async (opts: { json?: boolean; config?: string }) => {
      await withAuth(opts.config, async ({ store }) => {
        const users = store.users
          .list()
          .map((u) => ({ id: u.id, name: u.name, role: u.role, disabled: u.disabled, cards: store.cards.forUser(u.id).length }));
        if (opts.json === true) {
          process.stdout.write(`${JSON.stringify(users)}\n`);
          return;
        }
        for (const u of users)
          process.stdout.write(
            `${String(u.id).padStart(4)}  ${u.role.padEnd(6)}  ${u.name}${u.disabled ? '  (disabled)' : ''}${u.cards > 0 ? `  ${u.cards} card(s)` : ''}\n`,
          );
        if (users.length === 0) process.stdout.write('no accounts yet: add one with `moodbox user add NAME --role admin`\n');
      });
    });

  user
    .command('pin')
    .description("set a person's PIN or passphrase (ends their sessions)")
    .argument('<name>')
    .addOption(configOption())
    .action(async (name: string, opts: { config?: string }) => {
      await withAuth(opts.config, async ({ auth }) => {
        const found = mustFind(auth, name);
        await auth.setSecret(found.id, await readSecret(found.role === 'admin' ? 'Passphrase' : 'PIN'), actors.cli);
        process.stdout.write(`new ${found.role === 'admin' ? 'passphrase' : 'PIN'} set for ${found.name}\n`);
      });
    });

  user
    .command('unlock')
    .description(
      'clear the wrong PINs and passphrases counted against a person, so they can sign in at once (the running daemon picks it up)',
    )
    .argument('<name>')
    .addOption(configOption())
    .action(async (name: string, opts: { config?: string }) => {
      await withAuth(opts.config, async ({ auth }) => {
        const found = mustFind(auth, name);
        auth.unlock(found, actors.cli);
        process.stdout.write(`${found.name} can sign in again at once\n`);
      });
    });

  program
    .command('card')
    .description('manage RFID cards')
    .command('link')
    .description('link an RFID card (the digits the reader types) to a person')
    .argument('<name>')
    .argument('<card>', 'card ID, 4–32 letters or digits')
    .addOption(configOption())
    .action(async (name: string, card: string, opts: { config?: string }) => {
      if (!/^[0-9A-Za-z]{4,32}$/.test(card)) throw new TypeError(`Expected a card ID of 4–32 letters or digits, got \`${card}\``);
      await withAuth(opts.config, async ({ auth, people }) => {
        const found = mustFind(auth, name);
        // The same command as the admin panel's, audited the same way, with the CLI as the actor.
        people.linkCard({ cardId: card, userId: found.id }, actors.cli);
        process.stdout.write(`card …${card.slice(-4)} now signs in ${found.name}\n`);
      });
    });
}

/** The account `name` signs in to (compared as at sign-in: NFKC, any case). */
function mustFind(auth: AuthService, name: string): User {
  const found = auth.findUser(name);
  if (found === undefined) throw new Error(`no user named \`${name}\` (see \`moodbox user list\`)`);
  return found;
}

async function withAuth(
  configFile: string | undefined,
  fn: (deps: { auth: AuthService; people: PeopleService; store: Store; clock: Clock }) => Promise<void>,
): Promise<void> {
  const [
    { databasePath },
    { loadConfig },
    { openSqliteStore },
    auth,
    { SignInThrottle },
    { systemClock },
    { createLogger },
    { PeopleService },
  ] = await Promise.all([
    import('../config/paths.js'),
    import('../config/load-config.js'),
    import('../store/sqlite-store.js'),
    import('../people/auth-service.js'),
    import('../people/throttle.js'),
    import('../../kernel/clock.js'),
    import('../logging.js'),
    import('../people/people-service.js'),
  ]);
  const { config } = loadConfig({ file: configFile, env: process.env });
  const log = createLogger({ level: 'warn' });
  const store = openSqliteStore({ clock: systemClock, log }, { path: databasePath(config) });
  try {
    const service = new auth.AuthService(
      { store, clock: systemClock, log, throttle: new SignInThrottle({ clock: systemClock }) },
      auth.authOptionsFrom(config.sessions),
    );
    // No kiosk runs in the CLI's process: nobody is signed in there to sign out.
    const people = new PeopleService({
      auth: service,
      presence: { user: null, signOut() {} },
      store,
      clock: systemClock,
      selfRegistration: () => config.sessions.selfRegistration,
    });
    await fn({ auth: service, people, store, clock: systemClock });
  } finally {
    store.close();
  }
}

/** Reads a secret: twice without echo on a terminal, else one line from stdin. */
async function readSecret(label: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line.trim();
    }
    throw new Error(`Expected the ${label} on standard input`);
  }
  const ask = (prompt: string): Promise<string> =>
    new Promise((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      const output = rl as unknown as { _writeToOutput: (s: string) => void };
      output._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) process.stdout.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer.trim());
      });
    });
  const first = await ask(`${label}: `);
  const second = await ask(`${label} again: `);
  if (first !== second) throw new Error(`the two ${label}s differ`);
  return first;
}
