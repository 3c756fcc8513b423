import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of `moodbox doctor`: what was checked, how it stands, and what to do about it. */
export interface Check {
  name: string;
  status: CheckStatus;
  message: string;
  /** What to do about it, when something is wrong. */
  fix?: string;
}

/** What the checks may look at; tests point these at fixtures. */
export interface DoctorEnv {
  env: Readonly<Record<string, string | undefined>>;
  devDir: string;
  installDir: string;
  /** What `setup.sh install` wrote of the install it made (`INSTALL_RECORD`). */
  installRecord: string;
}

/** Where `setup.sh install` writes what it installed (`prefix=DIR`, `here=`, `version=`): root's, in /etc. */
export const INSTALL_RECORD = '/etc/moodbox/installed';

/**
 * Whether `setup.sh install` installed the Moodbox in `installDir` (its record names it): then the
 * box has the `moodbox` command on the PATH, which runs as the service user with the service's
 * configuration and data folder, and the service under systemd.
 */
export function isInstalled(installDir: string, installRecord: string = INSTALL_RECORD): boolean {
  let record: string;
  try {
    record = readFileSync(installRecord, 'utf8');
  } catch {
    return false;
  }
  const prefix = /^prefix=(.+)$/m.exec(record)?.[1];
  return prefix !== undefined && resolve(prefix) === resolve(installDir);
}

/** A Moodbox command as an owner types it: `moodbox ARGS` on an installed box, else `node dist/daemon/cli.js ARGS` in Moodbox's folder. */
export function commandLine(installed: boolean, args: string): string {
  return `${installed ? 'moodbox' : 'node dist/daemon/cli.js'} ${args}`;
}
