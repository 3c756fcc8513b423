import { statSync } from 'node:fs';

/**
 * Run as root, a command that writes into the data folder gives up root's rights for those of the
 * folder's owner (the `moodbox` service user) first: root never writes where the service user
 * could have planted a link. Does nothing for any other user, or for a folder root owns (a box run
 * as root), or one not made yet.
 */
export function asDataOwner(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const owner = statSync(dataDir, { throwIfNoEntry: false });
  if (owner === undefined || owner.uid === 0) return;
  process.setgroups?.([owner.gid]);
  process.setgid?.(owner.gid);
  process.setuid?.(owner.uid);
}
