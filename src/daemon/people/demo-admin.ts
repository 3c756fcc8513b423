import type { SqliteStore } from '../store/sqlite-store.js';
import type { AuthService } from './auth-service.js';
import { actors } from '../store/audit.js';

/** The demo's admin account; its passphrase must be changed at the first sign-in. */
export const DEMO_ADMIN = { name: 'admin', passphrase: 'moodbox-demo-admin' } as const;

/**
 * In demo mode, makes sure someone can sign in to the admin panel: creates the demo admin when the
 * database has no admin yet. Returns the lines that tell the person at the terminal how to sign in.
 */
export async function ensureDemoAdmin(auth: AuthService, store: Pick<SqliteStore, 'users'>): Promise<string> {
  const admins = store.users.list().filter((u) => u.role === 'admin' && !u.disabled);
  if (admins.length === 0) {
    await auth.createUser({ name: DEMO_ADMIN.name, role: 'admin', secret: DEMO_ADMIN.passphrase, mustChangePin: true }, actors.demo);
  }
  // Until its passphrase is changed, the demo admin still signs in with the printed one.
  if (admins.length === 0 || admins.some((u) => u.name === DEMO_ADMIN.name && u.mustChangePin)) {
    return `  Admin sign-in: ${DEMO_ADMIN.name} / ${DEMO_ADMIN.passphrase} (you choose a new passphrase at the first sign-in)\n`;
  }
  return `  Admin sign-in: ${admins.map((u) => u.name).join(', ')} with the passphrase chosen at the first sign-in (forgotten: moodbox user pin NAME)\n`;
}
