import { isOnPath } from '../music/stations.js';

/**
 * What Moodbox needs of the machine's memory, part by part (MiB), as measured in docs/memory.md:
 * the daemon within its budget, mpv playing, the ffmpeg child that decodes the camera, and the
 * operating system with its services; the kiosk screen in Chromium on the same machine on top.
 */
export const MEMORY_NEEDS_MIB = { daemon: 250, mpv: 80, camera: 70, system: 130, kioskBrowser: 400 } as const;

/** Moodbox alone (the kiosk screen shown by another device), MiB. */
export const MEMORY_NEEDED_MIB = MEMORY_NEEDS_MIB.daemon + MEMORY_NEEDS_MIB.mpv + MEMORY_NEEDS_MIB.camera + MEMORY_NEEDS_MIB.system;

/**
 * `moodbox doctor`'s memory line: a warning when the machine has less memory than Moodbox needs,
 * or than Moodbox and the kiosk browser need together when Chromium is on `env`'s PATH.
 */
export function checkMemory(
  totalBytes: number,
  env: Readonly<Record<string, string | undefined>>,
): { name: string; status: 'ok' | 'warn'; message: string; fix?: string } {
  const kioskBrowserHere = isOnPath('chromium', env) || isOnPath('chromium-browser', env);
  const total = Math.round(totalBytes / 2 ** 20);
  const withBrowser = MEMORY_NEEDED_MIB + MEMORY_NEEDS_MIB.kioskBrowser;
  const name = 'memory';
  if (total < MEMORY_NEEDED_MIB)
    return {
      name,
      status: 'warn',
      message: `${total} MiB of memory: Moodbox needs about ${MEMORY_NEEDED_MIB} MiB (the daemon ${MEMORY_NEEDS_MIB.daemon}, mpv ${MEMORY_NEEDS_MIB.mpv}, the camera's ffmpeg ${MEMORY_NEEDS_MIB.camera}, the system ${MEMORY_NEEDS_MIB.system})`,
      fix: 'use a machine with 1 GB or more (a Raspberry Pi 4 with 1 GB runs Moodbox with the kiosk screen on another device)',
    };
  if (kioskBrowserHere && total < withBrowser)
    return {
      name,
      status: 'warn',
      message: `${total} MiB of memory: enough for Moodbox (about ${MEMORY_NEEDED_MIB} MiB), not with the kiosk screen in Chromium here too (about ${withBrowser} MiB)`,
      fix: 'show the kiosk screen on another device (a tablet, a second Pi), or use a machine with 2 GB',
    };
  return {
    name,
    status: 'ok',
    message: `${total} MiB of memory: Moodbox needs about ${MEMORY_NEEDED_MIB} MiB${kioskBrowserHere ? `, ${withBrowser} with the kiosk screen in Chromium here` : ''}`,
  };
}
