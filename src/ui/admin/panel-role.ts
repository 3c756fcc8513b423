import type { AdminSession } from '../data/admin-api.js';

/** The role of the account signed in to the panel, as the shell learns it at sign-in. */
let signedIn: AdminSession['user']['role'] = 'admin';

/** Keeps the role of the account signed in (`mb-admin`), for the pages that show it what it may use. */
export function setPanelRole(role: AdminSession['user']['role']): void {
  signedIn = role;
}

/**
 * Whether an admin (the owner) is signed in: staff are shown no link to the owner's pages
 * (settings, backups) and no card that only the owner acts on.
 */
export function isOwner(): boolean {
  return signedIn !== 'staff';
}
