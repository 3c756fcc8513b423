import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The proxy between the player and mpv's IPC socket: what the player sends goes to mpv as it is;
 * what mpv sends comes back in order, but for each `end-file` event, which is held until mpv's next
 * `start-file` has been passed on (or until `idle`). So the player reads the start of the next file
 * before the end of the one before, as a busy machine can let it with gapless playback.
 */
const PROXY = `
import net from 'node:net';
const [listenPath, mpvPath] = process.argv.slice(2);
const server = net.createServer((player) => {
  const connect = () => {
    const mpv = net.connect(mpvPath);
    mpv.once('error', () => setTimeout(connect, 20));
    mpv.once('connect', () => {
      player.pipe(mpv);
      let text = '';
      let held = [];
      mpv.on('data', (chunk) => {
        text += chunk.toString('utf8');
        let at;
        while ((at = text.indexOf('\\n')) >= 0) {
          const line = text.slice(0, at + 1);
          text = text.slice(at + 1);
          let event;
          try { event = JSON.parse(line).event; } catch { event = undefined; }
          if (event === 'end-file') { held.push(line); continue; }
          player.write(line);
          if ((event === 'start-file' || event === 'idle') && held.length > 0) { player.write(held.join('')); held = []; }
        }
      });
      mpv.on('close', () => { player.end(held.join('')); server.close(); process.exit(0); });
      player.on('close', () => mpv.end());
    });
  };
  connect();
});
server.listen(listenPath);
// Gone with the mpv it serves, whether or not the player ever connected.
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 200);
`;

/**
 * Writes, in `dir`, an mpv for the player (`mpvPath`) whose events reach the player with each
 * file's end after the next file's start: `mpv` (a program run as mpv is) listens on
 * `<socket>.mpv`, and a proxy on the socket the player was given reorders what it says. Resolves
 * with the program's path.
 */
export async function reorderingMpv(dir: string, mpv = 'mpv'): Promise<string> {
  const proxy = join(dir, 'reordering-proxy.mjs');
  const wrapper = join(dir, 'reordering-mpv.sh');
  await writeFile(proxy, PROXY);
  await writeFile(
    wrapper,
    [
      '#!/bin/sh',
      'SOCK=""',
      'for a; do shift; case "$a" in --input-ipc-server=*) SOCK="${a#--input-ipc-server=}"; set -- "$@" "--input-ipc-server=$SOCK.mpv";; *) set -- "$@" "$a";; esac; done',
      `rm -f "$SOCK.mpv"; '${process.execPath}' '${proxy}' "$SOCK" "$SOCK.mpv" &`,
      `exec '${mpv}' "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return wrapper;
}
