import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * Where the daemon listens, as a file others read: `setup.sh update` and `install` (whose health
 * check must find the daemon wherever the admin panel moved it: `server.host` and `server.port` are
 * saved settings, and port 0 picks a free one) and the kiosk screen (`systemd/moodbox-kiosk.sh`,
 * its browser's address). One line of JSON, `{"host":"127.0.0.1","port":8080}`: the address and
 * port the server is bound to (`0.0.0.0` or `::` when it listens on every address).
 */
export const LISTEN_FILE = 'listen.json';

/** What the file says: the address and port the HTTP server is bound to. */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * The file's path: in the daemon's runtime folder (systemd's `RuntimeDirectory=moodbox`, given as
 * `$RUNTIME_DIRECTORY`: `/run/moodbox/listen.json`, removed with the folder at each stop), else in
 * the data folder (a run outside systemd).
 */
export function listenFilePath(env: NodeJS.ProcessEnv, dataDir: string): string {
  const runtime = env['RUNTIME_DIRECTORY']?.split(':')[0];
  return join(runtime === undefined || runtime === '' ? dataDir : runtime, LISTEN_FILE);
}

/** The address a listening server is bound to, as the file says it; undefined for a pipe or a server that does not listen. */
export function listenAddressOf(bound: AddressInfo | string | null): ListenAddress | undefined {
  if (bound === null || typeof bound === 'string') return undefined;
  return { host: bound.address, port: bound.port };
}

/**
 * Writes the file whole or not at all: a temporary file beside it, renamed over it, so a reader
 * never sees half of one. Readable by everyone (0644, past the unit's `UMask=0027`): the kiosk's own
 * user reads it too, and an address and a port are no secret.
 */
export async function writeListenFile(path: string, address: ListenAddress): Promise<void> {
  const part = `${path}.${process.pid}.part`;
  await rm(part, { force: true });
  try {
    await writeFile(part, `${JSON.stringify({ host: address.host, port: address.port })}\n`, { flag: 'wx', mode: 0o644 });
    await chmod(part, 0o644);
    await rename(part, path);
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  }
}

/** Removes the file at the stop: a daemon that no longer listens says nowhere that it does. */
export async function removeListenFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
